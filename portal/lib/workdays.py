"""Working days on the Chinese holiday calendar, with its adjusted working weekends (调休).

The ``chinesecalendar`` package knows the State Council's schedule for the years it ships (up to 2026 in
the pinned version); admin-entered ``WorkdayOverride`` rows take precedence over it. For a year the package
does not cover, a day is a working day when it is Monday to Friday, unless an override says otherwise — so
a deadline in 2027 never crashes, and the admin's home page warns until that year's schedule is entered.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar

from portal.models import WorkdayOverride


@cache
def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache
def _package_year(year: int) -> tuple[bool, ...] | None:
    """Whether each day of ``year`` is a working day by the package, or None for a year it does not know.

    Asked once per year and process: the package checks its whole table on every call, and the reviewers'
    queues ask for the working days elapsed of every row they show (issue 16 measured 40 % of a queue there).
    """
    if not package_covers(year):
        return None
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    return tuple(chinese_calendar.is_workday(first + dt.timedelta(days=n)) for n in range(days))


class Calendar:
    """Answers working-day questions, reading the overrides of each year it touches once.

    Each year becomes a list of running totals of its working days, so the working days between two dates are
    a subtraction instead of a walk from one to the other.
    """

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, bool]] = {}
        self._running: dict[int, list[int]] = {}

    def _year(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            rows = WorkdayOverride.objects.filter(date__year=year).values_list("date", "is_workday")
            self._overrides[year] = dict(rows)
        return self._overrides[year]

    def _totals(self, year: int) -> list[int]:
        """``totals[n]``: the working days among the first ``n`` days of ``year``."""
        if year not in self._running:
            first = dt.date(year, 1, 1)
            package = _package_year(year)
            overrides = self._year(year)
            totals = [0]
            for n in range((dt.date(year + 1, 1, 1) - first).days):
                day = first + dt.timedelta(days=n)
                workday = overrides.get(day)
                if workday is None:
                    workday = package[n] if package is not None else day.weekday() < 5
                totals.append(totals[-1] + workday)
            self._running[year] = totals
        return self._running[year]

    def _through(self, day: dt.date) -> int:
        """Working days from 1 January of ``day``'s year up to and including ``day``."""
        return self._totals(day.year)[day.timetuple().tm_yday]

    def is_workday(self, day: dt.date) -> bool:
        totals = self._totals(day.year)
        n = day.timetuple().tm_yday
        return totals[n] > totals[n - 1]

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The day that is ``count`` working days after ``start`` (``start`` itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def window_end(self, first: dt.date, count: int) -> dt.date:
        """The last day of a period of ``count`` working days that opens on ``first``: ``first`` is the period's
        first working day when it is one (published on a Monday, a 5-day notice runs Monday to Friday); opened on
        a rest day, the period starts on the next working day. From ``first`` to the result, both included, lie
        exactly ``count`` working days (公示 "不少于5个工作日", Guangxi 2020 三（五）)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        return self.add_workdays(first, count - 1 if self.is_workday(first) else count)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 when ``end`` is not after ``start``."""
        if end <= start:
            return 0
        whole_years = sum(self._totals(year)[-1] for year in range(start.year, end.year))
        return whole_years + self._through(end) - self._through(start)


def is_workday(day: dt.date) -> bool:
    return Calendar().is_workday(day)


def add_workdays(start: dt.date, count: int) -> dt.date:
    return Calendar().add_workdays(start, count)


def workdays_between(start: dt.date, end: dt.date) -> int:
    return Calendar().workdays_between(start, end)


def window_end(first: dt.date, count: int) -> dt.date:
    return Calendar().window_end(first, count)


def years_missing_schedule(today: dt.date) -> list[int]:
    """This year and next, where neither the package nor any override gives the holiday schedule."""
    years = [today.year, today.year + 1]
    entered = set(WorkdayOverride.objects.filter(date__year__in=years).dates("date", "year"))
    entered_years = {d.year for d in entered}
    return [y for y in years if not package_covers(y) and y not in entered_years]
