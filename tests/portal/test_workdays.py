import datetime as dt

import pytest

from portal.lib.workdays import (
    add_workdays,
    holiday_name,
    holidays_within,
    is_workday,
    workdays_between,
    years_missing_schedule,
)
from portal.models import WorkdayOverride

pytestmark = pytest.mark.django_db
D = dt.date


def test_national_day_week_is_not_working():
    assert [is_workday(D(2026, 10, day)) for day in range(1, 8)] == [False] * 7


def test_adjusted_working_sunday_and_saturday_count_as_working_days():
    assert is_workday(D(2026, 9, 20))  # Sunday worked before National Day
    assert is_workday(D(2026, 10, 10))  # Saturday worked after it
    assert not is_workday(D(2026, 9, 19))  # an ordinary Saturday


def test_deadline_of_ten_working_days_skips_the_national_day_holiday():
    # Submitted on 30 September: 8, 9, 10 (Saturday, worked), 12–16, 19, 20 October.
    assert add_workdays(D(2026, 9, 30), 10) == D(2026, 10, 20)


def test_deadline_counts_the_adjusted_working_sunday():
    # From Friday 18 September: Sunday 20th is a working day, so 3 working days end on Tuesday 22nd.
    assert add_workdays(D(2026, 9, 18), 3) == D(2026, 9, 22)


def test_workdays_between_across_the_holiday():
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 12)) == 4  # 8, 9, 10, 12 October
    assert workdays_between(D(2026, 10, 12), D(2026, 9, 30)) == 0


def test_a_year_the_package_does_not_know_falls_back_to_weekends_without_crashing():
    # 31 Dec 2026 (Thu) + 5 working days in 2027 (the package raises for 2027): 元旦 (Friday 1 January) is a
    # statutory holiday, so 4, 5, 6, 7, 8 January.
    assert add_workdays(D(2026, 12, 31), 5) == D(2027, 1, 8)
    assert not is_workday(D(2027, 1, 2))  # Saturday


def test_the_fixed_date_statutory_holidays_rest_in_a_year_the_package_does_not_know():
    # 全国年节及纪念日放假办法 (2024): 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October.
    assert not is_workday(D(2027, 1, 1))  # Friday
    assert not is_workday(D(2027, 10, 1))  # Friday
    assert is_workday(D(2027, 1, 4))  # the Monday after
    assert is_workday(D(2027, 5, 3))  # Monday: no bridged holiday without the State Council's schedule
    assert is_workday(D(2027, 10, 4))  # Monday
    assert is_workday(D(2027, 12, 31))  # Friday: not a holiday
    assert add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 4)
    assert holiday_name(D(2027, 1, 1)) == "元旦"
    assert holiday_name(D(2027, 5, 2)) == "劳动节"
    assert holiday_name(D(2027, 1, 4)) is None
    assert holiday_name(D(2027, 1, 2)) is None  # an ordinary Saturday


def test_known_years_are_unchanged_and_named_by_the_package():
    assert is_workday(D(2026, 1, 4))  # Sunday worked after 元旦 2026
    assert not is_workday(D(2026, 2, 17))  # 春节
    assert holiday_name(D(2026, 2, 17)) == "春节"
    assert holiday_name(D(2026, 10, 3)) == "国庆节"
    assert holiday_name(D(2026, 9, 19)) is None  # an ordinary Saturday
    assert holiday_name(D(2026, 9, 20)) is None  # a worked Sunday


def test_an_override_wins_over_the_fixed_date_fallback():
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=True, note="test")
    WorkdayOverride.objects.create(date=D(2027, 2, 8), is_workday=False, note="春节")
    assert is_workday(D(2027, 1, 1))
    assert holiday_name(D(2027, 1, 1)) is None
    assert not is_workday(D(2027, 2, 8))
    assert holiday_name(D(2027, 2, 8)) == "春节"
    assert [day for day, _name in holidays_within(D(2027, 1, 1), D(2027, 2, 10))] == [D(2027, 2, 8)]


def test_admin_overrides_win_over_the_package_and_the_fallback():
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    WorkdayOverride.objects.create(date=D(2026, 10, 11), is_workday=True, note="test")
    assert not is_workday(D(2027, 1, 1))
    assert is_workday(D(2026, 10, 11))
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_missing_schedule_is_reported_until_an_override_is_entered():
    assert years_missing_schedule(D(2026, 11, 23)) == [2027]
    WorkdayOverride.objects.create(date=D(2027, 2, 11), is_workday=False, note="春节")
    assert years_missing_schedule(D(2026, 11, 23)) == []


def test_workdays_between_agrees_with_counting_day_by_day_over_three_years():
    # The running totals must give what a walk over the calendar gives, across year ends, the holidays the
    # package knows (2025, 2026) and a year it does not (2027), with an admin override inside the span.
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    start = D(2025, 1, 1)
    days = [start + dt.timedelta(days=n) for n in range(3 * 365)]
    flags = [is_workday(day) for day in days]
    for first, last in [(0, 1), (0, 364), (10, 400), (360, 730), (700, 1094), (500, 500)]:
        expected = sum(flags[first + 1 : last + 1])
        assert workdays_between(days[first], days[last]) == expected, (days[first], days[last])


def test_workdays_between_a_whole_known_year():
    # The State Council's 2026 schedule: 261 weekdays (the year starts on a Thursday), less 19 holidays on
    # weekdays (元旦 1–2 Jan, 春节 16–20 and 23 Feb, 清明 6 Apr, 劳动节 1, 4, 5 May, 端午 19 Jun, 中秋 25 Sep,
    # 国庆 1, 2, 5, 6, 7 Oct), plus 6 worked weekend days (4 Jan, 14 and 28 Feb, 9 May, 20 Sep, 10 Oct): 248.
    assert workdays_between(D(2025, 12, 31), D(2026, 12, 31)) == 248
