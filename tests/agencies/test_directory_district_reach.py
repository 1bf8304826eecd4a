"""A district or county (区县) of the directory's region filter lists every agency that may evaluate there (first-day
tester: 青秀区 left out the agencies filed city-wide in 南宁). An agency's scope (评价范围, ``Scope``) is where its
filing lets it evaluate: 全市 its whole city, 全区/全省 its whole province, 全国 the country (the Guangxi 2020 pilot's
“面向全国、全区、地市开展职业技能等级认定”), 县 its own county. So a district lists the agencies based in it, and
those filed city-wide in its city, province-wide in its province, or nationwide; a city or a province still lists
the agencies based in it."""

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


def test_a_city_and_a_province_still_list_the_agencies_based_in_them(agencies, client):
    names, page = _listed(client, city=NANNING)
    assert names == sorted(
        [
            "青秀区鼎盛职业技能评价中心",
            "邕城保安职业技能培训学校",
            "南宁市安盾职业技能培训学校",
            "兴宁区金盾保安培训中心",
            "兴宁区平安保安培训学校",
        ]
    )
    assert 'id="district-reach"' not in page
    names, _page = _listed(client, city=GUANGXI)
    assert "西安市保安协会" not in names and "无锡市消防安全培训中心" not in names and len(names) == 7


def test_the_page_says_what_a_district_takes_in(agencies, client):
    _names, page = _listed(client, city=QINGXIU)
    reach = page.split('id="district-reach"', 1)[1].split("</p>", 1)[0]
    assert "列出注册在青秀区的机构，以及评价范围覆盖该地的机构：南宁市全市、广西壮族自治区全区或全国。" in reach


def test_the_api_and_the_export_list_the_same_agencies(agencies, client):
    answer = client.get("/api/v1/directory/", {"city": QINGXIU, "page_size": 50}).json()
    assert sorted(row["name"] for row in answer["results"]) == MAY_EVALUATE_IN_QINGXIU
    response = client.get("/directory/export.xlsx", {"city": QINGXIU})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows if row[0] in {*MAY_EVALUATE_IN_QINGXIU, "西安市保安协会"}) == (
        MAY_EVALUATE_IN_QINGXIU
    )


def test_a_district_costs_no_more_queries_than_a_city(agencies, client):
    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            _listed(client, **params)
        return len(captured.captured_queries)

    _listed(client, q="柳州")  # the first search reads the names of regions and occupations, once
    assert queries(city=QINGXIU) == queries(city=NANNING)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_postgresql_finds_a_districts_agencies_through_indexes(agencies):
    """With sequential scans priced out, the plan of the district's filter uses no sequential scan of the entries:
    every branch of it (the district's key, the city's and the province's keys with their scope, nationwide) has
    an index (the region key's; ``directory_scope_region``)."""
    sql, params = directory_search(city=QINGXIU, status="all").order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on agencies_directoryentry" not in plan, plan
    assert "directory_scope_region" in plan
