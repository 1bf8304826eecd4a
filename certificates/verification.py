"""Public verification, shared by the page and the API: the per-address limit, the log of every look-up, and
what a found certificate shows (the holder's name and ID number masked)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from agencies.models import DirectoryEntry, Level, Occupation, Organisation
from certificates import crypto
from certificates.idnumbers import mask_name, normalise
from certificates.models import Certificate, Verification
from certificates.selectors import certificate_verify
from portal.lib.http import client_ip
from portal.lib.ratelimit import Limit, exceeded, hit

SCOPE = "certificate-verify"


def verify_limit() -> Limit:
    return Limit(settings.CERTIFICATE_VERIFY_LIMIT, settings.CERTIFICATE_VERIFY_WINDOW_SECONDS)


def limit_reached(request: HttpRequest) -> Limit | None:
    """The limit this address has reached, or None after counting this look-up against it."""
    limits = [verify_limit()]
    client = client_ip(request)
    reached = exceeded(SCOPE, client, limits)
    if reached is None:
        hit(SCOPE, client, limits)
    return reached


def log_verification(
    request: HttpRequest,
    *,
    channel: str,
    number: str = "",
    by_id_number: bool = False,
    certificate: Certificate | None = None,
    limited: bool = False,
) -> None:
    Verification.objects.create(
        ip=client_ip(request),
        channel=channel,
        number=number.strip()[:40],
        by_id_number=by_id_number,
        found=certificate is not None,
        certificate=certificate,
        limited=limited,
    )


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
        "revoked_on": certificate.revoked_at.date() if certificate.revoked_at else None,
    }


# ---------------------------------------------------------------- the look-up and its log in one statement

# On PostgreSQL the look-up and its log row are one statement (a data-modifying CTE): no ORM compilation, one
# commit — verification is the busiest public address (bench/certificates.py). That commit does not wait for the
# log row to reach the disk (``synchronous_commit`` off for this transaction only): the wait, some 5 ms on the
# benchmark's machine, was most of a verification's time. The price: should PostgreSQL itself crash, the log rows
# of its last fraction of a second (wal_writer_delay, 200 ms by default) may be lost; nothing else is written here.
# Elsewhere (SQLite in development and tests) the same answer comes from the selector and the ORM.
_VERIFY_SQL = """
WITH hit AS (
    SELECT c.id, c.number, c.holder_name, c.id_masked, c.work_type, c.level, c.issued_on, c.status, c.revoked_at,
           o.name AS occupation, o.code AS occupation_code, g.name AS agency
    FROM {certificate} c
    JOIN {occupation} o ON o.id = c.occupation_id
    JOIN {entry} e ON e.id = c.entry_id
    JOIN {organisation} g ON g.id = e.organisation_id
    WHERE c.holder_name = %(name)s AND {match}
    ORDER BY c.issued_on DESC, c.id DESC
    LIMIT 1
), logged AS (
    INSERT INTO {verification} (time, ip, channel, by_id_number, number, found, certificate_id, limited)
    SELECT %(now)s, %(ip)s, %(channel)s, %(by_id)s, %(asked)s, EXISTS (SELECT 1 FROM hit), (SELECT id FROM hit), false
)
SELECT number, holder_name, id_masked, work_type, level, issued_on, status, revoked_at, occupation,
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
_BY_NUMBER = _VERIFY_SQL.format(match="c.number = %(number)s", **_TABLES)
_BY_ID = _VERIFY_SQL.format(match="c.id_hash = %(hash)s", **_TABLES)
_COLUMNS = (
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
    """What a verification shows (``certificate_data``), or None; the look-up is logged either way."""
    name, number = name.strip(), number.strip().upper()
    by_id = not number
    if connection.vendor != "postgresql":
        certificate = certificate_verify(name=name, number=number, id_number=id_number)
        log_verification(request, channel=channel, number=number, by_id_number=by_id, certificate=certificate)
        return certificate_data(certificate) if certificate else None
    params = {
        "name": name,
        "number": number,
        "hash": crypto.lookup_hash(normalise(id_number)) if by_id else "",
        "now": timezone.now(),
        "ip": client_ip(request),
        "channel": channel,
        "by_id": by_id,
        "asked": number[:40],
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
        cursor.execute(_BY_ID if by_id else _BY_NUMBER, params)
        row = cursor.fetchone()
    return _data(dict(zip(_COLUMNS, row, strict=True))) if row else None
