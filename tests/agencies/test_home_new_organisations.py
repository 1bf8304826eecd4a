"""The city bureau's home page lists the organisations registered in the last 30 days: at most 20, the newest
first, with how many there are and a link to all of them (issue 16: a province-sized city has thousands)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Organisation
from tests.agencies.factories import OrganisationFactory


def _new(count: int) -> None:
    for _n in range(count):
        OrganisationFactory()


def _home(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_a_few_new_organisations_are_all_listed_without_a_count(people, client_for):
    _new(3)
    client = client_for(people.city_nanning)
    client.get("/")  # the first request after signing in renews the session
    response, _queries = _home(client)
    shown = response.context["new_organisations"]
    recent = Organisation.objects.filter(region__code="450100", created__gte=timezone.now() - dt.timedelta(days=30))
    assert len(shown) == recent.count() <= 20
    assert 'id="new-organisations-more"' not in response.content.decode()


def test_beyond_twenty_the_newest_twenty_are_listed_with_the_count_and_the_same_queries(people, client_for):
    client = client_for(people.city_nanning)
    _new(3)
    client.get("/")
    _response, few = _home(client)
    _new(30)
    response, many = _home(client)
    assert many == few
    total = Organisation.objects.filter(
        region__code="450100", created__gte=timezone.now() - dt.timedelta(days=30)
    ).count()
    assert total >= 33
    shown = response.context["new_organisations"]
    assert len(shown) == 20
    newest = list(Organisation.objects.filter(region__code="450100").order_by("-created")[:20])
    assert {o.pk for o in shown} == {o.pk for o in newest}
    page = response.content.decode()
    assert 'id="new-organisations-more"' in page
    assert f"显示最近的 20 个（共 {total} 个）" in page
