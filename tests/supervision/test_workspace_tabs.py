"""What the police read on the workspace's registrations and evaluations tabs, row by row, and that its pages
together are the whole list in its order, the last page (read backwards since issue 16 item 4) included. Issue 16
item 4 rebuilt how the rows are drawn (keys first, then the page's rows as ready cells), not what they show: these
tests pass on the code before it. Labels typed from the zh-hans catalogue."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.models import Plan, PoliceRegistration
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.html_tables import body_rows
from tests.portal.factories import region
from tests.supervision.factories import LIUZHOU, NANNING, plan_fields, today_is

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("supervision:workspace")
MONDAY = dt.date(2026, 3, 2)


def _rows(client, query: str) -> list[list]:
    return body_rows(client.get(WORKSPACE + query).content.decode())


def _table(rows) -> list[tuple[str, list[str]]]:
    return [(row[0].links[0], [cell.text for cell in row]) for row in rows]


def _registration(entry, city, **fields) -> PoliceRegistration:
    fields = {"responsible": "王五", "phone": "0771-5550000", "sites": "某某路1号", **fields}
    return PoliceRegistration.objects.create(entry=entry, city=city, **fields)


def test_the_registrations_tab_shows_link_city_person_status_and_the_day_in_china(people, client_for):
    nanning, liuzhou = region(NANNING), region(LIUZHOU)
    home = directory_entry(OrganisationFactory(name="甲培训学校", region=nanning))
    visitor = directory_entry(OrganisationFactory(name="乙培训学校", region=liuzhou))
    waiting = directory_entry(OrganisationFactory(name="丙培训学校", region=nanning))
    # 17:30 UTC on 30 November is 01:30 on 1 December in China: the day shown is China's.
    confirmed = _registration(
        home, nanning, status="confirmed", submitted_at=dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)
    )
    returned = _registration(
        visitor,
        nanning,
        home=False,
        responsible="赵六",
        phone="0772-1",
        status="returned",
        submitted_at=dt.datetime(2026, 10, 9, 3, 0, tzinfo=dt.UTC),
    )
    submitted = _registration(waiting, nanning, submitted_at=dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC))
    _registration(visitor, liuzhou, status="confirmed")  # 柳州's, not 南宁's police
    detail = lambda r: reverse("supervision:registration_detail", args=[r.pk])  # noqa: E731
    # Ordered by status (confirmed, returned, submitted), then the latest first.
    assert _table(_rows(client_for(people.police_nanning), "?tab=registrations")) == [
        (detail(confirmed), ["甲培训学校", "南宁市", "王五 · 0771-5550000", "已确认", "2026-12-01"]),
        (detail(returned), ["乙培训学校", "南宁市 异地评价", "赵六 · 0772-1", "已退回机构", "2026-10-09"]),
        (detail(submitted), ["丙培训学校", "南宁市", "王五 · 0771-5550000", "待公安机关确认", "2026-11-02"]),
    ]


@pytest.fixture
def evaluations(people):
    """南宁's agency 甲 (registered with 南宁's police) and 柳州's agency 乙 (not), evaluating in 南宁."""
    nanning, liuzhou = region(NANNING), region(LIUZHOU)
    home = directory_entry(OrganisationFactory(name="甲培训学校", region=nanning))
    visitor = directory_entry(OrganisationFactory(name="乙培训学校", region=liuzhou))
    _registration(home, nanning, status="confirmed")
    make = lambda entry, status, first, **kw: Plan.objects.create(  # noqa: E731
        entry=entry,
        created_by=people.agency_nanning,
        status=status,
        **plan_fields(first_day=first, last_day=first + dt.timedelta(days=kw.pop("days", 1)), **kw),
    )
    waiting = directory_entry(OrganisationFactory(name="丙培训学校", region=nanning))
    _registration(waiting, nanning)  # submitted, not yet confirmed: its evaluations here are flagged
    return {
        "waiting": make(waiting, "ready", dt.date(2026, 4, 6)),
        "home": make(home, "announced", dt.date(2026, 3, 16)),
        "visitor": make(visitor, "announced", dt.date(2026, 3, 23), level=2, expected_candidates=35, days=2),
        "past": make(home, "announced", dt.date(2026, 2, 2)),
        "awaiting": make(visitor, "awaiting_consent", dt.date(2026, 4, 13)),
        "refused": make(home, "refused", dt.date(2026, 4, 20)),
        "ready": make(home, "ready", dt.date(2026, 4, 27)),
        "draft": make(home, "draft", dt.date(2026, 5, 4)),
        "elsewhere": make(visitor, "announced", dt.date(2026, 3, 17), city=liuzhou),
    }


def _plan_link(plan) -> str:
    return reverse("supervision:plan_detail", args=[plan.pk])


def test_the_upcoming_tab_shows_agency_occupation_level_city_days_candidates_and_status(
    people, client_for, evaluations
):
    with today_is(MONDAY):
        rows = _table(_rows(client_for(people.police_nanning), "?tab=upcoming"))
    assert rows == [
        (
            _plan_link(evaluations["home"]),
            ["甲培训学校", "保卫管理员 · 三级/高级工", "南宁市", "2026-03-16 – 2026-03-17", "60", "已发布公告"],
        ),
        (
            _plan_link(evaluations["visitor"]),
            ["乙培训学校", "保卫管理员 · 二级/技师", "南宁市 异地", "2026-03-23 – 2026-03-25", "35", "已发布公告"],
        ),
    ]


def test_the_past_tab_shows_the_evaluations_whose_last_day_has_passed(people, client_for, evaluations):
    with today_is(MONDAY):
        rows = _table(_rows(client_for(people.police_nanning), "?tab=past"))
    assert rows == [
        (
            _plan_link(evaluations["past"]),
            ["甲培训学校", "保卫管理员 · 三级/高级工", "南宁市", "2026-02-02 – 2026-02-03", "60", "已发布公告"],
        )
    ]


def test_the_flagged_tab_marks_the_evaluations_without_a_police_registration_in_their_city(
    people, client_for, evaluations
):
    with today_is(MONDAY):
        rows = _table(_rows(client_for(people.police_nanning), "?tab=flagged"))
    level2, level3 = "保卫管理员 · 二级/技师", "保卫管理员 · 三级/高级工"
    unregistered, awaiting = "该市公安机关尚未确认报备登记", "待属地人社部门同意"
    assert rows == [
        (
            _plan_link(evaluations["visitor"]),
            ["乙培训学校", level2, "南宁市 异地", "2026-03-23 – 2026-03-25", "35", f"已发布公告 {unregistered}"],
        ),
        (
            _plan_link(evaluations["waiting"]),
            ["丙培训学校", level3, "南宁市", "2026-04-06 – 2026-04-07", "60", f"待发布公告 {unregistered}"],
        ),
        (
            _plan_link(evaluations["awaiting"]),
            [
                "乙培训学校",
                level3,
                "南宁市 异地",
                "2026-04-13 – 2026-04-14",
                "60",
                f"{awaiting} {unregistered}",
            ],
        ),
        (
            _plan_link(evaluations["refused"]),
            ["甲培训学校", level3, "南宁市", "2026-04-20 – 2026-04-21", "60", "属地人社部门不同意"],
        ),
    ]


def _hrefs(client, query: str) -> list[str]:
    return [row[0].links[0] for row in _rows(client, query)]


def test_the_agencies_tabs_pages_together_are_every_agency_by_city_code_then_name(people, client_for):
    """30 agencies: page 2 (past the middle) is read backwards; both pages together are the whole order."""
    nanning, liuzhou = region(NANNING), region(LIUZHOU)
    entries = []
    for i in (7, 3, 29, 0, 15, 22, 11, 4, 18, 26, 1, 9, 13, 20, 5, 27, 2, 24, 16, 8, 28, 12, 6, 19, 10, 25, 14, 21):
        entries.append(directory_entry(OrganisationFactory(name=f"测试培训学校{i:02d}", region=nanning)))
    # Two of 柳州 registered with 南宁's police: after 南宁's (450100 < 450200), whatever their names.
    for name in ("丁培训学校", "甲培训学校"):
        entry = directory_entry(OrganisationFactory(name=name, region=liuzhou))
        _registration(entry, nanning, home=False)
        entries.append(entry)
    expected = sorted(entries[:28], key=lambda e: e.organisation.name) + entries[28:]
    expected[28:] = sorted(entries[28:], key=lambda e: e.organisation.name)
    file = lambda e: reverse("supervision:agency_file", args=[e.pk])  # noqa: E731
    client = client_for(people.police_nanning)
    first, second = _hrefs(client, "?tab=agencies"), _hrefs(client, "?tab=agencies&page=2")
    assert len(first) == 25 and len(second) == 5
    assert first + second == [file(e) for e in expected]
    assert _hrefs(client, "?tab=agencies&page=99") == second  # past the end: the last page


def test_the_upcoming_tabs_pages_together_are_every_evaluation_soonest_first(people, client_for):
    nanning = region(NANNING)
    entry = directory_entry(OrganisationFactory(name="甲培训学校", region=nanning))
    offsets = [9, 2, 30, 14, 0, 21, 5, 27, 11, 18, 3, 25, 7, 16, 29, 1, 23, 12, 8, 20, 4, 26, 15, 10, 28, 6, 19, 13]
    plans = [
        Plan.objects.create(
            entry=entry,
            created_by=people.agency_nanning,
            status="announced",
            **plan_fields(first_day=dt.date(2026, 3, 16) + dt.timedelta(days=d), last_day=dt.date(2026, 4, 30)),
        )
        for d in offsets
    ]
    # Two on the same first day: the one created first comes first.
    plans += [
        Plan.objects.create(
            entry=entry,
            created_by=people.agency_nanning,
            status="announced",
            **plan_fields(first_day=dt.date(2026, 3, 16), last_day=dt.date(2026, 3, 16)),
        )
        for _ in range(2)
    ]
    expected = sorted(plans, key=lambda p: (p.first_day, p.pk))
    client = client_for(people.police_nanning)
    with today_is(MONDAY):
        first, second = _hrefs(client, "?tab=upcoming"), _hrefs(client, "?tab=upcoming&page=2")
    assert len(first) == 25 and len(second) == 5
    assert first + second == [_plan_link(p) for p in expected]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("tab", ["agencies", "registrations", "upcoming", "past", "flagged"])
def test_a_tabs_last_page_asks_as_many_queries_with_one_page_as_with_three(people, client_for, tab):
    nanning = region(NANNING)
    client = client_for(people.police_nanning)
    url = f"{WORKSPACE}?tab={tab}&page=99"

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            entry = directory_entry(OrganisationFactory(name=f"计数培训学校{i:03d}", region=nanning))
            if i % 2:
                _registration(entry, nanning, status="confirmed" if i % 4 == 1 else "submitted")
            for status, first in (("announced", dt.date(2026, 3, 16)), ("announced", dt.date(2026, 2, 2))):
                Plan.objects.create(
                    entry=entry,
                    created_by=people.agency_nanning,
                    status=status,
                    **plan_fields(first_day=first + dt.timedelta(days=i % 7), last_day=first + dt.timedelta(days=8)),
                )

    with today_is(MONDAY):
        grow(4, 0)
        client.get(url)  # the session's first save
        small = _count(client, url)
        grow(56, 4)
        large = _count(client, url)
    assert large == small, f"{tab}: {small} queries with 4 agencies, {large} with 60"


def test_the_alert_counts_every_unregistered_agency_and_names_the_first_ten(people, client_for):
    """13 of 南宁's agencies have no registration with its police that stands (one only a returned one): the card
    counts 13, the alert names the first ten by name and says there are more."""
    nanning = region(NANNING)
    names = [f"未报备培训学校{i:02d}" for i in (12, 3, 7, 1, 10, 5, 2, 11, 9, 4, 8, 6)]
    for name in names:
        directory_entry(OrganisationFactory(name=name, region=nanning))
    returned = directory_entry(OrganisationFactory(name="未报备培训学校00", region=nanning))
    _registration(returned, nanning, status="returned")
    registered = directory_entry(OrganisationFactory(name="已报备培训学校", region=nanning))
    _registration(registered, nanning, status="submitted")
    html = client_for(people.police_nanning).get(WORKSPACE).content.decode()
    card = re.search(r"未办理公安报备登记的备案机构</div><div[^>]*>(\d+)</div>", html)
    assert card is not None and card.group(1) == "13"
    alert = re.search(r'<div class="alert alert-warning" role="alert">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", alert) == [f"未报备培训学校{i:02d}" for i in range(10)]
    # More than ten: “…”, then the link to the jurisdiction's list of all thirteen (round 8 item 7).
    assert "未报备培训学校09</a> …" in alert and "查看全部 13 家机构" in alert


def test_the_agencies_tab_counts_upcoming_announced_evaluations_here_and_a_returned_registration_as_none(
    people, client_for
):
    nanning, liuzhou = region(NANNING), region(LIUZHOU)
    entry = directory_entry(OrganisationFactory(name="甲培训学校", region=nanning), institution_code="Y45010000009")
    _registration(entry, nanning, status="returned")
    for status, first, city in (
        ("announced", dt.date(2026, 3, 16), nanning),  # counted
        ("announced", dt.date(2026, 3, 30), nanning),  # counted
        ("ready", dt.date(2026, 3, 23), nanning),  # not announced
        ("announced", dt.date(2026, 2, 2), nanning),  # past
        ("announced", dt.date(2026, 3, 17), liuzhou),  # elsewhere
    ):
        Plan.objects.create(
            entry=entry,
            created_by=people.agency_nanning,
            status=status,
            **plan_fields(city=city, first_day=first, last_day=first + dt.timedelta(days=1)),
        )
    with today_is(MONDAY):
        rows = _table(_rows(client_for(people.police_nanning), "?tab=agencies"))
    file = reverse("supervision:agency_file", args=[entry.pk])
    assert rows == [(file, ["甲培训学校 Y45010000009", "南宁市", "全区", "正常", "未报备", "2"])]


def test_the_flagged_tabs_pager_counts_the_flagged_plans_once_with_the_alerts(people, client_for, evaluations):
    """The four flagged plans of the fixture (乙's two in 南宁, 丙's waiting one, the refused one): the pager's
    count is the alerts' count of the flagged plans, the flagged scan runs once (its keys are the tab's list) and no
    count of the plans is asked."""
    client = client_for(people.police_nanning)
    with today_is(MONDAY):
        client.get(WORKSPACE)  # the session's first save
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{WORKSPACE}?tab=flagged")
    page, flags = response.context["page"], response.context["flags"]
    assert page.paginator.count == 4 and page.paginator.num_pages == 1 and len(page.object_list) == 4
    plan_counts = [
        q["sql"] for q in captured.captured_queries if 'FROM "supervision_plan"' in q["sql"] and "COUNT(" in q["sql"]
    ]
    assert plan_counts == []
    scans = [q["sql"] for q in captured.captured_queries if "awaiting_consent" in q["sql"]]
    assert len(scans) == 1, scans  # the alerts' read of the flagged plans only
    # 乙's two evaluations in 南宁 (one waiting for consent) and 丙's, unregistered; 甲's refused one; first day first.
    assert (flags.flagged, flags.awaiting_consent, flags.refused, flags.unregistered_evaluations) == (4, 1, 1, 3)
    flagged = [evaluations[name].pk for name in ("visitor", "waiting", "awaiting", "refused")]
    assert flags.flagged_keys == flagged == [row["pk"] for row in page.object_list]


def test_the_alerts_count_each_kind_of_flagged_plan_apart(people, client_for, evaluations):
    """A second refused plan of 甲 (registered with 南宁's police): two refused, one waiting for consent, three
    evaluations without a confirmed registration here, five flagged in all, on every tab."""
    refused = evaluations["refused"]
    Plan.objects.create(
        entry=refused.entry,
        created_by=people.agency_nanning,
        status="refused",
        **plan_fields(first_day=dt.date(2026, 4, 21), last_day=dt.date(2026, 4, 22)),
    )
    client = client_for(people.police_nanning)
    with today_is(MONDAY):
        for tab in ("agencies", "flagged"):
            flags = client.get(f"{WORKSPACE}?tab={tab}").context["flags"]
            assert (flags.flagged, flags.awaiting_consent, flags.refused, flags.unregistered_evaluations) == (
                5,
                1,
                2,
                3,
            )
