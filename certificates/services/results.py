"""Results from the session to the bureau's decision: publicity (after a return, of the corrected rows only), the
report, the answer to a return without change, the daily overdue notice, approval or return."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry
from certificates.models import ImportAttempt, Session, SessionCounts
from certificates.notices import KIND, PUBLICITY_MIN_WORKDAYS, candidate_label, session_label
from certificates.selectors import any_certificate_due
from certificates.services.common import Action, _locked, _require_agency_of, counts_add, hr_reviewers, may_review
from certificates.services.imports import check_stale_since
from portal.lib.errors import WorkflowError
from portal.models import User
from portal.services import audit_record, audit_text, notifications_done, notify
from publicity.services import notice_create, notice_publish
from supervision.models import Plan


def session_create(*, plan: Plan, by: User, request=None) -> Session:
    """The results session of an announced evaluation whose first exam day has come."""
    _require_agency_of(plan.entry, by)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if Session.objects.filter(plan=plan).exists():
            raise WorkflowError(_("The evaluation already has its results session."))
        if plan.status != Plan.Status.ANNOUNCED:
            raise WorkflowError(_("Only an announced evaluation has results."))
        if plan.first_day > timezone.localdate():
            raise WorkflowError(_("Results can be entered from the first exam day."))
        session = Session.objects.create(plan=plan, created_by=by)
        SessionCounts.objects.create(session=session)  # its page's counts, kept from here on
        audit_record(action=Action.SESSION_CREATE, request=request, actor=by, obj=session)
    return session


def publicity_blocker(session: Session) -> ImportAttempt | None:
    """The session's latest upload when it stands in the way of a publicity: refused (its errors are shown; the
    results imported before it are not what the agency last sent) or still being checked. None: nothing in the way.
    A check taken as lost (``check_stale_since``) does not block: its upload form is offered again."""
    attempt = session.imports.defer("marked").first()
    if attempt is None:
        return None
    if attempt.status == ImportAttempt.Status.REFUSED:
        return attempt
    if attempt.status == ImportAttempt.Status.PENDING and attempt.created >= check_stale_since():
        return attempt
    return None


def _publicity_days(window_days: int | str) -> int:
    try:
        days = int(str(window_days).strip())
    except ValueError:
        days = 0
    if days < PUBLICITY_MIN_WORKDAYS:
        raise ValidationError(
            {
                "window_days": [
                    _("Results are publicised at least %(days)s working days.") % {"days": PUBLICITY_MIN_WORKDAYS}
                ]
            }
        )
    return days


def _publicity_candidates(session: Session) -> list:
    """The candidates a publicity of the session concerns, or the refusal: after a return only the corrected
    results (the others passed their publicity unchallenged, 三（五）: the report follows a publicity without
    objection); never while the latest upload is refused or being checked. Of these, only those who passed are
    published (``_published``); a session where nobody passed is publicised all the same, its notice saying so
    (三（五）: the publicity is what lets a candidate object to their result)."""
    if session.status not in (Session.Status.RESULTS, Session.Status.RETURNED):
        raise WorkflowError(_("These results are already publicised."))
    blocker = publicity_blocker(session)
    if blocker is not None and blocker.status == ImportAttempt.Status.REFUSED:
        raise WorkflowError(
            _(
                "The last upload (“%(name)s”) was refused: nothing is published while its errors stand. Upload a "
                "corrected workbook first."
            )
            % {"name": blocker.filename}
        )
    if blocker is not None:
        raise WorkflowError(_("The last upload is still being checked: publish once its check has ended."))
    if session.status == Session.Status.RETURNED:
        candidates = list(session.candidates.filter(corrected=True).order_by("row"))
        if not candidates:
            raise WorkflowError(_("No result was corrected: report the results again with an explanation instead."))
    else:
        candidates = list(session.candidates.order_by("row"))
    if not candidates:
        raise WorkflowError(_("Import the results before publicising them."))
    if session.status == Session.Status.RETURNED and not _published(candidates):
        # The other results passed their publicity; a correction that makes nobody qualified is reported again.
        raise WorkflowError(
            _(
                "None of the corrected results passes: no one is proposed as qualified, so there is nothing to "
                "publicise. Report the results again with an explanation."
            )
        )
    return candidates


def _published(candidates: list) -> list:
    """The candidates a results notice names: those proposed as qualified (拟认定合格人员名单, 三（五）: 认定结果
    进行公示). Who failed is not published: their results are personal data, and a failed candidate's recourse is
    the agency's score review, not a public objection."""
    return [candidate for candidate in candidates if candidate.passed]


def results_publicity_preview(*, session: Session, by: User, window_days: int | str) -> dict:
    """What ``results_publicise`` would publish, for its confirmation, refused as it would be; writes nothing."""
    _require_agency_of(session.plan.entry, by)
    days = _publicity_days(window_days)
    candidates = _publicity_candidates(session)
    return {
        "days": days,
        "candidates": len(candidates),
        "passed": len(_published(candidates)),
        "corrected": session.status == Session.Status.RETURNED,
    }


def results_publicise(*, session: Session, by: User, window_days: int | str, request=None) -> Session:
    """Publish the results on the public site for at least 5 working days, names and ID numbers masked."""
    _require_agency_of(session.plan.entry, by)
    days = _publicity_days(window_days)
    with transaction.atomic():
        session = _locked(session)
        candidates = _publicity_candidates(session)
        plan = session.plan
        title = _("Evaluation results of %(agency)s: %(occupation)s, %(level)s") % {
            "agency": plan.entry.organisation.name,
            "occupation": plan.occupation.name,
            "level": plan.level_label,
        }
        if session.status == Session.Status.RETURNED:
            title = _("Corrected evaluation results of %(agency)s: %(occupation)s, %(level)s") % {
                "agency": plan.entry.organisation.name,
                "occupation": plan.occupation.name,
                "level": plan.level_label,
            }
        published = _published(candidates)
        params = {
            "first": plan.first_day.isoformat(),
            "venue": plan.venue,
            "took": len(candidates),
            "passed": len(published),
        }
        if session.status == Session.Status.RETURNED:
            body = (
                _(
                    "After a review, %(took)s results of the evaluation of %(first)s at %(venue)s were corrected; "
                    "%(passed)s of these candidates are proposed as qualified and listed below (names and ID numbers "
                    "partly masked). Anyone who objects to a candidate on the list may raise an objection during the "
                    "notice period."
                )
                % params
            )
        elif published:
            body = (
                _(
                    "%(took)s candidates took part in the evaluation of %(first)s at %(venue)s; %(passed)s are "
                    "proposed as qualified and listed below (names and ID numbers partly masked). Anyone who objects "
                    "to a candidate on the list may raise an objection during the notice period."
                )
                % params
            )
        else:
            body = (
                _(
                    "%(took)s candidates took part in the evaluation of %(first)s at %(venue)s; nobody is proposed as "
                    "qualified in this evaluation. Anyone who objects to these results may raise an objection during "
                    "the notice period."
                )
                % params
            )
        # Nobody passed: no one is named; the one entry, unlisted, is the results as a whole (``certificates.notices``).
        subjects = [(candidate, candidate_label(candidate)) for candidate in published] or [
            (session, session_label(len(candidates)))
        ]
        notice = notice_create(
            kind=KIND,
            region=plan.city,
            by=by,
            title=title,
            body=body,
            window_days=days,
            subjects=subjects,
            subtitle=str(plan),
            request=request,
        )
        session.notice = notice
        session.save(update_fields=["notice"])
        notice_publish(notice=notice, by=by, request=request)
        session.refresh_from_db()
        audit_record(
            action=Action.RESULTS_PUBLICISE,
            request=request,
            actor=by,
            obj=session,
            detail=audit_text(
                gettext_lazy("%(count)s candidates, %(days)s working days"), count=len(candidates), days=days
            ),
        )
    return session


def results_report(*, session: Session, by: User, answer: str = "", request=None) -> Session:
    """Report the publicised results to the HR bureau of the agency's jurisdiction. After a return whose
    corrected rows were publicised again, ``answer`` tells the bureau what was corrected."""
    _require_agency_of(session.plan.entry, by)
    answer = answer.strip()
    with transaction.atomic():
        session = _locked(session)
        if session.status != Session.Status.PUBLICISED:
            raise WorkflowError(_("Results are reported once their publicity has ended."))
        session.status = Session.Status.REPORTED
        session.reported_at = timezone.now()
        if answer:
            session.answer = answer
        session.save(update_fields=["status", "reported_at", "answer"])
        audit_record(action=Action.RESULTS_REPORT, request=request, actor=by, obj=session, detail=answer[:500])
        _reported_done(session)
        _tell_hr_reported(session)
    return session


def _agency_users(session: Session):
    return User.objects.filter(organisation_id=session.plan.entry.organisation_id, is_active=True)


def _reported_done(session: Session) -> None:
    """Reported: the agency's to-dos about the session (report it, answer the return, the overdue notice) are done,
    and so is the bureau's overdue notice; the bureau's new to-do (review it) comes after this."""
    link = reverse("certificates:session_detail", args=[session.pk])
    notifications_done(users=[*_agency_users(session), *hr_reviewers(session)], link=link)


def _tell_hr_reported(session: Session) -> None:
    notify(
        users=hr_reviewers(session),
        subject=_("Evaluation results to review: %(session)s") % {"session": session},
        body=_("The agency reported the results of an evaluation; approve them or return them with reasons."),
        link=reverse("certificates:session_detail", args=[session.pk]),
        todo=True,
    )


def results_resubmit(*, session: Session, by: User, answer: str, request=None) -> Session:
    """Answer a return without changing any result: report the same results again with an explanation. The
    results passed their publicity unchallenged, so they are not publicised again."""
    _require_agency_of(session.plan.entry, by)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": [_("Explain to the HR bureau why no result changes.")]})
    if len(answer) > 2000:
        raise ValidationError({"answer": [_("At most %(n)s characters.") % {"n": 2000}]})
    with transaction.atomic():
        session = _locked(session)
        if session.status != Session.Status.RETURNED:
            raise WorkflowError(_("Only returned results are reported again."))
        # A corrected result that does not pass names no one on a list of qualified candidates: nothing to
        # publicise, so the results are reported again as they stand.
        if session.candidates.filter(corrected=True, passed=True).exists():
            raise WorkflowError(_("Results were corrected: publicise the corrected rows before reporting them."))
        session.status = Session.Status.REPORTED
        session.reported_at = timezone.now()
        session.answer = answer
        session.save(update_fields=["status", "reported_at", "answer"])
        audit_record(action=Action.RESULTS_RESUBMIT, request=request, actor=by, obj=session, detail=answer[:500])
        _reported_done(session)
        _tell_hr_reported(session)
    return session


def reports_overdue_notify(today: dt.date | None = None) -> int:
    """Daily: for each results report past its due day (publicity ended, not reported within 10 working days),
    tell the agency and the HR bureau of its jurisdiction, once per report. Returns how many were told."""
    today = today or timezone.localdate()
    late = Session.objects.filter(status=Session.Status.PUBLICISED, report_due__lt=today).exclude(
        overdue_notified_for=models.F("report_due")
    )
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pk in late.values_list("pk", flat=True):
            with transaction.atomic():
                session = _locked(Session(pk=pk))
                if not session.report_overdue(today) or session.overdue_notified_for == session.report_due:
                    continue
                session.overdue_notified_for = session.report_due
                session.save(update_fields=["overdue_notified_for"])
                # The bureau reads which agency's session; the agency, which of its plans.
                subject = _("Results report overdue: %(session)s") % {"session": session}
                agency_subject = _("Results report overdue: %(session)s") % {"session": session.plan.label}
                body = _(
                    "The results were publicised until %(publicised)s and were due to be reported to the HR bureau "
                    "by %(due)s (10 working days)."
                ) % {"publicised": session.publicised_on, "due": session.report_due}
                link = reverse("certificates:session_detail", args=[session.pk])
                agency = User.objects.filter(organisation_id=session.plan.entry.organisation_id, is_active=True)
                notify(users=agency, subject=agency_subject, body=body, link=link, todo=True)
                # The bureau waits for the agency: told, not given a to-do it cannot act on (issue 12).
                notify(users=hr_reviewers(session), subject=subject, body=body, link=link)
                audit_record(
                    action=Action.REPORT_OVERDUE,
                    obj=session,
                    detail=audit_text(gettext_lazy("due %(due)s"), due=session.report_due.isoformat()),
                )
                told += 1
    return told


def results_decide(*, session: Session, by: User, approve: bool, reasons: str = "", request=None) -> Session:
    """The HR bureau approves the reported results, or returns them to the agency with reasons."""
    if not may_review(session, by):
        raise PermissionDenied
    if not approve and not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons for returning the results.")]})
    with transaction.atomic():
        session = _locked(session)
        if session.status != Session.Status.REPORTED:
            raise WorkflowError(_("Only reported results can be approved or returned."))
        session.status = Session.Status.APPROVED if approve else Session.Status.RETURNED
        session.decided_at = timezone.now()
        session.decided_by = by
        session.return_reasons = "" if approve else reasons.strip()
        session.save(update_fields=["status", "decided_at", "decided_by", "return_reasons"])
        # The corrections of this round are decided; a new return starts a new round.
        counts_add(session.pk, corrected=-session.candidates.filter(corrected=True).update(corrected=False))
        audit_record(
            action=Action.RESULTS_APPROVE if approve else Action.RESULTS_RETURN,
            request=request,
            actor=by,
            obj=session,
            detail=reasons.strip(),
        )
        # Decided by one official of the bureau: the review is no longer a to-do for any of them.
        notifications_done(users=hr_reviewers(session), link=reverse("certificates:session_detail", args=[session.pk]))
        # Approved with nobody due a certificate: nothing is left to do, so the agency is told, not given a to-do.
        nothing_due = approve and not any_certificate_due(session)
        # Approved for an agency suspended or removed from the directory: ``certificates_issue`` refuses it, so the
        # agency is told why, not given a to-do it can never clear (issue 12).
        entry = session.plan.entry
        barred = approve and not nothing_due and entry.status != DirectoryEntry.Status.ACTIVE
        if nothing_due:
            body = _("Nobody in this evaluation is due a certificate: no certificate is issued, nothing is left to do.")
        elif barred:
            body = _(
                "The agency is “%(status)s” in the directory: it cannot issue the certificates while it is not active."
            ) % {"status": entry.get_status_display()}
        else:
            body = _("You may now issue the certificates.") if approve else reasons.strip()
        notify(
            users=_agency_users(session),
            subject=(_("Results approved: %(session)s") if approve else _("Results returned: %(session)s"))
            % {"session": session.plan.label},
            body=body,
            link=reverse("certificates:session_detail", args=[session.pk]),
            todo=not (nothing_due or barred),
        )
    return session
