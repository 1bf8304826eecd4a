"""Paging long lists (issue 16 item 4).

``ListPaginator``: the pages past the middle of an ordered list read from the other end.

``OFFSET`` walks and throws away every row before the page: the last page of the centre's 87,000 applications
read 87,000 index entries to show 50. Read backwards, the last page is the first 50 of the reversed order and no
page walks more than half the list. The rows are the same, in the same order: ``QuerySet.reverse()`` flips every
key of an ordering that ends on a unique one (the primary key), NULLs included (PostgreSQL sorts NULL last
ascending and first descending, SQLite the other way round: each reverses exactly).

``narrow_page``: pages of a long list whose rows are drawn with their related rows.
``Paginator(queryset)`` makes PostgreSQL join every related table for every row the filter keeps, then sort them
all to keep one page: at 100,000 applications the results sessions list joined 3,500 sessions with their plans,
agencies, organisations, cities and occupations to show 25. ``narrow_page`` chooses the page's keys first, with
only what the filter and the order need, then fetches those rows with everything the page shows: one query more,
the same number whatever the size, and the wide join made for the rows shown only.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class ListPaginator(Paginator):
    """Django's paginator (``get_page``, ``num_pages``, the page's links unchanged) whose pages in the second half
    of an ordered queryset are read in reverse order, then turned back."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet) and rows.ordered and bottom > self.count // 2:
            backwards = list(rows.reverse()[self.count - top : self.count - bottom])
            backwards.reverse()
            return self._get_page(backwards, number, self)
        return self._get_page(rows[bottom:top], number, self)


def narrow_page(queryset: QuerySet, number, per_page: int) -> Page:
    """The page ``number`` (as typed: a page past the last is the last) of ``queryset`` in its order, its
    ``object_list`` the rows of that page with the queryset's ``select_related`` and annotations."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    keys = list(page.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=keys)} if keys else {}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page
