"""A call's published date is its first publication; a later version that moves the closing day is a dated line
of its own (first-day finding qa8b item 5: "2026-11-28 发布" on a call open since 11-03, an extension remark in
the notes, "文号 —")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.agencies.factories import CallFactory, CallVersionFactory
from tests.portal.factories import region

pytestmark = pytest.mark.django_db

FIRST = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)
SECOND = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
OPENS, CLOSES, EXTENDED = dt.date(2026, 11, 3), dt.date(2027, 1, 2), dt.date(2027, 2, 1)


def _text(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _call(*, second_closes_on=EXTENDED, document_number=""):
    call = CallFactory(code="gx-dates")
    CallVersionFactory(
        call=call, number=1, opens_on=OPENS, closes_on=CLOSES, published_at=FIRST, document_number=document_number
    )
    CallVersionFactory(
        call=call,
        number=2,
        opens_on=OPENS,
        closes_on=second_closes_on,
        published_at=SECOND,
        document_number=document_number,
    )
    return call


@pytest.fixture(autouse=True)
def _before_the_close(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 3))


def test_the_public_page_shows_the_first_publication_and_the_extension_on_its_own_line(client):
    page = _text(client.get(reverse("public_calls:detail", args=[_call().pk])).content.decode())
    assert "2026-11-03 发布" in page
    assert "2026-11-28 发布 " not in page and "2026-11-28 发布·" not in page
    assert "2026-11-28 发布延期：申请截止日期由 2027-01-02 延长至 2027-02-01" in page
    assert "2026-11-03 – 2027-02-01" in page


def test_a_version_that_keeps_the_closing_day_adds_no_line(client):
    page = _text(client.get(reverse("public_calls:detail", args=[_call(second_closes_on=CLOSES).pk])).content.decode())
    assert "2026-11-03 发布" in page
    assert "发布延期" not in page and "提前至" not in page


def test_a_closing_day_brought_forward_is_said_so(client):
    page = _text(
        client.get(
            reverse("public_calls:detail", args=[_call(second_closes_on=dt.date(2026, 12, 20)).pk])
        ).content.decode()
    )
    assert "2026-11-28 发布变更：申请截止日期由 2027-01-02 提前至 2026-12-20" in page


def test_the_officials_page_shows_the_first_publication_and_this_versions(people, client_for):
    call = _call()
    page = _text(client_for(people.centre).get(reverse("agencies:call_detail", args=[call.pk])).content.decode())
    assert "2026-11-03 发布" in page and "本版 2026-11-28 发布" in page
    assert "2026-11-28 发布延期：申请截止日期由 2027-01-02 延长至 2027-02-01" in page


def test_a_call_without_a_document_number_shows_no_empty_one_to_the_public(client):
    page = _text(client.get(reverse("public_calls:detail", args=[_call().pk])).content.decode())
    assert "文号" not in page and " — " not in page


def test_a_call_with_a_document_number_shows_it(client):
    call = _call(document_number="桂人社函〔2020〕203号")
    page = _text(client.get(reverse("public_calls:detail", args=[call.pk])).content.decode())
    assert "文号 桂人社函〔2020〕203号" in page


def test_a_guangxi_call_offers_the_whole_region_and_a_shaanxi_one_the_whole_province(client):
    guangxi = _call()
    page = _text(client.get(reverse("public_calls:detail", args=[guangxi.pk])).content.decode())
    assert "评价范围 全区 · 全市" in page
    shaanxi = CallFactory(code="sx-dates", province=region("610000"))
    CallVersionFactory(call=shaanxi, number=1, opens_on=OPENS, closes_on=CLOSES, published_at=FIRST)
    page = _text(client.get(reverse("public_calls:detail", args=[shaanxi.pk])).content.decode())
    assert "评价范围 全省 · 全市" in page and "全省（区）" not in page


def _options(html: str, name: str) -> list[str]:
    """The labels of a select's options or of a checkbox group, as the page offers them."""
    labels = re.findall(r'<label[^>]*for="id_' + name + r'_\d+"[^>]*>\s*([^<]+?)\s*</label>', html)
    if labels:
        return labels
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_the_centre_offers_its_own_provinces_word_when_editing_a_call(people, client_for):
    guangxi = _call()
    html = client_for(people.centre).get(reverse("agencies:call_edit", args=[guangxi.pk])).content.decode()
    assert "全区" in _options(html, "scopes") and "全省（区）" not in _options(html, "scopes")
    html = client_for(people.centre).get(reverse("agencies:call_create")).content.decode()
    assert "全区" in _options(html, "scopes")


def test_the_agency_chooses_its_scope_in_its_provinces_word(people, client_for):
    from filings.services import application_create
    from tests.filings.factories import make_call

    application = application_create(organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    html = client_for(people.agency_nanning).get(reverse("filings:application_edit", args=[application.pk]))
    options = _options(html.content.decode(), "basic-scope")
    assert "全区" in options and "全市" in options and "全省（区）" not in options
