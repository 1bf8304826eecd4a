"""我的待办 on the home page lists every kind of pending work of the role, not only filing applications
(first-day finding qa5 item 1): the police's registrations to confirm, a city bureau's cross-region reports and
complaints, and the work leaves the list once done; the home page's queries stay the same as work piles up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.services import complaint_act, complaint_submit, registration_confirm, registration_submit
from tests.portal.factories import region
from tests.supervision.factories import LIUZHOU, NANNING, issued, liuzhou_venue, new_plan, today_is
from tests.supervision.test_plans import days

pytestmark = pytest.mark.django_db

DETAILS = {"responsible": "黄建华", "phone": "13877112345", "sites": "南宁市青秀区民族大道136号 理论考场"}
CONTENT = "2026年9月20日保卫管理员三级考试中，监考人员离开考场二十分钟，考生互相传递答案。"


def todo_of(client) -> dict[str, int]:
    """The to-do list as the user reads it: label → the number beside it."""
    response = client.get("/")
    assert response.status_code == 200
    return {item.label: item.count for item in response.context["todo"]}


def test_the_police_find_a_registration_to_confirm_until_they_confirm_it(people, nanning_entry, client_for):
    client = client_for(people.police_nanning)
    assert "待确认的报备登记" not in todo_of(client)
    registration = registration_submit(entry=nanning_entry, city=region(NANNING), by=people.agency_nanning, **DETAILS)
    assert todo_of(client)["待确认的报备登记"] == 1
    page = client.get("/").content.decode()
    # The only one waiting: the to-do opens it (round 8 item 6), not the tab.
    assert "待确认的报备登记" in page and f'href="/supervision/registrations/{registration.pk}/"' in page
    # Another city's police have nothing to confirm.
    assert "待确认的报备登记" not in todo_of(client_for(people.police_liuzhou))
    client = client_for(people.police_nanning)
    registration_confirm(registration=registration, by=people.police_nanning)
    assert "待确认的报备登记" not in todo_of(client)


def test_a_city_bureau_finds_the_cross_region_report_of_its_city(people, nanning_entry, client_for):
    with today_is(dt.date(2026, 9, 23)):
        from supervision.services import plan_submit

        plan = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue(**days(dt.date(2026, 10, 20))))
        plan_submit(plan=plan, by=people.agency_nanning)
    assert todo_of(client_for(people.city_liuzhou))["待答复的异地报备"] == 1
    assert "待答复的异地报备" not in todo_of(client_for(people.city_nanning))


def test_a_complaint_stays_on_the_bureaus_list_until_it_is_replied(people, nanning_entry, client_for):
    complaint = complaint_submit(
        entry=nanning_entry, happened_on=dt.date(2026, 9, 20), content=CONTENT, name="李明", contact="13877112345"
    )
    client = client_for(people.city_nanning)
    assert todo_of(client)["待办理的投诉举报"] == 1
    # Routed to 南宁's bureau: not 柳州's, not the police (who only read it).
    assert "待办理的投诉举报" not in todo_of(client_for(people.city_liuzhou))
    assert "待办理的投诉举报" not in todo_of(client_for(people.police_nanning))
    client = client_for(people.city_nanning)
    complaint_act(complaint=complaint, step="accept", by=people.city_nanning)
    complaint_act(complaint=complaint, step="conclude", by=people.city_nanning, outcome="not_upheld", text="查无实据")
    assert todo_of(client)["待办理的投诉举报"] == 1  # concluded, not yet replied
    complaint_act(complaint=complaint, step="reply", by=people.city_nanning, text="经调查，未发现所述情况。")
    assert "待办理的投诉举报" not in todo_of(client)


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_the_home_pages_queries_do_not_grow_with_the_pending_work(people, nanning_entry, liuzhou_entry, client_for):
    client = client_for(people.police_nanning)
    client.get("/")  # the first request after signing in renews the session
    registration_submit(entry=nanning_entry, city=region(NANNING), by=people.agency_nanning, **DETAILS)
    few = _home_queries(client)
    registration_submit(entry=liuzhou_entry, city=region(NANNING), by=people.agency_liuzhou, **DETAILS)
    registration_submit(
        entry=nanning_entry,
        city=region(LIUZHOU),
        by=people.agency_nanning,
        **{**DETAILS, "sites": "柳州市城中区文昌路2号 理论考场"},
    )
    many = _home_queries(client)
    assert todo_of(client)["待确认的报备登记"] == 2
    assert many == few


def test_an_answered_rectification_waits_for_its_inspector_until_closed(people, nanning_entry, client_for):
    """The order the agency answered waits on the inspector's list; closed, it leaves (round 7's mutation run: an
    order still open, or closed, stayed on the list)."""
    from filings.examples import sample_pdf
    from supervision.services.inspections import (
        finding_add,
        inspection_open,
        rectification_answer,
        rectification_close,
    )

    inspection = inspection_open(entry=nanning_entry, by=people.police_nanning)
    finding = finding_add(
        inspection=inspection, by=people.police_nanning, text="未张贴考场规则。", requirement="张贴。"
    )
    order = finding.rectification
    issued(inspection, people.police_nanning)
    # Not answered yet: nothing to verify.
    assert "已答复待核查的整改" not in todo_of(client_for(people.police_nanning))
    rectification_answer(rectification=order, by=people.agency_nanning, answer="已张贴。", files=[sample_pdf("照片")])
    assert todo_of(client_for(people.police_nanning))["已答复待核查的整改"] == 1
    rectification_close(rectification=order, by=people.police_nanning, note="核实。")
    assert "已答复待核查的整改" not in todo_of(client_for(people.police_nanning))
