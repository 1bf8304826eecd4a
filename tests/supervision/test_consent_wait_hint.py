"""The plan form's "earliest first exam day" counts the wait for another city's consent (issue sup9 item 4): a
plan outside the registered city is announced only after that city's HR bureau consents, within its
``CROSS_REGION_CONSENT_WORKDAYS``; the date the hint gives is the one ``plan_announce`` accepts when the bureau
answers on its deadline, and a day earlier is refused then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervision.models import Plan
from supervision.services import first_allowed_after_consent, plan_announce, plan_submit, report_decide
from tests.supervision.factories import liuzhou_venue, new_plan, today_is

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # no holiday in March 2026
CONSENT_DEADLINE = dt.date(2026, 3, 9)  # five working days later
EARLIEST_ELSEWHERE = dt.date(2026, 3, 23)  # ten working days after the deadline


def test_the_date_counts_the_consent_wait_on_the_holiday_calendar(settings):
    assert first_allowed_after_consent(MONDAY) == EARLIEST_ELSEWHERE
    settings.CROSS_REGION_CONSENT_WORKDAYS = 6
    assert first_allowed_after_consent(MONDAY) == dt.date(2026, 3, 24)


def test_the_form_gives_both_dates(people, nanning_entry, client_for):
    with today_is(MONDAY):
        html = client_for(people.agency_nanning).get(reverse("supervision:plan_new")).content.decode()
    assert "2026-03-16" in html  # in the registered city
    hint = html.split('id="hint-elsewhere"', 1)[1].split("</span>", 1)[0]
    assert "2026-03-23" in hint and "5" in hint


def test_a_city_scope_agency_is_not_told_of_other_cities(people, city_scope, client_for):
    _entry, agency = city_scope
    with today_is(MONDAY):
        html = client_for(agency).get(reverse("supervision:plan_new")).content.decode()
    assert 'id="hint-elsewhere"' not in html


@pytest.mark.parametrize(("first_day", "announced"), [(dt.date(2026, 3, 20), False), (EARLIEST_ELSEWHERE, True)])
def test_answered_on_its_deadline_the_hinted_day_is_the_first_the_announcement_allows(
    people, nanning_entry, first_day, announced
):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue(first_day=first_day, last_day=first_day))
        plan_submit(plan=plan, by=people.agency_nanning)
    assert plan.cross_region_report.deadline == CONSENT_DEADLINE
    with today_is(CONSENT_DEADLINE):
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=True, reasons="")
        if announced:
            plan_announce(plan=plan, by=people.agency_nanning)
        else:
            with pytest.raises(ValidationError):
                plan_announce(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert (plan.status == Plan.Status.ANNOUNCED) is announced


def test_the_plan_awaiting_consent_says_when_it_would_be_too_late(people, nanning_entry, client_for):
    with today_is(MONDAY):
        plan = new_plan(
            nanning_entry,
            people.agency_nanning,
            **liuzhou_venue(first_day=dt.date(2026, 3, 20), last_day=dt.date(2026, 3, 20)),
        )
        plan_submit(plan=plan, by=people.agency_nanning)
        html = (
            client_for(people.agency_nanning).get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
        )
    line = html.split('id="consent-wait"', 1)[1].split("</p>", 1)[0]
    assert "2026-03-09" in line and "2026-03-23" in line and "text-danger" in html.split('id="consent-wait"')[0][-80:]
