"""The directory's search (first-day tester, round 9 pub items 3 and 4): when the default filter (active agencies)
hides matches, the page says how many suspended or removed agencies match and links to them; several words must
each match, in the agency's name or its city's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import DirectoryEntry
from agencies.selectors import directory_search
from supervision.models import Sanction
from supervision.services import sanction_decide
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import region

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
FACTS = "2026年11月督导检查发现该机构考场视频监控未开启，经约谈仍未整改。"


def _entry(name: str, code: str, uscc: str) -> DirectoryEntry:
    # Filed city-wide: a city word lists them in their own city only (one filed province-wide is listed under
    # every city of its province, ``test_directory_region_reach``).
    return directory_entry(OrganisationFactory(name=name, uscc=uscc, region=region(code)), scope="city")


def _suspend(entry, by) -> None:
    until = timezone.localdate() + dt.timedelta(days=30)
    sanction_decide(
        entry=entry, kind=Sanction.Kind.SUSPENSION, facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=by, until=until
    )


@pytest.fixture
def agencies(people):
    return {
        "yongcheng": _entry("南宁市邕城保安培训学校", "450102", "52450100MJ0000101A"),
        "yongcheng2": _entry("邕城职业技能评价中心", "450103", "52450100MJ0000102B"),
        "shendun": _entry("神盾安保职业技能培训学校", "450202", "52450200MJ0000103C"),  # 柳州, not named
        "shendun_nn": _entry("南宁神盾保安服务有限公司", "450102", "52450100MJ0000104D"),
    }


def _found(client, q: str, status: str = "") -> tuple[list[str], str]:
    response = client.get("/directory/", {"q": q, **({"status": status} if status else {})}, **ZH)
    assert response.status_code == 200
    return [entry.organisation.name for entry in response.context["page"]], response.content.decode()


def test_a_default_search_says_how_many_suspended_agencies_match_and_links_to_them(people, agencies, client):
    names, page = _found(client, "邕城")
    assert len(names) == 2 and 'id="hidden-matches"' not in page  # nothing hidden: no word of it
    _suspend(agencies["yongcheng"], people.city_nanning)
    names, page = _found(client, "邕城")
    assert names == ["邕城职业技能评价中心"]
    assert "另有 1 家已暂停或已移出的机构符合，" in page
    _suspend(agencies["yongcheng2"], people.city_nanning)
    names, page = _found(client, "邕城")
    assert names == [] and "另有 2 家已暂停或已移出的机构符合，" in page
    link = page.split('id="hidden-matches"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    assert "status=all" in link and "q=" in link
    names, page = _found(client, "邕城", status="all")
    assert sorted(names) == ["南宁市邕城保安培训学校", "邕城职业技能评价中心"]
    assert 'id="hidden-matches"' not in page


def test_every_word_must_match_in_the_name_or_the_city(people, agencies):
    def names(q):
        return sorted(entry.organisation.name for entry in directory_search(q=q))

    assert names("柳州 神盾") == ["神盾安保职业技能培训学校"]  # 柳州 is its city
    assert names("南宁 神盾") == ["南宁神盾保安服务有限公司"]  # by its name (and its city)
    assert names("神盾  培训") == ["神盾安保职业技能培训学校"]
    assert names("柳州 邕城") == []
    assert names("神盾") == ["南宁神盾保安服务有限公司", "神盾安保职业技能培训学校"]
    assert names("市 神盾") == []  # one character of a region's name names no city; the names hold no 市 here


def test_the_page_finds_both_words(people, agencies, client):
    names, _page = _found(client, "柳州 神盾")
    assert names == ["神盾安保职业技能培训学校"]
