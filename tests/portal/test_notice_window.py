"""One rule for the end of a public notice's period (公示): "不少于5个工作日" (Guangxi 2020 三（五）) — the period
holds exactly the number of working days it announces, the day of publication counted when it is a working day
(first-day finding qa5 item 2: a notice said "5 个工作日" over a range of 6).

Expected dates typed from the State Council's 2026 holiday schedule: Spring Festival 15–23 February off with
Saturday 14 February worked; Mid-Autumn Friday 25 September off; National Day 1–7 October off with Saturday
10 October worked."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.lib.workdays import Calendar, window_end, workdays_between

D = dt.date


@pytest.mark.parametrize(
    ("first", "days", "last"),
    [
        # An ordinary week: Monday to Friday.
        (D(2026, 9, 7), 5, D(2026, 9, 11)),
        # Published on a Friday: Friday, then Monday to Thursday.
        (D(2026, 9, 4), 5, D(2026, 9, 10)),
        # Published on a Saturday (a rest day): the period starts on Monday.
        (D(2026, 9, 12), 5, D(2026, 9, 18)),
        # Just below the Mid-Autumn holiday: Wed 23, Thu 24, (Fri 25 to Sun 27 off), Mon 28, Tue 29, Wed 30.
        (D(2026, 9, 23), 5, D(2026, 9, 30)),
        # Over National Day: Tue 29, Wed 30, (1–7 October off), Thu 8, Fri 9, Sat 10 (worked).
        (D(2026, 9, 29), 5, D(2026, 10, 10)),
        # Published on the holiday itself: 8, 9, 10 (Saturday worked), 12, 13 October.
        (D(2026, 10, 1), 5, D(2026, 10, 13)),
        # Published on the worked Saturday: it counts.
        (D(2026, 10, 10), 5, D(2026, 10, 15)),
        # After the holiday: Thu 8, Fri 9, Sat 10 (worked), (Sunday 11 not), Mon 12, Tue 13 October.
        (D(2026, 10, 8), 5, D(2026, 10, 13)),
        # Spring Festival: Fri 13, Sat 14 (worked), (15–23 off), Tue 24, Wed 25, Thu 26 February.
        (D(2026, 2, 13), 5, D(2026, 2, 26)),
        # The shortest period: one working day is the day itself; published on a Sunday, the Monday.
        (D(2026, 9, 7), 1, D(2026, 9, 7)),
        (D(2026, 9, 6), 1, D(2026, 9, 7)),
        # A longer one: ten working days from Monday 21 September (21–24, 28–30 September, 8, 9 and the worked
        # Saturday 10 October).
        (D(2026, 9, 21), 10, D(2026, 10, 10)),
    ],
)
def test_the_period_ends_on_its_last_working_day(db, first, days, last):
    assert window_end(first, days) == last
    # The range from the first day to the last, both included, holds exactly the announced working days.
    assert workdays_between(first - dt.timedelta(days=1), last) == days
    # One day less would hold one working day fewer: the end is not a day late either.
    assert workdays_between(first - dt.timedelta(days=1), last - dt.timedelta(days=1)) == days - 1


def test_a_period_of_no_working_day_is_refused(db):
    with pytest.raises(ValueError):
        Calendar().window_end(D(2026, 9, 7), 0)
