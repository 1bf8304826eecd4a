import datetime as dt

import pytest

from portal.lib.workdays import add_workdays, is_workday, workdays_between, years_missing_schedule
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
    # 31 Dec 2026 (Thu) + 5 working days in 2027 (the package raises for 2027): 1, 4, 5, 6, 7 January.
    assert add_workdays(D(2026, 12, 31), 5) == D(2027, 1, 7)
    assert not is_workday(D(2027, 1, 2))  # Saturday


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
