"""The verification log off the request path (issue 12): buffered in Redis, written in bulk by beat's task,
every look-up still logged, each row exactly once. Needs a Redis server: REDIS_URL (CI sets it)."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading

import pytest

from certificates import verification
from certificates.models import Certificate, Session, Verification
from certificates.services import certificates_issue
from certificates.tasks import verification_log_flush
from tests.certificates.factories import ID_A, candidates, filed_entry, session_of
from tests.certificates.test_verification import PAGE, post_json

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server (REDIS_URL)")


@pytest.fixture
def certificate(people) -> Certificate:
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    (issued,) = certificates_issue(session=session, by=people.agency_nanning)
    return issued


@pytest.fixture
def buffered(settings):
    settings.REDIS_URL = REDIS_URL
    settings.VERIFICATION_LOG_BUFFERED = True
    redis = verification._redis(REDIS_URL)
    redis.delete(verification.LOG_KEY)
    yield redis
    redis.delete(verification.LOG_KEY)


def test_a_look_up_writes_nothing_on_the_request_path_and_the_flush_writes_every_one(
    client, certificate, buffered, settings
):
    settings.CERTIFICATE_VERIFY_LIMIT = 4
    post_json(client, {"number": certificate.number, "name": "张小三"})  # found, API
    post_json(client, {"id_number": ID_A, "name": "李四"})  # not found, by ID number
    client.post(PAGE, {"number": certificate.number, "name": "张小三"})  # found, page
    post_json(client, {"number": "S000045000001265999999", "name": "张小三"})  # unknown number
    post_json(client, {"number": certificate.number, "name": "张小三"})  # the fifth: refused by the limit
    assert not Verification.objects.exists()
    assert buffered.llen(verification.LOG_KEY) == 5

    assert verification_log_flush() == 5
    logged = list(
        Verification.objects.order_by("time", "pk").values_list(
            "channel", "found", "by_id_number", "limited", "number", "certificate_id", "ip"
        )
    )
    assert logged == [
        ("api", True, False, False, certificate.number, certificate.pk, "127.0.0.1"),
        ("api", False, True, False, "", None, "127.0.0.1"),
        ("page", True, False, False, certificate.number, certificate.pk, "127.0.0.1"),
        ("api", False, False, False, "S000045000001265999999", None, "127.0.0.1"),
        ("api", False, False, True, "", None, "127.0.0.1"),
    ]
    assert buffered.llen(verification.LOG_KEY) == 0
    assert verification_log_flush() == 0 and Verification.objects.count() == 5
    assert "张小三" not in json.dumps(list(Verification.objects.values("number", "ip")))


def test_without_the_buffer_the_row_is_written_at_once(client, certificate, settings):
    settings.VERIFICATION_LOG_BUFFERED = False
    post_json(client, {"number": certificate.number, "name": "张小三"})
    assert Verification.objects.filter(found=True, certificate=certificate).count() == 1


def test_an_unreachable_redis_makes_the_request_write_its_row(client, certificate, settings):
    settings.VERIFICATION_LOG_BUFFERED = True
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    post_json(client, {"number": certificate.number, "name": "张小三"})
    assert Verification.objects.filter(found=True, certificate=certificate).count() == 1


def test_two_flushes_racing_write_each_row_exactly_once(buffered, monkeypatch, db):
    rows = [json.dumps({**_row(), "number": f"N{n:06d}"}) for n in range(2_000)]
    buffered.rpush(verification.LOG_KEY, *rows)
    written: list[str] = []
    lock = threading.Lock()

    def collect(items):
        with lock:
            written.extend(json.loads(item)["number"] for item in items)

    monkeypatch.setattr(verification, "_write_rows", collect)
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda: counts.append(verification.verification_log_flush(batch=7))) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 2_000 and len(written) == 2_000
    assert sorted(written) == [f"N{n:06d}" for n in range(2_000)]


def test_a_failed_write_puts_the_rows_back_in_their_order(buffered, monkeypatch, db):
    buffered.rpush(verification.LOG_KEY, *[json.dumps({**_row(), "number": f"N{n}"}) for n in range(3)])

    def fail(items):
        raise RuntimeError("database down")

    monkeypatch.setattr(verification, "_write_rows", fail)
    with pytest.raises(RuntimeError):
        verification.verification_log_flush()
    kept = [json.loads(item)["number"] for item in buffered.lrange(verification.LOG_KEY, 0, -1)]
    assert kept == ["N0", "N1", "N2"]


def _row() -> dict:
    return {
        "time": "2026-12-02T10:00:00+00:00",
        "ip": "10.0.0.1",
        "channel": "api",
        "number": "",
        "by_id_number": False,
        "found": False,
        "certificate_id": None,
        "limited": False,
    }


# ---------------------------------------------------------------- one Redis round trip per verification (issue 16)


@pytest.fixture
def limits_in_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _warm(client, certificate):
    """The connections and the script loaded once (a first EVALSHA of a new script costs a SCRIPT LOAD)."""
    post_json(client, {"number": certificate.number, "name": "张小三"}, REMOTE_ADDR="10.9.9.9")


@pytest.mark.parametrize("by", ["api", "page"])
def test_a_verification_is_one_redis_round_trip_counting_and_logging_it(
    client, certificate, buffered, limits_in_redis, round_trips, settings, by
):
    settings.CERTIFICATE_VERIFY_LIMIT = 2
    _warm(client, certificate)
    round_trips.clear()
    given = {"number": certificate.number, "name": "张小三"}
    response = post_json(client, given) if by == "api" else client.post(PAGE, given)
    assert response.status_code == 200 and "张*三" in response.content.decode()
    assert len(round_trips) == 1  # the count and the log row in one script
    assert buffered.llen(verification.LOG_KEY) == 2
    logged = json.loads(buffered.lindex(verification.LOG_KEY, -1))
    assert (logged["found"], logged["certificate_id"], logged["limited"]) == (True, certificate.pk, False)


def test_past_the_limit_the_look_up_is_still_counted_logged_as_limited_and_shows_nothing(
    client, certificate, buffered, limits_in_redis, round_trips, settings
):
    settings.CERTIFICATE_VERIFY_LIMIT = 2
    given = {"number": certificate.number, "name": "张小三"}
    assert [post_json(client, given).status_code for _ in range(2)] == [200, 200]
    round_trips.clear()
    refused = [post_json(client, given), client.post(PAGE, given), post_json(client, given)]
    assert [r.status_code for r in refused] == [429, 429, 429]
    assert all("张*三" not in r.content.decode() and r["Retry-After"] == "60" for r in refused)
    assert len(round_trips) == 3  # one each: counted and logged in the same call
    verification_log_flush()
    rows = list(Verification.objects.order_by("time", "pk").values_list("limited", "found", "number", "channel"))
    assert rows == [
        (False, True, certificate.number, "api"),
        (False, True, certificate.number, "api"),
        (True, False, "", "api"),
        (True, False, "", "page"),
        (True, False, "", "api"),
    ]
    # Counted on every request: the window's counter holds all five, refused ones included.
    key = verification.counter_key(verification.SCOPE, "127.0.0.1", verification.verify_limit())
    assert int(buffered.get(key)) == 5
    # Another address is not refused.
    assert post_json(client, given, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_an_invalid_request_past_the_limit_is_refused_and_logged_as_limited(
    client, certificate, buffered, limits_in_redis, settings
):
    settings.CERTIFICATE_VERIFY_LIMIT = 1
    assert post_json(client, {"name": "张小三"}).status_code == 400  # counted: the first of the window
    assert post_json(client, {"name": "张小三"}).status_code == 429
    verification_log_flush()
    assert list(Verification.objects.values_list("limited", flat=True)) == [True]


def test_the_answer_served_without_ninja_validation_still_matches_the_documented_schema(
    client, certificate, buffered, limits_in_redis
):
    from certificates.api import Found

    response = post_json(client, {"id_number": ID_A, "name": "张小三"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert Found.model_validate(body).model_dump(mode="json") == body
    assert body["certificate"]["number"] == certificate.number
    miss = post_json(client, {"id_number": ID_A, "name": "李四"})
    assert miss.content == b'{"found": false}'


def test_the_flush_writes_every_field_of_every_row_in_their_order(buffered, db, people):
    """The one-statement INSERT on PostgreSQL (the ORM elsewhere) reads each JSON row into the same columns."""
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    (issued,) = certificates_issue(session=Session.objects.get(pk=session.pk), by=people.agency_nanning)
    rows = [
        {**_row(), "time": "2026-12-02T10:00:00.123456+00:00", "number": 'S"引号\\', "ip": None},
        {**_row(), "channel": "page", "found": True, "certificate_id": issued.pk, "number": issued.number},
        {**_row(), "time": "2026-12-02T18:00:00+08:00", "ip": "2001:db8::1", "by_id_number": True},
        {**_row(), "limited": True},
    ]
    buffered.rpush(verification.LOG_KEY, *[json.dumps(row, ensure_ascii=n % 2 == 0) for n, row in enumerate(rows)])
    assert verification.verification_log_flush() == 4
    logged = list(
        Verification.objects.order_by("pk").values(
            "time", "ip", "channel", "by_id_number", "number", "found", "certificate_id", "limited"
        )
    )
    expected = [{**row, "time": dt.datetime.fromisoformat(row["time"])} for row in rows]
    assert logged == expected
