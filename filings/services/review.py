"""Writes of the review: transitions taken by officials, the expert panel, scores and review records.

Every transition goes through ``application_transition``: one atomic block, the application row locked, the
transition looked up in ``filings.workflow`` for the current state and the actor's role, the actor's
jurisdiction checked, one history row and one audit entry written, notifications queued after commit. Two
officials acting at the same moment: the second waits for the lock, then finds the state changed and gets a
``WorkflowError`` saying what the state now is.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from filings import notifications, workflow
from filings.forms import SECTIONS_BY_KEY
from filings.models import (
    Application,
    PanelDraw,
    PanelMember,
    RecordPhoto,
    ReviewRecord,
    State,
    StateChange,
)
from filings.selectors import (
    conflict_reason,
    draw_occupation_codes,
    eligible_experts,
    panel_summary,
    police_colleagues,
)
from filings.services.applications import _locked, enter_state
from portal.lib import randomdraw
from portal.lib.errors import WorkflowError
from portal.lib.uploads import check_upload
from portal.models import Role, User
from portal.services import audit_record, audit_text, notifications_done

ASSESS = "filings.assess_application"


def in_jurisdiction(user: User, application: Application) -> bool:
    jurisdiction = user.jurisdiction
    return jurisdiction is not None and application.region.path.startswith(jurisdiction.path)


def _state_label(state: str) -> str:
    return str(State(state).label)


def application_transition(
    *,
    application: Application,
    by: User,
    name: str,
    text: str = "",
    sections: dict[str, str] | None = None,
    request: HttpRequest | None = None,
    from_service: bool = False,
) -> Application:
    """Take the named transition of the application's workflow as ``by``.

    Steps that belong to a page of their own (``workflow.SERVICE_PAGES``: a notice, the panel's conclusion,
    the ministry's result) are taken only by their services, which pass ``from_service``.
    """
    with transaction.atomic():
        application = _locked(application)
        if by.role != Role.ADMIN and not in_jurisdiction(by, application):
            raise PermissionDenied
        transition = workflow.find(application.call_version.workflow, name, application.state)
        if (
            transition is None
            or transition.role != by.role
            or transition.target is None
            or (transition.needs in workflow.SERVICE_PAGES and not from_service)
        ):
            raise WorkflowError(
                _("This action is no longer possible: the application is now “%(state)s”.")
                % {"state": _state_label(application.state)}
            )
        text = text.strip()
        comment = text
        if transition.needs in ("opinion", "reasons", "conclusion") and not text and not from_service:
            raise ValidationError({"text": _("Write the text before you confirm.")})
        if transition.needs == "sections":
            notes = {k: v.strip() for k, v in (sections or {}).items() if k in SECTIONS_BY_KEY or k == "materials"}
            if not notes:
                raise ValidationError({"sections": _("Tick at least one section for the agency to correct.")})
            if not all(notes.values()):
                raise ValidationError({"sections": _("Say what to correct in each ticked section.")})
            application.flagged_sections = list(notes)
            application.correction_notes = notes
            application.correction_remarks = text
            application.return_state = application.state
            comment = "\n".join(f"{_section_title(key)}：{value}" for key, value in notes.items())
            if text:
                comment = f"{text}\n{comment}"
        if name == "recommend":
            application.city_opinion = text
        elif name == "give_opinion":
            application.police_opinion = text
        elif name in ("accept", "refuse"):
            application.centre_opinion = text
        elif name == "conclude":
            application.panel_conclusion = text
        from_state = application.state
        enter_state(application, transition.target)
        application.save()
        StateChange.objects.create(
            application=application,
            from_state=from_state,
            to_state=application.state,
            actor=by,
            role=by.role,
            department=by.department,
            comment=comment,
        )
        audit_record(action=f"application_{name}", request=request, actor=by, obj=application, detail=comment[:500])
        # The messages speak of this step: the state and deadline it produced, and the history row it wrote,
        # even when further steps follow in the same transaction (the demo data) before they are sent.
        moment = notifications.Moment(
            application.pk, name, by.pk, application.state, application.deadline, comment, from_state
        )
        transaction.on_commit(lambda: notifications.notify_transition(moment))
    return application


def _section_title(key: str) -> str:
    return str(SECTIONS_BY_KEY[key].title) if key in SECTIONS_BY_KEY else _("Materials")


# ---------------------------------------------------------------- expert panel


def _require_centre(application: Application, by: User) -> None:
    if by.role != Role.CENTRE or not in_jurisdiction(by, application):
        raise PermissionDenied
    if application.state != State.ASSESSMENT:
        raise WorkflowError(
            _("The panel can only be changed during the technical assessment; the application is now “%(state)s”.")
            % {"state": _state_label(application.state)}
        )


def _pool_refusal(expert: User, application: Application) -> str:
    """Why ``expert`` may not sit on the application's panel, or an empty string: the panel is made of the
    call's province's pool (``ExpertProfile``), whatever a hand-made form sends."""
    profile = getattr(expert, "expert_profile", None)
    if expert.role != Role.EXPERT or not expert.is_active or (profile is not None and not profile.active):
        return _("%(name)s is not an expert of the pool.") % {"name": expert.display_name}
    if profile is None:
        return _("%(name)s has no profile in the expert pool and cannot sit on a panel.") % {
            "name": expert.display_name
        }
    if profile.province_id != application.call.province_id:
        return _("%(name)s is in another province's pool, not in this call's.") % {"name": expert.display_name}
    reason = conflict_reason(expert, application)
    if reason:
        return _("%(name)s cannot assess this application: %(reason)s.") % {
            "name": expert.display_name,
            "reason": reason,
        }
    return ""


def _assign(
    application: Application, experts: list[User], *, by: User, draw: PanelDraw | None = None
) -> list[PanelMember]:
    """Put the experts on the (locked) application's panel; all or none: one refused expert saves nothing."""
    for expert in experts:
        refusal = _pool_refusal(expert, application)
        if refusal:
            raise ValidationError(refusal)
    members = []
    for expert in experts:
        member, created = PanelMember.objects.get_or_create(
            application=application, expert=expert, defaults={"assigned_by": by, "draw": draw}
        )
        if created:
            assign_perm(ASSESS, expert, application)
            audit_record(action="panel_assign", actor=by, obj=application, detail=expert.username)
            members.append(member)
    ids = [m.expert_id for m in members]
    if ids:
        # Someone assigned: the centre's “assign another expert” (after a declared conflict) is done.
        notifications_done(
            users=User.objects.filter(
                role=Role.CENTRE, department__region__code__in=application.region.path.split("/")
            ),
            link=reverse("filings:panel", args=[application.pk]),
        )
        # The “you have been assigned” to-do is written in the assignment's own transaction, not after it
        # commits: an expert who declares and hands in within the same transaction (the demo seed, a script)
        # marks done a to-do that exists, instead of one written afterwards that waits forever. The e-mails
        # still leave on commit (``notify``).
        notifications.notify_assigned(application.pk, ids)
    return members


def _panel_history(application: Application, *, by: User, comment: str) -> None:
    """The panel's change in the application's history (the state stays): who did it, when, and what — never
    the experts' names, which the history shows to the agency too (``portal.lib.disclosure``)."""
    StateChange.objects.create(
        application=application,
        from_state=application.state,
        to_state=application.state,
        actor=by,
        role=by.role,
        department=by.department,
        comment=comment,
    )


def panel_assign(*, application: Application, experts: list[User], by: User) -> list[PanelMember]:
    """The centre's own choice of experts from the province's pool."""
    with transaction.atomic():
        application = _locked(application)
        _require_centre(application, by)
        members = _assign(application, experts, by=by)
        if members:
            _panel_history(
                application,
                by=by,
                comment=audit_text(gettext_lazy("Experts chosen from the pool: %(count)d"), count=len(members)),
            )
    return members


def panel_draw(*, application: Application, count: int, by: User, by_specialty: bool = True) -> list[PanelMember]:
    """Draw experts at random from the pool, by the application's occupations, leaving out conflicts.

    The draw is recorded (``PanelDraw``) with the pool it was taken from and its seed: the experts are
    ``randomdraw.pick(randomdraw.Stream(seed), pool, count)`` over the pool's ids in ascending order — the
    stream and shuffle of the inspection draws' published script, the same on any Python — which anyone can
    make again. The seed comes from the system's random source, so nobody can choose the outcome."""
    with transaction.atomic():
        application = _locked(application)
        _require_centre(application, by)
        codes = draw_occupation_codes(application) if by_specialty else []
        pool = sorted(eligible_experts(application, codes or None), key=lambda expert: expert.pk)
        if len(pool) < count:
            wider = len(eligible_experts(application)) if codes else len(pool)
            raise ValidationError(
                {
                    "count": pool_too_small(
                        available=len(pool), count=count, by_specialty=bool(codes), any_specialty=wider
                    )
                }
            )
        seed = secrets.token_hex(16)
        # A seeded stream on purpose: the seed is unknown until drawn and kept afterwards, so the draw can be made
        # again from the record and give the same experts.
        by_id = {expert.pk: expert for expert in pool}
        chosen = [by_id[pk] for pk in randomdraw.pick(randomdraw.Stream(bytes.fromhex(seed)), list(by_id), count)]
        draw = PanelDraw.objects.create(
            application=application,
            by=by,
            department=by.department,
            count=count,
            by_specialty=bool(codes),
            occupation_codes=codes,
            pool=[expert.pk for expert in pool],
            seed=seed,
            drawn=[expert.pk for expert in chosen],
        )
        members = _assign(application, chosen, by=by, draw=draw)
        summary = draw_summary(draw, stored=True)
        _panel_history(application, by=by, comment=summary)
        audit_record(
            action="panel_draw",
            actor=by,
            obj=application,
            detail=audit_text(
                gettext_lazy("%(summary)s; seed %(seed)s; pool %(pool)s; drawn %(drawn)s"),
                summary=summary,
                seed=seed,
                pool=",".join(str(pk) for pk in draw.pool),
                drawn=",".join(expert.username for expert in chosen),
            ),
        )
    return members


def pool_too_small(*, available: int, count: int, by_specialty: bool, any_specialty: int) -> str:
    """What the centre reads beside the draw's count when the pool cannot give that many: how many experts the
    pool has under the draw's rule, how many the draw needs, and what would help (``any_specialty``: how many
    experts of any specialty could be drawn)."""
    numbers = {"available": available, "count": count}
    if by_specialty:
        said = _(
            "The pool has only %(available)d experts of the application's occupations who can be drawn; this draw "
            "needs %(count)d."
        )
    else:
        said = _("The pool has only %(available)d experts who can be drawn; this draw needs %(count)d.")
    if by_specialty and any_specialty >= count:
        advice = _("Draw fewer, or untick “Only experts of the application's occupations”.")
    else:
        advice = _("Draw fewer, or ask the system administrator to add experts to the pool.")
    # Two sentences: a space between them in English, none after a Chinese full stop.
    return _("%(said)s %(advice)s") % {"said": said % numbers, "advice": advice}


def draw_summary(draw: PanelDraw, *, stored: bool = False) -> str:
    """“Experts drawn at random: 3 (pool of 12, by specialty)”: on the panel page in the reader's language, in the
    history (``stored``) in the portal's, as the rows' other comments are."""
    rule = gettext_lazy("by specialty") if draw.by_specialty else gettext_lazy("any specialty")
    message = gettext_lazy("Experts drawn at random: %(count)d (pool of %(pool)d, %(rule)s)")
    if stored:
        return audit_text(message, count=draw.count, pool=draw.pool_size, rule=audit_text(rule))
    return str(message) % {"count": draw.count, "pool": draw.pool_size, "rule": str(rule)}


def panel_remove(*, member: PanelMember, by: User) -> None:
    with transaction.atomic():
        application = _locked(member.application)
        _require_centre(application, by)
        remove_perm(ASSESS, member.expert, application)
        audit_record(action="panel_remove", actor=by, obj=application, detail=member.expert.username)
        _assessment_done(member.expert, application)
        how = gettext_lazy("drawn at random") if member.draw_id else gettext_lazy("chosen by hand")
        _panel_history(
            application,
            by=by,
            comment=audit_text(gettext_lazy("An expert taken off the panel (%(how)s)"), how=audit_text(how)),
        )
        expert_id = member.expert_id
        member.delete()
        transaction.on_commit(lambda: notifications.notify_removed(application.pk, expert_id))


def _assessment_done(expert: User, application: Application) -> None:
    """The expert's “you have been assigned” is done: scores handed in, a conflict declared, or off the panel."""
    notifications_done(users=[expert], link=reverse("filings:assess", args=[application.pk]))


def _require_member(member: PanelMember, by: User) -> Application:
    if by.pk != member.expert_id or not by.has_perm(ASSESS, member.application):
        raise PermissionDenied
    application = _locked(member.application)
    if application.state != State.ASSESSMENT:
        raise WorkflowError(_("The panel has concluded; scores can no longer change."))
    return application


def panel_declare(*, member: PanelMember, by: User, has_conflict: bool, declaration: str = "") -> PanelMember:
    """The expert's conflict-of-interest declaration. A declared conflict ends the expert's access."""
    with transaction.atomic():
        application = _require_member(member, by)
        if has_conflict and not declaration.strip():
            raise ValidationError({"declaration": _("Describe the conflict of interest.")})
        member.has_conflict = has_conflict
        member.declaration = declaration.strip()
        member.declared_at = timezone.now()
        member.save(update_fields=["has_conflict", "declaration", "declared_at"])
        if has_conflict:
            remove_perm(ASSESS, by, application)
            _assessment_done(by, application)  # out of the panel: nothing more to do
            transaction.on_commit(lambda: notifications.notify_conflict(application.pk, by.pk))
        audit_record(
            action="panel_declare",
            actor=by,
            obj=application,
            detail=audit_text(
                gettext_lazy("Declared a conflict of interest")
                if has_conflict
                else gettext_lazy("Declared no conflict of interest")
            ),
        )
    return member


def panel_score(*, member: PanelMember, by: User, scores: dict[str, str], comment: str, submit: bool) -> PanelMember:
    """Save (and with ``submit`` hand in) the expert's scores; they may change until the panel concludes."""
    with transaction.atomic():
        application = _require_member(member, by)
        if member.has_conflict is not False:
            raise WorkflowError(_("Declare whether you have a conflict of interest first."))
        errors, clean = {}, {}
        for criterion in application.call_version.scoring:
            raw = str(scores.get(criterion["code"], "")).strip()
            if not raw:
                if submit:
                    errors[criterion["code"]] = _("Give a score.")
                continue
            try:
                points = int(raw)
            except ValueError:
                errors[criterion["code"]] = _("Enter a whole number of points.")
                continue
            if not 0 <= points <= criterion["max"]:
                errors[criterion["code"]] = _("Between 0 and %(max)d points.") % {"max": criterion["max"]}
                continue
            clean[criterion["code"]] = points
        if errors:
            raise ValidationError(errors)
        member.scores = clean
        member.comment = comment.strip()
        # Saving after handing in takes the sheet back until it is handed in again: a half-changed sheet never
        # counts in the panel's mean.
        member.scores_submitted_at = timezone.now() if submit else None
        member.save(update_fields=["scores", "comment", "scores_submitted_at"])
        if submit:
            _assessment_done(by, application)
        audit_record(
            action="panel_score",
            actor=by,
            obj=application,
            detail=audit_text(
                gettext_lazy("Total %(score)s%(handed_in)s"),
                score=sum(clean.values()),
                handed_in=audit_text(gettext_lazy(", handed in")) if submit else "",
            ),
        )
    return member


def panel_conclude(*, application: Application, by: User, conclusion: str, request=None) -> Application:
    """Record the panel's conclusion and its score (the mean of the submitted totals) in one transaction."""
    if not conclusion.strip():
        raise ValidationError({"text": _("Write the text before you confirm.")})
    with transaction.atomic():
        _locked(application)
        summary = panel_summary(application)
        if summary["count"] < 2:
            raise ValidationError({"text": _("At least two experts must have handed in their scores.")})
        application = application_transition(
            application=application, by=by, name="conclude", text=conclusion, request=request, from_service=True
        )
        application.panel_score = summary["mean"]
        application.save(update_fields=["panel_score"])
    return application


# ---------------------------------------------------------------- review records

RECORD_KINDS = {
    Role.EXPERT: {ReviewRecord.Kind.SITE_VISIT, ReviewRecord.Kind.DOCUMENT_REVIEW, ReviewRecord.Kind.INTERVIEW},
    Role.POLICE: {
        ReviewRecord.Kind.POLICE_REVIEW,
        ReviewRecord.Kind.POLICE_SITE_VISIT,
        ReviewRecord.Kind.POLICE_ASSESSMENT,
    },
}
RECORD_STATES = {
    ReviewRecord.Kind.POLICE_REVIEW: State.POLICE_REVIEW,
    ReviewRecord.Kind.POLICE_SITE_VISIT: State.POLICE_REVIEW,
}


def record_add(
    *, application: Application, by: User, kind: str, notes: str, photos: list[UploadedFile] = ()
) -> ReviewRecord:
    """A written record with photos: an expert's site visit, document review or interview; the police's
    material review or site visit (police-first variant) or opinion in the technical assessment."""
    with transaction.atomic():
        application = _locked(application)
        if kind not in RECORD_KINDS.get(by.role, set()):
            raise PermissionDenied
        if by.role == Role.EXPERT:
            member = PanelMember.objects.filter(application=application, expert=by, has_conflict=False).first()
            if member is None or not by.has_perm(ASSESS, application):
                raise PermissionDenied
        elif not in_jurisdiction(by, application):
            raise PermissionDenied
        expected = RECORD_STATES.get(kind, State.ASSESSMENT)
        if application.state != expected:
            raise WorkflowError(
                _("This record cannot be added while the application is “%(state)s”.")
                % {"state": _state_label(application.state)}
            )
        if not notes.strip():
            raise ValidationError({"notes": _("Write the record.")})
        record = ReviewRecord.objects.create(
            application=application, kind=kind, author=by, role=by.role, notes=notes.strip()
        )
        for photo in photos:
            info = check_upload(photo)
            photo.checked_info = info
            RecordPhoto.objects.create(
                record=record,
                file=photo,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
            )
        audit_record(
            action="review_record", actor=by, obj=application, detail=audit_text(ReviewRecord.Kind(kind).label)
        )
        if kind == ReviewRecord.Kind.POLICE_ASSESSMENT:
            # The department's opinion is given: the message asking for it is done, for the author's colleagues too.
            notifications_done(
                users=police_colleagues(by), link=reverse("filings:application_detail", args=[application.pk])
            )
    return record


def overdue_notify(today=None) -> int:
    """Notify the reviewers of every application past its stage deadline, at most once per application a day."""
    today = today or timezone.localdate()
    notified = 0
    candidates = Application.objects.filter(deadline__lt=today).exclude(overdue_notified_on=today)
    for application_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            application = (
                Application.objects.select_for_update()
                .filter(pk=application_id, deadline__lt=today)
                .exclude(overdue_notified_on=today)
                .first()
            )
            if application is None:
                continue  # another run took it, or it moved on meanwhile
            application.overdue_notified_on = today
            application.save(update_fields=["overdue_notified_on"])
            transaction.on_commit(lambda pk=application.pk: notifications.notify_overdue(pk))
            notified += 1
    return notified
