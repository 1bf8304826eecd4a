"""Links to one object per row of a long list, reversed once per page instead of once per row (issue 16 item 4:
``{% url %}`` for each of 50 rows was a tenth of a queue's rendering)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_MARK = 987654321


def link_to(viewname: str) -> Callable[[int], str]:
    """The URL of ``viewname`` for one integer argument (an ``<int:…>`` path converter), as a function of that
    argument: exactly what ``reverse(viewname, args=[pk])`` gives."""
    head, _found, tail = reverse(viewname, args=[_MARK]).rpartition(str(_MARK))
    return lambda pk: f"{head}{int(pk)}{tail}"
