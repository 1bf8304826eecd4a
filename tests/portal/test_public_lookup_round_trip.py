"""The public look-up's count and its cached answer read in one Redis round trip (issue 16, bench/README.md
issue-ver4): the counter gets its window on the first request only (EXPIRE NX), past the limit the answer is
refused, and without a pending count the read only reads. Needs a Redis server: REDIS_URL."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from portal.lib import publiccache, ratelimit
from portal.lib.ratelimit import Limit, counter_key, pending_on_redis, redis_client
from tests.filings.factories import directory_entry

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server (REDIS_URL)"),
    pytest.mark.usefixtures("redis_public_cache"),
]


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Every request of a test in the same window: a test crossing a minute would count on two keys."""
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0)


@pytest.fixture
def entry(people):
    return directory_entry(people.org_nanning, institution_code="Y4501000001", approvals=[("3-02-02-00", (3,))])


def key() -> str:
    return counter_key("public-lookup", "127.0.0.1", Limit(999, 60))  # the key depends on the window only


def hits() -> int:
    return int(redis_client().get(key()) or 0)


def test_the_counter_gets_its_window_once_and_keeps_it(client, entry, settings):
    settings.PUBLIC_LOOKUP_LIMIT = 10
    assert client.get("/directory/").status_code == 200  # computed and stored
    assert 0 < redis_client().ttl(key()) <= 61
    redis_client().expire(key(), 5)
    page = client.get("/directory/")  # from the cache: counted in the read's round trip
    assert page.status_code == 200 and entry.organisation.name in page.content.decode()
    assert 0 < redis_client().ttl(key()) <= 5 and hits() == 2  # EXPIRE NX: the window not pushed back
    redis_client().persist(key())  # a counter without a time to live gets one
    assert client.get("/directory/").status_code == 200
    assert 0 < redis_client().ttl(key()) <= 61 and hits() == 3


@pytest.mark.parametrize(("limit", "status"), [(2, 200), (1, 429)])
def test_on_and_past_the_limit_from_the_cache(client, entry, settings, limit, status):
    settings.PUBLIC_LOOKUP_LIMIT = 10
    assert client.get("/api/v1/directory/").status_code == 200
    redis_client().delete(key())
    settings.PUBLIC_LOOKUP_LIMIT = limit
    assert client.get("/api/v1/directory/").status_code == 200  # the first of the window
    assert client.get("/api/v1/directory/").status_code == status
    assert hits() == 2


def test_without_a_pending_count_the_read_only_reads(db):
    cache.set("public:version:directory", 7)
    cache.set("answer", ((7,), "stored"))
    assert publiccache._read(("directory",), "answer") == ("stored", (7,))
    assert publiccache._read(("directory",), "missing") == (publiccache._MISSING, (7,))
    assert redis_client().get(key()) is None


def test_the_pending_count_is_on_the_key_the_limit_counts_on(db):
    limit = Limit(5, 60)
    pending = pending_on_redis("public-lookup", "203.0.113.9", limit)
    assert pending.key == counter_key("public-lookup", "203.0.113.9", limit) and pending.limit == limit
    assert pending_on_redis("public-lookup", None, limit).key == counter_key("public-lookup", "unknown", limit)


def test_without_redis_nothing_is_pending(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert pending_on_redis("public-lookup", "203.0.113.9", Limit(5, 60)) is None
