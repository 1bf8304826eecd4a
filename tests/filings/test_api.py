"""The read-only JSON API under /api/v1/: the directory, receipt verification and its OpenAPI document."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.models import Receipt
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.portal.factories import region

REMOVED_ON = dt.date(2025, 3, 14)


@pytest.fixture
def entries(people):
    nanning = directory_entry(
        people.org_nanning, institution_code="Y4501000001", scope="region", approvals=[("3-02-02-00", (3, 2, 1))]
    )
    qingxiu = directory_entry(
        OrganisationFactory(name="南宁市青秀区平安保安培训学校", region=region("450103")),
        scope="city",
        approvals=[("4-07-05-01", (5, 4))],
    )
    removed = directory_entry(
        people.org_liuzhou,
        status="removed",
        status_changed_on=REMOVED_ON,
        history=[("active", dt.date(2024, 6, 3), ""), ("removed", REMOVED_ON, "违规发放证书")],
    )
    return nanning, qingxiu, removed


@pytest.fixture
def receipt(entries):
    nanning = entries[0]
    return Receipt.objects.create(
        application=nanning.application,
        version_number=1,
        number="桂技鉴备〔2024〕0001号",
        token="f3c1a9e0b7d24c6e8a5f1d2c3b4a5968",
        status=Receipt.Status.READY,
    )


def get(client, name: str, params: dict | None = None, **kwargs):
    response = client.get(reverse(f"public:{name}", kwargs=kwargs), params or {})
    assert response["Content-Type"].startswith("application/json")
    return response, response.json()


def test_the_directory_lists_active_agencies_with_their_approvals(client, entries):
    nanning, qingxiu, _removed = entries
    response, data = get(client, "api_directory")
    assert response.status_code == 200
    assert data["count"] == 2
    assert (data["page"], data["page_size"]) == (1, 25)
    first = data["results"][0]
    assert first == {
        "id": nanning.pk,
        "name": "南宁市安盾职业技能培训学校",
        "uscc": nanning.organisation.uscc,
        "city": {"code": "450100", "name": "南宁市"},
        "scope": "region",
        "institution_code": "Y4501000001",
        "status": "active",
        "status_since": "2024-06-03",
        "suspended_until": None,
        "filed_on": "2024-06-03",
        "occupations": [
            {"code": "3-02-02-00", "name": "保卫管理员", "level": 3, "level_label": "三级/高级工"},
            {"code": "3-02-02-00", "name": "保卫管理员", "level": 2, "level_label": "二级/技师"},
            {"code": "3-02-02-00", "name": "保卫管理员", "level": 1, "level_label": "一级/高级技师"},
        ],
    }
    assert data["results"][1]["id"] == qingxiu.pk


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"city": "450100"}, ["nanning", "qingxiu"]),
        ({"city": "450103"}, ["nanning", "qingxiu"]),  # a district: also 安盾, filed province-wide
        ({"city": "450103", "scope": "city"}, ["qingxiu"]),
        ({"occupation": "4-07-05-01"}, ["qingxiu"]),
        ({"level": "1"}, ["nanning"]),
        ({"scope": "city"}, ["qingxiu"]),
        ({"status": "removed"}, ["removed"]),
        # A city: also 安盾 (南宁), filed province-wide in 广西, which may evaluate in 柳州 too.
        ({"status": "all", "city": "450200"}, ["nanning", "removed"]),
        ({"q": "安盾"}, ["nanning"]),
    ],
)
def test_the_directory_filters(client, entries, params, expected):
    by_name = dict(zip(["nanning", "qingxiu", "removed"], entries, strict=True))
    _response, data = get(client, "api_directory", params)
    assert [row["id"] for row in data["results"]] == [by_name[name].pk for name in expected]


def test_a_removed_agency_is_listed_as_removed_with_the_date(client, entries):
    _response, data = get(client, "api_directory", {"status": "all"})
    removed = next(row for row in data["results"] if row["id"] == entries[2].pk)
    assert (removed["status"], removed["status_since"]) == ("removed", "2025-03-14")


def test_a_suspended_agency_says_until_when_in_the_list_and_the_detail(client, entries, people):
    """First-day finding: the web page said 至 2027-02-02, the API did not say when the suspension ends."""
    from agencies.services import directory_suspend

    until = dt.date.today() + dt.timedelta(days=30)
    directory_suspend(entry=entries[0], until=until, reason="整改", by=people.centre)
    _response, data = get(client, "api_directory", {"status": "all"})
    rows = {row["id"]: row for row in data["results"]}
    assert (rows[entries[0].pk]["status"], rows[entries[0].pk]["suspended_until"]) == ("suspended", until.isoformat())
    assert rows[entries[1].pk]["suspended_until"] is None and rows[entries[2].pk]["suspended_until"] is None
    _response, detail = get(client, "api_directory_entry", id=entries[0].pk)
    assert detail["suspended_until"] == until.isoformat()


def test_pages(client, entries):
    _response, data = get(client, "api_directory", {"page_size": "1", "page": "2"})
    assert (data["count"], data["page"], data["page_size"]) == (2, 2, 1)
    assert [row["id"] for row in data["results"]] == [entries[1].pk]
    _response, data = get(client, "api_directory", {"page": "5"})
    assert data["count"] == 2
    assert data["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "9"}, "level"),
        ({"level": "abc"}, "level"),
        ({"scope": "planet"}, "scope"),
        ({"status": "gone"}, "status"),
        ({"city": "999999"}, "city"),
        ({"occupation": "0-00-00-00"}, "occupation"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, entries, params, field):
    response, data = get(client, "api_directory", params)
    assert response.status_code == 400
    assert field in data["detail"]
    if field not in ("page", "page_size"):
        assert list(data["errors"]) == [field]


def test_the_detail_has_the_status_history(client, entries):
    removed = entries[2]
    response, data = get(client, "api_directory_entry", id=removed.pk)
    assert response.status_code == 200
    assert data["status"] == "removed"
    assert data["history"] == [
        {"status": "active", "date": "2024-06-03", "reason": ""},
        {"status": "removed", "date": "2025-03-14", "reason": "违规发放证书"},
    ]
    assert data["occupations"][0]["code"] == "3-02-02-00"


def test_an_unknown_agency_is_a_json_404(client, db):
    response, data = get(client, "api_directory_entry", id=999999)
    assert response.status_code == 404
    assert data == {"detail": "此地址下没有找到内容。"}


def test_only_get_is_allowed(client, entries):
    response = client.post(reverse("public:api_directory"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"detail": "此地址不接受 POST 请求，可用的请求方法：GET, HEAD。"}


def test_a_receipt_is_verified_by_its_token(client, receipt):
    response, data = get(client, "api_receipt_verify", {"token": receipt.token})
    assert response.status_code == 200
    assert data == {
        "number": "桂技鉴备〔2024〕0001号",
        "agency_name": "南宁市安盾职业技能培训学校",
        "uscc": receipt.application.organisation.uscc,
        "institution_code": "Y4501000001",
        "scope": "region",
        "occupations": [
            {"code": "3-02-02-00", "name": "保卫管理员", "level": 3, "level_label": "三级/高级工"},
            {"code": "3-02-02-00", "name": "保卫管理员", "level": 2, "level_label": "二级/技师"},
            {"code": "3-02-02-00", "name": "保卫管理员", "level": 1, "level_label": "一级/高级技师"},
        ],
        "issued_on": data["issued_on"],
        # the agency's current directory status beside what the receipt says (round 9 pub item 2)
        "directory_id": receipt.application.directory_entry.pk,
        "directory_status": "active",
        "status_since": receipt.application.directory_entry.status_changed_on.isoformat(),
        "suspended_until": None,
    }
    assert dt.date.fromisoformat(data["issued_on"])


def test_a_receipt_is_verified_by_its_number_and_the_agency_name(client, receipt):
    params = {"number": receipt.number, "agency": "南宁市安盾职业技能培训学校"}
    response, data = get(client, "api_receipt_verify", params)
    assert response.status_code == 200
    assert data["number"] == receipt.number


@pytest.mark.parametrize(
    "params",
    [
        {"token": "f3c1a9e0b7d24c6e8a5f1d2c3b4a5969"},
        {"token": "f3c1a9e0"},
        {"number": "桂技鉴备〔2024〕0001号", "agency": "南宁市安盾"},
        {"number": "桂技鉴备〔2024〕0001", "agency": "南宁市安盾职业技能培训学校"},
        {"number": "桂技鉴备〔2024〕0001号", "agency": "柳州市护航保安职业培训中心"},
    ],
)
def test_a_forged_or_partial_receipt_is_not_found(client, receipt, params):
    response, data = get(client, "api_receipt_verify", params)
    assert response.status_code == 404
    assert data == {"detail": "没有与之相符的已出具回执。"}


def test_a_receipt_not_yet_ready_is_not_found(client, receipt):
    Receipt.objects.filter(pk=receipt.pk).update(status=Receipt.Status.PENDING)
    response, _data = get(client, "api_receipt_verify", {"token": receipt.token})
    assert response.status_code == 404


@pytest.mark.parametrize("params", [{}, {"number": "桂技鉴备〔2024〕0001号"}, {"agency": "南宁市安盾职业技能培训学校"}])
def test_verification_needs_a_token_or_a_number_and_a_name(client, receipt, params):
    response, data = get(client, "api_receipt_verify", params)
    assert response.status_code == 400
    assert "token" in data["detail"]


def test_the_openapi_document_describes_every_endpoint(client, db):
    response = client.get(reverse("public:api_openapi"))
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1")  # generated by django-ninja (pydantic's JSON Schema)
    assert {"title", "version"} <= set(document["info"])
    paths = document["paths"]
    assert set(paths) == {
        "/api/v1/directory/",
        "/api/v1/directory/{id}/",
        "/api/v1/receipts/verify/",
        "/api/v1/openapi.json",
        "/api/v1/certificates/verify/",
    }
    # The certificate verification is the one POST (personal data stays out of URLs): tests/certificates.
    assert set(paths.pop("/api/v1/certificates/verify/")) == {"post"}
    parameters = {path: {p["name"] for p in operations["get"]["parameters"]} for path, operations in paths.items()}
    assert parameters == {
        "/api/v1/directory/": {"city", "occupation", "level", "scope", "status", "q", "page", "page_size"},
        "/api/v1/directory/{id}/": {"id"},
        "/api/v1/receipts/verify/": {"token", "number", "agency"},
        "/api/v1/openapi.json": set(),
    }
    for path, operations in paths.items():
        assert set(operations) == {"get"}, path
        assert "200" in operations["get"]["responses"], path
        for parameter in operations["get"]["parameters"]:
            assert parameter["in"] in ("query", "path") and "schema" in parameter
            assert parameter["required"] is (parameter["in"] == "path")
    level = next(p for p in paths["/api/v1/directory/"]["get"]["parameters"] if p["name"] == "level")
    assert level["schema"]["enum"] == [1, 2, 3, 4, 5]


def test_every_schema_reference_resolves(client, db):
    document = client.get(reverse("public:api_openapi")).json()
    schemas = document["components"]["schemas"]

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for item in node:
                yield from refs(item)

    found = set(refs(document))
    assert found
    assert {ref.removeprefix("#/components/schemas/") for ref in found} <= set(schemas)


def test_the_documented_fields_are_those_returned(client, entries, receipt):
    document = client.get(reverse("public:api_openapi")).json()
    schemas = document["components"]["schemas"]
    _r, listing = get(client, "api_directory")
    _r, detail = get(client, "api_directory_entry", id=entries[0].pk)
    _r, verified = get(client, "api_receipt_verify", {"token": receipt.token})
    assert set(listing) == set(schemas["DirectoryPage"]["properties"])
    assert set(listing["results"][0]) == set(schemas["DirectoryEntry"]["properties"])
    assert set(detail) == set(schemas["DirectoryEntry"]["properties"]) | {"history"}
    assert set(detail["history"][0]) == set(schemas["StatusChange"]["properties"])
    assert set(verified) == set(schemas["Receipt"]["properties"])
    assert set(listing["results"][0]["occupations"][0]) == set(schemas["Approval"]["properties"])


def test_a_page_of_the_api_costs_the_same_queries_for_5_or_25_agencies(client, db):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("public:api_directory"), {"city": "450000", "level": "3"})
        assert response.status_code == 200
        return len(captured.captured_queries)

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            directory_entry(
                OrganisationFactory(name=f"接口计数培训学校{i:02d}", region=region("450100")),
                approvals=[("3-02-02-00", (3, 2)), ("4-07-05-01", (4,))],
            )

    add(5, 0)
    queries()  # a region filter reads the names of regions once, into the cache (``search_vocabulary``)
    few = queries()
    add(25, 5)
    many = queries()
    assert client.get(reverse("public:api_directory"), {"city": "450000"}).json()["count"] == 30
    assert few == many


def test_the_answers_keep_chinese_as_is(client, entries):
    response = client.get(reverse("public:api_directory"))
    assert "南宁市安盾职业技能培训学校" in response.content.decode()


def test_head_is_answered_like_get(client, entries):
    response = client.head(reverse("public:api_directory"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_the_interactive_docs_use_only_the_portals_own_static_files(client, db):
    response = client.get(reverse("public:api_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assets = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
    assert reverse("public:api_openapi") in html
