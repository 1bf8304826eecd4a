"""Due dates of the reports (Shaanxi 四（四）): the 20th of the quarter's last month from Q2 2024, 10 December for
the year; a due day that is not a working day moves to the last working day before it. Expected dates typed
from the State Council's calendars (and a plain Monday–Friday week for 2027, which the package does not know)."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.models import WorkdayOverride
from reports.periods import Period, due_periods

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("period", "due"),
    [
        (Period(2024, 2), D(2024, 6, 20)),  # Thursday: the first report the source asks for
        (Period(2025, 1), D(2025, 3, 20)),  # Thursday
        (Period(2025, 2), D(2025, 6, 20)),  # Friday
        (Period(2025, 3), D(2025, 9, 19)),  # 20 September is a Saturday: the Friday before
        (Period(2025, 4), D(2025, 12, 19)),  # 20 December is a Saturday
        (Period(2025), D(2025, 12, 10)),  # Wednesday
        (Period(2026, 1), D(2026, 3, 20)),  # Friday
        # 20 June 2026 is in the Dragon Boat holiday (19–21 June): not the 19th either, Thursday the 18th.
        (Period(2026, 2), D(2026, 6, 18)),
        # 20 September 2026 is a Sunday worked in exchange for the National Day holiday: due that Sunday.
        (Period(2026, 3), D(2026, 9, 20)),
        (Period(2026, 4), D(2026, 12, 18)),  # Sunday → Friday
        (Period(2026), D(2026, 12, 10)),  # Thursday
        # 2027: the package raises for it; the calendar falls back to Monday–Friday.
        (Period(2027, 1), D(2027, 3, 19)),  # Saturday → Friday
        (Period(2027, 2), D(2027, 6, 18)),  # Sunday → Friday
        (Period(2027, 3), D(2027, 9, 20)),  # Monday
        (Period(2027), D(2027, 12, 10)),  # Friday
    ],
)
def test_due_date(period, due):
    assert period.due() == due


def test_an_entered_holiday_moves_the_due_date_before_it():
    WorkdayOverride.objects.create(date=D(2027, 9, 20), is_workday=False, note="test holiday")
    assert Period(2027, 3).due() == D(2027, 9, 17)


def test_an_entered_working_saturday_keeps_the_due_date_on_it():
    WorkdayOverride.objects.create(date=D(2027, 3, 20), is_workday=True, note="调休")
    assert Period(2027, 1).due() == D(2027, 3, 20)


def test_periods_and_their_days():
    assert (Period(2025, 1).start, Period(2025, 1).end) == (D(2025, 1, 1), D(2025, 3, 31))
    assert (Period(2024, 4).start, Period(2024, 4).end) == (D(2024, 10, 1), D(2024, 12, 31))
    assert (Period(2024).start, Period(2024).end) == (D(2024, 1, 1), D(2024, 12, 31))
    assert Period.quarter_of(D(2025, 8, 31)) == Period(2025, 3)


def test_quarterly_reports_start_with_the_second_quarter_of_2024():
    assert not Period(2024, 1).required
    assert Period(2024, 2).required
    assert Period(2024).required
    assert not Period(2023).required


@pytest.mark.parametrize(
    ("code", "period"), [("2025Q2", Period(2025, 2)), ("2025", Period(2025)), ("2025q4", Period(2025, 4))]
)
def test_period_codes(code, period):
    assert Period.parse(code) == period
    assert Period.parse(period.code) == period


@pytest.mark.parametrize("code", ["", "2025Q5", "2025Q0", "25Q1", "abc", "1999", "2025Q1x"])
def test_bad_period_codes(code):
    assert Period.parse(code) is None


def test_due_periods_with_five_working_days_lead():
    # Q2 2025 is due Friday 20 June. Five working days ahead reach it from Friday 13 June, not from the 12th.
    assert due_periods(D(2025, 6, 12), lead_workdays=5) == []
    assert due_periods(D(2025, 6, 13), lead_workdays=5) == [Period(2025, 2)]
    assert due_periods(D(2025, 6, 20), lead_workdays=5) == [Period(2025, 2)]
    assert due_periods(D(2025, 6, 21), lead_workdays=5) == []
    # Early December: the year's report (10 Dec) and Q4 (19 Dec) together.
    assert due_periods(D(2025, 12, 12), lead_workdays=5) == [Period(2025, 4)]
    assert due_periods(D(2025, 12, 4), lead_workdays=5) == [Period(2025)]
