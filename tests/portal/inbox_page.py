"""The inbox as its user reads it: the subjects listed under “待办与未读”, and under “已读”."""

from __future__ import annotations

import html
import re

from django.urls import reverse


def _section(page: str, name: str) -> str:
    start = page.index(f'id="inbox-{name}"')
    return page[start : page.index("</section>", start)]


def _subjects(section: str) -> list[str]:
    return [html.unescape(text).strip() for text in re.findall(r"<span data-subject>(.*?)</span>", section, re.S)]


def todo_subjects(client_for, user, **params) -> list[str]:
    """The subjects in the user's to-do part of the inbox (the first tab; ``kind=`` lists one kind alone)."""
    page = client_for(user).get(reverse("inbox"), params).content.decode()
    return _subjects(_section(page, "todo"))


def read_subjects(client_for, user) -> list[str]:
    page = client_for(user).get(reverse("inbox"), {"show": "read"}).content.decode()
    return _subjects(_section(page, "read"))
