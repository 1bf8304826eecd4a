"""Officials' queues, lists and the selection page cost the same number of queries whatever the number of
applications (issue 16): counted for a few and for many, each page paged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.models import Application, State
from tests.filings.factories import bulk_applications, make_call
from tests.portal.factories import region

# (who, URL name, URL arguments from the call, application state that the page lists)
PAGES = [
    ("city_nanning", "filings:queue", False, State.CITY_REVIEW),
    ("centre", "filings:queue", False, State.ACCEPTANCE),
    ("centre", "filings:application_list", False, State.CITY_REVIEW),
    ("city_nanning", "filings:application_list", False, State.CITY_REVIEW),
    ("centre", "filings:selection", True, State.ASSESSED),
    ("centre", "filings:notice_list", False, State.SELECTED),
    # The officials' home pages: what waits for them, oldest first.
    ("city_nanning", "home", False, State.CITY_REVIEW),
    ("centre", "home", False, State.ACCEPTANCE),
]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize(("who", "name", "with_call", "state"), PAGES)
def test_the_same_queries_for_4_and_for_64_applications(people, client_for, who, name, with_call, state):
    call = make_call("queries-size")
    client = client_for(people.get(who))
    url = reverse(name, args=[call.pk] if with_call else [])

    def grow(count: int) -> None:
        start = Application.objects.count()
        bulk_applications(count, organisation=people.org_nanning, call=call, state=state, by=people.agency_nanning)
        bulk_applications(count, organisation=people.org_liuzhou, call=call, state=state, by=people.agency_liuzhou)
        added = Application.objects.order_by("pk")[start:]
        for n, application in enumerate(added):
            Application.objects.filter(pk=application.pk).update(panel_score=60 + n % 40)

    grow(2)
    client.get(url)  # the first request after signing in renews the session (a write of its own)
    few = _count(client, url)
    grow(30)
    assert _count(client, url) == few
    if name == "filings:selection":  # 64 ranked applications on pages of 50: the second page too
        assert _count(client, url + "?page=2") == few
    if name in ("filings:queue", "filings:application_list", "filings:selection"):
        # The last page (past the middle: read backwards, ``ListPaginator``) costs what the first does.
        assert _count(client, url + "?state=all&page=99") == few


def test_the_selection_ranks_over_the_whole_call_and_pages_by_fifty(people, client_for):
    call = make_call("queries-rank")
    bulk_applications(60, organisation=people.org_nanning, call=call, state=State.ASSESSED, by=people.agency_nanning)
    scores = [90] * 3 + [80] * 57  # three share the first rank; the fourth is fourth (1, 1, 1, 4)
    for application, score in zip(Application.objects.order_by("pk"), scores, strict=True):
        Application.objects.filter(pk=application.pk).update(panel_score=score)
    client = client_for(people.centre)
    url = reverse("filings:selection", args=[call.pk])
    first = client.get(url).context
    assert len(first["rows"]) == 50 and [row["rank"] for row in first["rows"][:5]] == [1, 1, 1, 4, 4]
    second = client.get(url + "?page=2").context
    assert len(second["rows"]) == 10 and {row["rank"] for row in second["rows"]} == {4}
    layout = {c["city"].code: (c["assessed"], c["undecided"]) for c in first["layout"]}
    assert layout == {region("450100").code: (60, 60)} and first["totals"]["assessed"] == 60


@pytest.mark.parametrize("text", ["南宁", "BULK", "45010"])
def test_the_queues_text_search_costs_the_same_queries_for_4_and_for_64_applications(people, client_for, text):
    """By the organisation's name, the reference number or the credit code: the organisations are looked up
    first, then the applications by their index (issue 16)."""
    call = make_call("queries-search")
    client = client_for(people.centre)
    url = reverse("filings:queue") + f"?state=all&q={text}"

    def grow(count: int) -> None:
        for organisation, agency in (
            (people.org_nanning, people.agency_nanning),
            (people.org_liuzhou, people.agency_liuzhou),
        ):
            bulk_applications(count, organisation=organisation, call=call, state=State.ACCEPTANCE, by=agency)

    grow(2)
    client.get(url)
    few = _count(client, url)
    grow(30)
    assert _count(client, url) == few
