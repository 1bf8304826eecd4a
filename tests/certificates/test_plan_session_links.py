"""A plan's page and its results session link to each other (a first-day tester's findings): the plan links to
its session; with none yet, the agency is offered to create it once the evaluation has begun (announced, first
exam day come), and nobody else is; the session's page links back to its plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.models import Session
from supervision.models import Plan
from tests.certificates.factories import announced_plan, filed_entry, session_of

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
CREATE = "创建成绩场次"


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning)


def _plan_page(client, plan) -> str:
    response = client.get(reverse("supervision:plan_detail", args=[plan.pk]), **ZH)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["agency_nanning", "city_nanning"])
def test_a_plan_links_to_its_results_session(entry, people, client_for, who):
    session = session_of(entry, people.agency_nanning)
    page = _plan_page(client_for(getattr(people, who)), session.plan)
    assert f'href="{reverse("certificates:session_detail", args=[session.pk])}"' in page
    assert "本次认定的成绩" in page and CREATE not in page


@pytest.mark.parametrize(("days_ago", "offered"), [(1, True), (0, True), (-1, False)])
def test_the_agency_is_offered_the_session_from_the_first_exam_day(entry, people, client_for, days_ago, offered):
    plan = announced_plan(entry, people.agency_nanning, days_ago=days_ago)
    page = _plan_page(client_for(people.agency_nanning), plan)
    assert (CREATE in page) is offered


def test_a_plan_not_announced_offers_no_session(entry, people, client_for):
    plan = announced_plan(entry, people.agency_nanning)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.WITHDRAWN)
    assert CREATE not in _plan_page(client_for(people.agency_nanning), plan)


def test_an_official_is_not_offered_to_create_the_session(entry, people, client_for):
    plan = announced_plan(entry, people.agency_nanning)
    assert CREATE not in _plan_page(client_for(people.city_nanning), plan)


def test_the_offered_button_creates_the_session(entry, people, client_for):
    plan = announced_plan(entry, people.agency_nanning)
    client = client_for(people.agency_nanning)
    assert CREATE in _plan_page(client, plan)
    response = client.post(reverse("certificates:session_create"), {"plan": plan.pk})
    session = Session.objects.get(plan=plan)
    assert response.url == reverse("certificates:session_detail", args=[session.pk])


@pytest.mark.parametrize("who", ["agency_nanning", "city_nanning"])
def test_the_session_links_back_to_its_plan(entry, people, client_for, who):
    session = session_of(entry, people.agency_nanning)
    page = client_for(getattr(people, who)).get(reverse("certificates:session_detail", args=[session.pk]), **ZH)
    assert f'href="{reverse("supervision:plan_detail", args=[session.plan.pk])}"' in page.content.decode()
