"""The results sessions list pages by 25 (issue 16): an official's jurisdiction holds thousands of sessions, and
the list drew up to 200 rows on every request (70 ms of CPU at the harness's 100,000 applications). The same
number of queries for 2 sessions and for 30, newest exam first, every session reachable on the next page, and an
agency still sees its evaluations waiting for results above its own sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.models import Session
from tests.certificates.factories import announced_plan, filed_entry, session_of

pytestmark = pytest.mark.django_db

URL = reverse("certificates:session_list")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _sessions(entry, by, days_ago: range) -> None:
    for days in days_ago:
        session_of(entry, by, days_ago=days)


def test_the_sessions_list_asks_as_many_queries_for_30_sessions_as_for_2(people, client_for):
    entry = filed_entry(people.org_nanning)
    _sessions(entry, people.agency_nanning, range(10, 12))
    clients = {person: client_for(person) for person in (people.city_nanning, people.agency_nanning)}
    for client in clients.values():
        client.get(URL)  # the session's first save is a write of its own
    few = {person: _count(client, URL) for person, client in clients.items()}
    _sessions(entry, people.agency_nanning, range(12, 40))
    for person, client in clients.items():
        assert _count(client, URL) == few[person], person
        assert _count(client, URL + "?page=2") == few[person], person


def test_the_sessions_list_shows_25_a_page_newest_exam_first_and_the_rest_on_the_next(people, client_for):
    entry = filed_entry(people.org_nanning)
    _sessions(entry, people.agency_nanning, range(10, 40))  # exam days 10 to 39 days ago
    client = client_for(people.city_nanning)
    first = client.get(URL)
    today = timezone.localdate()
    days = [(today - s.plan.first_day).days for s in first.context["page"]]
    assert days == list(range(10, 35))
    page = first.content.decode()
    assert "第 1 页，共 2 页" in page or "Page 1 of 2" in page
    assert 'href="?page=2"' in page
    second = client.get(URL + "?page=2")
    assert [(today - s.plan.first_day).days for s in second.context["page"]] == list(range(35, 40))
    assert Session.objects.count() == 30


def test_an_agency_still_sees_the_evaluations_waiting_for_results_beside_its_paged_sessions(people, client_for):
    entry = filed_entry(people.org_nanning)
    _sessions(entry, people.agency_nanning, range(10, 40))
    waiting = announced_plan(entry, people.agency_nanning, days_ago=3)
    response = client_for(people.agency_nanning).get(URL)
    assert list(response.context["plans"]) == [waiting]
    assert len(response.context["page"]) == 25
    assert f'name="plan" value="{waiting.pk}"' in response.content.decode()
    # Another city's HR bureau sees none of them, on any page.
    other = client_for(people.city_liuzhou).get(URL)
    assert list(other.context["page"]) == [] and other.context["page"].paginator.count == 0


def test_a_page_past_the_last_shows_the_last(people, client_for):
    entry = filed_entry(people.org_nanning)
    _sessions(entry, people.agency_nanning, range(10, 40))
    response = client_for(people.city_nanning).get(URL + "?page=99")
    assert response.context["page"].number == 2
    assert (timezone.localdate() - dt.timedelta(days=39)) in [s.plan.first_day for s in response.context["page"]]
