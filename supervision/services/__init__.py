"""Writes of supervision, by topic (``plans``, ``sanctions``); the names a view or a test calls are here."""

from supervision.services.complaints import complaint_act, complaint_deadline, complaint_submit
from supervision.services.plans import (
    ANNOUNCEMENT_LEAD_WORKDAYS,
    MIN_EXAMINERS,
    first_allowed_after_consent,
    first_allowed_exam_day,
    plan_announce,
    plan_change,
    plan_changeable,
    plan_delete,
    plan_problems,
    plan_save,
    plan_submit,
    plan_withdraw,
    registration_confirm,
    registration_resubmit,
    registration_return,
    registration_submit,
    report_decide,
)
from supervision.services.sanctions import credit_record_add, sanction_decide, sanction_lift

__all__ = [
    "ANNOUNCEMENT_LEAD_WORKDAYS",
    "MIN_EXAMINERS",
    "complaint_act",
    "complaint_deadline",
    "complaint_submit",
    "credit_record_add",
    "first_allowed_after_consent",
    "first_allowed_exam_day",
    "plan_announce",
    "plan_change",
    "plan_changeable",
    "plan_delete",
    "plan_problems",
    "plan_save",
    "plan_submit",
    "plan_withdraw",
    "registration_confirm",
    "registration_resubmit",
    "registration_return",
    "registration_submit",
    "report_decide",
    "sanction_decide",
    "sanction_lift",
]
