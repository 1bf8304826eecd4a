"""The supervision pages as their users meet them: the agency plans and registers, the local HR bureau
consents, the police watch their jurisdiction, anyone reads the announcements."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from supervision.models import CrossRegionReport, Plan, PoliceRegistration
from tests.portal.factories import region
from tests.supervision.factories import LIUZHOU, NANNING, SUPERVISOR, plan_fields, today_is

MONDAY = dt.date(2026, 11, 2)  # ten working days later: Monday 16 November 2026


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def posted_plan(entry, **overrides) -> dict:
    fields = plan_fields(**{"first_day": dt.date(2026, 11, 16), "last_day": dt.date(2026, 11, 17), **overrides})
    return {
        "entry": entry.pk,
        "city": fields["city"].pk,
        "occupation": fields["occupation"].pk,
        "work_type": "",
        "level": fields["level"],
        "first_day": fields["first_day"].isoformat(),
        "last_day": fields["last_day"].isoformat(),
        "venue": fields["venue"],
        "venue_address": fields["venue_address"],
        "expected_candidates": fields["expected_candidates"],
        "examiners": fields["examiners"],
        "supervisor": fields["supervisor"],
        "fee": fields["fee"],
        "notes": fields["notes"],
    }


def test_a_plan_too_close_to_its_exam_day_is_refused_beside_the_field_with_everything_kept(
    people, nanning_entry, client_for
):
    client = client_for(people.agency_nanning)
    data = posted_plan(nanning_entry, first_day=dt.date(2026, 11, 13), last_day=dt.date(2026, 11, 13))
    data["first_day"], data["last_day"] = "2026-11-13", "2026-11-13"
    with today_is(MONDAY):
        response = client.post(reverse("supervision:plan_new"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "2026-11-16 at the earliest" in " ".join(form.errors["first_day"])
    assert form["venue_address"].value() == data["venue_address"]
    assert form["examiners"].value() == data["examiners"]
    assert not Plan.objects.exists()


def test_the_agency_plans_submits_and_announces_and_anyone_then_reads_it(people, nanning_entry, client_for):
    client = client_for(people.agency_nanning)
    with today_is(MONDAY):
        response = client.post(reverse("supervision:plan_new"), posted_plan(nanning_entry))
        plan = Plan.objects.get()
        assert response.status_code == 302 and plan.status == Plan.Status.DRAFT
        # The agency finds it again on its page.
        assert [p.pk for p in client.get(reverse("supervision:agency_home")).context["page"]] == [plan.pk]
        client.post(reverse("supervision:plan_act", args=[plan.pk, "submit"]))
        plan.refresh_from_db()
        assert plan.status == Plan.Status.READY  # in its own city: no report needed
        client.post(reverse("supervision:plan_act", args=[plan.pk, "announce"]))
        plan.refresh_from_db()
        assert plan.status == Plan.Status.ANNOUNCED
        listing = client_for(None).get(reverse("evaluations:list"), {"city": region(NANNING).pk})
    assert [p.pk for p in listing.context["page"]] == [plan.pk]
    detail = client_for(None).get(reverse("evaluations:detail", args=[plan.pk])).content.decode()
    assert "南宁市安盾职业技能培训学校" in detail and "2026-11-16" in detail
    # The examiners' and the supervisor's names stay off the public page.
    assert SUPERVISOR not in detail and "韦海燕" not in detail


def test_a_plan_in_another_city_waits_for_that_citys_consent_and_a_refusal_needs_reasons(
    people, nanning_entry, client_for
):
    agency = client_for(people.agency_nanning)
    data = posted_plan(nanning_entry, city=region(LIUZHOU), venue="柳州考点", venue_address="柳州市城中区文昌路19号")
    with today_is(MONDAY):
        agency.post(reverse("supervision:plan_new"), data)
        plan = Plan.objects.get()
        agency.post(reverse("supervision:plan_act", args=[plan.pk, "submit"]))
        plan.refresh_from_db()
        assert plan.status == Plan.Status.AWAITING_CONSENT
        refused_announce = agency.post(reverse("supervision:plan_act", args=[plan.pk, "announce"]), follow=True)
        assert "has not consented yet" in refused_announce.content.decode()
        plan.refresh_from_db()
        assert plan.status == Plan.Status.AWAITING_CONSENT

        liuzhou = client_for(people.city_liuzhou)
        assert [r.plan_id for r in liuzhou.get(reverse("supervision:reports")).context["page"]] == [plan.pk]
        decide = reverse("supervision:report_decide", args=[plan.pk])
        empty = liuzhou.post(decide, {"decision": "refuse", "reasons": " "})
        assert empty.status_code == 400
        assert "Give the reasons for refusing." in empty.content.decode()
        assert CrossRegionReport.objects.get().status == CrossRegionReport.Status.PENDING
        # 南宁's bureau is not the local one: the report is not theirs to decide.
        other = client_for(people.city_nanning).post(decide, {"decision": "consent"})
        assert other.status_code == 404
        client_for(people.city_liuzhou).post(decide, {"decision": "consent"})
        plan.refresh_from_db()
        assert plan.status == Plan.Status.READY
        client_for(people.agency_nanning).post(reverse("supervision:plan_act", args=[plan.pk, "announce"]))
        plan.refresh_from_db()
    assert plan.status == Plan.Status.ANNOUNCED
    # 柳州's police see the evaluation in their area; 南宁's police see their agency's plan.
    with today_is(MONDAY):
        upcoming = client_for(people.police_liuzhou).get(reverse("supervision:workspace"), {"tab": "upcoming"})
    assert [p["pk"] for p in upcoming.context["page"]] == [plan.pk]


def test_the_police_confirm_a_registration_and_the_workspace_stops_flagging_the_agency(
    people, nanning_entry, client_for
):
    workspace = client_for(people.police_nanning).get(reverse("supervision:workspace"))
    assert [e.pk for e in workspace.context["unregistered"]] == [nanning_entry.pk]
    agency = client_for(people.agency_nanning)
    response = agency.post(
        reverse("supervision:registration_new"),
        {
            "entry": nanning_entry.pk,
            "city": region(NANNING).pk,
            "responsible": "黄晓梅",
            "phone": "abc",
            "sites": "本部",
        },
    )
    assert response.status_code == 400
    assert response.context["form"]["responsible"].value() == "黄晓梅"
    assert not PoliceRegistration.objects.exists()
    agency.post(
        reverse("supervision:registration_new"),
        {
            "entry": nanning_entry.pk,
            "city": region(NANNING).pk,
            "responsible": "黄晓梅",
            "phone": "0771-5561234",
            "sites": "南宁市青秀区民族大道136号",
        },
    )
    registration = PoliceRegistration.objects.get()
    # 柳州's police do not know this registration exists.
    other = client_for(people.police_liuzhou).post(
        reverse("supervision:registration_detail", args=[registration.pk]), {"action": "confirm"}
    )
    assert other.status_code == 404
    client_for(people.police_nanning).post(
        reverse("supervision:registration_detail", args=[registration.pk]), {"action": "confirm"}
    )
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.CONFIRMED
    assert client_for(people.police_nanning).get(reverse("supervision:workspace")).context["unregistered"] == []


def test_each_workspace_list_exports_to_excel_with_what_the_page_lists(people, nanning_entry, client_for):
    response = client_for(people.police_nanning).get(reverse("supervision:workspace_export", args=["agencies"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "南宁市安盾职业技能培训学校" in values and "Not registered" in values
    liuzhou = client_for(people.police_liuzhou).get(reverse("supervision:workspace_export", args=["agencies"]))
    assert "南宁市安盾职业技能培训学校" not in [
        cell for row in load_workbook(io.BytesIO(liuzhou.content)).active.iter_rows(values_only=True) for cell in row
    ]
    police = client_for(people.police_nanning)
    for tab in ("registrations", "upcoming", "past", "flagged"):
        assert police.get(reverse("supervision:workspace_export", args=[tab])).status_code == 200
    assert police.get("/supervision/jurisdiction/nothing.xlsx").status_code == 404


def test_the_police_of_a_city_see_whether_an_agency_of_elsewhere_registered_with_them(
    people, nanning_entry, client_for
):
    """南宁's agency, confirmed by 南宁's police, plans in 柳州 without registering there: 柳州's police read
    "not registered", 南宁's read "confirmed"."""
    from supervision.services import registration_confirm, registration_submit

    registration = registration_submit(
        entry=nanning_entry,
        city=region(NANNING),
        by=people.agency_nanning,
        responsible="黄",
        phone="0771-5561234",
        sites="本部",
    )
    registration_confirm(registration=registration, by=people.police_nanning)
    Plan.objects.create(
        entry=nanning_entry,
        created_by=people.agency_nanning,
        status=Plan.Status.ANNOUNCED,
        **plan_fields(city=region(LIUZHOU), first_day=dt.date(2099, 1, 5), last_day=dt.date(2099, 1, 5)),
    )

    def column(police) -> str:
        rows = client_for(police).get(reverse("supervision:workspace")).context["page"]
        (entry,) = [e for e in rows if e["pk"] == nanning_entry.pk]
        return "confirmed" if entry["confirmed_here"] else ("awaiting" if entry["registered_here"] else "none")

    assert column(people.police_liuzhou) == "none"
    assert column(people.police_nanning) == "confirmed"


def test_the_agency_reaches_its_supervision_file_from_its_page(people, nanning_entry, client_for):
    """Rectification orders, inspections and sanctions are on the agency's supervision file: its page links there."""
    page = client_for(people.agency_nanning).get(reverse("supervision:agency_home")).content.decode()
    assert reverse("supervision:agency_file", args=[nanning_entry.pk]) in page
