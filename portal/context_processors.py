"""Navigation that shows each role only what it may use, and the number of unread messages in the inbox."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.lib.display import elder_mode_on
from portal.models import Role
from portal.second_factor.services import needs_second_factor


def public_items() -> list[tuple]:
    """What anyone may open without signing in: notices, the directory, receipt verification."""
    return [
        (_("Public notices"), reverse("notices:notice_list"), "bi-megaphone"),
        (_("Directory of filed agencies"), reverse("directory:search"), "bi-journal-bookmark"),
        (_("Announced evaluations"), reverse("evaluations:list"), "bi-calendar-event"),
        (_("Verify a filing receipt"), reverse("public:receipt_lookup"), "bi-patch-check"),
        (_("Make a complaint"), reverse("complaints:new"), "bi-chat-square-text"),
        (_("Random inspections"), reverse("draws:list"), "bi-shuffle"),
        # Translated in certificates' catalogue (certificates/locale).
        (_("Verify a certificate"), reverse("certificate_check:verify"), "bi-award"),
    ]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": _mark_active(request, public_items()), "unread_count": 0}
    if needs_second_factor(user) and not getattr(user, "is_verified", lambda: False)():
        return {"nav_items": [], "unread_count": 0}  # before the second step nothing else opens
    items = [(_("Home"), reverse("home"), "bi-house")]
    if user.role == Role.AGENCY and user.organisation_id:
        items.append(
            (
                _("My organisation"),
                reverse("agencies:organisation_detail", args=[user.organisation_id]),
                "bi-building",
            )
        )
    if user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        items.append((_("Evaluation agencies"), reverse("agencies:organisation_list"), "bi-buildings"))
    if user.role == Role.AGENCY:
        items.append((_("My filing applications"), reverse("filings:application_list"), "bi-file-earmark-text"))
    elif user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE):
        items.append((_("Review queue"), reverse("filings:queue"), "bi-list-check"))
    elif user.role == Role.ADMIN:
        items.append((_("Filing applications"), reverse("filings:application_list"), "bi-file-earmark-text"))
    if user.role == Role.AGENCY:
        items.append(
            (_("Evaluations and police registration"), reverse("supervision:agency_home"), "bi-calendar-event")
        )
    if user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        items.append((_("Jurisdiction monitoring"), reverse("supervision:workspace"), "bi-binoculars"))
        items.append((_("Complaints"), reverse("supervision:complaints"), "bi-chat-square-text"))
        items.append((_("Random inspections"), reverse("supervision:draws"), "bi-shuffle"))
    if user.role == Role.CITY_HR:
        items.append((_("Cross-region reports"), reverse("supervision:reports"), "bi-signpost-split"))
    if user.role in (Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        # Translated in certificates' catalogue (certificates/locale).
        items.append((_("Results and certificates"), reverse("certificates:session_list"), "bi-award"))
    if user.role == Role.EXPERT:
        items.append((_("My assessments"), reverse("filings:assessments"), "bi-clipboard-check"))
    if user.role in (Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        items.append((_("Calls for applications"), reverse("agencies:call_list"), "bi-megaphone"))
    if user.role == Role.CENTRE:
        items.append((_("Public notice management"), reverse("filings:notice_list"), "bi-broadcast"))
    if user.role == Role.ADMIN:
        items.append((_("Audit log"), reverse("audit_list"), "bi-journal-text"))
        items.append((_("Administration"), reverse("admin:index"), "bi-gear"))
    return {"unread_count": user.notifications.filter(read_at=None).count(), "nav_items": _mark_active(request, items)}


def _mark_active(request, items: list[tuple]) -> list[dict]:
    current = request.path
    # Only the most specific match is active: /agencies/calls/ is "calls", not also "agencies".
    matches = [url for _label, url, _icon in items if url == current or (url != "/" and current.startswith(url))]
    active = max(matches, key=len, default=None)
    return [{"label": label, "url": url, "icon": icon, "active": url == active} for label, url, icon in items]


def display(request) -> dict:
    """Whether this browser asked for the elder-friendly mode (the page is drawn in it from the server)."""
    return {"elder_mode": elder_mode_on(request)}
