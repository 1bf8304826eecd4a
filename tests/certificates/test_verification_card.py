"""Verification by number from the certificate's card in Redis (issue 12's verification target, issue 16 item 3):
a hit is one Redis round trip and no SQL, a miss SELECTs and fills, a change shows at once (also when a reader
raced it), found ≡ mismatch in the answer and in its cost, the count and the log of every request unchanged.
Needs a Redis server: REDIS_URL (CI sets it)."""

from __future__ import annotations

import json
import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates import verification
from certificates.models import Certificate, Session, Verification
from certificates.numbering import format_number
from certificates.services import certificate_revoke, certificates_issue
from certificates.tasks import verification_log_flush
from tests.certificates.factories import ID_A, candidates, filed_entry, session_of
from tests.certificates.test_verification import PAGE, post_json

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs a Redis server (REDIS_URL)")
NAME = "张小三"
UNKNOWN = "S000045000001265999999"
REASON = "考试作弊，经查实撤销。"


@pytest.fixture
def redis(settings):
    settings.REDIS_URL = REDIS_URL
    settings.VERIFICATION_LOG_BUFFERED = True
    settings.CERTIFICATE_CARD_SECONDS = 600
    settings.CERTIFICATE_VERIFY_LIMIT = 100
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    cache.clear()  # the whole test database of Redis: counters, cards, generations, the log
    yield verification._redis(REDIS_URL)
    cache.clear()


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning, institution_code="S000045000001")


def _issue(entry, people, name: str = NAME) -> Certificate:
    session = session_of(entry, people.agency_nanning)
    candidates(session, [(name, ID_A)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    (issued,) = certificates_issue(session=session, by=people.agency_nanning)
    return issued


@pytest.fixture
def certificate(entry, people, redis) -> Certificate:
    return _issue(entry, people)


def _cost(client, given: dict, round_trips, *, page: bool = False):
    """(response, SQL queries, Redis round trips) of one verification."""
    round_trips.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(PAGE, given) if page else post_json(client, given)
    return response, len(queries.captured_queries), len(round_trips)


def _logged(redis) -> list[tuple]:
    verification_log_flush()
    return list(
        Verification.objects.order_by("time", "pk").values_list(
            "channel", "number", "found", "certificate_id", "limited"
        )
    )


def _revoke(certificate, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, by=people.agency_nanning, reason=REASON)


# ---------------------------------------------------------------- hit and miss


@pytest.mark.parametrize("page", [False, True], ids=["api", "page"])
def test_a_miss_selects_and_fills_then_a_hit_is_one_round_trip_and_no_sql(
    client, certificate, redis, round_trips, page
):
    given = {"number": certificate.number, "name": NAME}
    post_json(client, {"number": "S000045000001265000999", "name": NAME})  # connections and scripts loaded
    first, first_sql, first_trips = _cost(client, given, round_trips, page=page)
    assert first.status_code == 200 and "张*三" in first.content.decode()
    assert (first_sql, first_trips) == (1, 2)  # the count (a miss), the SELECT, then the fill with the log row
    assert redis.exists(verification.CARD_KEY.format(certificate.number))
    second, second_sql, second_trips = _cost(client, given, round_trips, page=page)
    assert (second_sql, second_trips) == (0, 1)  # counted, read and logged in one script
    assert second.content == first.content or page  # the page carries a fresh CSRF token
    assert "张*三" in second.content.decode() and "4501**********1238" in second.content.decode()
    channel = "page" if page else "api"
    assert _logged(redis)[-2:] == [(channel, certificate.number, True, certificate.pk, False)] * 2
    assert verification.card_stats() == {"miss": 2, "hit": 1}


def test_the_card_holds_nothing_in_clear_only_what_the_answer_shows(client, certificate, redis):
    post_json(client, {"number": certificate.number, "name": NAME})
    card = redis.hgetall(verification.CARD_KEY.format(certificate.number))
    stored = b"".join(card.values()).decode()
    assert NAME not in stored and ID_A not in stored and ID_A[:6] + ID_A[-4:] not in stored.replace("*", "")
    assert "张*三" in stored and "4501**********1238" in stored


def test_the_answer_from_the_card_is_byte_for_byte_the_answer_without_cards(client, certificate, redis, settings):
    given = {"number": certificate.number, "name": NAME}
    settings.CERTIFICATE_CARD_SECONDS = 0
    without = post_json(client, given)
    assert not redis.exists(verification.CARD_KEY.format(certificate.number))
    settings.CERTIFICATE_CARD_SECONDS = 600
    filled, hit = post_json(client, given), post_json(client, given)
    assert without.content == filled.content == hit.content
    assert without["Content-Type"] == hit["Content-Type"] == "application/json; charset=utf-8"
    for wrong in ({"number": certificate.number, "name": "张小四"}, {"number": UNKNOWN, "name": NAME}):
        settings.CERTIFICATE_CARD_SECONDS = 0
        expected = post_json(client, wrong).content
        settings.CERTIFICATE_CARD_SECONDS = 600
        assert post_json(client, wrong).content == post_json(client, wrong).content == expected == b'{"found": false}'


def test_each_language_gets_its_own_labels_from_the_card(client, certificate, redis, settings):
    given = {"number": certificate.number, "name": NAME}
    chinese = post_json(client, given).json()["certificate"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = post_json(client, given).json()["certificate"]
    assert (chinese["status_label"], english["status_label"]) == ("有效", "Valid")
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    again = post_json(client, given).json()["certificate"]  # the Chinese field still there
    assert again == chinese


# ---------------------------------------------------------------- found ≡ mismatch, in the answer and its cost


def test_a_wrong_name_and_an_unknown_number_answer_and_cost_the_same(client, certificate, redis, round_trips):
    post_json(client, {"number": "S000045000001265000999", "name": NAME})  # connections and scripts loaded
    wrong = {"number": certificate.number, "name": "张小四"}
    unknown = {"number": UNKNOWN, "name": NAME}
    cold = [_cost(client, given, round_trips) for given in (wrong, unknown)]
    warm = [_cost(client, given, round_trips) for given in (wrong, unknown)]
    assert [(r.content, sql, trips) for r, sql, trips in cold] == [(b'{"found": false}', 1, 2)] * 2
    assert [(r.content, sql, trips) for r, sql, trips in warm] == [(b'{"found": false}', 0, 1)] * 2
    # The right name on the same card costs the same as the wrong one: the card does not depend on the name given.
    right, sql, trips = _cost(client, {"number": certificate.number, "name": NAME}, round_trips)
    assert right.json()["found"] is True and (sql, trips) == (0, 1)
    rows = _logged(redis)[1:]
    assert rows == [
        ("api", certificate.number, False, None, False),
        ("api", UNKNOWN, False, None, False),
        ("api", certificate.number, False, None, False),
        ("api", UNKNOWN, False, None, False),
        ("api", certificate.number, True, certificate.pk, False),
    ]


def test_a_name_differing_only_in_case_or_a_character_is_not_accepted_from_the_card(client, entry, people, redis):
    latin = _issue(entry, people, name="Ana Li")
    assert post_json(client, {"number": latin.number, "name": "Ana Li"}).json()["found"] is True  # filled
    for near in ("ana li", "Ana  Li", "Ana L", "Ana Lii"):
        assert post_json(client, {"number": latin.number, "name": near}).content == b'{"found": false}'
    assert post_json(client, {"number": latin.number, "name": " Ana Li "}).json()["found"] is True  # stripped


# ---------------------------------------------------------------- changes show at once


@pytest.mark.parametrize("page", [False, True], ids=["api", "page"])
def test_a_revocation_shows_at_once_through_a_warm_card(
    client, certificate, redis, people, django_capture_on_commit_callbacks, page
):
    given = {"number": certificate.number, "name": NAME}
    for _ in range(2):
        assert post_json(client, given).json()["certificate"]["status"] == "valid"  # filled, then a hit
    _revoke(certificate, people, django_capture_on_commit_callbacks)
    if page:
        content = client.post(PAGE, given).content.decode()
        assert "该证书已撤销" in content and "证书有效" not in content
        content = client.post(PAGE, given).content.decode()  # and from the card filled again
        assert "该证书已撤销" in content and "证书有效" not in content
        return
    for _ in range(2):  # the SELECT after the change, then the card filled again
        body = post_json(client, given).json()["certificate"]
        assert body["status"] == "revoked"
        assert body["revoked_on"] == timezone.localdate().isoformat()


def test_a_revocation_not_yet_committed_is_not_shown_and_once_committed_is(
    client, certificate, redis, people, django_capture_on_commit_callbacks
):
    given = {"number": certificate.number, "name": NAME}
    post_json(client, given)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        certificate_revoke(certificate=certificate, by=people.agency_nanning, reason=REASON)
        assert redis.exists(verification.CARD_KEY.format(certificate.number))  # forgotten only on commit
    assert pending
    for callback in pending:
        callback()
    assert post_json(client, given).json()["certificate"]["status"] == "revoked"


def test_a_reader_that_selected_before_the_revocation_cannot_put_the_stale_card_back(
    client, certificate, redis, people, django_capture_on_commit_callbacks, monkeypatch
):
    """The race: the reader misses, SELECTs the valid row; the revocation commits (and forgets the card) before
    the reader's fill. The fill must not store the card it read: the next look-up says revoked."""
    given = {"number": certificate.number, "name": NAME}
    select = verification._by_number

    def select_then_revoke(number):
        found = select(number)  # the row as it was: valid
        monkeypatch.setattr(verification, "_by_number", select)
        _revoke(certificate, people, django_capture_on_commit_callbacks)
        return found

    monkeypatch.setattr(verification, "_by_number", select_then_revoke)
    raced = post_json(client, given).json()["certificate"]
    assert raced["status"] == "valid"  # what the reader read before the revocation committed
    assert not redis.exists(verification.CARD_KEY.format(certificate.number))  # its fill refused
    for _ in range(2):
        assert post_json(client, given).json()["certificate"]["status"] == "revoked"


def test_a_number_looked_up_before_it_was_issued_is_found_once_issued(
    client, entry, people, redis, django_capture_on_commit_callbacks
):
    number = format_number(entry, year=timezone.localdate().year, level=5, serial=1)
    for _ in range(2):  # its empty card filled, then read
        assert post_json(client, {"number": number, "name": NAME}).content == b'{"found": false}'
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(entry, people)
    assert issued.number == number
    assert post_json(client, {"number": number, "name": NAME}).json()["certificate"]["number"] == number


def test_a_card_past_its_lifetime_is_not_served(client, certificate, redis):
    given = {"number": certificate.number, "name": NAME}
    post_json(client, given)
    assert 0 < redis.ttl(verification.CARD_KEY.format(certificate.number)) <= 600


# ---------------------------------------------------------------- the limit and the log unchanged


def test_past_the_limit_nothing_is_looked_up_the_request_is_counted_and_logged_as_limited(
    client, certificate, redis, round_trips, settings
):
    settings.CERTIFICATE_VERIFY_LIMIT = 2
    given = {"number": certificate.number, "name": NAME}
    assert [post_json(client, given).status_code for _ in range(2)] == [200, 200]
    refused, sql, trips = _cost(client, given, round_trips)
    assert (refused.status_code, refused["Retry-After"], sql, trips) == (429, "60", 0, 1)
    assert "张*三" not in refused.content.decode()
    assert client.post(PAGE, given).status_code == 429
    assert _logged(redis) == [
        ("api", certificate.number, True, certificate.pk, False),
        ("api", certificate.number, True, certificate.pk, False),
        ("api", "", False, None, True),
        ("page", "", False, None, True),
    ]
    key = verification.counter_key(verification.SCOPE, "127.0.0.1", verification.verify_limit())
    assert int(redis.get(key)) == 4
    assert post_json(client, given, REMOTE_ADDR="10.1.2.3").status_code == 200  # another address


def test_an_unreachable_redis_falls_back_to_the_database_and_still_logs(client, certificate, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    body = post_json(client, {"number": certificate.number, "name": NAME}).json()
    assert body["found"] is True
    assert Verification.objects.filter(found=True, certificate=certificate).count() == 1


def test_a_log_row_from_the_card_is_written_by_the_flush_like_any_other(client, certificate, redis):
    given = {"number": certificate.number, "name": NAME}
    post_json(client, given)
    post_json(client, given)
    raw = [json.loads(item) for item in redis.lrange(verification.LOG_KEY, 0, -1)]
    assert [(r["found"], r["certificate_id"], r["number"]) for r in raw] == [
        (True, certificate.pk, certificate.number)
    ] * 2
    assert verification_log_flush() == 2
    assert Verification.objects.filter(found=True, certificate=certificate, ip="127.0.0.1").count() == 2


def test_the_page_from_the_card_is_the_page_without_cards(client, certificate, redis, settings):
    import re

    given = {"number": certificate.number, "name": NAME}

    def page() -> str:
        content = client.post(PAGE, given).content.decode()
        content = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)
        return re.sub(r"\s+", " ", content)  # the same HTML, the template's line breaks aside

    settings.CERTIFICATE_CARD_SECONDS = 0
    without = page()
    settings.CERTIFICATE_CARD_SECONDS = 600
    assert page() == page() == without  # filled, then read from the card
    assert "张*三" in without and "4501**********1238" in without and certificate.number in without


def test_the_page_from_the_card_speaks_the_visitors_language(client, certificate, redis, settings):
    given = {"number": certificate.number, "name": NAME}
    assert "证书有效" in client.post(PAGE, given).content.decode()  # filled
    assert "证书有效" in client.post(PAGE, given).content.decode()  # from the card
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(PAGE, given).content.decode()
    assert "The certificate is valid." in english and "证书有效" not in english


def test_a_card_is_served_only_under_its_numbers_current_generation(client, certificate, redis, round_trips):
    """The read's own guard, apart from the delete: a card left behind by an older generation (a delete lost, a
    fill from before) is a miss, and the SELECT's answer replaces it."""
    given = {"number": certificate.number, "name": NAME}
    post_json(client, given)
    redis.set(verification.GENERATION_KEY.format(certificate.number), "newer")  # the card stays, now stale
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED)  # outside the services
    response, sql, trips = _cost(client, given, round_trips)
    assert response.json()["certificate"]["status"] == "revoked" and (sql, trips) == (1, 2)
    card = redis.hgetall(verification.CARD_KEY.format(certificate.number))
    assert card[b"g"] == b"newer"  # filled again under the current generation


# ---------------------------------------------------------------- the busy path's cheaper parts (issue-ver3)


def test_the_name_given_is_hashed_once_per_request(client, certificate, redis, monkeypatch):
    calls: list[str] = []
    name_hash = verification.crypto.name_hash
    monkeypatch.setattr(verification.crypto, "name_hash", lambda name: calls.append(name) or name_hash(name))
    given = {"number": certificate.number, "name": NAME}
    assert post_json(client, given).json()["found"] is True  # a miss: the holder's name is the name given
    assert calls == [NAME]
    assert post_json(client, given).json()["found"] is True  # a hit
    assert calls == [NAME] * 2
    redis.delete(verification.CARD_KEY.format(certificate.number))
    assert post_json(client, {**given, "name": "张小四"}).content == b'{"found": false}'  # a miss, another name
    assert calls == [NAME, NAME, "张小四", NAME]
    assert post_json(client, given).json()["found"] is True  # the card holds the holder's hash, not the given one


@pytest.mark.parametrize(
    "params",
    [
        {"asked": "S000045000001265000001", "by_id": False, "ip": "127.0.0.1", "channel": "api"},
        {"asked": 'S"\\引号</', "by_id": False, "ip": None, "channel": "page"},
        {"asked": "", "by_id": True, "ip": "2001:db8::1", "channel": "api"},
    ],
    ids=["plain", "quotes-none", "by-id"],
)
def test_the_log_rows_sent_to_the_scripts_are_the_rows_logged_before(params):
    params = {**params, "now": timezone.now()}
    row, limited, found = verification._log_rows(params)
    assert json.loads(row) == verification._log_data(params, None)
    expected_limited = {**verification._log_data(params, None), "number": "", "by_id_number": False}
    assert json.loads(limited) == {**expected_limited, "limited": True}
    assert json.loads(found + "42}") == verification._log_data(params, 42)
    assert json.loads(found + "42}")["found"] is True


def test_the_scripts_count_on_the_key_the_limit_counts_on(client, certificate, redis, settings):
    from portal.lib.ratelimit import counted

    settings.CERTIFICATE_VERIFY_LIMIT = 3
    limit = verification.verify_limit()
    assert [counted(verification.SCOPE, "10.9.8.7", limit) for _ in range(2)] == [1, 2]
    assert int(redis.get(verification.counter_key(verification.SCOPE, "10.9.8.7", limit))) == 2
    given = {"number": certificate.number, "name": NAME}
    assert post_json(client, given, REMOTE_ADDR="10.9.8.7").status_code == 200  # the third
    assert post_json(client, given, REMOTE_ADDR="10.9.8.7").status_code == 429  # the fourth
