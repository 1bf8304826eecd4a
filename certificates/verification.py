"""Public verification, shared by the page and the API: the per-address limit, the log of every look-up, and
what a found certificate shows (the holder's name and ID number masked).

Every look-up is logged (``Verification``). With Redis and a Celery broker configured
(``VERIFICATION_LOG_BUFFERED``) the log row is not written on the request path: the request appends it to a
Redis list (one round trip) and beat's ``verification_log_flush`` writes the list to the database in bulk every
``VERIFICATION_LOG_FLUSH_SECONDS``. Writing the row with the look-up (an INSERT and a COMMIT per verification)
was most of a verification's time (issue 12: 0.23× the bare view). Each row is taken from the list by exactly
one flush (``LPOP`` with a count is atomic), so two workers flushing at once write each row once. What it
risks: the rows of a flush that dies between taking them from Redis and committing them, and the rows not yet
flushed should Redis lose its memory; a Redis that cannot be reached makes the request write its row itself.
Without Redis (development, tests, SQLite) the row is written at once, as before.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
import weakref
from functools import cache, partial

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from agencies.models import DirectoryEntry, Level, Occupation, Organisation
from certificates import crypto
from certificates.idnumbers import mask_name, normalise
from certificates.models import Certificate, Verification
from certificates.selectors import certificate_by_number, certificate_verify
from portal.lib.http import client_ip
from portal.lib.ratelimit import Limit, counted, counter_key, counts_on_redis

SCOPE = "certificate-verify"
LOG_KEY = "portal:certificates:verification-log"
FLUSH_BATCH = 5_000

logger = logging.getLogger(__name__)


def verify_limit() -> Limit:
    return Limit(settings.CERTIFICATE_VERIFY_LIMIT, settings.CERTIFICATE_VERIFY_WINDOW_SECONDS)


def limit_reached(request: HttpRequest) -> Limit | None:
    """The limit this address has reached, or None after counting this look-up against it."""
    limit = verify_limit()
    return limit if counted(SCOPE, client_ip(request), limit) > limit.count else None


def log_verification(
    request: HttpRequest,
    *,
    channel: str,
    number: str = "",
    by_id_number: bool = False,
    certificate: Certificate | None = None,
    limited: bool = False,
) -> None:
    _log(
        {
            "time": timezone.now().isoformat(),
            "ip": client_ip(request),
            "channel": channel,
            "number": number.strip()[:40],
            "by_id_number": by_id_number,
            "found": certificate is not None,
            "certificate_id": certificate.pk if certificate else None,
            "limited": limited,
        }
    )


# ---------------------------------------------------------------- the log, buffered in Redis


@cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _buffer():
    """The Redis client of the log's buffer, or None when the log is written at once."""
    if not (settings.VERIFICATION_LOG_BUFFERED and settings.REDIS_URL):
        return None
    return _redis(settings.REDIS_URL)


def _row(data: dict) -> Verification:
    return Verification(**{**data, "time": dt.datetime.fromisoformat(data["time"])})


def _log(data: dict) -> None:
    buffer = _buffer()
    if buffer is not None:
        try:
            buffer.rpush(LOG_KEY, json.dumps(data))
            return
        except Exception:  # Redis unreachable: the look-up is logged all the same, on the request path
            logger.warning("Verification log buffer unreachable; writing the row directly.", exc_info=True)
    _row(data).save(force_insert=True)


def verification_log_flush(*, batch: int = FLUSH_BATCH) -> int:
    """Write the buffered log rows to the database, in bulk; returns how many. Safe to run in several workers
    at once: each row is taken from the list by one of them only."""
    buffer = _buffer()
    if buffer is None:
        return 0
    written = 0
    while True:
        items = buffer.lpop(LOG_KEY, batch)
        if not items:
            return written
        try:
            _write_rows(items)
        except Exception:
            buffer.lpush(LOG_KEY, *reversed(items))  # back at the head, in their order, for the next flush
            raise
        written += len(items)


# On PostgreSQL the rows go as they came from Redis, one JSON array, into one INSERT: PostgreSQL's
# ``json_populate_recordset`` reads each row's fields by name into the table's columns (the ISO time into the
# timestamp, the address into inet). Decoding each row in Python, building a model instance and the ORM's bulk
# INSERT cost 55–86 µs of the drain's CPU per row, against 2 µs now, PostgreSQL's own share unchanged
# (bench/README.md, issue-ver3's section); the rows and their order are the same
# (tests/certificates/test_verification_log.py).
_FLUSH_SQL = """
INSERT INTO {verification} (time, ip, channel, by_id_number, number, found, certificate_id, limited)
SELECT r.time, r.ip, r.channel, r.by_id_number, r.number, r.found, r.certificate_id, r.limited
FROM json_populate_recordset(NULL::{verification}, %s::json) WITH ORDINALITY AS r
ORDER BY ordinality
"""


def _write_rows(items: list[bytes]) -> None:
    """The log rows (JSON, as the requests appended them) written to the database in one statement."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                _FLUSH_SQL.format(verification=_TABLES["verification"]), [(b"[" + b",".join(items) + b"]").decode()]
            )
        return
    Verification.objects.bulk_create([_row(json.loads(item)) for item in items], batch_size=1_000)


def certificate_data(certificate: Certificate) -> dict:
    """What a verification shows: never the holder's name or ID number in full."""
    return {
        "number": certificate.number,
        "holder_name": mask_name(certificate.holder_name),
        "id_number": certificate.id_masked,
        "occupation": certificate.occupation.name,
        "occupation_code": certificate.occupation.code,
        "work_type": certificate.work_type,
        "level": certificate.level,
        "level_label": certificate.level_label,
        "agency": certificate.entry.organisation.name,
        "issued_on": certificate.issued_on,
        "status": certificate.status,
        "status_label": str(certificate.get_status_display()),
        "revoked_on": timezone.localtime(certificate.revoked_at).date() if certificate.revoked_at else None,
    }


# ---------------------------------------------------------------- the look-up and its log in one statement

# On PostgreSQL the look-up and its log row are one statement (a data-modifying CTE): no ORM compilation, one
# commit — verification is the busiest public address (bench/certificates.py). That commit does not wait for the
# log row to reach the disk (``synchronous_commit`` off for this transaction only): the wait, some 5 ms on the
# benchmark's machine, was most of a verification's time. The price: should PostgreSQL itself crash, the log rows
# of its last fraction of a second (wal_writer_delay, 200 ms by default) may be lost; nothing else is written here.
# Elsewhere (SQLite in development and tests) the same answer comes from the selector and the ORM.
_HIT_SQL = """
    SELECT c.id, c.number, c.holder_name, c.id_masked, c.work_type, c.level, c.issued_on, c.status, c.revoked_at,
           o.name AS occupation, o.code AS occupation_code, g.name AS agency
    FROM {certificate} c
    JOIN {occupation} o ON o.id = c.occupation_id
    JOIN {entry} e ON e.id = c.entry_id
    JOIN {organisation} g ON g.id = e.organisation_id
    WHERE c.holder_name = %(name)s AND {match}
    ORDER BY c.issued_on DESC, c.id DESC
    LIMIT 1
"""
_VERIFY_SQL = """
WITH hit AS ({hit}), logged AS (
    INSERT INTO {verification} (time, ip, channel, by_id_number, number, found, certificate_id, limited)
    SELECT %(now)s, %(ip)s, %(channel)s, %(by_id)s, %(asked)s, EXISTS (SELECT 1 FROM hit), (SELECT id FROM hit), false
)
SELECT id, number, holder_name, id_masked, work_type, level, issued_on, status, revoked_at, occupation,
       occupation_code, agency
FROM hit
"""
_TABLES = {
    "certificate": Certificate._meta.db_table,
    "occupation": Occupation._meta.db_table,
    "entry": DirectoryEntry._meta.db_table,
    "organisation": Organisation._meta.db_table,
    "verification": Verification._meta.db_table,
}
_HIT_BY_NUMBER = _HIT_SQL.format(match="c.number = %(number)s", **_TABLES)
_HIT_BY_ID = _HIT_SQL.format(match="c.id_hash = %(hash)s", **_TABLES)
# Both given: every field given must match (an ID number typed beside the number is checked, never ignored).
_HIT_BY_BOTH = _HIT_SQL.format(match="c.number = %(number)s AND c.id_hash = %(hash)s", **_TABLES)
_HITS = {  # (by number, by ID number) -> (prepared statement's name, its SQL)
    (True, False): ("certificate_by_number", _HIT_BY_NUMBER),
    (False, True): ("certificate_by_id", _HIT_BY_ID),
    (True, True): ("certificate_by_both", _HIT_BY_BOTH),
}
_VERIFIES = {given: _VERIFY_SQL.format(hit=sql, **_TABLES) for given, (_name, sql) in _HITS.items()}
_COLUMNS = (
    "id",
    "number",
    "holder_name",
    "id_masked",
    "work_type",
    "level",
    "issued_on",
    "status",
    "revoked_at",
    "occupation",
    "occupation_code",
    "agency",
)


def _data(row: dict) -> dict:
    revoked_at = row["revoked_at"]
    return {
        "number": row["number"],
        "holder_name": mask_name(row["holder_name"]),
        "id_number": row["id_masked"],
        "occupation": row["occupation"],
        "occupation_code": row["occupation_code"],
        "work_type": row["work_type"],
        "level": row["level"],
        "level_label": str(Level(row["level"]).label),
        "agency": row["agency"],
        "issued_on": row["issued_on"],
        "status": row["status"],
        "status_label": str(Certificate.Status(row["status"]).label),
        "revoked_on": timezone.localtime(revoked_at).date() if isinstance(revoked_at, dt.datetime) else None,
    }


def verify_and_log(
    request: HttpRequest, *, channel: str, name: str, number: str = "", id_number: str = ""
) -> dict | None:
    """What a verification shows (``certificate_data``), or None; the look-up is logged either way. The caller
    has counted it against the address's limit (``verify_counted`` does both)."""
    name, number = name.strip(), number.strip().upper()
    by_id = not number
    if connection.vendor != "postgresql":
        certificate = certificate_verify(name=name, number=number, id_number=id_number)
        log_verification(request, channel=channel, number=number, by_id_number=by_id, certificate=certificate)
        return certificate_data(certificate) if certificate else None
    params = _params(request, channel=channel, name=name, number=number, id_number=id_number)
    if _buffer() is not None:  # the look-up alone (one round trip, no transaction); the row through Redis
        found = _hit(params)
        _log(_log_data(params, found["id"] if found else None))
        return _data(found) if found else None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
        cursor.execute(_VERIFIES[_given(params)], params)
        row = cursor.fetchone()
    return _data(dict(zip(_COLUMNS, row, strict=True))) if row else None


def verify_counted(
    request: HttpRequest, *, channel: str, name: str, number: str = "", id_number: str = "", as_json: bool = False
) -> tuple[Limit | None, dict | None]:
    """A verification counted against the address's limit, looked up and logged: (the limit reached, or None;
    what a found certificate shows, or None). Past the limit nothing is shown and the row logged says
    ``limited``.

    With the log buffered in Redis and the limits counted there (production) this is one indexed ``SELECT`` and
    one Redis round trip: a script counts the look-up (``INCR``, ``EXPIRE … NX``: the same key and window as
    ``portal.lib.ratelimit.counted``) and appends the log row in the same call — the look-up's row, or the
    ``limited`` row past the limit. Counting first, then looking up and then logging cost three round trips,
    most of a verification's time (issue 16). The price: a look-up past the limit still runs its one indexed
    ``SELECT`` (its answer is thrown away, never shown); the limit, counted on every request, and the log row
    of every request are unchanged. Otherwise (no Redis): counted first, then looked up and logged.

    By number, with Redis, the answer comes from the certificate's card (``_verify_by_card``) and is an
    ``Answer``: its ``encoded`` bytes are what the API sends; with ``as_json`` a card's answer is not decoded
    at all (an empty ``Answer`` with its ``encoded`` bytes: the API's caller sends those)."""
    if _buffer() is None or not counts_on_redis():
        limit = limit_reached(request)
        if limit is not None:
            log_verification(request, channel=channel, limited=True)
            return limit, None
        return None, verify_and_log(request, channel=channel, name=name, number=number, id_number=id_number)
    name, number = name.strip(), number.strip().upper()
    params = _params(request, channel=channel, name=name, number=number, id_number=id_number)
    if number and not params["hash"] and settings.CERTIFICATE_CARD_SECONDS > 0:  # the card knows no ID number
        try:
            return _verify_by_card(request, params, decode=not as_json)
        except _CardUnavailable:
            pass  # Redis unreachable before anything was counted: counted and logged below, as without cards
    if connection.vendor == "postgresql":  # one SELECT, no ORM
        row = _hit(params)
        found, shown = (row["id"], _data(row)) if row else (None, None)
    else:
        certificate = certificate_verify(name=name, number=number, id_number=id_number)
        found, shown = (certificate.pk, certificate_data(certificate)) if certificate else (None, None)
    limit = verify_limit()
    row, limited = _log_data(params, found), {**_log_data(params, None), "number": "", "by_id_number": False}
    limited["limited"] = True
    try:
        hits = _count_and_log(request, limit, json.dumps(row), json.dumps(limited))
    except Exception:  # Redis unreachable: counted as the cache can, the row written on the request path
        logger.warning("Verification count and log unreachable; counting and logging apart.", exc_info=True)
        hits = limit.count + 1 if limit_reached(request) else 0
        _row(limited if hits > limit.count else row).save(force_insert=True)
    return (limit, None) if hits > limit.count else (None, shown)


# KEYS: the limit's counter, the log list; ARGV: the limit's count, its window (seconds), the look-up's log row,
# the row logged instead past the limit. Answers the count, this look-up included.
_COUNT_AND_LOG = """
local hits = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2], 'NX')
if hits > tonumber(ARGV[1]) then
    redis.call('RPUSH', KEYS[2], ARGV[4])
else
    redis.call('RPUSH', KEYS[2], ARGV[3])
end
return hits
"""


@cache
def _script(url: str):
    return _redis(url).register_script(_COUNT_AND_LOG)


def _count_and_log(request: HttpRequest, limit: Limit, row: str, limited: str) -> int:
    key = counter_key(SCOPE, client_ip(request), limit)
    return int(_script(settings.REDIS_URL)(keys=[key, LOG_KEY], args=[limit.count, limit.seconds + 1, row, limited]))


def _params(request: HttpRequest, *, channel: str, name: str, number: str, id_number: str) -> dict:
    by_id = not number
    return {
        "name": name,
        "number": number,
        "hash": crypto.lookup_hash(normalise(id_number)) if id_number.strip() else "",
        "now": timezone.now(),
        "ip": client_ip(request),
        "channel": channel,
        "by_id": by_id,
        "asked": number[:40],
    }


def _given(params: dict) -> tuple[bool, bool]:
    """Which of the number and the ID number the look-up was given."""
    return bool(params["number"]), bool(params["hash"])


def _hit(params: dict) -> dict | None:
    row = _select_one(*_HITS[_given(params)], params)
    return dict(zip(_COLUMNS, row, strict=True)) if row else None


# ---------------------------------------------------------------- the look-ups, prepared once per connection
#
# A look-up's SQL is sent with its values in it (Django's psycopg binds on the client), so PostgreSQL plans the
# four-table join again for every verification: EXPLAIN ANALYZE on the 1,000,000 certificates says planning
# 0.45–1.5 ms, running 0.05–0.4 ms; measured from the backend's CPU time, 500–640 µs a look-up, against 100–110 µs
# prepared (bench/README.md, "Certificate verification: where the gap to the bare view goes"). So on PostgreSQL each
# connection prepares the statement the first time it needs it (``PREPARE``, kept by the server for the life of the
# connection, whatever the transactions do) and then only ``EXECUTE``s it with the values. A statement the server
# no longer knows (a pooler that hands out another server connection, ``DISCARD ALL``) is prepared again once
# outside a transaction; ``CERTIFICATE_VERIFY_PREPARED=False`` (PgBouncer in transaction mode) sends the plain SQL.

_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # psycopg connection -> names prepared on it
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """``sql`` with its ``%(name)s`` placeholders as ``$1, $2 …`` (each name once) and the names in that order."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return _PLACEHOLDER.sub(number, sql), tuple(names)


def _select_one(name: str, sql: str, params: dict) -> tuple | None:
    """The first row of ``sql`` with ``params``: on PostgreSQL through the statement prepared as ``name`` on this
    connection (prepared first when it is not yet)."""
    if connection.vendor != "postgresql" or not settings.CERTIFICATE_VERIFY_PREPARED:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    text, names = _positional(sql)
    execute = f"EXECUTE {name}({', '.join(f'%({n})s' for n in names)})"
    with connection.cursor() as cursor:
        prepared = _PREPARED.setdefault(connection.connection, set())
        if name not in prepared:
            cursor.execute(f"PREPARE {name} AS {text}")
            prepared.add(name)
        try:
            cursor.execute(execute, params)
        except DatabaseError:
            prepared.discard(name)
            if connection.in_atomic_block:  # the transaction is lost either way: its caller sees the error
                raise
            logger.warning("Prepared statement %s unknown to the server; preparing it again.", name, exc_info=True)
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = %s)", [name])
            if cursor.fetchone()[0]:  # known but stale (the table changed under it): replaced
                cursor.execute(f"DEALLOCATE {name}")
            cursor.execute(f"PREPARE {name} AS {text}")
            prepared.add(name)
            cursor.execute(execute, params)
        return cursor.fetchone()


def _log_data(params: dict, found: int | None) -> dict:
    return {
        "time": params["now"].isoformat(),
        "ip": params["ip"],
        "channel": params["channel"],
        "number": params["asked"],
        "by_id_number": params["by_id"],
        "found": found is not None,
        "certificate_id": found,
        "limited": False,
    }


def _log_rows(params: dict) -> tuple[str, str, str]:
    """The look-up's log rows as JSON, for the card's scripts: the row when nothing is found, the row logged
    instead past the limit, and the row when the certificate is found but for its id and the closing brace (the
    script appends them). The same fields and values as ``_log_data``'s (tested), the common part encoded once."""
    head = json.dumps({"time": params["now"].isoformat(), "ip": params["ip"], "channel": params["channel"]})[:-1]
    asked = f'"number": {json.dumps(params["asked"])}, "by_id_number": {"true" if params["by_id"] else "false"}'
    return (
        f'{head}, {asked}, "found": false, "certificate_id": null, "limited": false}}',
        f'{head}, "number": "", "by_id_number": false, "found": false, "certificate_id": null, "limited": true}}',
        f'{head}, {asked}, "found": true, "limited": false, "certificate_id": ',
    )


# ---------------------------------------------------------------- the card: a look-up by number from Redis
#
# A verification by number reads a "card" of the certificate from Redis in the same script that counts the
# look-up and appends its log row: one round trip and no SQL for a number looked up within
# ``CERTIFICATE_CARD_SECONDS`` (issue 16 item 3: the SQL round trip was the floor's own cost). The card holds only
# what the answer shows, already masked (per language: the labels are translated), the keyed hash of the holder's
# name (``crypto.name_hash``; never the name) and the certificate's id; a number no certificate carries gets a
# card too, empty, so that an unknown number and a wrong name cost the same (one round trip once looked up,
# the SELECT and a second round trip the first time, whichever it is). On a miss the request SELECTs the
# certificate by its number alone and fills the card, logging in the fill's round trip.
#
# Invalidation: every service that changes certificates calls ``cards_forget`` with their numbers; when its
# transaction commits, each number's generation (a fresh random value) is replaced and its card deleted. A card is
# served only while it carries the number's current generation, and the fill script writes a card only while the
# generation the request read before its SELECT is still the current one: a reader that SELECTed the row before a
# revocation committed cannot put the stale card back after the revocation's ``cards_forget`` (tested by
# interleaving the two, tests/certificates/test_verification_card.py). What it does not cover: an agency's or an
# occupation's name changed elsewhere (the directory, the admin) shows on its certificates' cards after
# ``CERTIFICATE_CARD_SECONDS`` at most; a revocation made while Redis cannot be reached is logged as an error, its
# card (if any) served until it expires.

CARD_KEY = "portal:certificates:card:{}"
GENERATION_KEY = "portal:certificates:card-generation:{}"
CARD_STATS_KEY = "portal:certificates:card-stats"
# A generation outlives the cards filled under it by this much (a fill is a request's few milliseconds later).
GENERATION_MARGIN_SECONDS = 300


class _CardUnavailable(Exception):
    """Redis could not be asked before anything was counted: the look-up takes the path without cards."""


class Answer(dict):
    """What a found certificate shows (``certificate_data``'s fields) and ``encoded``, the same as JSON bytes."""

    encoded: bytes = b""


def _encoded(data: dict) -> bytes:
    from ninja.responses import NinjaJSONEncoder

    return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False).encode()


def _answer(data: dict | None, encoded: bytes) -> Answer | None:
    if data is None:
        return None
    answer = Answer(data)
    answer.encoded = encoded
    return answer


def verification_answer(encoded: bytes) -> Answer:
    """What a found certificate shows, from its card's bytes (dates as dates, for a page)."""
    return _from_card(encoded, decode=True)


def _from_card(encoded: bytes, *, decode: bool) -> Answer:
    if not decode:
        return _answer({}, encoded)
    data = json.loads(encoded)
    data["issued_on"] = dt.date.fromisoformat(data["issued_on"])
    if data["revoked_on"]:
        data["revoked_on"] = dt.date.fromisoformat(data["revoked_on"])
    return _answer(data, encoded)


# KEYS: the limit's counter, the log list, the card, the number's generation, the hit/miss counts.
# ARGV: the limit's count, its window (seconds), the log row of a look-up that finds nothing, the row logged past
# the limit, the keyed hash of the name given, the card's field for the language, the log row of a look-up that
# finds, but for its certificate's id and the closing brace (the script appends them: Lua's cjson decoding and
# encoding the row again was a third of the script's time in Redis, bench/README.md).
# Answers {hits} past the limit, {hits, generation} on a miss (nothing logged: the filler logs), {hits,
# generation, shown} on a hit, shown empty when nothing is found.
_VERIFY_BY_CARD = """
local hits = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2], 'NX')
if hits > tonumber(ARGV[1]) then
    redis.call('RPUSH', KEYS[2], ARGV[4])
    return {hits}
end
local card = redis.call('HMGET', KEYS[3], 'g', 'n', 'i', ARGV[6])
local generation = redis.call('GET', KEYS[4]) or '0'
if card[1] ~= generation or not card[4] then
    redis.call('HINCRBY', KEYS[5], 'miss', 1)
    return {hits, generation}
end
redis.call('HINCRBY', KEYS[5], 'hit', 1)
if card[3] ~= '' and card[2] == ARGV[5] then
    redis.call('RPUSH', KEYS[2], ARGV[7] .. card[3] .. '}')
    return {hits, generation, card[4]}
end
redis.call('RPUSH', KEYS[2], ARGV[3])
return {hits, generation, ''}
"""

# KEYS: the card, the number's generation, the log list. ARGV: the generation read before the SELECT, the keyed
# hash of the holder's name ('' when no certificate has the number), the certificate's id (or ''), the language's
# field, what it shows (or ''), the card's lifetime (seconds), the look-up's log row.
_FILL_CARD = """
redis.call('RPUSH', KEYS[3], ARGV[7])
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then
    return 0
end
if redis.call('HGET', KEYS[1], 'g') ~= ARGV[1] then
    redis.call('DEL', KEYS[1])
end
redis.call('HSET', KEYS[1], 'g', ARGV[1], 'n', ARGV[2], 'i', ARGV[3], ARGV[4], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[6])
return 1
"""


@cache
def _card_scripts(url: str):
    client = _redis(url)
    return client.register_script(_VERIFY_BY_CARD), client.register_script(_FILL_CARD)


# The certificate with the number, whatever the name given: the card compares the name itself.
_CARD_SQL = _HIT_SQL.replace("c.holder_name = %(name)s AND ", "").format(match="c.number = %(number)s", **_TABLES)


def _by_number(number: str) -> tuple[int, str, dict] | None:
    """(id, holder's name in full, what it shows) of the certificate with this number, whoever holds it."""
    if connection.vendor == "postgresql":  # one SELECT, no ORM, prepared
        row = _select_one("certificate_card", _CARD_SQL, {"number": number})
        if row is None:
            return None
        row = dict(zip(_COLUMNS, row, strict=True))
        return row["id"], row["holder_name"], _data(row)
    certificate = certificate_by_number(number)
    return (certificate.pk, certificate.holder_name, certificate_data(certificate)) if certificate else None


def _verify_by_card(request: HttpRequest, params: dict, *, decode: bool) -> tuple[Limit | None, Answer | None]:
    limit = verify_limit()
    number = params["number"]
    card_key, generation_key = CARD_KEY.format(number), GENERATION_KEY.format(number)
    row, limited, found_row = _log_rows(params)
    field = f"d:{get_language()}"
    read, fill = _card_scripts(settings.REDIS_URL)
    keys = [counter_key(SCOPE, client_ip(request), limit), LOG_KEY, card_key, generation_key, CARD_STATS_KEY]
    given = crypto.name_hash(params["name"])  # once per request: a miss whose holder has this name reuses it
    args = [limit.count, limit.seconds + 1, row, limited, given]
    try:
        answer = read(keys=keys, args=[*args, field, found_row])
    except Exception as error:
        logger.warning("Certificate card unreachable; verifying without it.", exc_info=True)
        raise _CardUnavailable from error
    if int(answer[0]) > limit.count:
        return limit, None
    if len(answer) == 3:  # the card: one round trip, no SQL
        return None, _from_card(answer[2], decode=decode) if answer[2] else None
    certificate = _by_number(number)
    found_id, holder, data = certificate if certificate else ("", "", None)
    encoded = _encoded(data) if data is not None else b""
    shown = data if certificate and holder == params["name"] else None
    log = row if shown is None else f"{found_row}{found_id}}}"
    holder_hash = (given if holder == params["name"] else crypto.name_hash(holder)) if certificate else ""
    card = [answer[1], holder_hash, found_id, field, encoded]
    try:
        fill(keys=[card_key, generation_key, LOG_KEY], args=[*card, settings.CERTIFICATE_CARD_SECONDS, log])
    except Exception:  # Redis gone since the count: the row written on the request path
        logger.warning("Certificate card fill unreachable; writing the log row directly.", exc_info=True)
        _row(json.loads(log)).save(force_insert=True)
    return None, _answer(shown, encoded)


def cards_forget(numbers) -> None:
    """When the current transaction commits (at once outside one): the cards of these certificate numbers are no
    longer served, and no look-up that read them before can put them back. Every service that creates, changes or
    deletes certificates calls it."""
    numbers = [str(number) for number in numbers]
    if not numbers or not settings.REDIS_URL:
        return
    transaction.on_commit(partial(_forget, numbers, settings.REDIS_URL))


def _forget(numbers: list[str], url: str) -> None:
    seconds = max(settings.CERTIFICATE_CARD_SECONDS, 0) + GENERATION_MARGIN_SECONDS
    try:
        pipe = _redis(url).pipeline(transaction=False)
        for number in numbers:
            pipe.set(GENERATION_KEY.format(number), uuid.uuid4().hex, ex=seconds)
            pipe.delete(CARD_KEY.format(number))
        pipe.execute()
    except Exception:
        logger.error("Certificate cards not forgotten (Redis unreachable): %s", ", ".join(numbers[:20]), exc_info=True)


def card_stats() -> dict[str, int]:
    """How many verifications by number were answered from a card (``hit``) and how many were not (``miss``)."""
    stats = _redis(settings.REDIS_URL).hgetall(CARD_STATS_KEY)
    return {key.decode(): int(value) for key, value in stats.items()}
