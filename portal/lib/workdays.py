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


class Calendar:
    """Answers working-day questions, reading the overrides of each year it touches once."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, bool]] = {}

    def _year(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            rows = WorkdayOverride.objects.filter(date__year=year).values_list("date", "is_workday")
            self._overrides[year] = dict(rows)
        return self._overrides[year]

    def is_workday(self, day: dt.date) -> bool:
        override = self._year(day.year).get(day)
        if override is not None:
            return override
        if package_covers(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

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

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 when ``end`` is not after ``start``."""
        days = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            days += self.is_workday(day)
        return days


def is_workday(day: dt.date) -> bool:
    return Calendar().is_workday(day)


def add_workdays(start: dt.date, count: int) -> dt.date:
    return Calendar().add_workdays(start, count)


def workdays_between(start: dt.date, end: dt.date) -> int:
    return Calendar().workdays_between(start, end)


def years_missing_schedule(today: dt.date) -> list[int]:
    """This year and next, where neither the package nor any override gives the holiday schedule."""
    years = [today.year, today.year + 1]
    entered = set(WorkdayOverride.objects.filter(date__year__in=years).dates("date", "year"))
    entered_years = {d.year for d in entered}
    return [y for y in years if not package_covers(y) and y not in entered_years]
