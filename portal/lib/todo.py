"""The home page's to-do list (我的待办): every kind of pending work a user has anywhere in the portal.

Each app's ``home_panel`` (``settings.DASHBOARD_SOURCES``) returns its kinds under ``"todo"``; the core joins
them (``portal.selectors.dashboard_for``). One COUNT per kind, whatever the number of rows: the home page's
queries stay the same as work piles up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Todo:
    """One kind of pending work: what it is, how many wait, where the list (or the one item) opens."""

    label: str
    count: int
    url: str
    icon: str = "bi-list-check"


def todo_counted(label, rows: QuerySet, url: str, icon: str = "bi-list-check") -> Todo:
    return Todo(label=label, count=rows.count(), url=url, icon=icon)
