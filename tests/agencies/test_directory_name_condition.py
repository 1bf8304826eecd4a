"""When some words of the directory's search box are filters and the others a search of the names, the line under
the form says both (first-day tester: “西安 保卫” said only 已按城市“西安市”筛选 and found nothing, the names having to
contain 保卫 as well), the name condition can be removed like a filter, and a search finding nothing offers to
remove one condition."""

from __future__ import annotations

import html
import re

import pytest

from tests.agencies.directory_page import follow as _follow
from tests.agencies.directory_page import search as _search
from tests.agencies.directory_page import words_line as _line
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(db):
    directory_entry(OrganisationFactory(name="西安市保安协会", region=region("610100")), scope="region")
    directory_entry(OrganisationFactory(name="南宁保卫管理培训中心", region=region("450100")), scope="city")


def _chips(page: str, element_id: str) -> dict[str, str]:
    """The remove buttons of an element: their visible text → their query."""
    part = page.split(f'id="{element_id}"', 1)[1].split("</div>", 1)[0]
    found = re.findall(r'<a class="btn[^"]*" href="\?([^"]*)"[^>]*>([^<]*)<i', part)
    return {html.unescape(text.strip()): html.unescape(query) for query, text in found}


def test_the_line_says_the_names_must_contain_the_other_words(agencies, client):
    names, page = _search(client, q="西安 保卫")
    assert names == []
    assert _line(page) == "已按城市“西安市”筛选，且机构名称包含“保卫”"
    names, page = _search(client, q="保卫 管理 南宁")
    assert _line(page) == "已按城市“南宁市”筛选，且机构名称包含“保卫”、“管理”" and names == ["南宁保卫管理培训中心"]


def test_the_line_says_nothing_of_names_when_every_word_is_a_filter(agencies, client):
    names, page = _search(client, q="西安")
    assert _line(page) == "已按城市“西安市”筛选" and names == ["西安市保安协会"]
    assert "名称包含" not in page


def test_the_name_condition_and_each_filter_can_be_removed(agencies, client):
    _names, page = _search(client, q="西安 保卫")
    chips = _chips(page, "words-applied")
    assert list(chips) == ["西安市", "名称包含“保卫”"]
    names, after = _follow(client, chips["名称包含“保卫”"])  # the city kept, the names free
    assert names == ["西安市保安协会"] and _line(after) is None
    names, after = _follow(client, chips["西安市"])  # the names kept, every region
    assert names == ["南宁保卫管理培训中心"] and _line(after) is None


def test_nothing_found_offers_to_remove_a_condition(agencies, client):
    _names, page = _search(client, q="西安 保卫")
    assert "没有同时符合以上全部条件的机构，可取消其中一个条件：" in page
    assert _chips(page, "remove-a-condition") == _chips(page, "words-applied")
    _names, page = _search(client, q="南宁 保卫")  # something found: no such offer
    assert 'id="remove-a-condition"' not in page
    _names, page = _search(client, q="保卫 桂林市保安")  # nothing found, no word read as a filter: the box says it all
    assert 'id="remove-a-condition"' not in page
