"""The application page's context, shared by the page itself and by the review actions that redraw it with
their errors (``filings.views.review``): its own module, so the views that use it don't import each other."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from filings.conditions import checks_as_shown
from filings.models import Application, State
from filings.progress import role_names
from filings.selectors import current_attachments, versions_of
from filings.services import application_checks
from filings.views.filing import receipt_context
from filings.views.panel import records_context
from filings.views.review_actions import correction_sections, review_actions
from portal.models import Role


def application_detail_context(request, application: Application) -> dict:
    """Everything the application page shows; the review actions re-render it with their errors."""
    versions = list(versions_of(application))
    latest = versions[-1] if versions else None
    today = timezone.localdate()
    return {
        "application": application,
        "versions": versions,
        "latest": latest,
        "history": application.history.select_related("actor", "department"),
        "attachments": current_attachments(application),
        "checks": checks_as_shown(latest.checks, rules=latest.call_version.rules, data=latest.data)
        if latest
        else [c.as_dict() for c in application_checks(application)],
        "can_withdraw": request.user.role == Role.AGENCY and _can_withdraw(application),
        "actions": review_actions(application, request.user),
        "correction_sections": correction_sections(application.call_version),
        "overdue": application.deadline is not None and application.deadline < today,
        # Who took each step, as the application's route names them (Shaanxi's provincial HR department).
        "role_names": role_names(application.call_version.workflow),
        "material_labels": {
            **{m["code"]: m["label"] for m in application.call_version.materials},
            "signed_scan": _("Signed and stamped form (scan)"),
        },
        **records_context(request, application),
        **receipt_context(request, application),
    }


def _can_withdraw(application: Application) -> bool:
    last = application.history.order_by("-time", "-id").select_related("actor").first()
    return (
        application.state in (State.CITY_REVIEW, State.POLICE_REVIEW, State.ACCEPTANCE)
        and last is not None
        and last.actor.role == Role.AGENCY
    )
