"""A call for applications is a public document (first-day finding qa5 item 5): its page and the list of calls
open without sign-in and show only public fields; anonymous ``/`` offers the public things instead of the
sign-in page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.agencies.factories import CallFactory, CallVersionFactory

pytestmark = pytest.mark.django_db


def links(page: str) -> list[str]:
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.findall(r'href="([^"#]+)"', main)


@pytest.fixture
def calls():
    today = timezone.localdate()
    open_call = CallVersionFactory(call=CallFactory(code="open"), title="广西保卫管理员评价机构征集").call
    later = CallVersionFactory(
        call=CallFactory(code="later"),
        title="广西保安员评价机构征集",
        opens_on=today + dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=40),
    ).call
    # Published once, then a second version still in draft: the public reads version 1.
    CallVersionFactory(call=later, number=2, title="草稿：不应公开的标题", published_at=None)
    draft = CallVersionFactory(call=CallFactory(code="draft"), title="尚未发布的征集", published_at=None).call
    return open_call, later, draft


def test_anyone_lists_the_published_calls_open_first(client, calls):
    open_call, later, draft = calls
    response = client.get("/calls/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("广西保卫管理员评价机构征集") < page.index("广西保安员评价机构征集")
    assert "尚未发布的征集" not in page and "草稿：不应公开的标题" not in page
    assert f"/calls/{open_call.pk}/" in links(page) and f"/calls/{later.pk}/" in links(page)
    assert f"/calls/{draft.pk}/" not in links(page)
    assert "征集中" in page  # the open call's status


def test_a_calls_public_page_shows_its_public_fields_and_no_internal_link(client, calls):
    open_call, later, draft = calls
    response = client.get(f"/calls/{open_call.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("广西保卫管理员评价机构征集", "广西壮族自治区人力资源和社会保障厅", "保卫管理员", "信用报告"):
        assert text in page, text
    internal = [link for link in links(page) if link.startswith(("/agencies/", "/filings/", "/supervision/"))]
    assert internal == []
    assert "open" not in re.findall(r"font-monospace[^>]*>([^<]+)<", page)  # the call's internal code
    assert "版本历史" not in page and "审核流程" not in page
    # The published version, not the draft that follows it.
    later_page = client.get(f"/calls/{later.pk}/").content.decode()
    assert "广西保安员评价机构征集" in later_page and "草稿：不应公开的标题" not in later_page
    assert client.get(f"/calls/{draft.pk}/").status_code == 404


def test_the_portals_call_page_sends_someone_not_signed_in_to_the_public_page(client, calls):
    open_call, _later, _draft = calls
    response = client.get(f"/agencies/calls/{open_call.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/calls/{open_call.pk}/"


def test_an_anonymous_home_offers_the_public_pages_and_the_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    found = links(response.content.decode())
    for url in ("/calls/", "/directory/", "/notices/", "/certificates/verify/", "/verify/", "/accounts/login/"):
        assert any(link.startswith(url) for link in found), url


def test_a_signed_in_home_is_still_the_dashboard(people, client_for):
    response = client_for(people.city_nanning).get("/")
    assert response.status_code == 200 and "todo" in response.context
