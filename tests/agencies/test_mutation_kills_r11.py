"""Round 11's mutation run over the day's merged work (search11: the directory's search words read as city and
occupation filters): each test here failed with a planted bug the existing tests let through, and passes on the
product as it is."""

from __future__ import annotations

import pytest

from portal.models import Region
from tests.agencies.directory_page import box as _box
from tests.agencies.directory_page import follow as _follow
from tests.agencies.directory_page import links as _links
from tests.agencies.directory_page import search as _search
from tests.agencies.directory_page import selected as _selected
from tests.agencies.directory_page import words_line as _line
from tests.agencies.test_directory_filter_words import QINGXIU, agencies  # noqa: F401  (fixtures and data)

pytestmark = pytest.mark.django_db


def test_a_renamed_district_is_read_by_its_new_name_from_the_next_search(
    agencies,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    """Mutation: the cached names not forgotten when a region is renamed (admin, reference data): the search box
    kept reading the old name until the cache expired, six hours later."""
    names, page = _search(client, q="青秀区")
    assert _line(page) == "已按区县“青秀区”筛选"
    with django_capture_on_commit_callbacks(execute=True):
        qingxiu = Region.objects.get(code="450103")
        qingxiu.name = "青秀新区"
        qingxiu.save()
    names, page = _search(client, q="青秀新区")
    assert names == QINGXIU
    assert _line(page) == "已按区县“青秀新区”筛选" and _selected(page, "f-city") == ["450103"]
    names, page = _search(client, q="青秀区")  # the old name is no region's any more: looked for in names
    assert names == [] and _line(page) is None and _box(page) == "青秀区"


def test_a_city_word_without_any_agency_is_shown_chosen_in_the_dropdown(agencies, client):  # noqa: F811
    """Mutation: the dropdown listed only the regions with an agency: “桂林” filtered by 桂林市 (no agency there)
    but the dropdown showed “all regions”, so the next search from the form dropped the filter."""
    names, page = _search(client, q="桂林")
    # No agency based in 桂林; 安盾, filed province-wide in 广西, may evaluate there.
    assert names == ["南宁市安盾职业技能培训学校"] and _line(page) == "已按城市“桂林市”筛选"
    assert _selected(page, "f-city") == ["450300"]
    _names, page = _search(client, q="柳州")  # a city with agencies: chosen as before
    assert _selected(page, "f-city") == ["450200"]
    _names, page = _search(client)  # without the word, 桂林 is no choice (no agency there)
    assert 'value="450300"' not in page.split('id="f-city"', 1)[1].split("</select>", 1)[0]


def test_a_part_from_inside_a_name_is_no_filter(agencies, client):  # noqa: F811
    """Mutation: a word anywhere inside a name read as that name (“秀区” → 青秀区): only a word that starts a name
    (or is one) is a filter; the rest is looked for in the agencies' names."""
    names, page = _search(client, q="秀区")
    assert names == [] and _line(page) is None
    assert _selected(page, "f-city") == [] and _box(page) == "秀区"
    names, page = _search(client, q="青秀")  # the start of the name: the district
    assert _line(page) == "已按区县“青秀区”筛选"


def test_a_whole_occupation_name_wins_over_the_start_of_a_region_name(agencies, client):  # noqa: F811
    """Mutation: the whole name not preferred across regions and occupations: with a region 电工新区 in the
    reference data, “电工” — the whole name of the occupation — filtered nothing."""
    Region.objects.create(
        code="459901", name="电工新区", level=Region.Level.COUNTY, parent=Region.objects.get(code="450200")
    )
    names, page = _search(client, q="电工")
    assert names == ["鼎盛职业技能评价中心"] and _line(page) == "已按职业“电工”筛选"
    assert _selected(page, "f-city") == []
    names, page = _search(client, q="电工新")  # the start of the region's name only: the region
    assert _line(page) == "已按区县“电工新区”筛选"
    # No agency based there: those filed city-wide in its city (柳州) and province-wide may evaluate there.
    assert names == sorted(["南宁市安盾职业技能培训学校", "南宁神盾保安服务有限公司", "柳州市护航保安职业培训中心"])


def test_looking_in_the_names_instead_drops_the_dropdowns_city_the_word_replaced(agencies, client):  # noqa: F811
    """Mutation: the “look for the words in the names instead” link kept the city chosen in the dropdown before
    the word replaced it: with 南宁 chosen and “柳州 护航” typed, the link looked for the names in 南宁 and found
    nothing, though 柳州市护航… has both words in its name."""
    names, page = _search(client, q="柳州 护航", city="450100")
    assert names == ["柳州市护航保安职业培训中心"] and _line(page) == "已按城市“柳州市”筛选，且机构名称包含“护航”"
    names, page = _follow(client, _links(page)[-1])
    assert names == ["柳州市护航保安职业培训中心"]
    assert _selected(page, "f-city") == [] and _box(page) == '"柳州" 护航'
