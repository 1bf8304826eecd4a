"""Every district and county of the portal's provinces is a word of the directory's search box (first-day tester:
“柳南区” and “雁塔区” were ignored — 0 results, no banner — while 城中区 worked: the reference regions held 16
districts and counties, 南宁's and 柳州's 城中区 only). The region table now holds every district and county of
Guangxi and Shaanxi (GB/T 2260), and a district name several provinces share (城中区: 柳州, 西宁) is the one in the
portal's provinces."""

from __future__ import annotations

import pytest

from portal.models import Region
from tests.agencies.directory_page import box as _box
from tests.agencies.directory_page import search as _search
from tests.agencies.directory_page import words_line as _line
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import region

pytestmark = pytest.mark.django_db


def _selected_region(page: str) -> list[str]:
    options = page.split('id="f-city"', 1)[1].split("</select>", 1)[0]
    return [part.split('"', 1)[0] for part in options.split('<option value="')[1:] if " selected>" in part]


@pytest.fixture
def agencies(db):
    return [
        directory_entry(OrganisationFactory(name="柳南区职业技能培训学校", region=region("450204")), scope="county"),
        directory_entry(
            OrganisationFactory(name="雁塔区安保职业技能培训中心", region=region("610113")), scope="county"
        ),
        directory_entry(
            OrganisationFactory(name="城中区安平职业技能培训学校", region=region("450202")), scope="county"
        ),
    ]


# GB/T 2260: the districts and counties of 柳州市 and 西安市, and how many each province has (杨陵区 counted as
# 杨凌示范区, which the portal keeps at city level under its code).
LIUZHOU_COUNTIES = [
    "城中区",
    "鱼峰区",
    "柳南区",
    "柳北区",
    "柳江区",
    "柳城县",
    "鹿寨县",
    "融安县",
    "融水苗族自治县",
    "三江侗族自治县",
]
XIAN_COUNTIES = [
    "新城区",
    "碑林区",
    "莲湖区",
    "灞桥区",
    "未央区",
    "雁塔区",
    "阎良区",
    "临潼区",
    "长安区",
    "高陵区",
    "鄠邑区",
    "蓝田县",
    "周至县",
]


def test_the_regions_hold_every_district_and_county_of_guangxi_and_shaanxi(db):
    def counties(path: str) -> list[str]:
        return list(
            Region.objects.filter(path__startswith=path, level=Region.Level.COUNTY).values_list("name", flat=True)
        )

    assert sorted(counties("450000/450200/")) == sorted(LIUZHOU_COUNTIES)
    assert sorted(counties("610000/610100/")) == sorted(XIAN_COUNTIES)
    assert len(counties("450000/")) == 111
    assert len(counties("610000/")) == 106 and Region.objects.get(code="610403").name == "杨凌示范区"


@pytest.mark.parametrize(
    ("word", "code", "name", "agency"),
    [
        ("柳南区", "450204", "柳南区", "柳南区职业技能培训学校"),
        ("柳南", "450204", "柳南区", "柳南区职业技能培训学校"),
        ("雁塔区", "610113", "雁塔区", "雁塔区安保职业技能培训中心"),
        ("雁塔", "610113", "雁塔区", "雁塔区安保职业技能培训中心"),
        ("城中区", "450202", "城中区", "城中区安平职业技能培训学校"),
    ],
)
def test_the_testers_districts_are_district_filters(agencies, client, word, code, name, agency):
    names, page = _search(client, q=word)
    assert names == [agency]
    assert _line(page) == f"已按区县“{name}”筛选" and _selected_region(page) == [code] and _box(page) == ""


def _xining_chengzhong() -> None:
    """西宁市城中区 (GB/T 2260 630103): a district of another province with 柳州's district's name."""
    qinghai = Region.objects.create(code="630000", name="青海省", level=Region.Level.PROVINCE)
    xining = Region.objects.create(code="630100", name="西宁市", level=Region.Level.CITY, parent=qinghai)
    Region.objects.create(code="630103", name="城中区", level=Region.Level.COUNTY, parent=xining)


def test_a_district_name_shared_with_another_province_is_the_portals_district(agencies, client):
    _xining_chengzhong()
    assert Region.objects.filter(name="城中区").count() == 2
    for word in ("城中区", "城中"):
        names, page = _search(client, q=word)
        assert names == ["城中区安平职业技能培训学校"]
        assert _line(page) == "已按区县“城中区”筛选" and _selected_region(page) == ["450202"]
    names, page = _search(client, q="西宁 城中区")  # a city named first: its own district
    assert _line(page) == "已按区县“城中区”筛选" and _selected_region(page) == ["630103"] and names == []


def test_a_district_name_shared_within_the_portals_provinces_is_no_filter_alone(
    agencies, client, django_capture_on_commit_callbacks
):
    """西乡 starts 南宁's 西乡塘区 and 汉中's 西乡县, both in the portal's provinces: alone it names neither; after a
    city, the one in that city."""
    names, page = _search(client, q="西乡")
    assert _line(page) is None and _box(page) == "西乡" and names == []
    _names, page = _search(client, q="汉中 西乡")
    assert _line(page) == "已按区县“西乡县”筛选" and _selected_region(page) == ["610724"]
    _names, page = _search(client, q="南宁 西乡")
    assert _line(page) == "已按区县“西乡塘区”筛选" and _selected_region(page) == ["450107"]
    # Two 城中区 in the portal's provinces (an administrator adds one to 西安): the name alone names neither.
    with django_capture_on_commit_callbacks(execute=True):  # a change of the regions forgets the cached names
        Region.objects.create(code="610199", name="城中区", level=Region.Level.COUNTY, parent=region("610100"))
    _names, page = _search(client, q="城中区")
    assert _line(page) is None and _box(page) == "城中区"
