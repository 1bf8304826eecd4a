"""Writes of certificates: sessions from plans, the results import, issuing with national numbers, revocation,
and the audited reading of an ID number in clear.

Each write checks who acts (the agency that ran the evaluation: "谁评价、谁发证、谁负责"), runs in one transaction
with the row locked and writes an audit row. Refusals are ``WorkflowError`` (not possible now) or
``ValidationError`` by field (what was given is wrong).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from agencies.models import DirectoryEntry
from certificates import crypto
from certificates.idnumbers import mask_id
from certificates.importing import LISTED_ERRORS, Checked, check_file, check_workbook, column_label
from certificates.models import Candidate, Certificate, ImportAttempt, Session
from certificates.notices import KIND, PUBLICITY_MIN_WORKDAYS, candidate_label
from certificates.numbering import format_number, next_serials
from certificates.pdf import certificate_pdf
from certificates.tasks import check_results, render_certificates
from portal.lib.errors import WorkflowError
from portal.lib.uploads import check_upload
from portal.models import Role, User
from portal.services import audit_record, audit_text, notify
from publicity.services import notice_create, notice_publish
from supervision.models import Plan

logger = logging.getLogger(__name__)
# Minutes after which a workbook still "being checked" no longer blocks another upload.
STALE_CHECK_MINUTES = 30


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
    RESULTS_CORRECT = "results_correct", gettext_lazy("Results corrected after a return")
    RESULTS_RESUBMIT = "results_resubmit", gettext_lazy("Results reported again without change")
    REPORT_OVERDUE = "results_report_overdue", gettext_lazy("Results report overdue: agency and bureau told")
    CANDIDATE_PHOTO = "candidate_photo", gettext_lazy("Candidate photo uploaded")


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


def results_upload(
    *, session: Session, data: bytes, filename: str, by: User, correction: bool = False, request=None
) -> ImportAttempt:
    """Store an uploaded results workbook and queue its check (``certificates.tasks.check_results``); the page
    follows its progress. ``correction``: after a return, a workbook of only the rows to correct.

    What can be told at once (size, not a workbook) is refused here, beside the field; the rows are the task's."""
    _require_agency_of(session.plan.entry, by)
    _require_import_state(session, correction=correction)
    try:
        check_file(data)
    except ValidationError as error:
        raise ValidationError({"workbook": error.messages}) from None
    with transaction.atomic():
        session = _locked(session)
        _require_import_state(session, correction=correction)
        # A check that never reported back (a worker lost) stops blocking the next upload after a while.
        pending = session.imports.filter(status=ImportAttempt.Status.PENDING)
        if pending.filter(created__gte=check_stale_since()).exists():
            raise WorkflowError(_("A workbook of this session is being checked: wait for its result."))
        pending.update(status=ImportAttempt.Status.REFUSED, file_error=_("The check did not finish: upload again."))
        attempt = ImportAttempt.objects.create(
            session=session,
            uploaded_by=by,
            filename=filename[:200],
            status=ImportAttempt.Status.PENDING,
            kind=ImportAttempt.Kind.CORRECTION if correction else ImportAttempt.Kind.RESULTS,
        )
        attempt.upload.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
        attempt.save(update_fields=["upload"])
        transaction.on_commit(partial(check_results.delay, attempt.pk))
    return attempt


def results_import(*, session: Session, data: bytes, filename: str, by: User, request=None) -> ImportAttempt:
    """Upload and check in this process, for the demo data and the benchmark: what the page's upload and its task
    do, without waiting for a worker (the task, should it run too, finds the attempt checked and leaves it)."""
    attempt = results_upload(session=session, data=data, filename=filename, by=by, request=request)
    return results_check(attempt_id=attempt.pk)


def check_stale_since() -> dt.datetime:
    """Uploads queued before this moment and still unchecked are taken as lost (their worker died)."""
    return timezone.now() - dt.timedelta(minutes=STALE_CHECK_MINUTES)


def _require_import_state(session: Session, *, correction: bool) -> None:
    if correction and session.status != Session.Status.RETURNED:
        raise WorkflowError(_("A correction answers results the HR bureau returned."))
    if not correction and session.status != Session.Status.RESULTS:
        if session.status == Session.Status.RETURNED:
            raise WorkflowError(_("The results were returned: upload only the rows to correct."))
        raise WorkflowError(_("The results can no longer be changed: they are publicised or reported."))


def _attempt_progress(attempt_id: int, percent: int) -> None:
    ImportAttempt.objects.filter(pk=attempt_id, status=ImportAttempt.Status.PENDING).update(progress=percent)


# Seconds between two writes of the progress: each is a commit (on SQLite a flush to disk), and the page asks
# once a second.
PROGRESS_WRITE_SECONDS = 1.0


def _progress_writer(attempt_id: int):
    """``progress(done, total)`` for the check: the percentage (checking is 5 to 90 %, writing the rows the rest)
    written at most once per ``PROGRESS_WRITE_SECONDS``."""
    last = time.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_WRITE_SECONDS:
            last = now
            _attempt_progress(attempt_id, 5 + 85 * done // total)

    return progress


def results_check(*, attempt_id: int) -> ImportAttempt:
    """Check a queued workbook row by row and, when every row is right, import it whole (a correction: change the
    rows it names); when not, import nothing and keep the workbook with its errors marked. Run by the task; an
    attempt already checked is left as it is, so a second delivery does nothing."""
    attempt = ImportAttempt.objects.select_related("session", "uploaded_by").get(pk=attempt_id)
    if attempt.status != ImportAttempt.Status.PENDING:
        return attempt
    with attempt.upload.open("rb") as handle:
        data = handle.read()
    correction = attempt.kind == ImportAttempt.Kind.CORRECTION
    # The errors are stored: in the portal's language, whoever's request queued the check.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            checked = check_workbook(
                attempt.session, data, correction=correction, progress=_progress_writer(attempt_id)
            )
        except Exception:  # a workbook that breaks the reader breaks it again on a retry: refused, not retried
            logger.exception("results workbook %s could not be checked", attempt_id)
            checked = Checked(
                file_error=_("The workbook could not be read to the end: save it again from the template.")
            )
        with transaction.atomic():
            session = _locked(attempt.session)
            attempt = ImportAttempt.objects.select_for_update().get(pk=attempt_id)
            if attempt.status != ImportAttempt.Status.PENDING:
                return attempt
            by = attempt.uploaded_by
            try:
                _require_import_state(session, correction=correction)
            except WorkflowError as error:
                checked.file_error = error.message
            if checked.file_error:
                attempt.status = ImportAttempt.Status.REFUSED
                attempt.file_error = checked.file_error[:300]
                audit_record(
                    action=Action.RESULTS_REFUSED, actor=by, obj=session, detail=audit_text(checked.file_error)
                )
            elif checked.errors:
                _refused(attempt, checked)
                audit_record(
                    action=Action.RESULTS_REFUSED,
                    actor=by,
                    obj=session,
                    detail=audit_text(gettext_lazy("%(count)s errors"), count=attempt.error_count),
                )
            elif correction:
                attempt.changed = _correct(session, checked.rows, attempt)
                attempt.rows = len(checked.rows)
                attempt.status = ImportAttempt.Status.IMPORTED
                audit_record(
                    action=Action.RESULTS_CORRECT,
                    actor=by,
                    obj=session,
                    detail=audit_text(
                        gettext_lazy("%(rows)s rows uploaded, %(changed)s results changed"),
                        rows=attempt.rows,
                        changed=attempt.changed,
                    ),
                )
            else:
                _replace(session, checked.rows)
                attempt.rows = len(checked.rows)
                attempt.status = ImportAttempt.Status.IMPORTED
                audit_record(
                    action=Action.RESULTS_IMPORT,
                    actor=by,
                    obj=session,
                    detail=audit_text(gettext_lazy("%(rows)s candidates"), rows=attempt.rows),
                )
            attempt.progress = 100
            stored = attempt.upload.name
            attempt.upload = ""
            attempt.save()
            # The upload holds ID numbers in clear: gone once checked.
            transaction.on_commit(partial(attempt.upload.storage.delete, stored))
    return attempt


def _refused(attempt: ImportAttempt, checked) -> None:
    attempt.status = ImportAttempt.Status.REFUSED
    attempt.rows = len(checked.rows) + len({e.row for e in checked.errors})
    attempt.errors = [
        {"row": e.row, "column": column_label(e.column), "message": e.message}
        for e in sorted(checked.errors, key=lambda e: (e.row, e.column))[:LISTED_ERRORS]
    ]
    attempt.error_count = len(checked.errors)
    attempt.marked = checked.marked


def _results_of(row) -> dict:
    """What a row of the workbook says of one candidate, as stored on ``Candidate``."""
    return {
        "name": row.name,
        "gender": row.gender,
        "work_type": row.work_type,
        "guard_card_number": row.scores.guard_card_number,
        "guard_card_date": row.scores.guard_card_date,
        "theory_score": row.scores.theory_score,
        "skill_score": row.scores.skill_score,
        "review_score": row.scores.review_score,
        "defence_score": row.scores.defence_score,
        "theory_exempt": row.theory_exempt,
        "passed": row.passed,
    }


def _replace(session: Session, rows) -> None:
    session.candidates.all().delete()
    Candidate.objects.bulk_create(
        [
            Candidate(
                session=session,
                row=row.row,
                id_cipher=crypto.encrypt(row.id_number),
                id_hash=crypto.lookup_hash(row.id_number),
                id_masked=mask_id(row.id_number),
                level=row.level,
                **_results_of(row),
            )
            for row in rows
        ],
        batch_size=1000,
    )
    session.imported_at = timezone.now()
    session.save(update_fields=["imported_at"])


def _correct(session: Session, rows, attempt: ImportAttempt) -> int:
    """Change the candidates the correction names whose results differ; each keeps what it replaced. A withheld
    candidate (an upheld objection) whose result is corrected is re-evaluated: publicised again, not withheld."""
    by_hash = {c.id_hash: c for c in session.candidates.select_for_update()}
    changed = 0
    for row in rows:
        candidate = by_hash[crypto.lookup_hash(row.id_number)]
        new = _results_of(row)
        old = {key: getattr(candidate, key) for key in new}
        if _comparable(old) == _comparable(new):
            continue
        candidate.previous_results = [
            *candidate.previous_results,
            {"replaced": timezone.now().isoformat(), "attempt": attempt.pk, **_comparable(old)},
        ]
        for key, value in new.items():
            setattr(candidate, key, value)
        candidate.corrected = True
        candidate.withheld = False
        candidate.save()
        changed += 1
    return changed


def _comparable(results: dict) -> dict:
    """Results as JSON-safe text, so that 80 and 80.0 compare equal and a date is kept as written."""
    out = {}
    for key, value in results.items():
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            value = format(Decimal(str(value)).normalize(), "f")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = value
    return out


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
        plan = session.plan
        title = _("Evaluation results of %(agency)s: %(occupation)s, %(level)s") % {
            "agency": plan.entry.organisation.name,
            "occupation": plan.occupation.name,
            "level": plan.level_label,
        }
        if session.status == Session.Status.RETURNED:
            # After a return only the corrected results are publicised again: the others passed their publicity
            # unchallenged (三（五）: the report follows a publicity without objection).
            candidates = list(session.candidates.filter(corrected=True).order_by("row"))
            if not candidates:
                raise WorkflowError(_("No result was corrected: report the results again with an explanation instead."))
            title = _("Corrected evaluation results of %(agency)s: %(occupation)s, %(level)s") % {
                "agency": plan.entry.organisation.name,
                "occupation": plan.occupation.name,
                "level": plan.level_label,
            }
        else:
            candidates = list(session.candidates.order_by("row"))
        if not candidates:
            raise WorkflowError(_("Import the results before publicising them."))
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
        _tell_hr_reported(session)
    return session


def _tell_hr_reported(session: Session) -> None:
    notify(
        users=_hr_of(session),
        subject=_("Evaluation results to review: %(session)s") % {"session": session},
        body=_("The agency reported the results of an evaluation; approve them or return them with reasons."),
        link=reverse("certificates:session_detail", args=[session.pk]),
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
        if session.candidates.filter(corrected=True).exists():
            raise WorkflowError(_("Results were corrected: publicise the corrected rows before reporting them."))
        session.status = Session.Status.REPORTED
        session.reported_at = timezone.now()
        session.answer = answer
        session.save(update_fields=["status", "reported_at", "answer"])
        audit_record(action=Action.RESULTS_RESUBMIT, request=request, actor=by, obj=session, detail=answer[:500])
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
                subject = _("Results report overdue: %(session)s") % {"session": session}
                body = _(
                    "The results were publicised until %(publicised)s and were due to be reported to the HR bureau "
                    "by %(due)s (10 working days)."
                ) % {"publicised": session.publicised_on, "due": session.report_due}
                link = reverse("certificates:session_detail", args=[session.pk])
                agency = User.objects.filter(organisation_id=session.plan.entry.organisation_id, is_active=True)
                notify(users=agency, subject=subject, body=body, link=link)
                notify(users=_hr_of(session), subject=subject, body=body, link=link)
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
        session.candidates.filter(corrected=True).update(corrected=False)
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
            action=Action.CERTIFICATES_ISSUE,
            request=request,
            actor=by,
            obj=session,
            detail=audit_text(gettext_lazy("%(count)s certificates"), count=len(certificates)),
        )
        transaction.on_commit(partial(render_certificates.delay, session.pk))
    return certificates


def certificates_render(*, session_id: int) -> int:
    """Render each certificate of the session that has no PDF yet, saving each as it is done (the page's progress
    bar counts them). Returns how many were rendered."""
    rendered = 0
    pending = Certificate.objects.filter(candidate__session_id=session_id, pdf="").select_related(
        "entry__organisation", "occupation", "candidate"
    )
    for certificate in pending.order_by("number").iterator(chunk_size=100):
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


# A certificate photo is small: a passport-style picture, not a scan.
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png")


def _photo_checked(photo) -> str:
    """The photo's extension once it is a readable JPEG or PNG of at most ``PHOTO_MAX_BYTES``, checked by its
    content (``portal.lib.uploads.check_upload``); ``ValidationError`` on the ``photo`` field otherwise."""
    try:
        info = getattr(photo, "checked_info", None) or check_upload(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    if info.content_type not in PHOTO_TYPES:
        raise ValidationError({"photo": [_("A photo is a JPEG or PNG image.")]})
    if info.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photo": [_("A photo may be at most %(max)s MB.") % {"max": PHOTO_MAX_BYTES // (1024 * 1024)}]}
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds for a damaged image
        raise ValidationError({"photo": [_("The image cannot be read: choose another file.")]}) from None
    finally:
        photo.seek(0)
    return info.extension


def candidate_photo_set(*, candidate: Candidate, photo, by: User, request=None) -> Candidate:
    """Give a candidate the photo printed on their electronic certificate (optional). A certificate already
    rendered is rendered again with it; a revoked one is left as it is."""
    _require_agency_of(candidate.session.plan.entry, by)
    extension = _photo_checked(photo)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("session").get(pk=candidate.pk)
        old = candidate.photo.name
        candidate.photo.save(f"{uuid.uuid4().hex}.{extension}", photo, save=False)
        candidate.save(update_fields=["photo"])
        if old:
            transaction.on_commit(partial(candidate.photo.storage.delete, old))
        certificate = Certificate.objects.filter(candidate=candidate, status=Certificate.Status.VALID).first()
        if certificate is not None:
            Certificate.objects.filter(pk=certificate.pk).update(pdf="")
            transaction.on_commit(partial(render_certificates.delay, candidate.session_id))
        audit_record(
            action=Action.CANDIDATE_PHOTO, request=request, actor=by, obj=candidate.session, detail=str(candidate)
        )
    return candidate
