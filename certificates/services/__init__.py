"""Writes of certificates, by topic: ``imports`` (the results workbook, checked by a Celery task, and the
corrections after a return), ``results`` (sessions, publicity, report, the bureau's decision, overdue notices),
``issuing`` (numbers, electronic certificates, revocation, ID numbers read in clear, photos); ``common`` the
audit actions and the gates they share. Callers import from ``certificates.services``.

Each write checks who acts (the agency that ran the evaluation: "谁评价、谁发证、谁负责"), runs in one transaction
with the row locked and writes an audit row. Refusals are ``WorkflowError`` (not possible now) or
``ValidationError`` by field (what was given is wrong).
"""

from certificates.services.common import Action, may_review
from certificates.services.imports import (
    STALE_CHECK_MINUTES,
    check_stale_since,
    results_check,
    results_import,
    results_upload,
    results_workbook,
)
from certificates.services.issuing import (
    PHOTO_MAX_BYTES,
    candidate_photo_set,
    certificate_revoke,
    certificates_issue,
    certificates_render,
    id_number_read,
    id_number_reveal,
    tallies_rebuild,
)
from certificates.services.results import (
    publicity_blocker,
    reports_overdue_notify,
    results_decide,
    results_publicise,
    results_publicity_preview,
    results_report,
    results_resubmit,
    session_create,
)

__all__ = [
    "PHOTO_MAX_BYTES",
    "STALE_CHECK_MINUTES",
    "Action",
    "candidate_photo_set",
    "certificate_revoke",
    "certificates_issue",
    "certificates_render",
    "check_stale_since",
    "id_number_read",
    "id_number_reveal",
    "may_review",
    "publicity_blocker",
    "reports_overdue_notify",
    "results_check",
    "results_decide",
    "results_import",
    "results_publicise",
    "results_publicity_preview",
    "results_report",
    "results_resubmit",
    "results_upload",
    "results_workbook",
    "session_create",
    "tallies_rebuild",
]
