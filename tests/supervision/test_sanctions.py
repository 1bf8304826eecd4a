"""Sanctions and the credit record: who decides, what each sanction does to the directory, the end of a
suspension on its last day, removal for good, the decision document; a suspended agency cannot plan."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import DirectoryEntry
from agencies.services import directory_lift
from portal.lib.errors import WorkflowError
from portal.models import AuditEvent, Region
from supervision.models import CreditRecord, Plan, Sanction
from supervision.services import plan_announce, plan_submit, sanction_decide, sanction_lift
from supervision.services.sanctions import PILOT_EXIT_CLAUSE, suspensions_end
from tests.supervision.factories import new_plan, today_is

MONDAY = dt.date(2026, 3, 2)
FACTS = "2026年2月10日保卫管理员三级认定中，考场视频监控未开启，考评人员不足3名。"


def decide(entry, by, kind, **extra):
    return sanction_decide(entry=entry, kind=kind, facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=by, **extra)


def test_a_warning_is_numbered_recorded_and_audited_and_leaves_the_status(people, nanning_entry):
    with today_is(MONDAY):
        first = decide(nanning_entry, people.city_nanning, "warning")
        second = decide(nanning_entry, people.city_nanning, "warning")
    assert first.number == "南宁市人社督〔2026〕1号"
    assert second.number == "南宁市人社督〔2026〕2号"
    assert first.department == people.city_nanning.department
    record = CreditRecord.objects.get(sanction=first)
    assert record.kind == "sanction" and record.entry == nanning_entry and FACTS in record.summary
    assert AuditEvent.objects.filter(action="sanction_decide", object_id=str(first.pk)).count() == 1
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE


def test_a_suspension_blocks_plans_and_announcements_until_it_is_lifted(people, nanning_entry):
    with today_is(MONDAY):
        draft = new_plan(nanning_entry, people.agency_nanning)
        ready = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2026, 3, 20), last_day=dt.date(2026, 3, 20)
        )
        plan_submit(plan=ready, by=people.agency_nanning)
        suspension = decide(nanning_entry, people.city_nanning, "suspension", until=dt.date(2026, 4, 30))
        nanning_entry.refresh_from_db()
        assert nanning_entry.status == "suspended" and nanning_entry.suspended_until == dt.date(2026, 4, 30)
        assert nanning_entry.history.latest("pk").until == dt.date(2026, 4, 30)
        assert suspension.number in nanning_entry.history.latest("pk").reason
        with pytest.raises(WorkflowError):
            plan_submit(plan=draft, by=people.agency_nanning)
        with pytest.raises(WorkflowError):
            plan_announce(plan=ready, by=people.agency_nanning)
        with pytest.raises(WorkflowError):
            new_plan(nanning_entry, people.agency_nanning)
        assert Plan.objects.filter(status="announced").count() == 0
        sanction_lift(sanction=suspension, reason="整改到位，复查合格。", by=people.city_nanning)
        nanning_entry.refresh_from_db()
        assert nanning_entry.status == "active" and nanning_entry.suspended_until is None
        plan_announce(plan=ready, by=people.agency_nanning)
    suspension.refresh_from_db()
    assert suspension.lifted_on == MONDAY and suspension.lifted_by == people.city_nanning
    assert [c.status for c in nanning_entry.history.order_by("pk")] == ["active", "suspended", "active"]


@pytest.mark.parametrize(
    ("today", "lifted"),
    [(dt.date(2026, 4, 29), False), (dt.date(2026, 4, 30), False), (dt.date(2026, 5, 1), True)],
)
def test_a_suspension_ends_after_its_last_day(people, nanning_entry, today, lifted):
    with today_is(MONDAY):
        suspension = decide(nanning_entry, people.city_nanning, "suspension", until=dt.date(2026, 4, 30))
    with today_is(today):
        assert suspensions_end() == int(lifted)
    nanning_entry.refresh_from_db()
    suspension.refresh_from_db()
    assert nanning_entry.status == ("active" if lifted else "suspended")
    assert (suspension.lifted_on == today) is lifted


def test_a_second_suspension_waits_for_the_first_to_be_lifted(people, nanning_entry):
    with today_is(MONDAY):
        decide(nanning_entry, people.city_nanning, "suspension", until=dt.date(2026, 4, 30))
        with pytest.raises(WorkflowError):
            decide(nanning_entry, people.centre, "suspension", until=dt.date(2026, 5, 30))
    assert Sanction.objects.count() == 1


def test_removal_is_the_centres_and_permanent(people, nanning_entry):
    with today_is(MONDAY):
        suspension = decide(nanning_entry, people.city_nanning, "suspension", until=dt.date(2026, 4, 30))
        with pytest.raises(PermissionDenied):
            decide(nanning_entry, people.city_nanning, "removal")
        removal = decide(nanning_entry, people.centre, "removal")
        # The centre's decision carries the centre's name, not the city bureau's sequence.
        assert removal.number == f"{people.centre.department.name}督〔2026〕1号"
        assert "人社督" not in removal.number
        nanning_entry.refresh_from_db()
        assert nanning_entry.status == "removed"
        suspension.refresh_from_db()
        assert suspension.lifted_on == MONDAY and removal.number in suspension.lift_reason
        for attempt in (
            lambda: decide(nanning_entry, people.centre, "warning"),
            lambda: directory_lift(entry=nanning_entry, reason="x", by=people.centre),
        ):
            with pytest.raises(WorkflowError):
                attempt()
    with today_is(dt.date(2026, 5, 1)):
        assert suspensions_end() == 0
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == "removed"
    assert Sanction.objects.count() == 2


@pytest.mark.parametrize("name", ["city_liuzhou", "police_nanning", "agency_nanning", "expert_assigned", "admin"])
def test_only_the_agencys_city_bureau_or_the_centre_decides(people, nanning_entry, name):
    with pytest.raises(PermissionDenied):
        decide(nanning_entry, getattr(people, name), "warning")
    assert not Sanction.objects.exists() and not CreditRecord.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "suspension"}, "until"),
        ({"kind": "suspension", "until": MONDAY - dt.timedelta(days=1)}, "until"),
        ({"kind": "suspension", "until": MONDAY + dt.timedelta(days=367)}, "until"),
        ({"kind": "rectification"}, "rectify_by"),
        ({"kind": "rectification", "rectify_by": MONDAY}, "rectify_by"),
        ({"kind": "warning", "basis": "依规定"}, "basis"),
        ({"kind": "warning", "facts": " "}, "facts"),
    ],
)
def test_what_a_decision_needs(people, nanning_entry, extra, field):
    fields = {"facts": FACTS, "basis": PILOT_EXIT_CLAUSE, **extra}
    with today_is(MONDAY), pytest.raises(ValidationError) as raised:
        sanction_decide(entry=nanning_entry, by=people.city_nanning, **fields)
    assert field in raised.value.message_dict
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("suspension", {"until": MONDAY}),  # a suspension of one day: its last day is today
        ("suspension", {"until": MONDAY + dt.timedelta(days=366)}),
        ("rectification", {"rectify_by": MONDAY + dt.timedelta(days=1)}),
    ],
)
def test_the_dates_on_their_limits_are_accepted(people, nanning_entry, kind, extra):
    with today_is(MONDAY):
        decide(nanning_entry, people.city_nanning, kind, **extra)
    assert Sanction.objects.count() == 1


def test_the_directory_shows_the_status_and_its_history(people, nanning_entry, client):
    with today_is(MONDAY):
        suspension = decide(nanning_entry, people.city_nanning, "suspension", until=dt.date(2026, 4, 30))
    page = client.get(reverse("directory:entry", args=[nanning_entry.pk])).content.decode()
    assert "2026-04-30" in page and suspension.number in page
    listed = client.get(reverse("directory:search"), {"status": "all"}).content.decode()
    assert nanning_entry.organisation.name in listed


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_decision_document_quotes_the_basis(people, nanning_entry, client_for):
    with today_is(MONDAY):
        suspension = decide(nanning_entry, people.city_nanning, "suspension", until=dt.date(2026, 4, 30))
    response = client_for(people.agency_nanning).get(reverse("supervision:sanction_pdf", args=[suspension.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    flat = "".join(text.decode().split())
    assert "监督处理决定书" in flat and suspension.number in flat
    assert "暂停职业技能等级认定资格至2026年4月30日" in flat
    assert "建立信用档案和退出机制" in flat


def pdf_text(content: bytes) -> str:
    """The document's text as a reader copies it, without the line breaks and spaces of the layout."""
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


REMEDY = (
    "如不服本决定，可以自收到本决定书之日起六十日内向{government}申请行政复议，"
    "或者自收到本决定书之日起六个月内依法向有管辖权的人民法院提起行政诉讼。"
)


@pytest.mark.parametrize(
    ("decider", "kind", "extra", "government", "office"),
    [
        ("city_nanning", "warning", {}, "南宁市人民政府", "南宁市人力资源和社会保障局"),
        ("centre", "removal", {}, "广西壮族自治区人民政府", "广西壮族自治区职业技能鉴定中心"),
    ],
)
def test_the_decision_document_says_how_to_challenge_it_and_who_decided_when_under_seal(
    people, nanning_entry, client_for, decider, kind, extra, government, office
):
    """行政处罚法 第五十九条: a decision names the ways and time limits of reconsideration (60 days, to the people's
    government at the deciding department's level) and of suit (6 months, a court), the deciding body and its date,
    and carries its seal."""
    with today_is(MONDAY):
        sanction = decide(nanning_entry, getattr(people, decider), kind, **extra)
    response = client_for(people.agency_nanning).get(reverse("supervision:sanction_pdf", args=[sanction.pk]))
    text = pdf_text(response.content)
    assert REMEDY.format(government=government) in text
    # The signature block closes the document (before the page footer): the office, the seal line, the day.
    assert re.search(f"{office}（盖章）2026年3月2日(第\\d+页共\\d+页)?$", text)


def test_a_county_departments_decision_goes_to_the_county_government(people):
    county = Region.objects.get(code="450103")
    assert county.government == "南宁市青秀区人民政府"
    assert county.city.government == "南宁市人民政府"
    assert Region.objects.get(code="610000").government == "陕西省人民政府"


def test_the_decision_form_redraws_with_the_errors_and_what_was_typed(people, nanning_entry, client_for):
    client = client_for(people.city_nanning)
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    assert 'value="removal"' not in client.get(url).content.decode()  # removal is the centre's
    response = client.post(url, {"kind": "suspension", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, "until": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert FACTS in page and "invalid-feedback" in page
    assert not Sanction.objects.exists()
