"""The police workspace (``/supervision/jurisdiction/``) asks the database the same number of questions whatever
the size of the jurisdiction: for each tab and each export, the SQL queries of the 南宁 police are counted with
3 agencies and 5 plans, then again with 30 agencies and 60 plans (more than a page of 25 in every tab).
``bench/police_workspace.py`` times the same pages with 2,000 agencies and 50,000 plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Department
from supervision.models import CrossRegionReport, Plan, PoliceRegistration
from supervision.views.plans import TABS
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import DepartmentFactory, region
from tests.supervision.factories import LIUZHOU, NANNING, occupation

pytestmark = pytest.mark.django_db

# (status, city, upcoming): every tab shows rows for 南宁 at both sizes (the first five plans suffice): announced
# plans upcoming and past, one awaiting the consent of 柳州, one refused, one ready (flagged when its agency has no
# confirmed registration in 南宁), and drafts and withdrawn ones that no tab lists.
CYCLE = [
    ("announced", 0, True),
    ("announced", 0, False),
    ("awaiting_consent", 1, True),
    ("refused", 0, True),
    ("ready", 0, True),
    ("draft", 0, True),
    ("withdrawn", 1, False),
    ("announced", 1, True),
]


class World:
    """The data of one test, grown in steps: ``grow(agencies, plans)`` adds that many of each."""

    def __init__(self, people):
        self.people = people
        self.entries = []
        self.plans = 0
        self.cities = [region(NANNING), region(LIUZHOU)]
        self.hr = DepartmentFactory(name="柳州市人社局（计数）", kind=Department.Kind.HR_BUREAU, region=self.cities[1])

    def grow(self, agencies: int, plans: int) -> None:
        today = timezone.localdate()
        for _ in range(agencies):
            i = len(self.entries)
            home = self.cities[i % 2]
            organisation = OrganisationFactory(name=f"计数测试培训学校{i:03d}", region=home)
            entry = directory_entry(organisation, status="suspended" if i % 5 == 4 else "active")
            self.entries.append(entry)
            if i % 3:  # every third agency has not registered with its city's police
                PoliceRegistration.objects.create(
                    entry=entry,
                    city=home,
                    responsible="王五",
                    phone="0771-5550000",
                    sites="某某路1号",
                    status=["confirmed", "submitted", "returned"][i % 3],
                )
            if home != self.cities[0] and i % 2:  # and some of 柳州 also with 南宁's police
                PoliceRegistration.objects.create(
                    entry=entry, city=self.cities[0], home=False, responsible="赵六", phone="0772-1", sites="考点"
                )
        for _ in range(plans):
            i = self.plans
            self.plans += 1
            entry = self.entries[i % len(self.entries)]
            status, city_index, upcoming = CYCLE[i % len(CYCLE)]
            city = self.cities[city_index]
            first = today + dt.timedelta(days=30 + i if upcoming else -30 - i)
            plan = Plan.objects.create(
                entry=entry,
                city=city,
                occupation=occupation(),
                level=3,
                first_day=first,
                last_day=first + dt.timedelta(days=1),
                venue="考点",
                venue_address="民族大道1号",
                expected_candidates=40,
                examiners=["黄建华", "韦海燕", "李秀兰"],
                supervisor="潘国庆",
                fee="380.00",
                status=status,
                created_by=self.people.agency_nanning,
            )
            if city != entry.region and status in ("awaiting_consent", "refused", "ready", "announced"):
                CrossRegionReport.objects.create(
                    plan=plan,
                    department=self.hr,
                    status={"awaiting_consent": "pending", "refused": "refused"}.get(status, "consented"),
                    deadline=first - dt.timedelta(days=20),
                )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries)


@pytest.mark.parametrize("tab", TABS)
def test_a_workspace_tab_asks_as_many_queries_for_60_plans_as_for_5(people, client_for, tab):
    world = World(people)
    world.grow(3, 5)
    client = client_for(people.police_nanning)
    url = f"/supervision/jurisdiction/?tab={tab}"
    client.get(url)  # the session's first save is an INSERT after a SELECT
    small = count_queries(client, url)
    world.grow(27, 55)
    large = count_queries(client, url)
    assert large == small, f"{tab}: {small} queries with 3 agencies and 5 plans, {large} with 30 and 60"


def test_every_tab_has_rows_in_the_small_world_and_more_in_the_large_one(people):
    """Else an empty page would skip its query at the small size and the comparison would mean nothing."""
    from supervision.views.plans import _tab_rows

    world = World(people)
    world.grow(3, 5)
    small = {tab: _tab_rows(people.police_nanning, tab).count() for tab in TABS}
    world.grow(27, 55)
    large = {tab: _tab_rows(people.police_nanning, tab).count() for tab in TABS}
    assert all(small.values()), small
    assert all(large[tab] > small[tab] for tab in TABS), (small, large)
    assert large["agencies"] > 25, "the agencies tab has a second page"


@pytest.mark.parametrize("tab", TABS)
def test_an_export_asks_as_many_queries_for_60_plans_as_for_5(people, client_for, tab):
    world = World(people)
    world.grow(3, 5)
    client = client_for(people.police_nanning)
    url = f"/supervision/jurisdiction/{tab}.xlsx"
    client.get(url)
    small = count_queries(client, url)
    world.grow(27, 55)
    large = count_queries(client, url)
    assert large == small, f"{tab}.xlsx: {small} queries with 3 agencies and 5 plans, {large} with 30 and 60"
