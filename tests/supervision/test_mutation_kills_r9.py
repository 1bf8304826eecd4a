"""Tests written to kill the mutations of round 9 that survived the suite (issue-mut9): each asserts a rule of the
sources or of the issue, on its boundary: examiners' bookings, a new place of a plan in another city, an order to
rectify answered once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.lib.errors import WorkflowError
from supervision.models import Plan
from supervision.services.sanctions import sanction_report_close, sanction_report_submit
from tests.supervision.factories import new_plan, today_is
from tests.supervision.test_sanction_rectification_report import order

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


def test_a_plan_ending_on_the_day_another_plan_begins_cannot_name_its_examiners(people, nanning_entry):
    # One examiner, one session a day: the other plan's first day is this plan's last day.
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, first_day=dt.date(2026, 3, 18), last_day=dt.date(2026, 3, 19))
        with pytest.raises(ValidationError) as excinfo:
            new_plan(
                nanning_entry, people.agency_nanning, first_day=dt.date(2026, 3, 16), last_day=dt.date(2026, 3, 18)
            )
    assert "韦海燕、李秀兰、陈春梅" in excinfo.value.message_dict["examiners"][0]
    assert Plan.objects.count() == 1


def test_two_one_day_plans_on_the_same_day_cannot_share_an_examiner(people, nanning_entry):
    day = dt.date(2026, 3, 18)
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, first_day=day, last_day=day)
        with pytest.raises(ValidationError) as excinfo:
            new_plan(nanning_entry, people.agency_nanning, first_day=day, last_day=day)
    assert "2026-03-18" in excinfo.value.message_dict["examiners"][0]
    assert Plan.objects.count() == 1


def test_a_plan_of_the_agencys_other_directory_entry_books_its_examiners_too(people, nanning_entry):
    # The agency filed twice (two entries of one organisation): one person still examines in one place a day.
    from agencies.models import DirectoryEntry

    days = {"first_day": dt.date(2026, 3, 18), "last_day": dt.date(2026, 3, 19)}
    with today_is(MONDAY):
        other = new_plan(nanning_entry, people.agency_nanning, **days)
        second = DirectoryEntry.objects.get(pk=nanning_entry.pk)
        second.pk, second.institution_code = None, "S000045260099"
        second.save()
        Plan.objects.filter(pk=other.pk).update(entry=second)
        with pytest.raises(ValidationError) as excinfo:
            new_plan(nanning_entry, people.agency_nanning, **days)
    assert "韦海燕、李秀兰、陈春梅" in excinfo.value.message_dict["examiners"][0]
    assert Plan.objects.count() == 1


def test_a_new_address_alone_of_a_plan_in_another_city_waits_for_its_consent(people, nanning_entry):
    # The venue's name kept, its address changed: still a new place for the city's HR bureau to consent to.
    from supervision.models import CrossRegionReport, PlanChange
    from supervision.services import plan_change
    from tests.supervision.test_plan_changes import liuzhou_announced

    plan = liuzhou_announced(people, nanning_entry)
    with today_is(dt.date(2026, 10, 9)):
        (record,) = plan_change(
            plan=plan,
            by=people.agency_nanning,
            venue=plan.venue,
            venue_address="柳州市鱼峰区柳石路2号",
            examiners=plan.examiners,
        )
    plan.refresh_from_db()
    assert record.status == PlanChange.Status.AWAITING_CONSENT
    assert plan.venue_address == "柳州市城中区文昌路19号"
    assert CrossRegionReport.objects.get(plan=plan).status == CrossRegionReport.Status.PENDING


def test_an_answered_order_takes_no_second_report_until_the_office_has_checked_it(people, nanning_entry):
    sanction = order(nanning_entry, people.city_nanning)
    sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已开启全部考场视频监控。")
    with pytest.raises(WorkflowError):
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="另一份报告。")
    sanction.refresh_from_db()
    assert (sanction.report_status, sanction.report_text) == ("answered", "已开启全部考场视频监控。")


def test_a_closed_order_takes_no_further_report(people, nanning_entry):
    sanction = order(nanning_entry, people.city_nanning)
    sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="已开启全部考场视频监控。")
    sanction_report_close(sanction=sanction, by=people.city_nanning)
    with pytest.raises(WorkflowError):
        sanction_report_submit(sanction=sanction, by=people.agency_nanning, text="另一份报告。")
    sanction.refresh_from_db()
    assert (sanction.report_status, sanction.report_text) == ("closed", "已开启全部考场视频监控。")
