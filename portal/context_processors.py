"""Navigation that shows each role only what it may use, and the number of unread messages in the inbox."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from portal.lib.display import elder_mode_on
from portal.models import Role
from portal.second_factor.services import needs_second_factor
from portal.selectors import inbox_waiting_count


def public_items() -> list[tuple]:
    """What anyone may open without signing in: calls for applications, notices, the directory, announced
    evaluations, receipt and certificate verification, complaints, random inspections."""
    return [
        (_("Calls for applications"), reverse("public_calls:list"), "bi-file-earmark-text"),
        (_("Public notices"), reverse("notices:notice_list"), "bi-megaphone"),
        (_("Directory of filed agencies"), reverse("directory:search"), "bi-journal-bookmark"),
        (_("Announced evaluations"), reverse("evaluations:list"), "bi-calendar-event"),
        (_("Verify a filing receipt"), reverse("public:receipt_lookup"), "bi-patch-check"),
        (_("Make a complaint"), reverse("complaints:new"), "bi-chat-square-text"),
        (_("Random inspections"), reverse("draws:list"), "bi-shuffle"),
        # Translated in certificates' catalogue (certificates/locale).
        (_("Verify a certificate"), reverse("certificate_check:verify"), "bi-award"),
    ]


def _urls_key() -> tuple:
    """What the reversed URLs depend on besides their names: the script prefix and the URLconf in use."""
    return (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": _mark_active(request, public_items()), "unread_count": 0}
    if needs_second_factor(user) and not getattr(user, "is_verified", lambda: False)():
        return {"nav_items": [], "unread_count": 0}  # before the second step nothing else opens
    items = _signed_in_items(user.role, user.organisation_id, _urls_key())
    return {"unread_count": inbox_waiting_count(user), "nav_items": _mark_active(request, items)}


@lru_cache(maxsize=1024)
def _signed_in_items(role: str, organisation_id: int | None, urls_key: tuple) -> tuple[tuple, ...]:
    """A role's menu: the same on every page, so reversed once per role (and agency) and kept, not 15 URLs reversed
    on every request (issue 16 item 4). The labels stay lazy: each request shows them in its own language."""
    items = [(_("Home"), reverse("home"), "bi-house")]
    if role == Role.AGENCY and organisation_id:
        items.append(
            (
                _("My organisation"),
                reverse("agencies:organisation_detail", args=[organisation_id]),
                "bi-building",
            )
        )
    if role in (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        items.append((_("Evaluation agencies"), reverse("agencies:organisation_list"), "bi-buildings"))
    if role == Role.AGENCY:
        items.append((_("My filing applications"), reverse("filings:application_list"), "bi-file-earmark-text"))
    elif role in (Role.CITY_HR, Role.CENTRE, Role.POLICE):
        items.append((_("Review queue"), reverse("filings:queue"), "bi-list-check"))
    elif role == Role.ADMIN:
        items.append((_("Filing applications"), reverse("filings:application_list"), "bi-file-earmark-text"))
    if role == Role.AGENCY:
        items.append(
            (_("Evaluations and police registration"), reverse("supervision:agency_home"), "bi-calendar-event")
        )
    if role in (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        items.append((_("Jurisdiction monitoring"), reverse("supervision:workspace"), "bi-binoculars"))
        items.append((_("Complaints"), reverse("supervision:complaints"), "bi-chat-square-text"))
        items.append((_("Random inspections"), reverse("supervision:draws"), "bi-shuffle"))
    if role == Role.CITY_HR:
        items.append((_("Cross-region reports"), reverse("supervision:reports"), "bi-signpost-split"))
    if role in (Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        # Translated in certificates' catalogue (certificates/locale).
        items.append((_("Results and certificates"), reverse("certificates:session_list"), "bi-award"))
    if role == Role.EXPERT:
        items.append((_("My assessments"), reverse("filings:assessments"), "bi-clipboard-check"))
    if role in (Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        items.append((_("Calls for applications"), reverse("agencies:call_list"), "bi-megaphone"))
    if role == Role.CENTRE:
        items.append((_("Public notice management"), reverse("filings:notice_list"), "bi-broadcast"))
    if role == Role.ADMIN:
        items.append((_("Audit log"), reverse("audit_list"), "bi-journal-text"))
        items.append((_("Administration"), reverse("admin:index"), "bi-gear"))
    return tuple(items)


def _mark_active(request, items) -> list[dict]:
    current = request.path
    # Only the most specific match is active: /agencies/calls/ is "calls", not also "agencies".
    matches = [url for _label, url, _icon in items if url == current or (url != "/" and current.startswith(url))]
    active = max(matches, key=len, default=None)
    return [{"label": label, "url": url, "icon": icon, "active": url == active} for label, url, icon in items]


def display(request) -> dict:
    """Whether this browser asked for the elder-friendly mode (the page is drawn in it from the server)."""
    return {"elder_mode": elder_mode_on(request)}
