"""Object loaders: the gate between a request and a registration, a plan or a report. A view fetches them
here and nowhere else; what is outside the user's organisation or jurisdiction is a 404."""

from __future__ import annotations

from django.http import HttpRequest

from agencies.models import DirectoryEntry
from portal.lib.http import object_or_404
from supervision.models import (
    Complaint,
    ComplaintAttachment,
    CrossRegionReport,
    Draw,
    Inspection,
    InspectionPhoto,
    Plan,
    PoliceRegistration,
    Rectification,
    RectificationEvidence,
    Sanction,
    SanctionReportFile,
)
from supervision.selectors import (
    complaints_visible_to,
    draws_public,
    draws_visible_to,
    entries_of_agency,
    entries_supervised_by,
    inspections_visible_to,
    plans_public,
    plans_visible_to,
    rectifications_visible_to,
    registrations_visible_to,
    reports_awaiting,
    sanctions_visible_to,
)


def own_entry_for(request: HttpRequest, pk: int | str) -> DirectoryEntry:
    """One of the agency user's own directory entries."""
    return object_or_404(entries_of_agency(request.user), pk)


def registration_for(request: HttpRequest, pk: int | str) -> PoliceRegistration:
    return object_or_404(registrations_visible_to(request.user), pk)


def plan_for(request: HttpRequest, pk: int | str) -> Plan:
    return object_or_404(plans_visible_to(request.user), pk)


def public_plan_for(pk: int | str) -> Plan:
    """An announced evaluation, for anyone."""
    return object_or_404(plans_public(), pk)


def report_of(request: HttpRequest, plan: Plan) -> CrossRegionReport:
    """The plan's cross-region report, when it waits for this user's answer."""
    return object_or_404(
        reports_awaiting(request.user), plan.cross_region_report.pk if hasattr(plan, "cross_region_report") else 0
    )


def supervised_entry_for(request: HttpRequest, pk: int | str) -> DirectoryEntry:
    """An agency whose supervision file the user may read (its own, or one in the official's jurisdiction)."""
    return object_or_404(entries_supervised_by(request.user), pk)


def sanction_for(request: HttpRequest, pk: int | str) -> Sanction:
    return object_or_404(sanctions_visible_to(request.user), pk)


def complaint_for(request: HttpRequest, pk: int | str) -> Complaint:
    return object_or_404(complaints_visible_to(request.user), pk)


def complaint_attachment_for(complaint: Complaint, pk: int | str) -> ComplaintAttachment:
    """An attachment of this complaint (another complaint's file is a 404)."""
    return object_or_404(complaint.attachments.all(), pk)


def inspection_for(request: HttpRequest, pk: int | str) -> Inspection:
    return object_or_404(inspections_visible_to(request.user), pk)


def inspection_photo_for(inspection: Inspection, pk: int | str) -> InspectionPhoto:
    return object_or_404(inspection.photos.all(), pk)


def rectification_for(request: HttpRequest, pk: int | str) -> Rectification:
    return object_or_404(rectifications_visible_to(request.user), pk)


def report_file_for(sanction: Sanction, pk: int | str) -> SanctionReportFile:
    """The PDF of the agency's rectification report on an order to rectify (the order read through ``sanction_for``)."""
    return object_or_404(sanction.report_files.all(), pk)


def evidence_for(rectification: Rectification, pk: int | str) -> RectificationEvidence:
    return object_or_404(rectification.evidence.all(), pk)


def draw_for(request: HttpRequest, pk: int | str) -> Draw:
    return object_or_404(draws_visible_to(request.user), pk)


def public_draw_for(pk: int | str) -> Draw:
    return object_or_404(draws_public(), pk)
