"""Certificate numbers by a configurable rule (``settings.CERTIFICATE_NUMBER_PATTERN``), by default the national
22-character form: S/Y + 4-digit agency code + 2-digit province + 6-digit agency sequence (together the
ministry's 13-character institution code) + 2-digit year + level digit + 6-digit serial.

The serial runs per agency and year from 1 without gaps: it comes from the agency's ``NumberCounter`` row,
locked with ``SELECT … FOR UPDATE`` in the transaction that creates the certificate, so two issues at once
wait for each other and a rolled-back issue gives its numbers back.
"""

from __future__ import annotations

import re

from django.conf import settings

from agencies.models import DirectoryEntry
from certificates.models import NumberCounter

NATIONAL_INSTITUTION_CODE = re.compile(r"^([SY])(\d{4})(\d{2})(\d{6})$")


def institution_parts(entry: DirectoryEntry) -> dict[str, str]:
    """{kind, agency, province, sequence} from the agency's 13-character institution code, the one on its filing
    receipt: the ministry's, or a provisional one, made in the same layout (``INSTITUTION_CODE_PATTERN``), so that
    the number begins with the receipt's code. A code in another layout (a provisional code made before that, a
    pattern set otherwise) gets kind S, agency 0000, its province and its directory id as the sequence (unique
    all the same)."""
    match = NATIONAL_INSTITUTION_CODE.match(entry.institution_code or "")
    if match:
        kind, agency, province, sequence = match.groups()
        return {"kind": kind, "agency": agency, "province": province, "sequence": sequence}
    return {"kind": "S", "agency": "0000", "province": entry.region.code[:2], "sequence": f"{entry.pk:06d}"}


def format_number(entry: DirectoryEntry, *, year: int, level: int, serial: int) -> str:
    return settings.CERTIFICATE_NUMBER_PATTERN.format(
        **institution_parts(entry), year=f"{year % 100:02d}", level=level, serial=serial
    )


def next_serials(entry: DirectoryEntry, year: int, count: int) -> range:
    """Reserve ``count`` serials of the agency's year; call inside the transaction that uses them."""
    counter, _created = NumberCounter.objects.get_or_create(entry=entry, year=year)
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, first + count)
