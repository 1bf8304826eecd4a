"""Report periods and their due dates (Shaanxi 2023 implementation, 四（四）).

The source: "自2024年第二季度开始，每季度最后一个月20日前报送本季度工作进展情况，
每年12月10日前报送本年度……整体工作情况".
So a quarter's report is due on the 20th of the quarter's last month (March, June, September, December), from the
second quarter of 2024; the year's report on 10 December.

**The holiday rule we chose:** when that day is not a working day (a weekend or a holiday on the State Council's
calendar, adjusted working weekends counted as working days), the report is due on the *last working day before
it*. "20日前" reads as "by the 20th"; moving the deadline later (the usual rule for administrative time limits)
would let a department file on, say, 22 June and still be on time by the portal while late by the calendar the
province reads. Moving it earlier never makes a report late by the calendar. Working days come from
``portal.lib.workdays.Calendar``, which falls back to Monday–Friday for a year the holiday package does not ship
(2027 onwards) unless the administrator has entered that year's schedule — it never raises.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.lib.workdays import Calendar

FIRST_QUARTER = (2024, 2)  # the first report the source asks for
QUARTER_DUE_DAY = 20
YEAR_DUE = (12, 10)


@dataclass(frozen=True, order=True)
class Period:
    """A quarter (``quarter`` 1–4) or a whole year (``quarter`` None)."""

    year: int
    quarter: int | None = None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def nominal_due(self) -> dt.date:
        """The day the source names, before the holiday rule."""
        if self.quarter is None:
            return dt.date(self.year, *YEAR_DUE)
        return dt.date(self.year, 3 * self.quarter, QUARTER_DUE_DAY)

    def due(self, calendar: Calendar | None = None) -> dt.date:
        """The due date: the nominal day, or the last working day before it when it is not a working day."""
        calendar = calendar or Calendar()
        day = self.nominal_due
        while not calendar.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    @property
    def code(self) -> str:
        """``2025Q2`` or ``2025``: in URLs, file names and forms."""
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        if self.quarter is None:
            return _("%(year)s (whole year)") % {"year": self.year}
        return _("%(year)s, quarter %(quarter)s") % {"year": self.year, "quarter": self.quarter}

    @property
    def required(self) -> bool:
        """Whether the source asks for this report (quarters from Q2 2024; years from 2024)."""
        if self.quarter is None:
            return self.year >= FIRST_QUARTER[0]
        return (self.year, self.quarter) >= FIRST_QUARTER

    @classmethod
    def parse(cls, code: str) -> Period | None:
        """``2025Q2`` or ``2025`` → a Period; anything else → None."""
        match = re.fullmatch(r"(\d{4})(?:Q([1-4]))?", (code or "").strip().upper())
        if not match:
            return None
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            return None
        return cls(year, int(match.group(2)) if match.group(2) else None)

    @classmethod
    def quarter_of(cls, day: dt.date) -> Period:
        return cls(day.year, (day.month - 1) // 3 + 1)


def due_periods(today: dt.date, *, lead_workdays: int, calendar: Calendar | None = None) -> list[Period]:
    """The required periods whose report is due within ``lead_workdays`` working days from ``today`` (today
    counted) and not yet past: what the scheduled task generates."""
    calendar = calendar or Calendar()
    horizon = today
    for _n in range(lead_workdays):
        horizon = calendar.add_workdays(horizon, 1)
    candidates = [Period(today.year, q) for q in range(1, 5)] + [Period(today.year)]
    return [p for p in candidates if p.required and today <= p.due(calendar) <= horizon]
