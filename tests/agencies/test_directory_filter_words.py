"""The directory's search box reads a city, district or occupation word as that filter (first-day tester: “南宁
保安员” found nothing, the words being looked for in the agencies' names only). The other words stay a search of
the names; the page says which filters the words were read as, with a way to remove each, and shows them in the
dropdowns. Reading the words costs no query: the names of regions and occupations are cached."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Occupation
from tests.agencies.directory_page import box as _box
from tests.agencies.directory_page import follow as _follow
from tests.agencies.directory_page import links as _links
from tests.agencies.directory_page import search as _search
from tests.agencies.directory_page import selected as _selected
from tests.agencies.directory_page import words_line as _line
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import region

pytestmark = pytest.mark.django_db
GUARD = "4-07-05-01"  # 保安员
MANAGER = "3-02-02-00"  # 保卫管理员
ELECTRICIAN = "6-31-01-03"  # 电工


def _entry(name: str, code: str, occupation: str, scope: str):
    organisation = OrganisationFactory(name=name, region=region(code))
    return directory_entry(organisation, approvals=[(occupation, (3,))], scope=scope)


@pytest.fixture
def agencies(people):
    return SimpleNamespace(
        # 南宁市安盾…, 南宁市 itself, filed province-wide: listed under every district of 广西 too
        andun=directory_entry(people.org_nanning, approvals=[(MANAGER, (3,))], scope="region"),
        yongcheng=_entry("邕城保安职业技能培训学校", "450103", GUARD, "city"),  # 青秀区, 南宁
        nanning_guard=_entry("南宁保安培训学校", "450102", MANAGER, "county"),  # 兴宁区 only: 南宁保安 in its name
        dingsheng=_entry("鼎盛职业技能评价中心", "450103", ELECTRICIAN, "county"),  # 青秀区, 南宁
        huhang=directory_entry(people.org_liuzhou, approvals=[(GUARD, (3,))], scope="city"),  # 柳州市护航保安…
        shendun=_entry("南宁神盾保安服务有限公司", "450202", GUARD, "city"),  # 南宁 in its name, but in 柳州
    )


NANNING = ["南宁保安培训学校", "南宁市安盾职业技能培训学校", "邕城保安职业技能培训学校", "鼎盛职业技能评价中心"]


def test_a_city_word_is_the_city_filter_shown_in_the_dropdown(agencies, client):
    names, page = _search(client, q="南宁")
    assert names == NANNING  # its districts' agencies included, 柳州's and the 南宁-named one in 柳州 not
    assert _line(page) == "已按城市“南宁市”筛选"
    assert _selected(page, "f-city") == ["450100"] and _box(page) == ""
    names, page = _search(client, q="南宁市")  # the whole name
    assert names == NANNING and _line(page) == "已按城市“南宁市”筛选"


QINGXIU = [
    "南宁市安盾职业技能培训学校",
    "邕城保安职业技能培训学校",
    "鼎盛职业技能评价中心",
]  # with the province-wide one


def test_a_district_word_is_the_district_filter(agencies, client):
    names, page = _search(client, q="青秀")
    assert names == QINGXIU
    assert _line(page) == "已按区县“青秀区”筛选" and _selected(page, "f-city") == ["450103"]
    names, _page = _search(client, q="南宁 青秀")  # the district is in the city: the narrower wins
    assert names == QINGXIU


def test_an_occupation_word_is_the_occupation_filter(agencies, client):
    names, page = _search(client, q="保安员")
    assert names == ["南宁神盾保安服务有限公司", "柳州市护航保安职业培训中心", "邕城保安职业技能培训学校"]
    assert _line(page) == "已按职业“保安员”筛选" and _selected(page, "f-occupation") == [GUARD]


def test_a_city_and_an_occupation_word_both_filter_and_a_third_word_searches_the_names(agencies, client):
    names, page = _search(client, q="南宁 保安员")
    assert names == ["邕城保安职业技能培训学校"]
    assert _line(page) == "已按城市“南宁市”、职业“保安员”筛选"
    assert _selected(page, "f-city") == ["450100"] and _selected(page, "f-occupation") == [GUARD]
    names, page = _search(client, q="保安员  南宁 邕城")
    assert names == ["邕城保安职业技能培训学校"] and _box(page) == "邕城"
    names, page = _search(client, q="南宁 保安员 鼎盛")  # 鼎盛 is in 南宁 but not approved for 保安员
    assert names == [] and _line(page) == "已按城市“南宁市”、职业“保安员”筛选，且机构名称包含“鼎盛”"
    names, _page = _search(client, q="南宁 电工 鼎盛")
    assert names == ["鼎盛职业技能评价中心"]


def test_a_word_matching_no_region_or_occupation_searches_the_names_alone_or_beside_a_filter(agencies, client):
    names, page = _search(client, q="鼎盛")
    assert names == ["鼎盛职业技能评价中心"] and _line(page) is None and _box(page) == "鼎盛"
    names, page = _search(client, q="南宁保安")  # starts no region's or occupation's name: as before
    assert names == ["南宁保安培训学校"] and _line(page) is None
    assert _selected(page, "f-city") == [] and _selected(page, "f-occupation") == []
    names, page = _search(client, q="鼎盛 青秀")  # beside a word read as a filter, it is still a name word
    assert names == ["鼎盛职业技能评价中心"] and _box(page) == "鼎盛"
    assert _line(page) == "已按区县“青秀区”筛选，且机构名称包含“鼎盛”"
    names, page = _search(client, q="南宁保安 兴宁")
    assert names == ["南宁保安培训学校"] and _box(page) == "南宁保安"
    assert _line(page) == "已按区县“兴宁区”筛选，且机构名称包含“南宁保安”"


def test_one_character_is_no_filter_two_are(agencies, client):
    names, page = _search(client, q="南")
    assert names == ["南宁保安培训学校", "南宁市安盾职业技能培训学校", "南宁神盾保安服务有限公司"]
    assert _line(page) is None
    names, page = _search(client, q="南宁")
    assert names == NANNING and _line(page) == "已按城市“南宁市”筛选"


def test_an_occupation_filters_by_its_whole_name_only(agencies, client, django_capture_on_commit_callbacks):
    """“保安” is the start of 保安员, and part of many agencies' names (first-day tester: as a filter it hid the
    agencies named …保安…): looked for in the names. The whole name filters."""
    names, page = _search(client, q="保安")
    assert names == [
        "南宁保安培训学校",
        "南宁神盾保安服务有限公司",
        "柳州市护航保安职业培训中心",
        "邕城保安职业技能培训学校",
    ]
    assert _line(page) is None and _box(page) == "保安"
    names, page = _search(client, q="保安员")
    assert len(names) == 3 and _line(page) == "已按职业“保安员”筛选"
    with django_capture_on_commit_callbacks(execute=True):
        Occupation.objects.create(code="4-07-05-03", name="保安管理员", levels=[3])  # the catalogue grows
    names, page = _search(client, q="保安管理员")  # read from the next search on
    assert names == [] and _line(page) == "已按职业“保安管理员”筛选"


def test_the_start_of_one_region_name_filters_the_start_of_two_does_not(agencies, client):
    names, page = _search(client, q="青秀")  # starts 青秀区 only
    assert _line(page) == "已按区县“青秀区”筛选" and names == QINGXIU
    names, page = _search(client, q="南宁 西乡")  # 西乡塘区 only: no agency based there; 南宁's city-wide one and
    assert _line(page) == "已按区县“西乡塘区”筛选"  # the province-wide one may evaluate there
    assert names == ["南宁市安盾职业技能培训学校", "邕城保安职业技能培训学校"]


def test_a_city_word_prefers_the_filter_and_offers_the_names_instead(agencies, client):
    """A user typing a city's name means the agencies of that city (as the dropdown would give); an agency
    elsewhere with the word in its name is one click away (the word quoted, looked for in names only)."""
    names, page = _search(client, q="南宁 神盾")
    assert names == [] and _line(page) == "已按城市“南宁市”筛选，且机构名称包含“神盾”"  # the one named so is in 柳州
    assert "改为在机构名称中查找“南宁”" in page
    names, page = _follow(client, _links(page)[-1])
    assert names == ["南宁神盾保安服务有限公司"]
    assert _line(page) is None and _box(page) == '"南宁" 神盾' and _selected(page, "f-city") == []
    _names, page = _search(client, q="南宁 保安员")
    assert "改为在机构名称中查找“南宁”、“保安员”" in page
    assert _follow(client, _links(page)[-1])[0] == []  # no agency has both words in its name
    names, page = _search(client, q='"南宁"')
    assert names == ["南宁保安培训学校", "南宁市安盾职业技能培训学校", "南宁神盾保安服务有限公司"]


def test_each_filter_read_from_the_words_can_be_removed(agencies, client):
    _names, page = _search(client, q="南宁 保安员", status="all")
    remove_city, remove_occupation, _in_names = _links(page)
    names, page = _follow(client, remove_city)
    assert names == ["南宁神盾保安服务有限公司", "柳州市护航保安职业培训中心", "邕城保安职业技能培训学校"]
    assert _selected(page, "f-city") == [] and _selected(page, "f-occupation") == [GUARD]
    assert _selected(page, "f-status") == ["all"]  # the other filters kept
    names, page = _follow(client, remove_occupation)
    assert names == NANNING and _selected(page, "f-occupation") == [] and _selected(page, "f-city") == ["450100"]


def test_a_typed_city_word_wins_over_the_dropdown(agencies, client):
    names, page = _search(client, q="南宁", city="450200")
    assert names == NANNING and _selected(page, "f-city") == ["450100"]


def test_reading_the_words_costs_no_query(agencies, client):
    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            _search(client, **params)
        return len(captured.captured_queries)

    _search(client, q="柳州")  # the first search of all reads the names of regions and occupations, once
    plain = queries()
    assert queries(q="南宁 保安员") == plain
    assert queries(q="青秀 电工") == plain
    assert queries(q="南宁 保安员") < queries(city="450100", occupation=GUARD)  # the dropdowns' codes are checked


def test_the_api_reads_q_as_its_schema_says_a_name_search_beside_its_explicit_parameters(agencies, client):
    """The open-data API's ``q`` is documented as part of a name or code: a program asking for “保安” with an
    explicit occupation gets exactly that, never a filter read from its words (first-day tester)."""
    everything = client.get("/api/v1/directory/").json()
    answer = client.get("/api/v1/directory/", {"q": "保安"}).json()
    assert sorted(row["name"] for row in answer["results"]) == [
        "南宁保安培训学校",
        "南宁神盾保安服务有限公司",
        "柳州市护航保安职业培训中心",
        "邕城保安职业技能培训学校",
    ]
    assert answer.keys() == everything.keys() and answer["results"][0].keys() == everything["results"][0].keys()
    kept = client.get("/api/v1/directory/", {"q": "保安员", "occupation": MANAGER}).json()
    assert kept["count"] == 0  # no agency has 保安员 in its name: the explicit occupation is not replaced
    kept = client.get("/api/v1/directory/", {"q": "柳州", "city": "450100"}).json()
    assert kept["count"] == 0  # 柳州 looked for in 南宁's agencies, the explicit city kept
    assert client.get("/api/v1/directory/", {"q": "南宁保安"}).json()["count"] == 1
