"""Supervision pages, by topic (``plans``, ``sanctions``); the URL confs name the views through this package."""

from supervision.views.complaints import (
    complaint_attachment,
    complaint_detail,
    complaint_new,
    complaint_track,
    complaints,
)
from supervision.views.inspections import (
    inspection_detail,
    inspection_new,
    inspection_photo,
    rectification_detail,
    rectification_evidence,
)
from supervision.views.plans import (
    agency_home,
    evaluation_detail,
    evaluations,
    plan_act,
    plan_detail,
    plan_edit,
    plan_new,
    registration_detail,
    registration_new,
    report_decide,
    reports,
    workspace,
    workspace_export,
)
from supervision.views.sanctions import agency_file, sanction_detail, sanction_lift, sanction_new, sanction_pdf

__all__ = [
    "agency_file",
    "agency_home",
    "complaint_attachment",
    "complaint_detail",
    "complaint_new",
    "complaint_track",
    "complaints",
    "evaluation_detail",
    "evaluations",
    "inspection_detail",
    "inspection_new",
    "inspection_photo",
    "plan_act",
    "plan_detail",
    "plan_edit",
    "plan_new",
    "rectification_detail",
    "rectification_evidence",
    "registration_detail",
    "registration_new",
    "report_decide",
    "reports",
    "sanction_detail",
    "sanction_lift",
    "sanction_new",
    "sanction_pdf",
    "workspace",
    "workspace_export",
]
