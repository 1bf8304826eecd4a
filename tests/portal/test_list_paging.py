"""``ListPaginator`` reads the pages past the middle backwards and shows exactly what Django's paginator shows;
``link_to`` gives exactly what ``reverse`` gives; the menu reversed once per role still speaks each request's
language (issue 16 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from filings.models import Application
from portal.context_processors import navigation
from portal.lib.links import link_to
from portal.lib.paging import ListPaginator
from tests.filings.factories import bulk_applications, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def thirty_three(people):
    """33 applications, deadlines in threes and some without one (NULLs sort at one end, differently by database)."""
    call = make_call("paging")
    bulk_applications(33, organisation=people.org_nanning, call=call, by=people.agency_nanning)
    for n, application in enumerate(Application.objects.filter(call=call).order_by("pk")):
        deadline = None if n % 7 == 0 else dt.date(2027, 1, 1) + dt.timedelta(days=n // 3)
        Application.objects.filter(pk=application.pk).update(deadline=deadline)
    return Application.objects.filter(call=call).order_by("deadline", "stage_started_at", "pk")


@pytest.mark.parametrize("per_page", [5, 10, 16, 33, 40])
def test_every_page_holds_what_djangos_paginator_shows(thirty_three, per_page):
    ours, django = ListPaginator(thirty_three, per_page), Paginator(thirty_three, per_page)
    assert ours.num_pages == django.num_pages
    for number in django.page_range:
        assert [a.pk for a in ours.page(number)] == [a.pk for a in django.page(number)], number
    assert [a.pk for a in ours.get_page(999)] == [a.pk for a in django.get_page(999)]


def test_a_late_page_reads_backwards_and_an_early_one_forwards(thirty_three):
    """The last of 7 pages of 5 is read as the first 3 of the reversed order (OFFSET 0), the first page forwards."""
    paginator = ListPaginator(thirty_three, 5)
    paginator.count  # noqa: B018 (counted before, as a page does)
    with CaptureQueriesContext(connection) as last:
        list(paginator.page(7))
    with CaptureQueriesContext(connection) as first:
        list(paginator.page(1))
    assert len(last.captured_queries) == 1 and "DESC" in last.captured_queries[0]["sql"].upper()
    assert "OFFSET" not in last.captured_queries[0]["sql"].upper()
    assert "DESC" not in first.captured_queries[0]["sql"].upper()


def test_orphans_join_the_last_page_as_in_django(thirty_three):
    ours, django = ListPaginator(thirty_three, 10, orphans=3), Paginator(thirty_three, 10, orphans=3)
    assert ours.num_pages == django.num_pages == 3
    assert [a.pk for a in ours.page(3)] == [a.pk for a in django.page(3)] and len(ours.page(3)) == 13


def test_a_list_that_is_not_a_queryset_pages_as_before():
    assert list(ListPaginator(list(range(12)), 5).page(3)) == [10, 11]


def test_link_to_gives_what_reverse_gives():
    detail = link_to("filings:application_detail")
    assert [detail(pk) for pk in (1, 42, 1234567)] == [
        reverse("filings:application_detail", args=[pk]) for pk in (1, 42, 1234567)
    ]
    with pytest.raises(NoReverseMatch):
        link_to("filings:queue")  # no argument in its path


def test_the_menu_kept_per_role_speaks_the_requests_language(people, rf):
    request = rf.get(reverse("filings:queue"))
    request.user = people.city_nanning
    people.city_nanning.is_verified = lambda: True
    with translation.override("zh-hans"):
        chinese = [(str(item["label"]), item["url"], item["active"]) for item in navigation(request)["nav_items"]]
    with translation.override("en"):
        english = [(str(item["label"]), item["url"], item["active"]) for item in navigation(request)["nav_items"]]
    assert ("待审核列表", reverse("filings:queue"), True) in chinese
    assert ("Review queue", reverse("filings:queue"), True) in english
    assert [url for _label, url, _active in chinese] == [url for _label, url, _active in english]
    # Another role's menu is its own: the centre manages the notices, the city does not.
    centre = rf.get(reverse("home"))
    centre.user = people.centre
    people.centre.is_verified = lambda: True
    assert reverse("filings:notice_list") in [item["url"] for item in navigation(centre)["nav_items"]]
    assert reverse("filings:notice_list") not in [url for _label, url, _active in english]
