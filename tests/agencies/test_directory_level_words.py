"""The directory's search box reads a level word as the level filter (first-day tester: “南宁 保安员 三级” found
nothing, 三级 being looked for in the agencies' names). The directory records the levels each agency is filed for,
per occupation (``DirectoryOccupation``), so a level word filters by them, as the level dropdown does: with an
occupation, the level of that occupation.

The words are the level names of the national skill standards — 五级/初级工, 四级/中级工, 三级/高级工, 二级/技师,
一级/高级技师 (the seeds: “三级/高级工、二级/技师、一级/高级技师”) — each alone or both as the directory prints them.
Whole words only, as for occupations: “技师学院” is a word of a name."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

# Every form a visitor may type, with the level it names (1 the highest) and the label the page prints for it.
LEVEL_WORDS = [
    ("一级", 1),
    ("高级技师", 1),
    ("一级/高级技师", 1),
    ("二级", 2),
    ("技师", 2),
    ("二级/技师", 2),
    ("三级", 3),
    ("高级工", 3),
    ("三级/高级工", 3),
    ("三级／高级工", 3),  # the full-width slash of a Chinese input method
    ("四级", 4),
    ("中级工", 4),
    ("四级/中级工", 4),
    ("五级", 5),
    ("初级工", 5),
    ("五级/初级工", 5),
]
LABELS = {1: "一级/高级技师", 2: "二级/技师", 3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工"}

# The agencies, with the (occupation, levels) they are filed for.
APPROVALS = {
    "邕城保安职业技能培训学校": ("450103", [(GUARD, (5, 4, 3))]),  # 青秀区, 南宁
    "南宁金盾保安培训中心": ("450102", [(GUARD, (2, 1))]),  # 兴宁区, 南宁
    "南宁市安盾职业技能培训学校": ("450100", [(MANAGER, (3, 2, 1))]),
    "南宁技师学院": ("450100", [(ELECTRICIAN, (4, 3))]),  # 技师 in its name
    "柳州市护航保安职业培训中心": ("450200", [(GUARD, (3,))]),
}


def _at(level: int) -> list[str]:
    """The agencies filed for ``level``, in any occupation (from the approvals above)."""
    return sorted(name for name, (_code, approvals) in APPROVALS.items() if any(level in ls for _o, ls in approvals))


@pytest.fixture
def agencies(db):
    return SimpleNamespace(
        **{
            # Filed city-wide: a city word lists them in their own city only (one filed province-wide is listed
            # under every city of its province, ``test_directory_region_reach``).
            name: directory_entry(
                OrganisationFactory(name=name, region=region(code)), approvals=approvals, scope="city"
            )
            for name, (code, approvals) in APPROVALS.items()
        }
    )


def test_the_fixture_has_agencies_at_and_beside_each_level(agencies):
    assert _at(1) == sorted(["南宁金盾保安培训中心", "南宁市安盾职业技能培训学校"])
    assert _at(4) == ["南宁技师学院", "邕城保安职业技能培训学校"]


@pytest.mark.parametrize(("word", "level"), LEVEL_WORDS)
def test_each_level_word_is_the_level_filter_shown_in_the_dropdown(agencies, client, word, level):
    names, page = _search(client, q=word)
    assert names == _at(level)
    assert _line(page) == f"已按等级“{LABELS[level]}”筛选"
    assert _selected(page, "f-level") == [str(level)] and _box(page) == ""


def test_the_testers_search_finds_the_agency_filed_for_that_occupation_at_that_level(agencies, client):
    names, page = _search(client, q="南宁 保安员 三级")
    assert names == ["邕城保安职业技能培训学校"]  # 金盾 has 保安员 at 2 and 1 only; 护航 is in 柳州
    assert _line(page) == "已按城市“南宁市”、职业“保安员”、等级“三级/高级工”筛选"
    assert _selected(page, "f-city") == ["450100"] and _selected(page, "f-occupation") == [GUARD]
    assert _selected(page, "f-level") == ["3"]
    names, _page = _search(client, q="南宁 保安员 技师")
    assert names == ["南宁金盾保安培训中心"]
    names, _page = _search(client, q="高级技师 保安员")  # level 1, not 技师 (2): the whole word
    assert names == ["南宁金盾保安培训中心"]
    names, _page = _search(client, q="保安员 中级工")
    assert names == ["邕城保安职业技能培训学校"]
    names, _page = _search(client, q="保卫管理员 五级")  # filed at 3 to 1 only
    assert names == []


def test_a_name_holding_a_level_word_is_still_found_by_its_name(agencies, client):
    names, page = _search(client, q="技师学院")  # not a whole level word: looked for in the names
    assert names == ["南宁技师学院"] and _line(page) is None and _box(page) == "技师学院"
    names, page = _search(client, q="南宁技师")
    assert names == ["南宁技师学院"] and _line(page) is None
    names, page = _search(client, q='"技师"')  # quoted: in the names only
    assert names == ["南宁技师学院"] and _line(page) is None
    names, page = _search(client, q="技师")  # the word alone is the level (二级), which 技师学院 is not filed for
    assert names == sorted(["南宁金盾保安培训中心", "南宁市安盾职业技能培训学校"])
    assert "改为在机构名称中查找“技师”" in page
    names, page = _follow(client, _links(page)[-1])
    assert names == ["南宁技师学院"] and _line(page) is None and _selected(page, "f-level") == []


def test_two_names_of_one_level_are_one_filter_a_second_level_is_a_word_of_the_names(agencies, client):
    names, page = _search(client, q="三级 高级工")
    assert names == _at(3) and _line(page) == "已按等级“三级/高级工”筛选"
    names, page = _search(client, q="四级 技师")  # 技师 another level: looked for in the names, at level 4
    assert names == ["南宁技师学院"] and _box(page) == "技师"
    assert _line(page) == "已按等级“四级/中级工”筛选，且机构名称包含“技师”"


def test_a_typed_level_word_wins_over_the_dropdown(agencies, client):
    names, page = _search(client, q="五级", level="1")
    assert names == _at(5) and _selected(page, "f-level") == ["5"]


def test_each_filter_read_from_the_words_can_be_removed_the_others_kept(agencies, client):
    _names, page = _search(client, q="南宁 保安员 三级")
    remove_city, remove_occupation, remove_level, _in_names = _links(page)
    names, page = _follow(client, remove_level)
    assert names == ["南宁金盾保安培训中心", "邕城保安职业技能培训学校"]
    assert _selected(page, "f-level") == [] and _selected(page, "f-occupation") == [GUARD]
    names, page = _follow(client, remove_city)
    assert names == ["柳州市护航保安职业培训中心", "邕城保安职业技能培训学校"]
    assert _selected(page, "f-level") == ["3"] and _selected(page, "f-city") == []
    names, page = _follow(client, remove_occupation)
    assert names == ["南宁市安盾职业技能培训学校", "南宁技师学院", "邕城保安职业技能培训学校"]
    assert _selected(page, "f-level") == ["3"] and _selected(page, "f-city") == ["450100"]


def test_reading_a_level_word_costs_no_query(agencies, client):
    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            _search(client, **params)
        return len(captured.captured_queries)

    _search(client, q="柳州")  # the first search reads the names of regions and occupations, once
    assert queries(q="南宁 保安员 三级") == queries(q="南宁 保安员")


def test_the_api_reads_q_as_a_name_search_never_a_level(agencies, client):
    assert client.get("/api/v1/directory/", {"q": "三级"}).json()["count"] == 0  # no agency has 三级 in its name
    answer = client.get("/api/v1/directory/", {"q": "技师"}).json()
    assert [row["name"] for row in answer["results"]] == ["南宁技师学院"]
    assert client.get("/api/v1/directory/", {"level": "2"}).json()["count"] == 2  # the explicit parameter
