"""The home dashboard's charts are drawn by static JS from the JSON the view passes: their titles, bar labels and
axis name come in the reader's language, even when a reader of the other language computed the cached figures
first."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.filings.factories import directory_entry

pytestmark = pytest.mark.django_db


def _chart(html: str, key: str) -> dict:
    found = re.search(rf'<script id="chart-{key}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no chart {key}"
    return json.loads(found.group(1))


@pytest.fixture
def nanning(client, people):
    directory_entry(people.org_nanning)  # an active agency: the chart is drawn
    cache.clear()
    client.force_login(people.city_nanning)
    return client


def test_an_english_reader_after_a_chinese_one_reads_english_charts(nanning):
    chinese = nanning.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _chart(chinese, "agencies")["labels"][0] == "正常"
    assert _chart(chinese, "agencies")["axis"] == "现有机构数"
    assert "备案机构目录状态" in chinese

    nanning.cookies["django_language"] = "en"
    english = nanning.get(reverse("home")).content.decode()
    chart = _chart(english, "agencies")
    assert chart["labels"][0] == "Active"
    assert chart["axis"] == "Agencies now"
    assert "Filed agencies by directory status" in english
    assert "备案机构目录状态" not in english


def test_a_chinese_reader_after_an_english_one_reads_chinese_charts(nanning):
    nanning.cookies["django_language"] = "en"
    assert _chart(nanning.get(reverse("home")).content.decode(), "agencies")["labels"][0] == "Active"
    nanning.cookies["django_language"] = "zh-hans"
    chinese = nanning.get(reverse("home")).content.decode()
    assert _chart(chinese, "agencies")["labels"][0] == "正常"
    assert "Filed agencies by directory status" not in chinese
