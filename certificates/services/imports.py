"""The results workbook's upload and its check by a Celery task: imported whole, refused whole with its errors
marked, or (after a return) the rows it corrects changed, each keeping what it replaced."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates import crypto
from certificates.idnumbers import mask_id
from certificates.importing import (
    LISTED_ERRORS,
    Checked,
    check_file,
    check_workbook,
    column_label,
    current_rows,
    template_workbook,
)
from certificates.models import Candidate, ImportAttempt, Session
from certificates.services.common import Action, _locked, _require_agency_of, counts_add, counts_set
from certificates.tasks import check_results
from portal.lib.errors import WorkflowError
from portal.models import User
from portal.services import audit_record, audit_text

logger = logging.getLogger(__name__)
# Minutes after which a workbook still "being checked" no longer blocks another upload.
STALE_CHECK_MINUTES = 30


def results_upload(
    *,
    session: Session,
    data: bytes,
    filename: str,
    by: User,
    correction: bool = False,
    token: str = "",
    request=None,
) -> ImportAttempt:
    """Store an uploaded results workbook and queue its check (``certificates.tasks.check_results``); the page
    follows its progress. ``correction``: after a return, a workbook of only the rows to correct.

    ``token``: the one-time token of the form that sent it. The same form sent again (a double click, a reload
    that posts again) is not a second upload: the first one's attempt is returned as it stands (checked or being
    checked), with ``repeated`` set on it, and nothing else happens.

    What can be told at once (size, not a workbook) is refused here, beside the field; the rows are the task's."""
    _require_agency_of(session.plan.entry, by)
    earlier = _received(session, token)
    if earlier is not None:
        return earlier
    _require_import_state(session, correction=correction)
    try:
        check_file(data)
    except ValidationError as error:
        raise ValidationError({"workbook": error.messages}) from None
    with transaction.atomic():
        session = _locked(session)
        earlier = _received(session, token)  # the first of two simultaneous submissions held the lock
        if earlier is not None:
            return earlier
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
            token=token[:32],
        )
        attempt.upload.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
        attempt.save(update_fields=["upload"])
        # Checked in the language of the page that sent it: the agency reads the errors on that page and in the
        # marked workbook (an English interface was shown them in Chinese).
        transaction.on_commit(partial(check_results.delay, attempt.pk, translation.get_language()))
    return attempt


def results_workbook(*, session: Session, by: User, request=None) -> bytes:
    """The template pre-filled with the session's results as they stand, for the agency to correct and upload
    again (after a refused upload or a return) instead of typing every row anew. It holds every candidate's ID
    number in clear: the agency's own, and the download is audited as a reading of them."""
    _require_agency_of(session.plan.entry, by)
    rows = current_rows(session)
    if not rows:
        raise WorkflowError(_("No results are imported yet: download the blank template."))
    audit_record(
        action=Action.ID_NUMBER_VIEW,
        request=request,
        actor=by,
        obj=session,
        detail=audit_text(gettext_lazy("Results workbook downloaded with %(count)s ID numbers"), count=len(rows)),
    )
    return template_workbook(session, rows=rows)


def _received(session: Session, token: str) -> ImportAttempt | None:
    """The upload an earlier submission of the same form made, marked ``repeated``; ``None`` when none did."""
    if not token:
        return None
    earlier = session.imports.filter(token=token[:32]).first()
    if earlier is not None:
        earlier.repeated = True
    return earlier


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


def results_check(*, attempt_id: int, language: str | None = None) -> ImportAttempt:
    """Check a queued workbook row by row and, when every row is right, import it whole (a correction: change the
    rows it names); when not, import nothing and keep the workbook with its errors marked. Run by the task; an
    attempt already checked is left as it is, so a second delivery does nothing."""
    attempt = ImportAttempt.objects.select_related("session", "uploaded_by").get(pk=attempt_id)
    if attempt.status != ImportAttempt.Status.PENDING:
        return attempt
    with attempt.upload.open("rb") as handle:
        data = handle.read()
    correction = attempt.kind == ImportAttempt.Kind.CORRECTION
    # The errors are stored in the language of the page that sent the workbook (``language``; the portal's
    # otherwise): its agency reads them there.
    if not language or not translation.check_for_language(language):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
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
                # A results import replaces the results imported before: it says how many (the page tells).
                attempt.changed = _replace(session, checked.rows)
                attempt.rows = len(checked.rows)
                attempt.status = ImportAttempt.Status.IMPORTED
                audit_record(
                    action=Action.RESULTS_IMPORT,
                    actor=by,
                    obj=session,
                    detail=audit_text(
                        gettext_lazy("%(rows)s candidates, %(replaced)s earlier results replaced"),
                        rows=attempt.rows,
                        replaced=attempt.changed,
                    )
                    if attempt.changed
                    else audit_text(gettext_lazy("%(rows)s candidates"), rows=attempt.rows),
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


def _replace(session: Session, rows) -> int:
    """The session's candidates become the workbook's rows; returns how many earlier results were replaced."""
    replaced = session.candidates.count()
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
                # Who employs the candidate is not a result: a correction changes results only.
                employer=row.employer,
                key_unit=row.key_unit,
                **_results_of(row),
            )
            for row in rows
        ],
        batch_size=1000,
    )
    # The page's counts: the workbook's rows, none corrected (no certificate exists before the results are approved).
    counts_set(session.pk, candidates=len(rows), passed=sum(1 for row in rows if row.passed), corrected=0)
    session.imported_at = timezone.now()
    session.save(update_fields=["imported_at"])
    return replaced


def _correct(session: Session, rows, attempt: ImportAttempt) -> int:
    """Change the candidates the correction names whose results differ; each keeps what it replaced. A withheld
    candidate (an upheld objection) whose result is corrected is re-evaluated: publicised again, not withheld."""
    by_hash = {c.id_hash: c for c in session.candidates.select_for_update()}
    changed = passed = corrected = 0
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
        passed += int(bool(new["passed"])) - int(candidate.passed)
        corrected += not candidate.corrected
        for key, value in new.items():
            setattr(candidate, key, value)
        candidate.corrected = True
        candidate.withheld = False
        candidate.save()
        changed += 1
    counts_add(session.pk, passed=passed, corrected=corrected)
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
