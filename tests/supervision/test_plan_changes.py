"""An announced plan may change its venue or its examiners until its first exam day (issue sup9 item 3), never
its days, occupation or level; each change is recorded (who, when, from what to what) and shown on the plan's
page to the police and the HR bureau of the evaluation's city. A new venue of a plan outside the agency's
registered city needs that city's consent again: until then the announced venue stands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.lib.errors import WorkflowError
from portal.models import AuditEvent, Notification
from supervision.models import CrossRegionReport, Plan, PlanChange
from supervision.services import (
    plan_announce,
    plan_change,
    plan_submit,
    plan_withdraw,
    report_decide,
)
from tests.supervision.factories import liuzhou_venue, new_plan, today_is

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
FIRST_DAY = dt.date(2026, 3, 16)
NEW_VENUE = {"venue": "南宁市第二考点", "venue_address": "南宁市西乡塘区大学东路100号"}


def announced(people, entry, **overrides) -> Plan:
    with today_is(MONDAY):
        plan = new_plan(entry, people.agency_nanning, **overrides)
        plan_submit(plan=plan, by=people.agency_nanning)
        plan_announce(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    return plan


def change(plan, by, **fields):
    values = {"venue": plan.venue, "venue_address": plan.venue_address, "examiners": plan.examiners, **fields}
    return plan_change(plan=plan, by=by, **values)


def test_the_day_before_the_first_exam_day_the_venue_and_examiners_change_and_are_recorded(people, nanning_entry):
    plan = announced(people, nanning_entry)
    with today_is(FIRST_DAY - dt.timedelta(days=1)):
        (record,) = change(plan, people.agency_nanning, **NEW_VENUE, examiners=["黄建华", "李秀兰", "陈春梅"])
    plan.refresh_from_db()
    assert (plan.venue, plan.examiners, plan.status) == ("南宁市第二考点", ["黄建华", "李秀兰", "陈春梅"], "announced")
    assert plan.first_day == FIRST_DAY
    assert record.by == people.agency_nanning and record.status == PlanChange.Status.APPLIED
    assert {row["field"]: (row["before"], row["after"]) for row in record.changes} == {
        "venue": ("南宁市安盾职业技能培训学校考点", "南宁市第二考点"),
        "venue_address": ("南宁市青秀区民族大道136号", "南宁市西乡塘区大学东路100号"),
        "examiners": (["韦海燕", "李秀兰", "陈春梅"], ["黄建华", "李秀兰", "陈春梅"]),
    }
    assert AuditEvent.objects.filter(action="plan_save", object_id=str(plan.pk), detail__contains="南宁市第二考点")
    for official in (people.police_nanning, people.city_nanning):
        assert Notification.objects.filter(recipient=official, link=f"/supervision/plans/{plan.pk}/").exists()


def test_on_the_first_exam_day_the_plan_no_longer_changes(people, nanning_entry):
    plan = announced(people, nanning_entry)
    with today_is(FIRST_DAY), pytest.raises(WorkflowError):
        change(plan, people.agency_nanning, **NEW_VENUE)
    plan.refresh_from_db()
    assert plan.venue == "南宁市安盾职业技能培训学校考点" and not plan.changes.exists()


def test_a_plan_not_announced_is_not_changed_this_way(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
        with pytest.raises(WorkflowError):
            change(plan, people.agency_nanning, **NEW_VENUE)


def test_the_examiner_rules_still_hold(people, nanning_entry):
    plan = announced(people, nanning_entry)
    with today_is(MONDAY):
        with pytest.raises(ValidationError) as excinfo:
            change(plan, people.agency_nanning, examiners=["李秀兰", "陈春梅"])
        assert list(excinfo.value.message_dict) == ["examiners"]
        with pytest.raises(ValidationError) as excinfo:  # the session's supervisor cannot examine it
            change(plan, people.agency_nanning, examiners=["潘国庆", "李秀兰", "陈春梅"])
        assert list(excinfo.value.message_dict) == ["examiners"]
        with pytest.raises(ValidationError):  # nothing changed
            change(plan, people.agency_nanning)
    assert not plan.changes.exists()


def test_the_form_changes_only_the_venue_and_examiners(people, nanning_entry, client_for):
    plan = announced(people, nanning_entry)
    agency = client_for(people.agency_nanning)
    with today_is(MONDAY):
        page = agency.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
        assert reverse("supervision:plan_edit", args=[plan.pk]) in page
        response = agency.post(
            reverse("supervision:plan_edit", args=[plan.pk]),
            {**NEW_VENUE, "examiners": plan.examiners, "first_day": "2026-03-13", "level": 2},
        )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.venue, plan.first_day, plan.level) == ("南宁市第二考点", FIRST_DAY, 3)
    with today_is(MONDAY):
        page = client_for(people.police_nanning).get(reverse("supervision:plan_detail", args=[plan.pk]))
    html = page.content.decode()
    assert 'id="plan-changes"' in html and "南宁市第二考点" in html and "南宁市安盾职业技能培训学校考点" in html


# ---------------------------------------------------------------- a plan outside the registered city

SEPT_23, OCT_20 = dt.date(2026, 9, 23), dt.date(2026, 10, 20)
LIUZHOU_NEW = {"venue": "柳州市第二实训基地", "venue_address": "柳州市鱼峰区柳石路2号"}


def liuzhou_announced(people, entry) -> Plan:
    with today_is(SEPT_23):
        plan = new_plan(entry, people.agency_nanning, **liuzhou_venue(first_day=OCT_20, last_day=OCT_20))
        plan_submit(plan=plan, by=people.agency_nanning)
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=True, reasons="")
        plan_announce(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    return plan


def test_a_new_venue_in_another_city_waits_for_its_consent_and_applies_once_given(people, nanning_entry, client_for):
    plan = liuzhou_announced(people, nanning_entry)
    with today_is(dt.date(2026, 10, 9)):
        (record,) = change(plan, people.agency_nanning, **LIUZHOU_NEW)
    plan.refresh_from_db()
    assert record.status == PlanChange.Status.AWAITING_CONSENT
    assert plan.venue == "柳州市职业技能公共实训基地" and plan.status == Plan.Status.ANNOUNCED
    report = CrossRegionReport.objects.get(plan=plan)
    assert report.status == CrossRegionReport.Status.PENDING
    html = client_for(people.city_liuzhou).get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    assert 'id="pending-change"' in html and "柳州市第二实训基地" in html and 'value="consent"' in html
    with today_is(dt.date(2026, 10, 9)), pytest.raises(WorkflowError):  # one new venue at a time
        change(plan, people.agency_nanning, venue="第三考点")
    with today_is(dt.date(2026, 10, 12)):
        report_decide(report=report, by=people.city_liuzhou, consent=True, reasons="")
    plan.refresh_from_db()
    record.refresh_from_db()
    assert plan.venue == "柳州市第二实训基地" and plan.status == Plan.Status.ANNOUNCED
    assert record.status == PlanChange.Status.CONSENTED and record.decided_by == people.city_liuzhou


def test_a_refused_new_venue_leaves_the_announced_one(people, nanning_entry):
    plan = liuzhou_announced(people, nanning_entry)
    with today_is(dt.date(2026, 10, 9)):
        (record,) = change(plan, people.agency_nanning, **LIUZHOU_NEW)
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=False, reasons="场地未经核验。")
    plan.refresh_from_db()
    record.refresh_from_db()
    assert plan.venue == "柳州市职业技能公共实训基地" and plan.status == Plan.Status.ANNOUNCED
    assert record.status == PlanChange.Status.REFUSED and record.reasons == "场地未经核验。"
    assert CrossRegionReport.objects.get(plan=plan).status == CrossRegionReport.Status.CONSENTED


def test_new_examiners_of_a_plan_in_another_city_apply_at_once(people, nanning_entry):
    plan = liuzhou_announced(people, nanning_entry)
    with today_is(dt.date(2026, 10, 9)):
        (record,) = change(plan, people.agency_nanning, examiners=["黄建华", "李秀兰", "陈春梅"])
    plan.refresh_from_db()
    assert record.status == PlanChange.Status.APPLIED and plan.examiners == ["黄建华", "李秀兰", "陈春梅"]
    assert CrossRegionReport.objects.get(plan=plan).status == CrossRegionReport.Status.CONSENTED


def test_withdrawing_with_a_new_venue_pending_keeps_the_consent_on_record(people, nanning_entry):
    plan = liuzhou_announced(people, nanning_entry)
    with today_is(dt.date(2026, 10, 9)):
        (record,) = change(plan, people.agency_nanning, **LIUZHOU_NEW)
        plan_withdraw(plan=plan, by=people.agency_nanning)
    record.refresh_from_db()
    assert record.status == PlanChange.Status.CANCELLED
    assert CrossRegionReport.objects.get(plan=plan).status == CrossRegionReport.Status.CONSENTED


@pytest.mark.parametrize("consent", [True, False], ids=["consented", "refused"])
def test_the_police_of_the_evaluations_city_learn_of_a_new_venue_only_once_it_holds(people, nanning_entry, consent):
    plan = liuzhou_announced(people, nanning_entry)
    link = f"/supervision/plans/{plan.pk}/"
    with today_is(dt.date(2026, 10, 9)):
        change(plan, people.agency_nanning, **LIUZHOU_NEW)
        told_before = set(
            Notification.objects.filter(recipient=people.police_liuzhou, link=link).values_list("pk", flat=True)
        )
        report_decide(
            report=plan.cross_region_report, by=people.city_liuzhou, consent=consent, reasons="场地未经核验。"
        )
    told = Notification.objects.filter(recipient=people.police_liuzhou, link=link).exclude(pk__in=told_before)
    assert [("柳州市第二实训基地" in n.body) for n in told] == ([True] if consent else [])
    assert not Notification.objects.filter(recipient=people.police_nanning, link=link, body__contains="第二实训基地")
