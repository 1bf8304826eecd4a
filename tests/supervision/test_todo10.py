"""After the HR bureau of the evaluation's city consents to a plan (同意认定计划), the agency's message is a to-do
that says what comes next — publish the announcement — and it is done once the agency publishes it, or withdraws
the plan (first-day tester, issue 12, todo10). Read in the agency's inbox as it sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.models import Notification
from supervision.services import report_decide
from supervision.services.plans import plan_announce, plan_submit, plan_withdraw
from tests.portal.inbox_page import todo_subjects
from tests.supervision.factories import liuzhou_venue, new_plan, today_is

pytestmark = pytest.mark.django_db

SEPT_23, SEPT_24 = dt.date(2026, 9, 23), dt.date(2026, 9, 24)
NEXT = "下一步：请发布认定公告"


@pytest.fixture
def consented(people, nanning_entry):
    with today_is(SEPT_23):
        plan = new_plan(
            nanning_entry,
            people.agency_nanning,
            **liuzhou_venue(first_day=dt.date(2026, 10, 20), last_day=dt.date(2026, 10, 20)),
        )
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    with today_is(SEPT_24):
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=True, reasons="")
    plan.refresh_from_db()
    return plan


def _waiting(client_for, user, text: str) -> bool:
    """Listed under 待办与未读 once the user has read everything: only a to-do not done yet stays there."""
    client_for(user).post(reverse("inbox_mark_all_read"))
    return any(text in subject for subject in todo_subjects(client_for, user))


def _consent_message(people) -> Notification:
    return Notification.objects.get(recipient=people.agency_nanning, subject__contains="同意")


def test_the_consent_is_a_to_do_saying_to_publish_the_announcement(people, consented, client_for):
    message = _consent_message(people)
    assert message.todo
    assert NEXT in message.body
    assert _waiting(client_for, people.agency_nanning, message.subject)


def test_the_to_do_is_done_once_the_announcement_is_published(people, consented, client_for):
    subject = _consent_message(people).subject
    with today_is(SEPT_24):
        plan_announce(plan=consented, by=people.agency_nanning)
    assert not _waiting(client_for, people.agency_nanning, subject)


def test_the_to_do_is_done_once_the_plan_is_withdrawn(people, consented, client_for):
    subject = _consent_message(people).subject
    with today_is(SEPT_24):
        plan_withdraw(plan=consented, by=people.agency_nanning)
    assert not _waiting(client_for, people.agency_nanning, subject)


def test_a_refusal_is_no_to_do(people, nanning_entry, client_for):
    with today_is(SEPT_23):
        plan = new_plan(
            nanning_entry,
            people.agency_nanning,
            **liuzhou_venue(first_day=dt.date(2026, 10, 20), last_day=dt.date(2026, 10, 20)),
        )
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    with today_is(SEPT_24):
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=False, reasons="考点未核验。")
    message = Notification.objects.get(recipient=people.agency_nanning, subject__contains="不同意")
    assert not message.todo and NEXT not in message.body
