"""Shared by the certificates services: the audit actions, the agency's gate, the locked session, the
reviewing bureau."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry
from certificates.models import Session
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
