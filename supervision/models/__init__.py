"""Supervision's tables, by topic: plans (police registrations, evaluation plans, cross-region reports) and
sanctions (the credit record and the sanctions decided on it)."""

from supervision.models.complaints import Complaint, ComplaintAttachment, ComplaintEvent
from supervision.models.draws import Draw
from supervision.models.inspections import (
    CHECKLIST,
    Finding,
    Inspection,
    InspectionPhoto,
    Rectification,
    RectificationEvidence,
)
from supervision.models.plans import CrossRegionReport, Plan, PlanChange, PoliceRegistration, RegistrationEvent
from supervision.models.sanctions import CreditRecord, Sanction, SanctionReportFile

__all__ = [
    "CHECKLIST",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintEvent",
    "CreditRecord",
    "CrossRegionReport",
    "Draw",
    "Finding",
    "Inspection",
    "InspectionPhoto",
    "Plan",
    "PlanChange",
    "PoliceRegistration",
    "Rectification",
    "RectificationEvidence",
    "RegistrationEvent",
    "Sanction",
    "SanctionReportFile",
]
