"""``portal.lib.paging.narrow_page``: the page's keys chosen in the queryset's order, then those rows drawn with
their related rows; three queries whatever the size (count, keys, rows), none for the rows of an empty list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.lib.paging import narrow_page
from portal.models import Region

pytestmark = pytest.mark.django_db


def _regions():
    """The 18 Guangxi regions of the reference data but the province, by code descending, each with its parent."""
    return Region.objects.filter(code__startswith="45").exclude(level="province").select_related("parent")


def test_a_page_holds_its_rows_in_the_querysets_order_with_their_related_rows():
    everything = list(_regions().order_by("-code"))
    assert len(everything) > 10
    with CaptureQueriesContext(connection) as captured:
        page = narrow_page(_regions().order_by("-code"), "2", 5)
        rows = list(page)
        parents = [row.parent.code for row in rows]  # joined, not asked per row
    assert [row.code for row in rows] == [row.code for row in everything[5:10]]
    assert parents == [row.parent.code for row in everything[5:10]]
    assert len(captured.captured_queries) == 3  # the count, the page's keys, its rows
    assert page.number == 2 and page.paginator.count == len(everything) and page.has_next()


def test_a_page_past_the_last_or_not_a_number_is_the_last_or_the_first():
    count = _regions().count()
    last = narrow_page(_regions().order_by("code"), "999", 5)
    assert last.number == last.paginator.num_pages and len(last) == count - 5 * (last.number - 1)
    assert narrow_page(_regions().order_by("code"), "x", 5).number == 1


def test_the_rows_are_those_of_the_filter_only():
    page = narrow_page(_regions().filter(level="city").order_by("code"), None, 50)
    assert {row.level for row in page} == {"city"} and len(page) == 14  # the 14 cities of Guangxi


def test_an_empty_list_asks_no_rows():
    with CaptureQueriesContext(connection) as captured:
        page = narrow_page(Region.objects.filter(code="000000").select_related("parent"), None, 25)
    assert list(page) == [] and page.paginator.count == 0
    assert len(captured.captured_queries) == 1  # the count only


def test_a_row_that_leaves_the_list_between_the_two_queries_is_left_out_not_an_error(monkeypatch):
    """A row changed (or deleted) by another request after the page's keys were chosen: the page shows the others,
    never a server error."""
    from django.core.paginator import Paginator

    import portal.lib.paging

    everything = list(_regions().order_by("-code"))

    class KeysThenChange(Paginator):
        def get_page(self, number):
            page = super().get_page(number)
            keys = list(page.object_list)
            Region.objects.filter(pk=keys[1]).update(level="province")  # out of the filter from now on
            page.object_list = keys
            return page

    monkeypatch.setattr(portal.lib.paging, "Paginator", KeysThenChange)
    page = narrow_page(_regions().order_by("-code"), "1", 5)
    assert [row.code for row in page] == [row.code for row in everything[:5] if row.pk != everything[1].pk]
