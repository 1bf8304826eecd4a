"""The inbox of a busy official (the centre has ~60 messages in the demo): the to-do tab groups them by kind of work
with counts, the newest of each kind first; a kind lists all of its messages page by page; read messages have
their own tab (first-day tester, round 8)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from portal.models import Notification
from tests.portal.inbox_page import read_subjects, todo_subjects


def _message(user, subject: str, link: str, *, minutes_ago: int, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        subject=subject,
        body="b",
        link=link,
        created=timezone.now() - dt.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )


def test_the_to_do_tab_groups_by_kind_with_counts_newest_first(people, client_for):
    centre = people.centre
    for i in range(7):  # 申请7 is the newest
        _message(centre, f"申请{i}", f"/filings/{i + 1}/", minutes_ago=100 - i)
    _message(centre, "异议", "/filings/notices/3/#objection-1", minutes_ago=5)
    _message(centre, "投诉", "/supervision/complaints/4/", minutes_ago=50)
    _message(centre, "已读的申请", "/filings/99/", minutes_ago=1, read=True)
    page = client_for(centre).get(reverse("inbox")).content.decode()
    groups = re.findall(r'data-inbox-group="(\w+)">\s*<div class="card-header[^>]*>\s*<h2[^>]*>(.*?)</h2>', page, re.S)
    headers = {code: re.sub(r"<[^>]+>", " ", header).split() for code, header in groups}
    # Each kind once, with its number of unread messages; notices are not counted among the applications.
    assert headers == {"notices": ["公示与异议", "1"], "filings": ["备案申请", "7"], "complaints": ["投诉举报", "1"]}
    # The five newest applications on the first view, newest first, and a link to all seven.
    filings = page[page.index('data-inbox-group="filings"') : page.index('data-inbox-group="complaints"')]
    assert re.findall(r"<span data-subject>(.*?)</span>", filings) == ["申请6", "申请5", "申请4", "申请3", "申请2"]
    assert "查看全部 7 条" in filings and "kind=filings" in filings
    # What is read is not a to-do; it is under 已读.
    assert "已读的申请" not in todo_subjects(client_for, centre)
    assert read_subjects(client_for, centre) == ["已读的申请"]


def test_one_kind_lists_all_its_messages_page_by_page_newest_first(people, client_for):
    for i in range(35):
        _message(people.centre, f"申请{i:02d}", f"/filings/{i + 1}/", minutes_ago=100 - i)
    _message(people.centre, "投诉", "/supervision/complaints/4/", minutes_ago=1)
    first = todo_subjects(client_for, people.centre, kind="filings")
    second = todo_subjects(client_for, people.centre, kind="filings", page=2)
    assert first == [f"申请{i:02d}" for i in range(34, 4, -1)]
    assert second == [f"申请{i:02d}" for i in range(4, -1, -1)]
    page = client_for(people.centre).get(reverse("inbox"), {"kind": "filings", "page": 2}).content.decode()
    assert "共 35 条" in page and "kind=filings" in page  # the pager keeps the kind


def test_an_empty_to_do_tab_says_nothing_waits(people, client_for):
    _message(people.centre, "已读", "/filings/1/", minutes_ago=1, read=True)
    page = client_for(people.centre).get(reverse("inbox")).content.decode()
    assert "暂无待办" in page
    assert todo_subjects(client_for, people.centre) == []
