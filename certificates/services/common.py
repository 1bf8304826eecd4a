"""Shared by the certificates services: the audit actions, the agency's gate, the locked session, the
reviewing bureau."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry
from certificates.models import Session, SessionCounts
from certificates.selectors import counts_fresh
from portal.models import Role, User


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


def hr_reviewers(session: Session):
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


def counts_add(session_id: int, **changes: int) -> None:
    """Move the session's kept counts by ``changes`` (``candidates=+3``, ``rendered=-1``…) with ``F()`` in the
    writing transaction, after the rows were written. A session without its row (written around
    ``session_create``) gets one counted from its rows as they are now, this write included."""
    changes = {name: change for name, change in changes.items() if change}
    if not changes:
        return
    if SessionCounts.objects.filter(session_id=session_id).update(
        **{name: F(name) + change for name, change in changes.items()}
    ):
        return
    try:
        with transaction.atomic():
            SessionCounts.objects.create(session_id=session_id, **counts_fresh(session_id))
    except IntegrityError:  # another transaction wrote the row first, without this write: add it
        SessionCounts.objects.filter(session_id=session_id).update(
            **{name: F(name) + change for name, change in changes.items()}
        )


def counts_set(session_id: int, **values: int) -> None:
    """Set some of the session's kept counts (a results import replaces every candidate), the others kept."""
    if not SessionCounts.objects.filter(session_id=session_id).update(**values):
        SessionCounts.objects.update_or_create(session_id=session_id, defaults=counts_fresh(session_id))


def counts_rebuild(session_id: int) -> SessionCounts:
    """The session's kept counts counted again from its rows (for rows written around the services)."""
    counts, _created = SessionCounts.objects.update_or_create(session_id=session_id, defaults=counts_fresh(session_id))
    return counts
