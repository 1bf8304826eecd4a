"""Writes of the filings app, by topic: the application itself (``applications``), its review and expert
panel (``review``), the selection and its notice (``selection``), the ministry, codes and receipts (``filing``)."""

from filings.services.applications import (
    Problem,
    application_checks,
    application_create,
    application_personal_data_viewed,
    application_problems,
    application_reopen,
    application_save_draft,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_remove,
    required_materials,
)
from filings.services.filing import (
    ministry_report,
    ministry_result,
    receipt_enqueue,
    receipt_regenerate,
    receipt_render,
    receipts_sweep,
)
from filings.services.review import (
    application_transition,
    panel_assign,
    panel_conclude,
    panel_declare,
    panel_draw,
    panel_remove,
    panel_score,
    record_add,
)
from filings.services.selection import selection_mark, selection_notice_create

__all__ = [
    "Problem",
    "application_checks",
    "application_create",
    "application_personal_data_viewed",
    "application_problems",
    "application_reopen",
    "application_save_draft",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "attachment_add",
    "attachment_remove",
    "ministry_report",
    "ministry_result",
    "panel_assign",
    "panel_conclude",
    "panel_declare",
    "panel_draw",
    "panel_remove",
    "panel_score",
    "receipt_enqueue",
    "receipt_regenerate",
    "receipt_render",
    "receipts_sweep",
    "record_add",
    "required_materials",
    "selection_mark",
    "selection_notice_create",
]
