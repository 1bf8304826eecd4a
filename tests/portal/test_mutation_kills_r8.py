"""Mutation kills of round 8 (the inbox): every kind of work gets the heading a user looks for — a rectification
order under inspections, a plan under registrations and plans —, the “see all” link appears only when the group
shows fewer than it holds, and the 已读 tab counts the read messages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.portal.test_inbox_groups import _message

LINKS = {
    "inspections": ["/supervision/inspections/1/", "/supervision/rectifications/2/"],
    "registrations": ["/supervision/registrations/3/", "/supervision/plans/4/"],
    "notices": ["/filings/notices/5/"],
    "filings": ["/filings/6/"],
    "results": ["/certificates/sessions/7/"],
    "complaints": ["/supervision/complaints/8/"],
    "sanctions": ["/supervision/sanctions/9/"],
    "reports": ["/reports/10/"],
    "other": ["/accounts/password/"],
}


def _groups(page: str) -> dict[str, list[str]]:
    """Each group of the to-do tab: its code, and the subjects listed under it."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'data-inbox-group="(\w+)"', page)]
    ends = [start for start, _code in starts[1:]] + [page.index("</section>")]
    return {
        code: re.findall(r"<span data-subject>(.*?)</span>", page[start:end])
        for (start, code), end in zip(starts, ends, strict=True)
    }


def test_each_kind_of_message_is_under_its_own_heading(people, client_for):
    for minutes, (code, links) in enumerate(LINKS.items()):
        for link in links:
            _message(people.centre, f"{code}:{link}", link, minutes_ago=minutes + 1)
    page = client_for(people.centre).get(reverse("inbox")).content.decode()
    groups = _groups(page)
    assert {code: sorted(subjects) for code, subjects in groups.items()} == {
        code: sorted(f"{code}:{link}" for link in links) for code, links in LINKS.items()
    }
    # Under 巡查 the two kinds of its link, and the count in the kind filter says 2.
    assert re.search(r'data-inbox-kind="inspections">[^<]*<span class="badge[^"]*">2</span>', page)
    assert re.search(r'data-inbox-kind="registrations">[^<]*<span class="badge[^"]*">2</span>', page)


@pytest.mark.parametrize(("unread", "see_all"), [(4, False), (5, False), (6, True)])
def test_the_see_all_link_only_when_the_group_holds_more_than_it_shows(people, client_for, unread, see_all):
    for i in range(unread):
        _message(people.centre, f"申请{i}", f"/filings/{i + 1}/", minutes_ago=100 - i)
    page = client_for(people.centre).get(reverse("inbox")).content.decode()
    assert len(_groups(page)["filings"]) == min(unread, 5)
    group = page[page.index('data-inbox-group="filings"') : page.index("</section>")]
    assert ("kind=filings" in group) is see_all
    assert (f"查看全部 {unread} 条" in group) is see_all


@pytest.mark.parametrize("read", [0, 1, 3])
def test_the_read_tab_counts_the_read_messages_only(people, client_for, read):
    for i in range(4):
        _message(people.centre, f"未读{i}", f"/filings/{i + 1}/", minutes_ago=10 + i)
    for i in range(read):
        _message(people.centre, f"已读{i}", f"/filings/{i + 20}/", minutes_ago=1, read=True)
    page = client_for(people.centre).get(reverse("inbox")).content.decode()
    badge = re.search(r'data-inbox-tab="read">[^<]*<span class="badge[^"]*">(\d+)</span>', page)
    todo = re.search(r'data-inbox-tab="todo">[^<]*<span class="badge[^"]*">(\d+)</span>', page)
    assert (int(todo.group(1)), int(badge.group(1))) == (4, read)
