"""Issue complaint10 item 2: the home page's and the bell's numbers say what they count. The centre's 待我办理 tile
is the sum of what its 我的待办 lists (its objections too, not only its applications); the bell's number counts
to-dos and unread messages, as the inbox's 待办与未读 tab does, and says so (a read to-do is not 未读)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.models import Notification
from portal.services import notify
from publicity.models import Objection
from publicity.services import objection_handle
from tests.publicity.test_notices import _publish, field, object_to  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _home(client) -> tuple[int, list[tuple[str, int]]]:
    """The 待我办理 tile's number, and the (label, number) lines of 我的待办, as the page shows them."""
    page = client.get(reverse("home")).content.decode()
    tile = re.search(
        r"data-(?:todo-total|queue-count)>(\d+)</a></div>\s*<div class=\"stat-label\">待我办理</div>", page
    )
    todo = page[page.index('id="todo"') : page.index("</ul>", page.index('id="todo"'))] if 'id="todo"' in page else ""
    lines = re.findall(r"</i> (.*?)</span>\s*<span class=\"badge[^\"]*\">(\d+)</span>", todo, re.S)
    return int(tile.group(1)), [(label.strip(), int(count)) for label, count in lines]


def test_the_centres_tile_counts_the_objections_its_list_shows(people, field, client_for):  # noqa: F811
    notice = _publish(people, field, field.a, field.b)
    before, lines = _home(client_for(people.centre))
    assert before == sum(count for _label, count in lines)

    public = client_for(None)
    object_to(public, notice, field.a)
    object_to(public, notice, field.b, content="该机构考评人员不足。")
    tile, lines = _home(client_for(people.centre))
    assert ("待处理的异议", 2) in lines
    assert tile == sum(count for _label, count in lines) == before + 2

    objection_handle(
        objection=Objection.objects.get(item__object_id=field.a.pk), by=people.centre, upheld=True, reply="经核查属实。"
    )
    tile, lines = _home(client_for(people.centre))
    assert ("待处理的异议", 1) in lines and tile == before + 1


def _bell(client) -> str:
    """The bell's number with the words read out with it (its hidden label), and its tooltip."""
    page = client.get(reverse("inbox")).content.decode()
    link = re.search(
        r'<a class="btn btn-sm btn-outline-light text-nowrap" href="/inbox/" title="([^"]*)">(.*?)</a>', page, re.S
    )
    badge = re.sub(
        r"<[^>]+>",
        "",
        re.search(r'<span class="badge rounded-pill text-bg-danger">(.*?)</span></span>', link.group(2), re.S).group(1)
        + "</span>",
    )
    return f"{badge.strip()} | {link.group(1)}"


def test_the_bell_says_to_do_and_unread_for_read_to_dos(people, client_for):
    user = people.police_nanning
    for n in (1, 2):
        notify(
            users=[user],
            subject=f"备案申请 {n} 待出具公安机关意见",
            body="请录入意见。",
            link=f"/filings/{n}/",
            todo=True,
        )
    notify(users=[user], subject="一条通知", body="知悉即可。", link="/filings/9/")
    client = client_for(user)
    assert _bell(client) == "3 待办与未读 | 消息中心 · 3 待办与未读"

    assert client.post(reverse("inbox_mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient=user, read_at=None).exists()
    # Both to-dos are read but still to do: the bell counts them as the inbox's tab does, and does not call them 未读.
    page = client.get(reverse("inbox")).content.decode()
    assert re.search(r'data-inbox-tab="todo">待办与未读 <span class="badge[^"]*">2</span>', page)
    assert _bell(client) == "2 待办与未读 | 消息中心 · 2 待办与未读"
