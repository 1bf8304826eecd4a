"""The audit log's chain: each row carries a keyed HMAC-SM3 (GB/T 32905) over its own content and the previous
row's MAC, so that a row changed, removed or inserted afterwards breaks the chain from there on.

The MAC is over a canonical serialisation (``canonical``): a JSON array of the row's fields in a fixed order,
times in UTC ISO 8601 with microseconds, no whitespace, UTF-8. The key is ``AUDIT_CHAIN_KEY`` (64 hex digits);
without it nobody can recompute a MAC, so rewriting the log and its chain takes the key as well as the
database. Rows archived to files keep their ``seq``, ``prev_mac`` and ``mac`` so the files verify too.
"""

from __future__ import annotations

import datetime as dt
import hmac as py_hmac
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings

# The fields a MAC covers, in this order (``prev_mac`` last).
FIELDS = (
    "seq",
    "time",
    "actor_id",
    "username",
    "role",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "result",
    "detail",
    "prev_mac",
)
# The development key: a system check refuses it when DEBUG is off (portal.checks).
DEVELOPMENT_KEY = "6465762d6f6e6c792d61756469742d636861696e2d6b65792d736d332d686d61"


def _value(name: str, value: Any) -> Any:
    if name == "ip" and value:
        return ipaddress.ip_address(value).exploded  # the database may print an address in another notation
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes a row's MAC is computed over (``row`` maps every name of ``FIELDS`` to its value)."""
    return json.dumps([_value(name, row[name]) for name in FIELDS], ensure_ascii=False, separators=(",", ":")).encode()


def mac_of(row: Mapping[str, Any], key: str | None = None) -> str:
    mac = crypto_hmac.HMAC(bytes.fromhex(key or settings.AUDIT_CHAIN_KEY), hashes.SM3())
    mac.update(canonical(row))
    return mac.finalize().hex()


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and why."""

    seq: int
    row_id: Any
    reason: str


def verify(rows: Iterable[Mapping[str, Any]], *, start_mac: str = "", key: str | None = None) -> Break | None:
    """Walk ``rows`` in ``seq`` order from the row after ``start_mac``; the first break, or None when it holds."""
    previous_mac, previous_seq = start_mac, None
    for row in rows:
        if previous_seq is not None and row["seq"] != previous_seq + 1:
            return Break(row["seq"], row.get("id"), f"row {previous_seq + 1} is missing")
        if row["prev_mac"] != previous_mac:
            return Break(row["seq"], row.get("id"), "it does not follow the previous row (prev_mac differs)")
        if not py_hmac.compare_digest(row["mac"], mac_of(row, key)):
            return Break(row["seq"], row.get("id"), "its content was changed (its MAC does not match)")
        previous_mac, previous_seq = row["mac"], row["seq"]
    return None
