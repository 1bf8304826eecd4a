"""Working days on the Chinese holiday calendar, with its adjusted working weekends (调休).

The ``chinesecalendar`` package knows the State Council's schedule for the years it ships (up to 2026 in
the pinned version); admin-entered ``WorkdayOverride`` rows take precedence over it. For a year the package
does not cover, a day is a working day when it is Monday to Friday and not one of the statutory holidays on a
fixed solar date (``FIXED_HOLIDAYS``), unless an override says otherwise — so a deadline in 2027 never crashes
nor falls on New Year's Day, and the admin's home page warns until that year's schedule (the lunar holidays,
the bridged weekends) is entered.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar
from django.utils.translation import gettext_lazy as _

from portal.models import WorkdayOverride

# 全国年节及纪念日放假办法 as amended in 2024 (in force from 2025), article 2: the holidays of every citizen that
# fall on a fixed solar date — 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October. The lunar ones (除夕, 春节,
# 端午, 中秋) and 清明 (a solar term) need the State Council's yearly schedule: no lunar calendar is installed, so
# for a year the package does not know they come from admin overrides.
FIXED_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): "New Year's Day",
    (5, 1): "Labour Day",
    (5, 2): "Labour Day",
    (10, 1): "National Day",
    (10, 2): "National Day",
    (10, 3): "National Day",
}

# The names the package gives its holidays, shown to users.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
}


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


def _fallback_workday(day: dt.date) -> bool:
    """A year the package does not know: Monday to Friday, less the fixed-date statutory holidays."""
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def holiday_name(day: dt.date) -> str | None:
    """The public holiday ``day`` falls on (its name, or the admin's note), or None: an ordinary weekend is none.

    An admin override wins: a working day entered is not a holiday; a rest day entered on a weekday is one, and so
    is one entered on a weekend with a note (the admin's schedule of 2027's National Day names its Saturday as the
    package names 2026's). A weekend rest day entered without a note adds nothing to the weekend: the calendar
    below names it, or not.
    """
    override = WorkdayOverride.objects.filter(date=day).values_list("is_workday", "note").first()
    if override is not None:
        is_workday_, note = override
        if is_workday_:
            return None
        if note or day.weekday() < 5:
            return note or str(_("a public holiday"))
    if package_covers(day.year):
        rest, name = chinese_calendar.get_holiday_detail(day)  # a worked weekend day carries its holiday's name
        return str(HOLIDAY_NAMES.get(name, name)) if rest and name else None
    name = FIXED_HOLIDAYS.get((day.month, day.day))
    return str(HOLIDAY_NAMES[name]) if name else None


def holidays_within(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """The public holidays from ``first`` to ``last``, both included (at most a year's worth is looked at)."""
    days = min((last - first).days, 366)
    found = []
    for n in range(days + 1):
        day = first + dt.timedelta(days=n)
        name = holiday_name(day)
        if name:
            found.append((day, name))
    return found


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
                    workday = package[n] if package is not None else _fallback_workday(day)
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
