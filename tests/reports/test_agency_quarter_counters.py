"""An agency's quarterly figures (its home dashboard, ``report_content(organisation=)``) count what their labels say:
"异地报备：已同意" the cross-region reports consented in the quarter (answered weeks before the plan's exam day,
often the quarter before it), "发布公示" the notices the agency published in the quarter (its results notices).
Both were 0 for an agency whatever it did (first-day tester). Checked on, below and above the quarter's bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from certificates.services import results_publicise
from publicity.models import Notice
from reports.periods import Period
from reports.selectors import report_content
from supervision.models import CrossRegionReport
from tests.certificates.factories import ID_A, announced_plan, candidates, filed_entry, session_of
from tests.supervision.factories import today_is

Q4 = Period(2026, 4)  # 1 October – 31 December 2026, Asia/Shanghai


def _at(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


# (moment, counted in Q4): the first and last minute of the quarter, and the minute before and after it.
BOUNDS = [
    (_at(dt.date(2026, 9, 30), 23, 59), False),
    (_at(dt.date(2026, 10, 1)), True),
    (_at(dt.date(2026, 12, 31), 23, 59), True),
    (_at(dt.date(2027, 1, 1)), False),
]


def _figure(content: dict, section: str, row: str) -> int:
    found = next(s for s in content["sections"] if s["key"] == section)
    return next(r for r in found["rows"] if r["key"] == row)["values"][0]


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning, institution_code="S000045000001")


def _cross_report(entry, people, *, status: str, submitted: dt.datetime, decided: dt.datetime | None):
    # The plan's exam day in the next quarter, as a plan consented in December is held in January.
    plan = announced_plan(entry, people.agency_nanning, days_ago=-60)
    plan.first_day = plan.last_day = dt.date(2027, 1, 20)
    plan.save(update_fields=["first_day", "last_day"])
    return CrossRegionReport.objects.create(
        plan=plan, status=status, submitted_at=submitted, deadline=dt.date(2027, 1, 5), decided_at=decided
    )


@pytest.mark.parametrize(("moment", "counted"), BOUNDS)
def test_a_cross_region_report_counts_as_consented_in_the_quarter_it_was_consented(entry, people, moment, counted):
    _cross_report(entry, people, status="consented", submitted=moment - dt.timedelta(days=3), decided=moment)
    for organisation in (people.org_nanning, None):  # the agency's figures and its city's report alike
        content = report_content(region=people.org_nanning.region, period=Q4, organisation=organisation)
        assert _figure(content, "plans", "cross_consented") == (1 if counted else 0)
        assert _figure(content, "plans", "cross_pending") == 0


@pytest.mark.parametrize(("moment", "counted"), BOUNDS)
def test_a_report_still_awaiting_counts_in_the_quarter_it_was_made(entry, people, moment, counted):
    _cross_report(entry, people, status="pending", submitted=moment, decided=None)
    content = report_content(region=people.org_nanning.region, period=Q4, organisation=people.org_nanning)
    assert _figure(content, "plans", "cross_pending") == (1 if counted else 0)
    assert _figure(content, "plans", "cross_consented") == 0


def test_another_agency_s_consented_report_is_not_counted(entry, people):
    _cross_report(entry, people, status="consented", submitted=BOUNDS[1][0], decided=BOUNDS[1][0])
    content = report_content(region=people.org_liuzhou.region, period=Q4, organisation=people.org_liuzhou)
    assert _figure(content, "plans", "cross_consented") == 0


@pytest.mark.parametrize(("moment", "counted"), BOUNDS)
def test_the_agency_s_results_notice_counts_as_published_in_its_quarter(entry, people, moment, counted):
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A)])
    with today_is(dt.date(2026, 11, 2)):
        session = results_publicise(session=session, by=people.agency_nanning, window_days=5)
    Notice.objects.filter(pk=session.notice_id).update(published_at=moment)
    mine = report_content(region=people.org_nanning.region, period=Q4, organisation=people.org_nanning)
    assert _figure(mine, "notices", "notices") == (1 if counted else 0)
    other = report_content(region=people.org_liuzhou.region, period=Q4, organisation=people.org_liuzhou)
    assert _figure(other, "notices", "notices") == 0
