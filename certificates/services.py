"""Writes of certificates: sessions from plans, the results import, issuing with national numbers, revocation,
and the audited reading of an ID number in clear.

Each write checks who acts (the agency that ran the evaluation: "谁评价、谁发证、谁负责"), runs in one transaction
with the row locked and writes an audit row. Refusals are ``WorkflowError`` (not possible now) or
``ValidationError`` by field (what was given is wrong).
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry
from certificates import crypto
from certificates.idnumbers import mask_id
from certificates.importing import LISTED_ERRORS, check_workbook, column_label
from certificates.models import Candidate, Certificate, ImportAttempt, Session
from certificates.notices import KIND, PUBLICITY_MIN_WORKDAYS, candidate_label
from certificates.numbering import format_number, next_serials
from certificates.pdf import certificate_pdf
from certificates.tasks import render_certificates
from portal.lib.errors import WorkflowError
from portal.models import Role, User
from portal.services import audit_record, notify
from publicity.services import notice_create, notice_publish
from supervision.models import Plan


class Action(models.TextChoices):
    """Audit actions of this app (``portal.AuditEvent.action``; the portal lists the same labels)."""

    SESSION_CREATE = "session_create", gettext_lazy("Results session opened")
    RESULTS_IMPORT = "results_import", gettext_lazy("Results imported")
    RESULTS_REFUSED = "results_import_refused", gettext_lazy("Results upload refused")
    RESULTS_PUBLICISE = "results_publicise", gettext_lazy("Results publicised")
    RESULTS_WITHHOLD = "results_withhold", gettext_lazy("Certificate withheld after an objection")
    RESULTS_REPORT = "results_report", gettext_lazy("Results reported")
    RESULTS_APPROVE = "results_approve", gettext_lazy("Results approved")
    RESULTS_RETURN = "results_return", gettext_lazy("Results returned")
    CERTIFICATES_ISSUE = "certificates_issue", gettext_lazy("Certificates issued")
    CERTIFICATE_REVOKE = "certificate_revoke", gettext_lazy("Certificate revoked")
    ID_NUMBER_VIEW = "id_number_view", gettext_lazy("ID number read in clear")


def _require_agency_of(entry: DirectoryEntry, by: User) -> None:
    if by.role != Role.AGENCY or by.organisation_id != entry.organisation_id:
        raise PermissionDenied


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update().select_related("plan__entry__region", "plan__occupation").get(pk=session.pk)
    )


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
        audit_record(action=Action.SESSION_CREATE, request=request, actor=by, obj=session)
    return session


def results_import(*, session: Session, data: bytes, filename: str, by: User, request=None) -> ImportAttempt:
    """Check the uploaded workbook and, when every row is right, replace the session's candidates with it; when
    not, import nothing and keep the workbook with its errors marked (``ImportAttempt.marked``)."""
    _require_agency_of(session.plan.entry, by)
    if session.status not in (Session.Status.RESULTS, Session.Status.RETURNED):
        raise WorkflowError(_("The results can no longer be changed: they are publicised or reported."))
    checked = check_workbook(session, data)
    if checked.file_error:
        raise ValidationError({"workbook": [checked.file_error]})
    with transaction.atomic():
        session = _locked(session)
        if checked.errors:
            attempt = ImportAttempt.objects.create(
                session=session,
                uploaded_by=by,
                filename=filename[:200],
                rows=len(checked.rows) + len({e.row for e in checked.errors}),
                status=ImportAttempt.Status.REFUSED,
                errors=[
                    {"row": e.row, "column": column_label(e.column), "message": e.message}
                    for e in sorted(checked.errors, key=lambda e: (e.row, e.column))[:LISTED_ERRORS]
                ],
                error_count=len(checked.errors),
                marked=checked.marked,
            )
            audit_record(
                action=Action.RESULTS_REFUSED,
                request=request,
                actor=by,
                obj=session,
                detail=f"{attempt.error_count} errors",
            )
            return attempt
        session.candidates.all().delete()
        Candidate.objects.bulk_create(
            [
                Candidate(
                    session=session,
                    row=row.row,
                    name=row.name,
                    id_cipher=crypto.encrypt(row.id_number),
                    id_hash=crypto.lookup_hash(row.id_number),
                    id_masked=mask_id(row.id_number),
                    gender=row.gender,
                    work_type=row.work_type,
                    level=row.level,
                    guard_card_number=row.scores.guard_card_number,
                    guard_card_date=row.scores.guard_card_date,
                    theory_score=row.scores.theory_score,
                    skill_score=row.scores.skill_score,
                    review_score=row.scores.review_score,
                    defence_score=row.scores.defence_score,
                    theory_exempt=row.theory_exempt,
                    passed=row.passed,
                )
                for row in checked.rows
            ],
            batch_size=1000,
        )
        session.imported_at = timezone.now()
        session.save(update_fields=["imported_at"])
        attempt = ImportAttempt.objects.create(
            session=session,
            uploaded_by=by,
            filename=filename[:200],
            rows=len(checked.rows),
            status=ImportAttempt.Status.IMPORTED,
        )
        audit_record(
            action=Action.RESULTS_IMPORT, request=request, actor=by, obj=session, detail=f"{attempt.rows} rows"
        )
    return attempt


def results_publicise(*, session: Session, by: User, window_days: int | str, request=None) -> Session:
    """Publish the results on the public site for at least 5 working days, names and ID numbers masked."""
    _require_agency_of(session.plan.entry, by)
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
    with transaction.atomic():
        session = _locked(session)
        if session.status not in (Session.Status.RESULTS, Session.Status.RETURNED):
            raise WorkflowError(_("These results are already publicised."))
        candidates = list(session.candidates.order_by("row"))
        if not candidates:
            raise WorkflowError(_("Import the results before publicising them."))
        plan = session.plan
        title = _("Evaluation results of %(agency)s: %(occupation)s, %(level)s") % {
            "agency": plan.entry.organisation.name,
            "occupation": plan.occupation.name,
            "level": plan.level_label,
        }
        body = _(
            "The results of the evaluation of %(first)s at %(venue)s are publicised below. Anyone who objects to a "
            "result may raise an objection during the notice period."
        ) % {"first": plan.first_day.isoformat(), "venue": plan.venue}
        notice = notice_create(
            kind=KIND,
            region=plan.city,
            by=by,
            title=title,
            body=body,
            window_days=days,
            subjects=[(candidate, candidate_label(candidate)) for candidate in candidates],
            subtitle=str(plan),
            request=request,
        )
        session.notice = notice
        session.return_reasons = ""
        session.save(update_fields=["notice", "return_reasons"])
        notice_publish(notice=notice, by=by, request=request)
        session.refresh_from_db()
        audit_record(action=Action.RESULTS_PUBLICISE, request=request, actor=by, obj=session, detail=str(days))
    return session


def _hr_of(session: Session):
    """The city HR bureau officials whose jurisdiction holds the agency."""
    region = session.plan.entry.region
    codes = [code for code in region.path.split("/") if code]
    return User.objects.filter(role=Role.CITY_HR, is_active=True, department__region__code__in=codes)


def may_review(session: Session, by: User) -> bool:
    jurisdiction = by.jurisdiction
    return (
        by.role == Role.CITY_HR
        and jurisdiction is not None
        and session.plan.entry.region.path.startswith(jurisdiction.path)
    )


def results_report(*, session: Session, by: User, request=None) -> Session:
    """Report the publicised results to the HR bureau of the agency's jurisdiction (or again after a return)."""
    _require_agency_of(session.plan.entry, by)
    with transaction.atomic():
        session = _locked(session)
        if session.status != Session.Status.PUBLICISED:
            raise WorkflowError(_("Results are reported once their publicity has ended."))
        session.status = Session.Status.REPORTED
        session.reported_at = timezone.now()
        session.save(update_fields=["status", "reported_at"])
        audit_record(action=Action.RESULTS_REPORT, request=request, actor=by, obj=session)
        notify(
            users=_hr_of(session),
            subject=_("Evaluation results to review: %(session)s") % {"session": session},
            body=_("The agency reported the results of an evaluation; approve them or return them with reasons."),
            link=reverse("certificates:session_detail", args=[session.pk]),
        )
    return session


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
        audit_record(
            action=Action.RESULTS_APPROVE if approve else Action.RESULTS_RETURN,
            request=request,
            actor=by,
            obj=session,
            detail=reasons.strip(),
        )
        notify(
            users=User.objects.filter(organisation_id=session.plan.entry.organisation_id, is_active=True),
            subject=(_("Results approved: %(session)s") if approve else _("Results returned: %(session)s"))
            % {"session": session},
            body=_("You may now issue the certificates.") if approve else reasons.strip(),
            link=reverse("certificates:session_detail", args=[session.pk]),
        )
    return session


def certificates_issue(*, session: Session, by: User, request=None) -> list[Certificate]:
    """Number and issue the certificates of the candidates who passed, once the HR bureau approved the results.
    An agency whose directory entry is suspended or removed issues nothing."""
    entry = session.plan.entry
    _require_agency_of(entry, by)
    with transaction.atomic():
        session = _locked(session)
        entry = DirectoryEntry.objects.select_for_update().get(pk=session.plan.entry_id)
        if entry.status != DirectoryEntry.Status.ACTIVE:
            raise WorkflowError(
                _("The agency is %(status)s in the directory and cannot issue certificates.")
                % {"status": entry.get_status_display()}
            )
        if session.status != Session.Status.APPROVED:
            raise WorkflowError(_("Certificates are issued once the HR bureau has approved the results."))
        passed = list(session.candidates.filter(passed=True, withheld=False).order_by("row"))
        today = timezone.localdate()
        serials = next_serials(entry, today.year, len(passed))
        certificates = [
            Certificate(
                number=format_number(entry, year=today.year, level=candidate.level, serial=serial),
                candidate=candidate,
                entry=entry,
                holder_name=candidate.name,
                id_hash=candidate.id_hash,
                id_masked=candidate.id_masked,
                occupation=session.plan.occupation,
                work_type=candidate.work_type,
                level=candidate.level,
                issued_on=today,
            )
            for candidate, serial in zip(passed, serials, strict=True)
        ]
        try:
            with transaction.atomic():
                Certificate.objects.bulk_create(certificates)
        except IntegrityError:
            raise WorkflowError(
                _("A candidate of this session already holds a certificate of this occupation and level.")
            ) from None
        session.status = Session.Status.ISSUED
        session.save(update_fields=["status"])
        audit_record(
            action=Action.CERTIFICATES_ISSUE, request=request, actor=by, obj=session, detail=f"{len(certificates)}"
        )
        transaction.on_commit(partial(render_certificates.delay, session.pk))
    return certificates


def certificates_render(*, session_id: int) -> int:
    """Render each certificate of the session that has no PDF yet, saving each as it is done (the page's progress
    bar counts them). Returns how many were rendered."""
    rendered = 0
    pending = Certificate.objects.filter(candidate__session_id=session_id, pdf="")
    for pk in list(pending.order_by("number").values_list("pk", flat=True)):
        # Each certificate claimed under its row lock, skipping those another worker holds: two workers given
        # the same session (a duplicate delivery, a second beat) share it, and each PDF is rendered once.
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("entry__organisation", "occupation")
                .filter(pk=pk, pdf="")
                .first()
            )
            if certificate is None:
                continue
            certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(certificate_pdf(certificate)), save=False)
            Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
        rendered += 1
    return rendered


def certificate_revoke(*, certificate: Certificate, by: User, reason: str, request=None) -> Certificate:
    """Revoke a certificate with a reason; it then verifies as revoked."""
    _require_agency_of(certificate.entry, by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for revoking the certificate.")]})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == Certificate.Status.REVOKED:
            raise WorkflowError(_("The certificate is already revoked."))
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = by
        # Rendered again, marked revoked.
        certificate.pdf = ""
        certificate.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by", "pdf"])
        audit_record(
            action=Action.CERTIFICATE_REVOKE, request=request, actor=by, obj=certificate, detail=reason.strip()
        )
        transaction.on_commit(partial(render_certificates.delay, certificate.candidate.session_id))
    return certificate


def id_number_reveal(*, candidate: Candidate, by: User, request=None) -> str:
    """The candidate's ID number in clear, for a role that needs it; every reading is audited."""
    number = crypto.decrypt(candidate.id_cipher)
    audit_record(action=Action.ID_NUMBER_VIEW, request=request, actor=by, obj=candidate)
    return number
