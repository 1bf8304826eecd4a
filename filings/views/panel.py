"""The technical assessment (技术评估): the centre's panel page, the expert's workspace and the review records.

The centre picks or draws experts, watches the scores come in and records the panel's conclusion. An expert
sees only the applications assigned to them (``applications_visible_to`` reads the django-guardian grant):
first the conflict-of-interest declaration, then the scoring sheet of the call and the records of the site
visit, document review and interviews. Police of the applicant's jurisdiction record their opinion in the
assessment (会同公安部门) from the application page. Every write goes through ``filings.services.review``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Occupation
from filings.loaders import application_for, panel_member_of, record_photo_for
from filings.models import Application, PanelDraw, PanelMember, ReviewRecord, State
from filings.selectors import (
    applications_visible_to,
    conflict_reason,
    draw_pool_sizes,
    eligible_experts,
    expert_assignments,
    panel_member_for,
    panel_summary,
)
from filings.services import (
    panel_assign,
    panel_conclude,
    panel_declare,
    panel_draw,
    panel_remove,
    panel_score,
    record_add,
)
from filings.services.review import RECORD_KINDS, RECORD_STATES, draw_summary, pool_too_small
from portal.lib.access import roles
from portal.lib.downloads import stored_file_response
from portal.lib.errors import refusal
from portal.lib.http import is_digits
from portal.lib.uploads import ACCEPT
from portal.models import Role, User

# Everyone who may open an application page; what they see is still decided by ``applications_visible_to``.
VIEWERS = (Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN, Role.EXPERT)
EXPERT_KINDS = [ReviewRecord.Kind.SITE_VISIT, ReviewRecord.Kind.DOCUMENT_REVIEW, ReviewRecord.Kind.INTERVIEW]


# ---------------------------------------------------------------- the centre's panel page


@roles(Role.CENTRE)
def panel(request, pk: int):
    application = application_for(request, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        with refusal(request) as refused:
            done = _panel_action(request, application, action)
        if refused.message:
            return redirect("filings:panel", application.pk)
        if refused.errors:
            errors[action] = [m for messages_ in refused.errors.values() for m in messages_]
        else:
            messages.success(request, done)
            if action == "conclude":
                return redirect("filings:application_detail", application.pk)
            return redirect("filings:panel", application.pk)
    context = _panel_context(application, errors=errors, posted=request.POST if errors else None)
    return render(request, "filings/panel.html", context, status=400 if errors else 200)


def _panel_action(request, application: Application, action: str) -> str:
    """Do what the centre asked for; return the message that says it was done."""
    by = request.user
    if action == "assign":
        ids = [value for value in request.POST.getlist("experts") if is_digits(value)]
        experts = list(User.objects.filter(pk__in=ids).select_related("expert_profile").order_by("pk"))
        if not experts:
            raise ValidationError(_("Tick at least one expert."))
        members = panel_assign(application=application, experts=experts, by=by)
        return _("Assigned: %(names)s.") % {"names": _names(members)}
    if action == "draw":
        raw = request.POST.get("count", "").strip()
        if not is_digits(raw) or int(raw) < 1:
            raise ValidationError(_("Enter how many experts to draw (at least 1)."))
        members = panel_draw(
            application=application, count=int(raw), by=by, by_specialty=request.POST.get("by_specialty") == "on"
        )
        return _("Drawn at random and assigned: %(names)s.") % {"names": _names(members)}
    if action == "remove":
        raw = request.POST.get("member", "")
        member = panel_member_of(application, raw)
        name = member.expert.display_name
        panel_remove(member=member, by=by)
        return _("%(name)s has been removed from the panel.") % {"name": name}
    if action == "conclude":
        panel_conclude(application=application, by=by, conclusion=request.POST.get("text", ""), request=request)
        return _("The panel's conclusion has been recorded.")
    raise ValidationError(_("Unknown action."))


def _names(members: list[PanelMember]) -> str:
    return "、".join(member.expert.display_name for member in members)


def _panel_context(application: Application, *, errors: dict, posted) -> dict:
    criteria = application.call_version.scoring
    summary = panel_summary(application)
    members = sorted(summary["members"], key=lambda m: (m.assigned_at, m.pk))
    rows = [
        {
            "member": member,
            "profile": getattr(member.expert, "expert_profile", None),
            "status": _member_status(member),
            "scores": [member.scores.get(c["code"]) for c in criteria] if member.scores_submitted_at else [],
        }
        for member in members
    ]
    submitted = [row["member"] for row in rows if row["member"].total is not None and not row["member"].has_conflict]
    criterion_means = [_mean([m.scores.get(c["code"], 0) for m in submitted]) for c in criteria]
    open_ = application.state == State.ASSESSMENT
    eligible = eligible_experts(application) if open_ else []
    pool = draw_pool_sizes(application) if open_ else {"by_specialty": 0, "any": 0}
    # The draw's fields as the centre left them when the draw was refused; else the draw the page offers.
    drawing = posted is not None and posted.get("action") == "draw"
    by_specialty = posted.get("by_specialty") == "on" if drawing else True
    count = posted.get("count", "") if drawing else str(PanelDraw.DEFAULT_COUNT)
    return {
        "application": application,
        "criteria": criteria,
        "max_total": sum(c["max"] for c in criteria),
        "rows": rows,
        "summary": summary,
        "criterion_means": criterion_means,
        "open": open_,
        "eligible": eligible,
        "excluded": _excluded_experts(application, eligible) if open_ else [],
        "records": _records(application),
        "draws": _draws(application),
        "occupations": application.occupation_rows.select_related("occupation").order_by("occupation__code", "-level"),
        "errors": errors,
        "posted_text": posted.get("text", "") if posted else "",
        "posted_count": count,
        "posted_by_specialty": by_specialty,
        "draw_pool": pool,
        # Said before the centre tries: the default draw asks for more experts than the pool can give.
        "draw_short": pool_too_small(
            available=pool["by_specialty"],
            count=PanelDraw.DEFAULT_COUNT,
            by_specialty=True,
            any_specialty=pool["any"],
        )
        if open_ and not drawing and pool["by_specialty"] < PanelDraw.DEFAULT_COUNT
        else "",
        "posted_experts": posted.getlist("experts") if posted else [],
    }


def _draws(application: Application) -> list[dict]:
    """The panel's random draws as the centre checks them: who drew, when, from which pool, with which seed."""
    draws = list(application.draws.select_related("by", "department"))
    codes = {code for draw in draws for code in draw.occupation_codes}
    names = dict(Occupation.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    experts = User.objects.in_bulk({pk for draw in draws for pk in (*draw.pool, *draw.drawn)})
    return [
        {
            "draw": draw,
            "summary": draw_summary(draw),
            "occupations": [names.get(code, code) for code in draw.occupation_codes],
            "drawn": [experts[pk] for pk in draw.drawn if pk in experts],
            "candidates": [experts[pk] for pk in draw.pool if pk in experts],
        }
        for draw in draws
    ]


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _excluded_experts(application: Application, eligible: list[User]) -> list[tuple[User, str]]:
    """Experts of the pool the centre is not offered, and why (employed by the applicant, a declared conflict)."""
    offered = {expert.pk for expert in eligible}
    pool = User.objects.filter(role=Role.EXPERT, is_active=True, expert_profile__active=True).select_related(
        "expert_profile"
    )
    excluded = [(expert, conflict_reason(expert, application)) for expert in pool if expert.pk not in offered]
    return [(expert, reason) for expert, reason in excluded if reason]


def _member_status(member: PanelMember) -> tuple[str, str]:
    """(Bootstrap colour, label) of where the expert is."""
    if member.has_conflict:
        return "danger", _("Declared a conflict of interest")
    if member.has_conflict is None:
        return "secondary", _("Declaration pending")
    if member.scores_submitted_at:
        return "success", _("Scores handed in")
    return "warning", _("Scoring")


# ---------------------------------------------------------------- the expert's workspace


@roles(Role.EXPERT)
def assessments(request):
    applications = expert_assignments(request.user, applications_visible_to(request.user))
    members = {
        member.application_id: member
        for member in PanelMember.objects.filter(expert=request.user, application__in=applications)
    }
    rows = []
    for application in applications:
        member = members.get(application.pk)
        if member is None:
            continue
        if application.state != State.ASSESSMENT:
            status = ("secondary", _("Panel concluded"))
        else:
            status = _member_status(member)
        rows.append({"application": application, "member": member, "status": status})
    return render(request, "filings/assessments.html", {"rows": rows})


@roles(Role.EXPERT)
def assess(request, pk: int):
    application = application_for(request, pk)
    member = panel_member_for(request.user, application)
    if member is None:
        raise Http404
    criteria = application.call_version.scoring
    if request.method == "POST":
        action = request.POST.get("action", "")
        with refusal(request) as refused:
            if action == "declare":
                return _declare(request, application, member)
            if action in ("save", "submit"):
                scores = {c["code"]: request.POST.get(f"score_{c['code']}", "") for c in criteria}
                panel_score(
                    member=member,
                    by=request.user,
                    scores=scores,
                    comment=request.POST.get("comment", ""),
                    submit=action == "submit",
                )
                messages.success(
                    request,
                    _("Your scores have been handed in. You can change them until the panel concludes.")
                    if action == "submit"
                    else _("Your scores have been saved; hand them in when they are complete."),
                )
                return redirect("filings:assess", application.pk)
        if refused.message:
            return redirect("filings:assess", application.pk)
        if refused.errors:
            context = _assess_context(request, application, member)
            if action == "declare":
                # Beside what they concern: the explanation's under its box, "say yes or no" under the choice;
                # the choice and the text typed are kept.
                context["declaration_errors"] = refused.errors.get("declaration", [])
                context["conflict_errors"] = [
                    m for name, messages_ in refused.errors.items() if name != "declaration" for m in messages_
                ]
                context["typed_declaration"] = request.POST.get("declaration", "")
                context["chosen_conflict"] = request.POST.get("conflict", "")
            else:
                context["score_errors"] = refused.errors
                context["score_error_list"] = [m for messages_ in refused.errors.values() for m in messages_]
                context["typed_comment"] = request.POST.get("comment", "")
                for row in context["sheet"]:
                    row["value"] = request.POST.get(f"score_{row['code']}", "")
                    row["errors"] = context["score_errors"].get(row["code"], [])
            return render(request, "filings/assess.html", context, status=400)
    return render(request, "filings/assess.html", _assess_context(request, application, member))


def _declare(request, application: Application, member: PanelMember):
    answer = request.POST.get("conflict", "")
    if answer not in ("yes", "no"):
        raise ValidationError(_("Say whether you have a conflict of interest."))
    panel_declare(
        member=member,
        by=request.user,
        has_conflict=answer == "yes",
        declaration=request.POST.get("declaration", ""),
    )
    if answer == "yes":
        messages.info(
            request,
            _(
                "You have declared a conflict of interest: the application is no longer assigned to you and the "
                "provincial centre has been told."
            ),
        )
        return redirect("filings:assessments")
    messages.success(request, _("Thank you. You can now assess the application."))
    return redirect("filings:assess", application.pk)


def _assess_context(request, application: Application, member: PanelMember) -> dict:
    open_ = application.state == State.ASSESSMENT
    sheet = [
        {
            **criterion,
            "value": member.scores.get(criterion["code"], ""),
            "errors": [],
        }
        for criterion in application.call_version.scoring
    ]
    versions = list(application.versions.order_by("number"))
    return {
        "application": application,
        "member": member,
        "open": open_,
        "sheet": sheet,
        "max_total": sum(c["max"] for c in sheet),
        "latest": versions[-1] if versions else None,
        "score_errors": {},
        "score_error_list": [],
        "typed_comment": member.comment,
        "declaration_errors": [],
        "conflict_errors": [],
        "typed_declaration": "",
        "chosen_conflict": "",
        "records": _records(application),
        "record_kinds": [(kind.value, kind.label) for kind in EXPERT_KINDS],
        "record_errors": [],
        "typed_record": {},
        "accept": ACCEPT,
    }


# ---------------------------------------------------------------- review records


def _records(application: Application):
    return application.records.select_related("author").prefetch_related("photos")


def records_context(request, application: Application) -> dict:
    """What the application page adds about the assessment: the records, the centre's link to the panel, the
    police opinion form (kind ``police_assessment``) for police of the jurisdiction during the assessment."""
    role = request.user.role
    return {
        "records": _records(application),
        "panel_link": role == Role.CENTRE and application.state in (State.ASSESSMENT, State.ASSESSED),
        "selection_link": role == Role.CENTRE and application.state == State.ASSESSED,
        "police_record_kinds": [(kind.value, kind.label) for kind in _police_kinds(application.state)]
        if role == Role.POLICE
        else [],
        "assess_link": role == Role.EXPERT,
        "accept": ACCEPT,
    }


def _police_kinds(state: str) -> list[ReviewRecord.Kind]:
    """The records police may add now: the opinion in the assessment, or (police-first) review and site visit."""
    return [
        kind
        for kind in ReviewRecord.Kind
        if kind in RECORD_KINDS[Role.POLICE] and RECORD_STATES.get(kind, State.ASSESSMENT) == state
    ]


@roles(Role.EXPERT, Role.POLICE)
@require_POST
def record_add_view(request, pk: int):
    application = application_for(request, pk)
    expert = request.user.role == Role.EXPERT
    member = panel_member_for(request.user, application) if expert else None
    if expert and member is None:
        raise Http404
    target = (
        reverse("filings:assess", args=[application.pk])
        if expert
        else reverse("filings:application_detail", args=[application.pk])
    ) + "#records"
    kind = request.POST.get("kind", "")
    with refusal(request) as refused:
        if kind not in ReviewRecord.Kind.values:
            raise ValidationError(_("Choose the kind of record."))
        record_add(
            application=application,
            by=request.user,
            kind=kind,
            notes=request.POST.get("notes", ""),
            photos=request.FILES.getlist("photos"),
        )
    if refused.errors:
        if not expert:
            messages.error(request, refused.text)
            return redirect(target)
        context = _assess_context(request, application, member)
        context["record_errors"] = [m for messages_ in refused.errors.values() for m in messages_]
        context["typed_record"] = {"kind": kind, "notes": request.POST.get("notes", "")}
        return render(request, "filings/assess.html", context, status=400)
    if not refused:
        messages.success(request, _("The record has been saved."))
    return redirect(target)


@roles(*VIEWERS)
def record_photo(request, pk: int, photo_pk: int):
    application = application_for(request, pk)
    photo = record_photo_for(application, photo_pk)
    return stored_file_response(photo.file, filename=photo.original_name, content_type=photo.content_type)
