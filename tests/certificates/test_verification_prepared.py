"""Verification's look-ups prepared once per connection on PostgreSQL (``certificates.verification._select_one``):
the same answers as the plain SQL, byte for byte, by number (the card's fill and the look-up without cards) and by
ID number; one PREPARE per connection and statement, then only EXECUTE; a statement the server no longer knows is
prepared again instead of failing the look-up; ``CERTIFICATE_VERIFY_PREPARED=False`` sends the plain SQL.
Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) except the placeholder test."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import verification
from tests.certificates import test_verification_card as card_tests
from tests.certificates.factories import ID_A
from tests.certificates.test_verification import post_json
from tests.certificates.test_verification_card import NAME, UNKNOWN

# The card tests' fixtures: Redis configured and emptied, a certificate issued to NAME with ID_A.
redis, entry, certificate = card_tests.redis, card_tests.entry, card_tests.certificate

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PREPARE is PostgreSQL's")
PAGE = "/certificates/verify/"


def test_named_placeholders_become_positional_each_name_once():
    text, names = verification._positional("a = %(name)s AND b = %(number)s OR c = %(name)s AND d = %(hash)s")
    assert (text, names) == ("a = $1 AND b = $2 OR c = $1 AND d = $3", ("name", "number", "hash"))


def _sql(client, given, *, page=False) -> tuple[bytes, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(PAGE, given) if page else post_json(client, given)
    assert response.status_code == 200
    return response.content, [q["sql"] for q in queries.captured_queries]


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@on_postgres
@pytest.mark.parametrize("cards", [600, 0], ids=["card-fill", "no-cards"])
def test_prepared_look_ups_answer_byte_for_byte_what_the_plain_sql_answers(client, certificate, redis, settings, cards):
    settings.CERTIFICATE_CARD_SECONDS = cards
    asked = [
        {"number": certificate.number, "name": NAME},  # found
        {"number": certificate.number, "name": "张小四"},  # name wrong
        {"number": UNKNOWN, "name": NAME},  # no such number
        {"id_number": ID_A, "name": NAME},  # by ID number
        {"id_number": ID_A, "name": "张小四"},
    ]
    plain, prepared = [], []
    settings.CERTIFICATE_VERIFY_PREPARED = False
    for given in asked:
        redis.delete(verification.CARD_KEY.format(given.get("number", "")))
        content, sql = _sql(client, given)
        assert not any(q.startswith(("PREPARE", "EXECUTE")) for q in sql)
        plain.append(content)
    settings.CERTIFICATE_VERIFY_PREPARED = True
    for given in asked:
        redis.delete(verification.CARD_KEY.format(given.get("number", "")))
        content, sql = _sql(client, given)
        assert [q.split("(")[0].split(" AS ")[0] for q in sql if q.startswith("EXECUTE")] == [
            "EXECUTE certificate_card"
            if cards and "number" in given
            else f"EXECUTE certificate_by_{'number' if 'number' in given else 'id'}"
        ]
        prepared.append(content)
    assert prepared == plain
    assert b"\\u5f20*\\u4e09" in plain[0] or "张*三" in plain[0].decode()
    assert plain[1] == plain[2] == plain[4] == b'{"found": false}'
    assert b'"found": true' in plain[3]


@on_postgres
def test_a_connection_prepares_each_statement_once_then_only_executes_it(client, certificate, redis, settings):
    settings.CERTIFICATE_CARD_SECONDS = 0
    verification._PREPARED.pop(connection.connection, None)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    _content, first = _sql(client, {"number": certificate.number, "name": NAME})
    _content, second = _sql(client, {"number": UNKNOWN, "name": NAME})
    _content, third = _sql(client, {"number": certificate.number, "name": NAME}, page=True)
    assert [q.split(" AS ")[0] for q in first] == ["PREPARE certificate_by_number", first[1]]
    assert first[1].startswith("EXECUTE certificate_by_number(")
    assert len(second) == len(third) == 1 and second[0].startswith("EXECUTE certificate_by_number(")
    assert "certificate_by_number" in _prepared()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_the_server_forgot_is_prepared_again_and_the_look_up_answers(
    reference_data, client, people, settings, redis
):
    from tests.certificates.test_verification_card import _issue

    issued = _issue(_entry(people), people)
    settings.CERTIFICATE_CARD_SECONDS = 600
    given = {"number": issued.number, "name": NAME}
    post_json(client, {"number": UNKNOWN, "name": NAME})  # prepared on this connection
    assert "certificate_card" in _prepared()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's reset or another server connection does
    redis.delete(verification.CARD_KEY.format(issued.number))
    response = post_json(client, given)
    assert response.status_code == 200 and response.json()["found"] is True
    assert "certificate_card" in _prepared()


def _entry(people):
    from tests.certificates.factories import filed_entry

    return filed_entry(people.org_nanning, institution_code="S000045000001")
