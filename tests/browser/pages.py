"""The pages the accessibility, elder-mode, phone and CSP browser tests walk, found in the demo data (seed_demo).

Every public page, and for each role its home, a list, a detail and a form page, named so that a report or a
screenshot says which page it is.
"""

from __future__ import annotations

from agencies.models import DirectoryEntry
from filings.models import Application, PanelMember
from portal.models import User
from publicity.models import Notice
from supervision.models import Complaint, Draw, Inspection, Plan

# The demo account each role's pages are seen with.
ROLE_ACCOUNTS = {
    "agency": "agency_liuzhou",
    "city": "city_nanning",
    "centre": "centre",
    "police": "police_liuzhou",
    "expert": "expert1",
}


def public_pages() -> dict[str, str]:
    """Every page anyone may open without signing in: name → path."""
    notice = Notice.objects.filter(status=Notice.Status.PUBLISHED, kind="filing_selection").order_by("pk").first()
    entry = DirectoryEntry.objects.filter(status="active").order_by("pk").first()
    plan = Plan.objects.filter(status="announced").order_by("pk").first()
    draw = Draw.objects.order_by("pk").first()
    return {
        "login": "/accounts/login/",
        "register": "/register/",
        "notices": "/notices/",
        "notice-detail": f"/notices/{notice.pk}/",
        "objection-form": f"/notices/{notice.pk}/object/",
        "objection-track": "/objections/track/",
        "directory": "/directory/",
        "directory-entry": f"/directory/{entry.pk}/",
        "receipt-verify": "/verify/",
        "certificate-verify": "/certificates/verify/",
        "complaint-form": "/complaints/new/",
        "complaint-track": "/complaints/track/",
        "announcements": "/evaluations/",
        "announcement-detail": f"/evaluations/{plan.pk}/",
        "draws": "/inspections/draws/",
        "draw-detail": f"/inspections/draws/{draw.pk}/",
    }


def open_inspection() -> Inspection:
    """An inspection in progress by police_liuzhou of 柳州's filed agency: the page an inspector fills on site."""
    from supervision.services.inspections import inspection_open

    police = User.objects.get(username="police_liuzhou")
    existing = Inspection.objects.filter(inspector=police, status=Inspection.Status.OPEN).first()
    if existing:
        return existing
    entry = DirectoryEntry.objects.get(organisation__name="柳州市神盾职业技能培训学校")
    return inspection_open(entry=entry, by=police)


def field_pages() -> dict[str, str]:
    """The inspectors' field pages (police_liuzhou): the jurisdiction, an agency's file (where an inspection is
    opened), and the inspection in progress (checklist, photos, findings)."""
    inspection = open_inspection()
    return {
        "jurisdiction": "/supervision/jurisdiction/",
        "agency-file": f"/supervision/agencies/{inspection.entry_id}/",
        "inspection-open": f"/supervision/inspections/{inspection.pk}/",
    }


def role_pages(role: str) -> dict[str, str]:
    """Home, list, detail and form pages of one role: name → path."""
    if role == "agency":
        draft = Application.objects.get(organisation__name="柳州市护航保安职业培训中心")
        return {
            "home": "/",
            "list": "/filings/",
            "detail": f"/filings/{draft.pk}/",
            "form": f"/filings/{draft.pk}/edit/",
            "submit": f"/filings/{draft.pk}/submit/",
            "plans": "/supervision/",
        }
    if role == "city":
        waiting = Application.objects.get(organisation__name="南宁市安邦职业技能培训学校")
        complaint = Complaint.objects.filter(department__region__name="南宁市", status="received").first()
        complaint = complaint or Complaint.objects.filter(status="received").order_by("pk").first()
        return {
            "home": "/",
            "list": "/filings/queue/",
            "detail": f"/filings/{waiting.pk}/",
            "complaints": "/supervision/complaints/",
            "complaint-form": f"/supervision/complaints/{complaint.pk}/",
            "reports": "/reports/",
        }
    if role == "centre":
        accepting = Application.objects.get(organisation__name="南宁市护卫职业技能培训学校")
        assessing = Application.objects.get(organisation__name="南宁市天安职业技能培训学校")
        return {
            "home": "/",
            "list": "/filings/queue/",
            "detail": f"/filings/{accepting.pk}/",
            "panel": f"/filings/{assessing.pk}/panel/",
            "calls": "/agencies/calls/",
            "call-form": "/agencies/calls/new/",
        }
    if role == "police":
        assessing = Application.objects.get(organisation__name="柳州市天安职业技能培训学校")
        return {
            "home": "/",
            "list": "/filings/queue/",
            "detail": f"/filings/{assessing.pk}/",
            **field_pages(),
        }
    if role == "expert":
        member = PanelMember.objects.filter(expert__username="expert1").order_by("pk").first()
        return {
            "home": "/",
            "list": "/filings/assessments/",
            "detail": f"/filings/{member.application_id}/",
            "form": f"/filings/{member.application_id}/assess/",
        }
    raise ValueError(role)
