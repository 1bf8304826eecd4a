"""One examiner, one session a day (issue sup9 item 1): a plan cannot name an examiner whom another plan of the
same agency already books on an overlapping exam day; the refusal sits on the examiners field and names the
other plan. Days that touch but do not overlap, a withdrawn plan, another agency's namesake and the plan itself
do not count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervision.models import Plan
from supervision.services import plan_save, plan_submit, plan_withdraw
from tests.supervision.factories import SECURITY_GUARD, SUPERVISOR, new_plan, occupation, plan_fields, today_is

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # ten working days before 16 March: the plans below may start from then
FIRST = {"first_day": dt.date(2026, 3, 18), "last_day": dt.date(2026, 3, 19)}


def test_an_examiner_booked_by_another_plan_on_an_overlapping_day_is_refused_naming_that_plan(people, nanning_entry):
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, **FIRST)
        with pytest.raises(ValidationError) as excinfo:
            # 19 March is the other plan's second day; 李秀兰 and 韦海燕 examine there.
            new_plan(
                nanning_entry,
                people.agency_nanning,
                first_day=dt.date(2026, 3, 19),
                last_day=dt.date(2026, 3, 20),
                examiners=["黄建华", "李秀兰", "韦海燕"],
            )
    errors = excinfo.value.message_dict
    assert list(errors) == ["examiners"]
    assert "李秀兰、韦海燕" in errors["examiners"][0]
    assert "黄建华" not in errors["examiners"][0]
    assert "2026-03-18 · 保卫管理员 · 南宁市" in errors["examiners"][0]
    assert Plan.objects.count() == 1


def test_a_plan_spanning_the_other_plans_days_is_refused(people, nanning_entry):
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, **FIRST)
        with pytest.raises(ValidationError):
            new_plan(
                nanning_entry, people.agency_nanning, first_day=dt.date(2026, 3, 16), last_day=dt.date(2026, 3, 20)
            )


def test_the_day_after_the_other_plan_is_free(people, nanning_entry):
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, **FIRST)
        plan = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2026, 3, 20), last_day=dt.date(2026, 3, 20)
        )
    assert plan.examiners == ["韦海燕", "李秀兰", "陈春梅"]


def test_the_day_before_the_other_plan_is_free(people, nanning_entry):
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, **FIRST)
        plan = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2026, 3, 16), last_day=dt.date(2026, 3, 17)
        )
    assert plan.last_day == dt.date(2026, 3, 17)


def test_other_examiners_on_the_same_day_are_accepted(people, nanning_entry):
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, **FIRST)
        plan = new_plan(
            nanning_entry,
            people.agency_nanning,
            **FIRST,
            occupation=occupation(SECURITY_GUARD[0]),
            level=5,
            examiners=["覃志强", "莫文杰", "蒙明辉"],
        )
    assert plan.first_day == FIRST["first_day"]


def test_a_withdrawn_plan_books_nobody(people, nanning_entry):
    with today_is(MONDAY):
        other = new_plan(nanning_entry, people.agency_nanning, **FIRST)
        plan_withdraw(plan=other, by=people.agency_nanning)
        plan = new_plan(nanning_entry, people.agency_nanning, **FIRST)
    assert plan.pk != other.pk


def test_another_agencys_examiner_of_the_same_name_is_someone_else(people, nanning_entry, liuzhou_entry):
    with today_is(MONDAY):
        new_plan(liuzhou_entry, people.agency_liuzhou, **FIRST)
        plan = new_plan(nanning_entry, people.agency_nanning, **FIRST)
    assert plan.entry == nanning_entry


def test_a_plan_changed_or_submitted_does_not_clash_with_itself(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, **FIRST)
        plan_save(entry=nanning_entry, by=people.agency_nanning, plan=plan, **plan_fields(**FIRST, venue="新考点"))
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert (plan.venue, plan.status) == ("新考点", Plan.Status.READY)


def test_the_form_shows_the_clash_next_to_the_examiners(people, nanning_entry, client_for):
    with today_is(MONDAY):
        new_plan(nanning_entry, people.agency_nanning, **FIRST)
        data = {
            **{k: v for k, v in plan_fields(**FIRST).items() if k not in ("city", "occupation", "examiners")},
            "entry": nanning_entry.pk,
            "city": nanning_entry.region_id,
            "occupation": plan_fields()["occupation"].pk,
            "examiners": ["韦海燕", "李秀兰", "陈春梅"],
            "supervisor": SUPERVISOR,
        }
        response = client_for(people.agency_nanning).post(reverse("supervision:plan_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "韦海燕、李秀兰、陈春梅" in html and "2026-03-18 · 保卫管理员 · 南宁市" in html
    assert Plan.objects.count() == 1
