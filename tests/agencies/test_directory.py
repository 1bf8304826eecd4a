"""The public directory (目录): searching it, and one agency's page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import region

REMOVED_ON = dt.date(2025, 3, 14)
SUSPENDED_ON = dt.date(2025, 1, 6)


@pytest.fixture
def directory(people):
    """Five filed agencies: 南宁 and 青秀区 under it (active), 柳州 (suspended), 西安 (removed), 无锡 (active)."""
    qingxiu = OrganisationFactory(name="南宁市青秀区平安保安培训学校", region=region("450103"))
    xian = OrganisationFactory(name="西安市长安保安职业技能培训学校", region=region("610100"))
    wuxi = OrganisationFactory(name="无锡市消防安全培训中心", region=region("320200"))
    return SimpleNamespace(
        nanning=directory_entry(
            people.org_nanning, institution_code="Y4501000001", scope="region", approvals=[("3-02-02-00", (3, 2, 1))]
        ),
        qingxiu=directory_entry(qingxiu, scope="city", approvals=[("4-07-05-01", (5, 4, 3))]),
        liuzhou=directory_entry(
            people.org_liuzhou,
            scope="city",
            status="suspended",
            status_changed_on=SUSPENDED_ON,
            approvals=[("3-02-02-00", (3,))],
            history=[("active", dt.date(2024, 6, 3), ""), ("suspended", SUSPENDED_ON, "双随机抽查发现考务管理不规范")],
        ),
        xian=directory_entry(
            xian,
            scope="region",
            status="removed",
            status_changed_on=REMOVED_ON,
            approvals=[("4-07-05-01", (3, 2))],
            history=[("active", dt.date(2023, 9, 1), ""), ("removed", REMOVED_ON, "违规发放证书，移出目录")],
        ),
        wuxi=directory_entry(wuxi, scope="city", approvals=[("4-07-05-04", (4, 3)), ("4-07-05-02", (3,))]),
    )


def listed(client, **params) -> list[str]:
    response = client.get(reverse("directory:search"), params)
    assert response.status_code == 200
    return [entry.organisation.name for entry in response.context["page"]]


def names(*entries) -> list[str]:
    return sorted(entry.organisation.name for entry in entries)


def test_anyone_sees_the_active_agencies_by_default(client, directory):
    assert sorted(listed(client)) == names(directory.nanning, directory.qingxiu, directory.wuxi)


def test_a_removed_agency_stays_listed_as_removed_with_the_date(client, directory):
    response = client.get(reverse("directory:search"), {"status": "all"})
    assert [e.organisation.name for e in response.context["page"]].count(directory.xian.organisation.name) == 1
    html = response.content.decode()
    assert "Removed from the directory" in html or "移出目录" in html
    assert "2025-03-14" in html
    assert sorted(e.organisation.name for e in response.context["page"]) == names(*vars(directory).values())


def test_search_by_status(client, directory):
    assert listed(client, status="suspended") == [directory.liuzhou.organisation.name]
    assert listed(client, status="removed") == [directory.xian.organisation.name]


def test_search_by_city_takes_in_its_counties(client, directory):
    assert sorted(listed(client, city="450100")) == names(directory.nanning, directory.qingxiu)
    # A district also lists the agencies whose filing covers it: 安盾 (南宁市) is filed province-wide.
    assert sorted(listed(client, city="450103")) == names(directory.nanning, directory.qingxiu)
    assert listed(client, city="610100", status="all") == [directory.xian.organisation.name]


def test_search_by_province(client, directory):
    assert sorted(listed(client, city="450000", status="all")) == names(
        directory.nanning, directory.qingxiu, directory.liuzhou
    )


def test_search_by_occupation_and_level(client, directory):
    assert sorted(listed(client, occupation="3-02-02-00", status="all")) == names(directory.nanning, directory.liuzhou)
    assert sorted(listed(client, level="3")) == names(directory.nanning, directory.qingxiu, directory.wuxi)
    assert listed(client, level="5") == [directory.qingxiu.organisation.name]
    # Occupation and level are one approval: 无锡 has 安检员 at level 3 but 消防设施操作员 only at 4 and 3.
    assert listed(client, occupation="4-07-05-02", level="3") == [directory.wuxi.organisation.name]
    assert listed(client, occupation="4-07-05-02", level="4") == []


def test_an_agency_approved_at_several_levels_is_listed_once(client, directory):
    assert listed(client, occupation="3-02-02-00") == [directory.nanning.organisation.name]


def test_search_by_scope(client, directory):
    assert listed(client, scope="region") == [directory.nanning.organisation.name]
    assert sorted(listed(client, scope="city")) == names(directory.qingxiu, directory.wuxi)


def test_search_by_name_institution_code_or_credit_code(client, directory):
    assert listed(client, q='"青秀"') == [directory.qingxiu.organisation.name]  # quoted: in names, not the district
    assert listed(client, q="平安") == [directory.qingxiu.organisation.name]
    assert listed(client, q="Y45010000") == [directory.nanning.organisation.name]
    assert listed(client, q=directory.wuxi.organisation.uscc) == [directory.wuxi.organisation.name]
    assert listed(client, q=directory.wuxi.organisation.uscc[:10]) == []


def test_the_results_are_counted_and_linked(client, directory):
    response = client.get(reverse("directory:search"))
    html = response.content.decode()
    assert response.context["page"].paginator.count == 3
    assert reverse("directory:entry", args=[directory.nanning.pk]) in html
    assert "Y4501000001" in html
    assert "三级/高级工" in html


def test_an_unknown_filter_value_is_explained(client, directory):
    response = client.get(reverse("directory:search"), {"level": "9", "city": "999999"})
    assert response.status_code == 400
    assert list(response.context["page"]) == []
    assert set(response.context["form"].errors) == {"level", "city"}
    assert "999999" in response.content.decode()


def test_twenty_five_agencies_a_page(client, people):
    for i in range(30):
        directory_entry(OrganisationFactory(name=f"分页测试培训学校{i:02d}", region=region("450100")))
    first = client.get(reverse("directory:search"))
    second = client.get(reverse("directory:search"), {"page": "2"})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert first.context["page"].paginator.count == 30


def test_the_agency_page_shows_approvals_code_and_status_history(client, directory):
    response = client.get(reverse("directory:entry", args=[directory.liuzhou.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        directory.liuzhou.organisation.name,
        directory.liuzhou.organisation.uscc,
        directory.liuzhou.institution_code,
        "柳州市",
        "保卫管理员",
        "3-02-02-00",
        "三级/高级工",
        "2024-06-03",
        "2025-01-06",
        "双随机抽查发现考务管理不规范",
        'href="/verify/"',
    ):
        assert text in html, text
    assert [change.status for change in response.context["history"]] == ["active", "suspended"]


def test_a_removed_agency_page_says_when_it_was_removed(client, directory):
    response = client.get(reverse("directory:entry", args=[directory.xian.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2025-03-14" in html
    assert "违规发放证书，移出目录" in html


def test_an_agency_filed_without_history_is_active_since_its_filing(client, directory):
    response = client.get(reverse("directory:entry", args=[directory.nanning.pk]))
    history = response.context["history"]
    assert [(change.status, change.changed_on) for change in history] == [("active", dt.date(2024, 6, 3))]
    assert "保卫管理员" in response.content.decode()


def test_an_unknown_agency_is_not_found(client, db):
    assert client.get(reverse("directory:entry", args=[999999])).status_code == 404


def test_the_footer_links_to_the_directory_for_everyone(client, people, client_for):
    for person in (None, people.city_nanning):
        html = client_for(person).get(reverse("login") if person is None else reverse("home")).content.decode()
        assert f'href="{reverse("directory:search")}"' in html


@pytest.mark.parametrize("params", [{}, {"status": "all", "city": "450000", "occupation": "3-02-02-00", "level": "3"}])
def test_a_page_costs_the_same_queries_for_5_or_25_agencies(client, people, params):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("directory:search"), params)
        assert response.status_code == 200
        return len(captured.captured_queries)

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            directory_entry(
                OrganisationFactory(name=f"查询计数培训学校{i:02d}", region=region("450100")),
                approvals=[("3-02-02-00", (3, 2)), ("4-07-05-01", (4,))],
                history=[("active", dt.date(2024, 6, 3), "")],
            )

    add(5, 0)
    queries()  # a region filter reads the names of regions once, into the cache (``search_vocabulary``)
    few = queries()
    add(25, 5)
    many = queries()
    assert len(client.get(reverse("directory:search"), params).context["page"]) == 25
    assert few == many


def test_the_region_filter_offers_only_regions_with_agencies_and_entries_show_how_to_reach_them(directory, client):
    organisation = directory.nanning.organisation
    organisation.address = "南宁市青秀区民族大道136号"
    organisation.save()
    response = client.get(reverse("directory:search"))
    offered = {code for group in response.context["regions"] for code, _label in group["options"]}
    assert offered == {"450000", "450100", "450103", "450200", "610000", "610100", "320000", "320200"}
    html = response.content.decode()
    assert directory.nanning.organisation.address in html and directory.nanning.organisation.contact_phone in html
    page = client.get(reverse("directory:entry", args=[directory.nanning.pk])).content.decode()
    assert directory.nanning.organisation.contact_phone in page
