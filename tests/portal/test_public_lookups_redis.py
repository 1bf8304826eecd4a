"""The public look-ups' count and their cached answer in one Redis round trip (issue 16): every request still
counted before any work is done for it, 429 past the limit, whether the answer came from the cache, from the
view, or was a 400. Needs a Redis server: REDIS_URL (CI sets it)."""

from __future__ import annotations

import os

import pytest

from agencies.models import DirectoryEntry
from filings.models import Receipt
from portal.lib.ratelimit import Limit, counter_key, redis_client
from tests.filings.factories import directory_entry

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server (REDIS_URL)"),
    pytest.mark.usefixtures("redis_public_cache"),
]
TOKEN = "f3c1a9e0b7d24c6e8a5f1d2c3b4a5968"
CACHED = [
    "/directory/",
    "/directory/?q=%E5%AE%89%E7%9B%BE",
    "/verify/no-such-token-000000000000000000/",
    "/verify/?number=x&agency=y",
    "/api/v1/directory/",
    f"/api/v1/receipts/verify/?token={TOKEN}",
    "/api/v1/receipts/verify/?token=unknown",
]


@pytest.fixture
def receipt(people):
    entry = directory_entry(people.org_nanning, institution_code="Y4501000001", approvals=[("3-02-02-00", (3,))])
    return Receipt.objects.create(
        application=entry.application, version_number=1, number="桂技鉴备〔2024〕0001号", token=TOKEN,
        status=Receipt.Status.READY,
    )  # fmt: skip


def hits(address: str = "127.0.0.1") -> int:
    limit = Limit(999, 60)  # the key depends on the window only
    return int(redis_client().get(counter_key("public-lookup", address, limit)) or 0)


@pytest.mark.parametrize("url", CACHED)
def test_a_cached_answer_and_the_count_are_one_round_trip(client, receipt, settings, round_trips, url):
    settings.PUBLIC_LOOKUP_LIMIT = 10
    first = client.get(url)  # computes and stores the answer
    round_trips.clear()
    second = client.get(url)
    assert second.status_code == first.status_code
    assert len(round_trips) == 1  # INCR, EXPIRE NX and the MGET of the versions and the answer, pipelined
    assert hits() == 2


@pytest.mark.parametrize("url", CACHED)
def test_past_the_limit_a_cached_answer_is_refused_and_every_request_counted(
    client, receipt, settings, django_assert_num_queries, url
):
    settings.PUBLIC_LOOKUP_LIMIT = 2
    assert [client.get(url).status_code == 429 for _ in range(2)] == [False, False]
    with django_assert_num_queries(0):
        refused = client.get(url)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    said = refused.json()["detail"] if "/api/" in url else refused.content.decode()
    assert ("请稍后再试" if "/api/" in url else "查询过于频繁") in said
    assert client.get(url).status_code == 429
    assert hits() == 4
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code != 429


def test_a_look_up_that_reads_no_cached_answer_is_counted_before_its_view_runs(
    client, receipt, settings, django_assert_num_queries
):
    settings.PUBLIC_LOOKUP_LIMIT = 1
    detail = f"/api/v1/directory/{DirectoryEntry.objects.get().pk}/"
    assert client.get(detail).status_code == 200
    with django_assert_num_queries(0):  # refused before the view's queries
        assert client.get(detail).status_code == 429
    assert hits() == 2


def test_a_refused_400_is_counted_too(client, db, settings):
    settings.PUBLIC_LOOKUP_LIMIT = 1
    assert client.get("/api/v1/directory/?level=9").status_code == 400
    assert client.get("/api/v1/directory/?level=9").status_code == 429
    assert client.get("/api/v1/receipts/verify/").status_code == 429  # one budget for every look-up
    assert hits() == 3


def test_a_signed_in_visitor_is_counted_before_the_page_is_drawn(client_for, people, receipt, settings):
    settings.PUBLIC_LOOKUP_LIMIT = 1
    official = client_for(people.city_nanning)
    assert official.get("/directory/").status_code == 200
    assert official.get("/directory/").status_code == 429
    assert hits() == 2


def test_an_unknown_path_under_a_counted_prefix_is_counted(client, db, settings):
    settings.PUBLIC_LOOKUP_LIMIT = 1
    assert client.get("/directory/no-such-page/").status_code == 404
    assert client.get("/directory/no-such-page/").status_code == 429
