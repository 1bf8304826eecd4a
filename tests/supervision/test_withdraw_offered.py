"""Withdraw (撤回) is offered exactly when the service takes it: not once the announced evaluation has begun (its
first exam day), nor on a withdrawn plan; a draft's button says 删除草稿 (first-day tester, round 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from supervision.services import plan_announce, plan_submit
from tests.supervision.factories import new_plan, today_is

MONDAY = dt.date(2026, 3, 2)
FIRST_DAY = dt.date(2026, 3, 16)  # plan_fields' first exam day
WITHDRAW_FORM = "/act/withdraw/"


def _page(client_for, people, plan, day) -> str:
    with today_is(day):
        page = client_for(people.agency_nanning).get(reverse("supervision:plan_detail", args=[plan.pk]))
    return page.content.decode()


@pytest.fixture
def announced(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
        plan_announce(plan=plan, by=people.agency_nanning)
    return plan


@pytest.mark.parametrize(
    ("day", "offered"),
    [(FIRST_DAY - dt.timedelta(days=1), True), (FIRST_DAY, False), (FIRST_DAY + dt.timedelta(days=1), False)],
)
def test_withdraw_is_offered_until_the_first_exam_day_only(people, announced, client_for, day, offered):
    html = _page(client_for, people, announced, day)
    assert (WITHDRAW_FORM in html) is offered
    assert ("撤回" in html and "btn-outline-secondary" in html) or not offered
    # The button the page offers is one the service takes: posting it on the first day changes nothing.
    with today_is(day):
        client_for(people.agency_nanning).post(reverse("supervision:plan_act", args=[announced.pk, "withdraw"]))
    announced.refresh_from_db()
    assert (announced.status == "withdrawn") is offered


def test_a_draft_offers_to_delete_the_draft(people, nanning_entry, client_for):
    # A draft never submitted is deleted for real (issue sup9 item 5): its button posts the delete step.
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
    html = _page(client_for, people, plan, MONDAY)
    assert "/act/delete/" in html and "删除草稿" in html
    assert WITHDRAW_FORM not in html and ">撤回<" not in html


def test_a_withdrawn_plan_offers_nothing_more(people, announced, client_for):
    with today_is(MONDAY):
        client_for(people.agency_nanning).post(reverse("supervision:plan_act", args=[announced.pk, "withdraw"]))
    html = _page(client_for, people, announced, MONDAY)
    assert WITHDRAW_FORM not in html and "删除草稿" not in html
