"""The decision panel of the application page: which workflow steps the official may take now, with what each
form needs and, after a refused attempt, what was typed and what was wrong."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings import workflow
from filings.forms import SECTIONS
from portal.models import Role

OFFICIALS = (Role.CITY_HR, Role.CENTRE, Role.POLICE)


def review_actions(application, user, *, posted=None, errors=None) -> list[dict]:
    """The transitions the user may take now, with what each form needs and, after an error, what was typed."""
    if user.role not in OFFICIALS:
        return []
    actions = []
    for transition in workflow.available(application.call_version.workflow, application.state, user.role):
        if transition.needs in workflow.SERVICE_PAGES:
            continue  # taken on its own page: the panel, the notice, the ministry's result
        typed = posted if posted and posted.get("action") == transition.name else None
        actions.append(
            {
                "name": transition.name,
                "label": ACTION_LABELS.get(transition.name, transition.name),
                "needs": transition.needs,
                "typed_text": typed.get("text", "") if typed else "",
                "typed_sections": {key: typed.get(f"note_{key}", "") for key in typed.getlist("sections")}
                if typed
                else {},
                "errors": errors if typed else None,
                "confirm": CONFIRMATIONS.get(transition.name, ""),
            }
        )
    # One tab open: the one whose form came back with errors, or else the first.
    open_ = next((action for action in actions if action["errors"]), actions[0] if actions else None)
    for action in actions:
        action["active"] = action is open_
    return actions


ACTION_LABELS = {
    "request_correction": gettext_lazy("Request correction"),
    "recommend": gettext_lazy("Recommend"),
    "not_recommend": gettext_lazy("Do not recommend"),
    "give_opinion": gettext_lazy("Give the filing opinion"),
    "accept": gettext_lazy("Accept"),
    "refuse": gettext_lazy("Do not accept"),
}


# The decisions that cannot be taken back ask before they are sent.
CONFIRMATIONS = {
    "recommend": gettext_lazy("Recommend this application to the provincial centre? This cannot be undone."),
    "not_recommend": gettext_lazy("Decline to recommend this application? This cannot be undone."),
    "give_opinion": gettext_lazy("Send your filing opinion to the HR bureau? This cannot be undone."),
    "accept": gettext_lazy("Accept this application for technical assessment? This cannot be undone."),
    "refuse": gettext_lazy("Refuse this application? This cannot be undone."),
}


def correction_sections(call_version) -> list[tuple[str, str]]:
    sections = [(section.key, section.title) for section in SECTIONS if section.asked_in(call_version)]
    return [*sections, ("materials", _("Materials"))]
