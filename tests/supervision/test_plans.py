"""Evaluation plans (认定计划) and their announcements (认定公告).

Sources: 桂人社函〔2020〕203号 三（五） (announce at least 10 working days before the evaluation), 四（二） (within the
approved occupations and area; 不相容岗位分离); the security-manager call 二 (a province-wide agency evaluating
outside its registered city reports to that city's HR bureau and may start only after its consent); DESIGN §4
(≥ 3 examiners per occupation; city scope: level 3 and below, its own city). Working days follow the Chinese
holiday calendar with its adjusted working weekends (调休).
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from portal.lib.errors import WorkflowError
from supervision.models import CrossRegionReport, Plan
from supervision.selectors import plans_public, plans_upcoming_public
from supervision.services import (
    first_allowed_exam_day,
    plan_announce,
    plan_save,
    plan_submit,
    plan_withdraw,
    report_decide,
)
from tests.portal.factories import region
from tests.supervision.factories import (
    LIUZHOU,
    NANNING,
    SUPERVISOR,
    XIAN,
    liuzhou_venue,
    new_plan,
    occupation,
    plan_fields,
    today_is,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # an ordinary fortnight: no holiday between 2 and 16 March 2026
TEN_WORKDAYS_AFTER_MONDAY = dt.date(2026, 3, 16)


def days(first: dt.date) -> dict:
    return {"first_day": first, "last_day": first + dt.timedelta(days=1)}


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# ---------------------------------------------------------------- 10 working days before the first exam day


def test_the_calendar_of_the_ordinary_fortnight_has_no_holiday():
    assert all(
        chinese_calendar.is_workday(MONDAY + dt.timedelta(days=n)) == ((MONDAY + dt.timedelta(days=n)).weekday() < 5)
        for n in range(1, 15)
    )


def test_a_first_exam_day_exactly_ten_working_days_away_is_accepted(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, **days(TEN_WORKDAYS_AFTER_MONDAY))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.first_day == dt.date(2026, 3, 16)
    assert plan.entry == nanning_entry


def test_a_first_exam_day_nine_working_days_away_is_refused_naming_the_first_allowed_day(people, nanning_entry):
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, **days(dt.date(2026, 3, 13)))
    assert list(errors_of(excinfo)) == ["first_day"]
    assert "2026-03-16" in errors_of(excinfo)["first_day"][0]
    assert not Plan.objects.exists()


def test_a_first_exam_day_eleven_working_days_away_is_accepted(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, **days(dt.date(2026, 3, 17)))
    assert Plan.objects.get() == plan


def test_the_national_day_holiday_and_its_adjusted_working_weekends_are_on_the_calendar():
    # The State Council's 2026 schedule as chinesecalendar ships it: 中秋 25–27 September and 国庆 1–7 October
    # off, Sunday 20 September and Saturday 10 October worked.
    assert chinese_calendar.is_workday(dt.date(2026, 9, 20))
    assert chinese_calendar.is_workday(dt.date(2026, 10, 10))
    assert not any(chinese_calendar.is_workday(dt.date(2026, 9, d)) for d in (25, 26, 27))
    assert not any(chinese_calendar.is_workday(dt.date(2026, 10, d)) for d in range(1, 8))


@pytest.mark.parametrize(
    ("today", "first_allowed"),
    [
        # Fri 18 Sep: Sun 20 (worked), 21–24, 28–30 September, 8 and 9 October.
        (dt.date(2026, 9, 18), dt.date(2026, 10, 9)),
        # Wed 23 Sep: 24, 28–30 September, 8, 9, Sat 10 (worked), 12, 13 and 14 October.
        (dt.date(2026, 9, 23), dt.date(2026, 10, 14)),
        # Wed 30 Sep: 8, 9, 10 (Sat, worked), 12–16 and 19, 20 October.
        (dt.date(2026, 9, 30), dt.date(2026, 10, 20)),
    ],
)
def test_across_the_national_day_holiday_the_first_allowed_day_counts_the_holiday_calendar(
    people, nanning_entry, today, first_allowed
):
    assert first_allowed_exam_day(today) == first_allowed
    with today_is(today):
        with pytest.raises(ValidationError) as excinfo:
            new_plan(nanning_entry, people.agency_nanning, **days(first_allowed - dt.timedelta(days=1)))
        assert first_allowed.isoformat() in errors_of(excinfo)["first_day"][0]
        assert not Plan.objects.exists()
        plan = new_plan(nanning_entry, people.agency_nanning, **days(first_allowed))
    assert plan.first_day == first_allowed


@pytest.mark.parametrize(
    ("today", "first_allowed"),
    [
        # 2027's schedule is not in the package: Monday to Friday count, less the fixed-date holidays.
        (dt.date(2027, 3, 5), dt.date(2027, 3, 19)),
        # From the end of 2026 into 2027: 28–31 December 2026, then (元旦 Friday 1 January rests) 4–8 and
        # 11 January 2027.
        (dt.date(2026, 12, 25), dt.date(2027, 1, 11)),
    ],
)
def test_into_2027_the_first_allowed_day_falls_back_to_weekdays(people, nanning_entry, today, first_allowed):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(dt.date(2027, 6, 1))
    assert first_allowed_exam_day(today) == first_allowed
    with today_is(today):
        with pytest.raises(ValidationError) as excinfo:
            new_plan(nanning_entry, people.agency_nanning, **days(first_allowed - dt.timedelta(days=1)))
        assert first_allowed.isoformat() in errors_of(excinfo)["first_day"][0]
        plan = new_plan(nanning_entry, people.agency_nanning, **days(first_allowed))
        plan_submit(plan=plan, by=people.agency_nanning)
        plan_announce(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ANNOUNCED


def test_announcing_later_than_ten_working_days_before_the_first_exam_day_is_refused(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, **days(TEN_WORKDAYS_AFTER_MONDAY))
        plan_submit(plan=plan, by=people.agency_nanning)
    with today_is(dt.date(2026, 3, 3)), pytest.raises(ValidationError) as excinfo:
        plan_announce(plan=plan, by=people.agency_nanning)
    # Announced on 3 March, the first exam day could be 17 March at the earliest.
    assert "2026-03-17" in errors_of(excinfo)["first_day"][0]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY
    assert plan.announced_at is None
    assert not plans_public().exists()


# ---------------------------------------------------------------- the roster: examiners and the supervisor


def test_two_examiners_are_refused(people, nanning_entry):
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, examiners=["韦海燕", "李秀兰"])
    assert list(errors_of(excinfo)) == ["examiners"]
    assert not Plan.objects.exists()


def test_the_same_examiner_twice_counts_once(people, nanning_entry):
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, examiners=["韦海燕", "李秀兰", "韦海燕"])
    assert list(errors_of(excinfo)) == ["examiners"]


def test_three_examiners_of_the_occupation_from_the_filed_roster_are_accepted(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, examiners=["韦海燕", "李秀兰", "陈春梅"])
    plan.refresh_from_db()
    assert plan.examiners == ["韦海燕", "李秀兰", "陈春梅"]
    assert plan.supervisor == "潘国庆"


def test_an_examiner_filed_for_another_occupation_is_refused_by_name(people, nanning_entry):
    # 覃志强 is on the roster, as an examiner of 保安员, not of 保卫管理员.
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, examiners=["韦海燕", "李秀兰", "覃志强"])
    assert list(errors_of(excinfo)) == ["examiners"]
    assert "覃志强" in errors_of(excinfo)["examiners"][0]
    assert not Plan.objects.exists()


def test_a_person_not_on_the_roster_is_refused_as_examiner(people, nanning_entry):
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, examiners=["韦海燕", "李秀兰", "陈春梅", "王五"])
    assert "王五" in errors_of(excinfo)["examiners"][0]


def test_examiners_of_the_other_filed_occupation_serve_its_plans(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(
            nanning_entry,
            people.agency_nanning,
            occupation=occupation("4-07-05-01"),
            level=4,
            examiners=["覃志强", "莫文杰", "蒙明辉"],
        )
    assert plan.occupation.name == "保安员"


def test_the_supervisor_who_is_also_an_examiner_of_the_session_is_refused(people, nanning_entry):
    # 黄建华 is on the filed roster both as an examiner of 保卫管理员 and as an internal quality supervisor.
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, examiners=["黄建华", "韦海燕", "李秀兰"], supervisor="黄建华")
    assert list(errors_of(excinfo)) == ["supervisor"]
    assert "黄建华" in errors_of(excinfo)["supervisor"][0]
    assert not Plan.objects.exists()


def test_the_same_supervisor_may_supervise_a_session_he_does_not_examine(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(
            nanning_entry, people.agency_nanning, examiners=["韦海燕", "李秀兰", "陈春梅"], supervisor="黄建华"
        )
    assert plan.supervisor == "黄建华"


def test_a_supervisor_not_on_the_roster_of_supervisors_is_refused(people, nanning_entry):
    # 陈春梅 is an examiner, not an internal quality supervisor.
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, examiners=["黄建华", "韦海燕", "李秀兰"], supervisor="陈春梅")
    assert list(errors_of(excinfo)) == ["supervisor"]


# ---------------------------------------------------------------- occupations, levels and area of the filing


def test_a_level_the_directory_entry_does_not_approve_is_refused(people, nanning_entry):
    # 保安员 is filed at levels 5–3 only.
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(
            nanning_entry,
            people.agency_nanning,
            occupation=occupation("4-07-05-01"),
            level=2,
            examiners=["覃志强", "莫文杰", "蒙明辉"],
        )
    assert list(errors_of(excinfo)) == ["level"]
    assert not Plan.objects.exists()


def test_a_city_scope_agency_cannot_plan_in_another_city(people, city_scope):
    entry, agency = city_scope
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(entry, agency, city=region(NANNING))
    assert list(errors_of(excinfo)) == ["city"]
    assert "柳州市" in errors_of(excinfo)["city"][0]
    assert not Plan.objects.exists()


def test_a_city_scope_agency_plans_in_its_own_city_without_a_report(people, city_scope):
    entry, agency = city_scope
    with today_is(MONDAY):
        plan = new_plan(entry, agency, **liuzhou_venue())
        plan_submit(plan=plan, by=agency)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY
    assert not CrossRegionReport.objects.exists()


def test_a_city_scope_agency_cannot_plan_above_level_3(people, city_scope):
    entry, agency = city_scope
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(entry, agency, level=2, **liuzhou_venue())
    assert list(errors_of(excinfo)) == ["level"]


def test_a_region_scope_agency_cannot_plan_outside_its_province(people, nanning_entry):
    with today_is(MONDAY), pytest.raises(ValidationError) as excinfo:
        new_plan(nanning_entry, people.agency_nanning, city=region(XIAN))
    assert list(errors_of(excinfo)) == ["city"]
    assert not Plan.objects.exists()


def test_a_plan_in_the_registered_city_is_ready_at_once(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY
    assert not CrossRegionReport.objects.exists()


def test_another_agency_cannot_plan_for_the_entry(people, nanning_entry):
    with today_is(MONDAY), pytest.raises(PermissionDenied):
        new_plan(nanning_entry, people.agency_liuzhou)
    assert not Plan.objects.exists()


# ---------------------------------------------------------------- cross-region reports (异地报备)

SEPT_23 = dt.date(2026, 9, 23)
# Five working days after 23 September 2026: 24, 28, 29, 30 September and 8 October.
CONSENT_DEADLINE = dt.date(2026, 10, 8)
OCT_20 = dt.date(2026, 10, 20)


def liuzhou_plan(people, nanning_entry) -> Plan:
    """南宁's province-wide agency reports a plan in 柳州 on 23 September 2026."""
    with today_is(SEPT_23):
        plan = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue(**days(OCT_20)))
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    return plan


def test_a_plan_in_another_city_of_the_province_awaits_that_citys_consent(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    assert plan.status == Plan.Status.AWAITING_CONSENT
    report = CrossRegionReport.objects.get(plan=plan)
    assert report.status == CrossRegionReport.Status.PENDING
    assert report.department == people.city_liuzhou.department
    assert report.deadline == CONSENT_DEADLINE
    assert report.decided_by is None


def test_the_consent_deadline_follows_the_setting(people, nanning_entry, settings):
    settings.CROSS_REGION_CONSENT_WORKDAYS = 2
    plan = liuzhou_plan(people, nanning_entry)
    # Two working days after 23 September 2026: 24 and 28 September.
    assert plan.cross_region_report.deadline == dt.date(2026, 9, 28)


def test_a_plan_awaiting_consent_cannot_be_announced(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    with today_is(SEPT_23), translation.override("en"), pytest.raises(WorkflowError) as excinfo:
        plan_announce(plan=plan, by=people.agency_nanning)
    # The refusal says what is missing: the local HR bureau's consent.
    assert "not consented" in str(excinfo.value)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AWAITING_CONSENT
    assert plan.announced_at is None
    assert not plans_upcoming_public(today=SEPT_23).exists()


def test_after_the_consent_of_that_citys_hr_bureau_the_plan_is_announced_and_public(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    with today_is(dt.date(2026, 9, 24)):
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=True, reasons="")
        plan.refresh_from_db()
        assert plan.status == Plan.Status.READY
        plan_announce(plan=plan, by=people.agency_nanning)
    report = CrossRegionReport.objects.get(plan=plan)
    assert report.status == CrossRegionReport.Status.CONSENTED
    assert report.decided_by == people.city_liuzhou
    assert report.decided_at is not None
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ANNOUNCED
    assert plan.announced_at is not None
    assert list(plans_upcoming_public(today=dt.date(2026, 9, 24))) == [plan]
    assert list(plans_upcoming_public(city=region(LIUZHOU), today=dt.date(2026, 9, 24))) == [plan]
    assert not plans_upcoming_public(city=region(NANNING), today=dt.date(2026, 9, 24)).exists()
    # Once the last exam day has passed it is no longer upcoming.
    assert not plans_upcoming_public(today=dt.date(2026, 10, 22)).exists()


def test_refusing_a_report_needs_reasons(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    with today_is(SEPT_23), pytest.raises(ValidationError) as excinfo:
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=False, reasons="  ")
    assert list(errors_of(excinfo)) == ["reasons"]
    report = CrossRegionReport.objects.get(plan=plan)
    assert report.status == CrossRegionReport.Status.PENDING
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AWAITING_CONSENT


def test_a_refused_plan_can_be_changed_and_reported_again(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    with today_is(dt.date(2026, 9, 24)):
        report_decide(
            report=plan.cross_region_report,
            by=people.city_liuzhou,
            consent=False,
            reasons="考点未经属地核验，请更换考点。",
        )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REFUSED
    assert plan.cross_region_report.reasons == "考点未经属地核验，请更换考点。"
    with today_is(dt.date(2026, 9, 24)), pytest.raises(WorkflowError):
        plan_announce(plan=plan, by=people.agency_nanning)

    today = dt.date(2026, 9, 28)
    with today_is(today):
        plan = plan_save(
            entry=nanning_entry,
            by=people.agency_nanning,
            plan=plan,
            **plan_fields(**liuzhou_venue(venue="柳州市公共实训基地二号考点", **days(OCT_20))),
        )
        assert plan.status == Plan.Status.DRAFT
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.venue == "柳州市公共实训基地二号考点"
    assert plan.status == Plan.Status.AWAITING_CONSENT
    report = CrossRegionReport.objects.get(plan=plan)
    assert report.status == CrossRegionReport.Status.PENDING
    assert report.reasons == ""
    assert report.decided_by is None
    # Five working days after 28 September 2026: 29, 30 September, 8, 9 and Saturday 10 October (worked).
    assert report.deadline == dt.date(2026, 10, 10)


def test_the_hr_bureau_of_another_city_cannot_decide_the_report(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    for outsider in (people.city_nanning, people.police_liuzhou, people.agency_nanning):
        with today_is(SEPT_23), pytest.raises(PermissionDenied):
            report_decide(report=plan.cross_region_report, by=outsider, consent=True, reasons="")
    report = CrossRegionReport.objects.get(plan=plan)
    assert report.status == CrossRegionReport.Status.PENDING
    assert report.decided_by is None
    assert report.decided_at is None
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AWAITING_CONSENT


def test_an_answered_report_cannot_be_answered_again(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    with today_is(SEPT_23):
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=True, reasons="")
        with pytest.raises(WorkflowError):
            report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=False, reasons="不同意。")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY
    assert plan.cross_region_report.status == CrossRegionReport.Status.CONSENTED


# ---------------------------------------------------------------- suspended or removed agencies


@pytest.mark.parametrize("status", ["suspended", "removed"])
def test_a_suspended_or_removed_agency_cannot_plan(people, nanning_entry, status):
    nanning_entry.status = status
    nanning_entry.save(update_fields=["status"])
    with today_is(MONDAY), pytest.raises(WorkflowError):
        new_plan(nanning_entry, people.agency_nanning)
    assert not Plan.objects.exists()


def test_a_suspended_agency_cannot_submit_nor_announce_its_plans(people, nanning_entry):
    with today_is(MONDAY):
        draft = new_plan(nanning_entry, people.agency_nanning)
        ready = new_plan(nanning_entry, people.agency_nanning, **days(dt.date(2026, 3, 20)))
        plan_submit(plan=ready, by=people.agency_nanning)
    nanning_entry.status = "suspended"
    nanning_entry.save(update_fields=["status"])
    with today_is(MONDAY):
        with pytest.raises(WorkflowError):
            plan_submit(plan=draft, by=people.agency_nanning)
        with pytest.raises(WorkflowError):
            plan_announce(plan=ready, by=people.agency_nanning)
    draft.refresh_from_db()
    ready.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    assert ready.status == Plan.Status.READY
    assert ready.announced_at is None
    assert not plans_public().exists()


# ---------------------------------------------------------------- withdrawing


def test_a_ready_plan_is_withdrawn(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
        plan_withdraw(plan=plan, by=people.agency_nanning)
        with pytest.raises(WorkflowError):
            plan_withdraw(plan=plan, by=people.agency_nanning)
        with pytest.raises(WorkflowError):
            plan_announce(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.WITHDRAWN


def test_withdrawing_a_plan_awaiting_consent_takes_back_its_report(people, nanning_entry):
    plan = liuzhou_plan(people, nanning_entry)
    with today_is(SEPT_23):
        plan_withdraw(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.WITHDRAWN
    assert not CrossRegionReport.objects.filter(plan=plan).exists()


def test_an_announced_plan_is_withdrawn_before_its_first_exam_day_and_leaves_the_public_list(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
        plan_announce(plan=plan, by=people.agency_nanning)
    assert list(plans_upcoming_public(today=MONDAY)) == [plan]
    with today_is(dt.date(2026, 3, 10)):
        plan_withdraw(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.WITHDRAWN
    assert not plans_upcoming_public(today=MONDAY).exists()


def test_an_evaluation_that_has_begun_cannot_be_withdrawn(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
        plan_announce(plan=plan, by=people.agency_nanning)
    with today_is(TEN_WORKDAYS_AFTER_MONDAY), pytest.raises(WorkflowError):
        plan_withdraw(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ANNOUNCED


def test_another_agency_cannot_withdraw_the_plan(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        with pytest.raises(PermissionDenied):
            plan_withdraw(plan=plan, by=people.agency_liuzhou)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_the_supervisor_named_in_the_fixture_is_not_an_examiner():
    # Guard of the fixture itself: the plans above rely on 潘国庆 supervising only.
    from tests.supervision.factories import EXAMINERS

    assert all(SUPERVISOR not in names for names in EXAMINERS.values())
