"""Pages of a long list whose rows are drawn with their related rows (issue 16).

``Paginator(queryset)`` makes PostgreSQL join every related table for every row the filter keeps, then sort them
all to keep one page: at 100,000 applications the results sessions list joined 3,500 sessions with their plans,
agencies, organisations, cities and occupations to show 25. ``narrow_page`` chooses the page's keys first, with
only what the filter and the order need, then fetches those rows with everything the page shows: one query more,
the same number whatever the size, and the wide join made for the rows shown only.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def narrow_page(queryset: QuerySet, number, per_page: int) -> Page:
    """The page ``number`` (as typed: a page past the last is the last) of ``queryset`` in its order, its
    ``object_list`` the rows of that page with the queryset's ``select_related`` and annotations."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    keys = list(page.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=keys)} if keys else {}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page
