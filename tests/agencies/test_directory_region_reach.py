"""A region of the directory's filter lists every agency that may evaluate there (first-day testers: 青秀区 left out
the agencies filed city-wide in 南宁; then 柳州市 listed fewer than its district 城中区, and 桂林 and 宝鸡 none).
An agency's scope (评价范围, ``Scope``) is where its filing lets it evaluate: 全市 its whole city, 全区/全省 its
whole province, 全国 the country (the Guangxi 2020 pilot's “面向全国、全区、地市开展职业技能等级认定”), 县 its own
county. So a district lists the agencies based in it, and those filed city-wide in its city, province-wide in its
province, or nationwide; a city (设区市), those based in it (its counties included), and those filed province-wide
in its province or nationwide; a province, those based in it and those filed nationwide."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agencies.models import DirectoryEntry
from agencies.selectors import directory_search
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import region

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
QINGXIU, XINGNING, NANNING, LIUZHOU, GUANGXI = "450103", "450102", "450100", "450200", "450000"
GUILIN, BAOJI, XIAN, SHAANXI, CHENGZHONG = "450300", "610300", "610100", "610000", "450202"


def _entry(name: str, code: str, scope: str, **kwargs) -> DirectoryEntry:
    return directory_entry(OrganisationFactory(name=name, region=region(code)), scope=scope, **kwargs)


@pytest.fixture
def agencies(db):
    return SimpleNamespace(
        qingxiu_county=_entry("青秀区鼎盛职业技能评价中心", QINGXIU, "county"),
        qingxiu_city=_entry("邕城保安职业技能培训学校", QINGXIU, "city"),
        nanning_city=_entry("南宁市安盾职业技能培训学校", NANNING, "city"),
        xingning_city=_entry("兴宁区金盾保安培训中心", XINGNING, "city"),  # another district, filed city-wide
        xingning_county=_entry("兴宁区平安保安培训学校", XINGNING, "county"),  # another district, its own only
        liuzhou_city=_entry("柳州市护航保安职业培训中心", LIUZHOU, "city"),
        liuzhou_region=_entry("柳州市神盾职业技能培训学校", LIUZHOU, "region"),  # province-wide, from 柳州
        xian_region=_entry("西安市保安协会", "610100", "region"),  # province-wide in 陕西
        wuxi_national=_entry("无锡市消防安全培训中心", "320200", "national"),
        nanning_suspended=_entry("南宁市邕城职业技能培训学校", NANNING, "city", status="suspended"),
        chongqing_city=_entry("重庆市平安职业技能培训学校", "500000", "city"),  # a municipality: no city between
        chengzhong_county=_entry("城中区安平职业技能培训学校", CHENGZHONG, "county"),  # 柳州市城中区, its own only
        baoji_city=_entry("宝鸡市秦安保安培训学校", BAOJI, "city"),  # city-wide in 宝鸡 only
    )


MAY_EVALUATE_IN_QINGXIU = sorted(
    [
        "青秀区鼎盛职业技能评价中心",
        "邕城保安职业技能培训学校",
        "南宁市安盾职业技能培训学校",
        "兴宁区金盾保安培训中心",
        "柳州市神盾职业技能培训学校",
        "无锡市消防安全培训中心",
    ]
)


def _listed(client, **params) -> tuple[list[str], str]:
    response = client.get("/directory/", params, **ZH)
    assert response.status_code == 200
    return sorted(entry.organisation.name for entry in response.context["page"]), response.content.decode()


def test_a_district_lists_every_agency_that_may_evaluate_there(agencies, client):
    names, _page = _listed(client, city=QINGXIU)
    assert names == MAY_EVALUATE_IN_QINGXIU
    assert "兴宁区平安保安培训学校" not in names  # county-wide in another district
    assert "柳州市护航保安职业培训中心" not in names  # city-wide in another city
    assert "西安市保安协会" not in names  # province-wide in another province


def test_a_district_word_lists_the_same(agencies, client):
    names, _page = _listed(client, q="青秀")
    assert names == MAY_EVALUATE_IN_QINGXIU


def test_a_suspended_city_wide_agency_is_listed_with_all_statuses(agencies, client):
    names, _page = _listed(client, city=QINGXIU, status="all")
    assert names == sorted([*MAY_EVALUATE_IN_QINGXIU, "南宁市邕城职业技能培训学校"])


def test_the_district_and_the_scope_filters_combine(agencies, client):
    names, _page = _listed(client, city=QINGXIU, scope="city")
    assert names == sorted(["邕城保安职业技能培训学校", "南宁市安盾职业技能培训学校", "兴宁区金盾保安培训中心"])
    names, _page = _listed(client, city=XINGNING, scope="county")
    assert names == ["兴宁区平安保安培训学校"]


def test_another_district_of_the_city_lists_its_own_and_the_same_wider_ones(agencies, client):
    names, _page = _listed(client, city=XINGNING)
    assert names == sorted(
        [
            "兴宁区金盾保安培训中心",
            "兴宁区平安保安培训学校",
            "邕城保安职业技能培训学校",  # based in 青秀区, filed city-wide
            "南宁市安盾职业技能培训学校",
            "柳州市神盾职业技能培训学校",
            "无锡市消防安全培训中心",
        ]
    )


def test_a_county_of_a_municipality_lists_the_municipalitys_city_wide_agencies(agencies, client):
    names, _page = _listed(client, city="500238")  # 重庆市巫溪县, directly under 重庆市
    assert names == sorted(["重庆市平安职业技能培训学校", "无锡市消防安全培训中心"])


# Who may evaluate in each city, by the rule above (the fixture's agencies, named by hand).
MAY_EVALUATE_IN_NANNING = sorted(
    [
        "青秀区鼎盛职业技能评价中心",  # based in its districts, whatever their scope
        "邕城保安职业技能培训学校",
        "南宁市安盾职业技能培训学校",
        "兴宁区金盾保安培训中心",
        "兴宁区平安保安培训学校",
        "柳州市神盾职业技能培训学校",  # province-wide in 广西, from 柳州
        "无锡市消防安全培训中心",  # nationwide
    ]
)
MAY_EVALUATE_IN_LIUZHOU = sorted(
    [
        "柳州市护航保安职业培训中心",
        "柳州市神盾职业技能培训学校",
        "城中区安平职业技能培训学校",  # its district 城中区
        "无锡市消防安全培训中心",
    ]
)
MAY_EVALUATE_IN_GUILIN = sorted(["柳州市神盾职业技能培训学校", "无锡市消防安全培训中心"])  # none based there
MAY_EVALUATE_IN_BAOJI = sorted(["宝鸡市秦安保安培训学校", "西安市保安协会", "无锡市消防安全培训中心"])


def test_a_city_lists_its_own_the_province_wide_ones_of_its_province_and_the_nationwide_ones(agencies, client):
    names, _page = _listed(client, city=NANNING)
    assert names == MAY_EVALUATE_IN_NANNING
    assert "柳州市护航保安职业培训中心" not in names  # city-wide in another city
    assert "西安市保安协会" not in names  # province-wide in another province
    names, _page = _listed(client, city=LIUZHOU)
    assert names == MAY_EVALUATE_IN_LIUZHOU
    assert "南宁市安盾职业技能培训学校" not in names and "兴宁区金盾保安培训中心" not in names  # 南宁's city-wide


def test_a_city_without_an_agency_of_its_own_lists_those_whose_filing_covers_it(agencies, client):
    """The tester's 桂林 and 宝鸡: 0 before, though 广西's and 陕西's province-wide agencies may evaluate there."""
    assert _listed(client, city=GUILIN)[0] == MAY_EVALUATE_IN_GUILIN
    assert _listed(client, q="桂林")[0] == MAY_EVALUATE_IN_GUILIN
    assert _listed(client, city=BAOJI)[0] == MAY_EVALUATE_IN_BAOJI
    assert _listed(client, q="宝鸡")[0] == MAY_EVALUATE_IN_BAOJI


def test_a_city_lists_no_fewer_than_any_of_its_districts(agencies, client):
    """The tester's 柳州 (1) and 城中区 (2): every agency a district lists, bar those filed city-wide in its city
    and county-wide in another district, the city lists too."""
    city = set(_listed(client, city=LIUZHOU)[0])
    district = set(_listed(client, city=CHENGZHONG)[0])
    assert district <= city
    assert sorted(district) == MAY_EVALUATE_IN_LIUZHOU


def test_the_city_and_the_scope_filters_combine(agencies, client):
    assert _listed(client, city=LIUZHOU, scope="region")[0] == ["柳州市神盾职业技能培训学校"]
    assert _listed(client, city=GUILIN, scope="city")[0] == []
    assert _listed(client, city=NANNING, status="all", scope="city")[0] == sorted(
        [
            "邕城保安职业技能培训学校",
            "南宁市安盾职业技能培训学校",
            "兴宁区金盾保安培训中心",
            "南宁市邕城职业技能培训学校",
        ]
    )


def test_a_province_lists_its_own_and_the_nationwide_ones(agencies, client):
    names, _page = _listed(client, city=GUANGXI)
    assert names == sorted(
        [
            "青秀区鼎盛职业技能评价中心",
            "邕城保安职业技能培训学校",
            "南宁市安盾职业技能培训学校",
            "兴宁区金盾保安培训中心",
            "兴宁区平安保安培训学校",
            "柳州市护航保安职业培训中心",
            "柳州市神盾职业技能培训学校",
            "城中区安平职业技能培训学校",
            "无锡市消防安全培训中心",
        ]
    )
    assert "西安市保安协会" not in names and "宝鸡市秦安保安培训学校" not in names  # another province
    names, _page = _listed(client, city=SHAANXI)
    assert names == sorted(["西安市保安协会", "宝鸡市秦安保安培训学校", "无锡市消防安全培训中心"])


def _reach(page: str) -> str | None:
    if 'id="region-reach"' not in page:
        return None
    return page.split('id="region-reach"', 1)[1].split("</i>", 1)[1].split("</p>", 1)[0].strip()


def test_the_page_says_what_a_city_and_a_province_take_in(agencies, client):
    assert _reach(_listed(client, city=LIUZHOU)[1]) == (
        "列出注册在柳州市的机构，以及评价范围覆盖该地的机构：广西壮族自治区全区或全国。"
    )
    assert (
        _reach(_listed(client, q="宝鸡")[1]) == "列出注册在宝鸡市的机构，以及评价范围覆盖该地的机构：陕西省全省或全国。"
    )
    assert _reach(_listed(client, city=SHAANXI)[1]) == "列出注册在陕西省的机构，以及评价范围为全国的机构。"
    assert _reach(_listed(client)[1]) is None  # no region chosen: nothing to explain


def test_the_page_says_what_a_district_takes_in(agencies, client):
    _names, page = _listed(client, city=QINGXIU)
    assert _reach(page) == "列出注册在青秀区的机构，以及评价范围覆盖该地的机构：南宁市全市、广西壮族自治区全区或全国。"


@pytest.mark.parametrize(
    ("code", "expected"),
    [(QINGXIU, MAY_EVALUATE_IN_QINGXIU), (LIUZHOU, MAY_EVALUATE_IN_LIUZHOU), (BAOJI, MAY_EVALUATE_IN_BAOJI)],
)
def test_the_api_and_the_export_list_the_same_agencies(agencies, client, code, expected):
    answer = client.get("/api/v1/directory/", {"city": code, "page_size": 50}).json()
    assert sorted(row["name"] for row in answer["results"]) == expected
    response = client.get("/directory/export.xlsx", {"city": code})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    every_name = {entry.organisation.name for entry in vars(agencies).values()}
    assert sorted(row[0] for row in rows if row[0] in every_name) == expected


def test_a_district_a_city_and_a_province_cost_the_same_queries(agencies, client):
    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            _listed(client, **params)
        return len(captured.captured_queries)

    _listed(client, q="柳州")  # the first search reads the names of regions and occupations, once
    assert queries(city=QINGXIU) == queries(city=NANNING) == queries(city=GUANGXI)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
@pytest.mark.parametrize("code", [QINGXIU, LIUZHOU, GUANGXI])
def test_postgresql_finds_a_regions_agencies_through_indexes(agencies, code):
    """With sequential scans priced out, the plan of a region's filter uses no sequential scan of the entries:
    every branch of it (the region's keys, the city's and the province's keys with their scope, nationwide) has
    an index (the region key's; ``directory_scope_region``)."""
    sql, params = directory_search(city=code, status="all").order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on agencies_directoryentry" not in plan, plan
    assert "directory_scope_region" in plan
