"""Tracking codes for people without an account (objections, complaints): 12 characters from an alphabet
without the look-alikes 0/O and 1/I/L (31 symbols, about 59 random bits), shown in groups of four and read in
any case, with or without the hyphens, full-width characters included. Look-ups are rate-limited per address
by the views that take them, so they cannot be walked."""

from __future__ import annotations

import secrets
import time
import unicodedata
from collections.abc import Callable

# Seconds the page after a submission shows its tracking code again on a reload, in the submitter's browser only.
RECEIVED_SECONDS = 30 * 60

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_CODE_LENGTH = 12


def tracking_code_new(taken: Callable[[str], bool]) -> str:
    """A fresh random code that ``taken`` says is not in use."""
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))
        if not taken(code):
            return code


def normalise_tracking_code(typed: str) -> str:
    """A code as people type it: any case, full-width characters, spaces or hyphens between the groups."""
    text = unicodedata.normalize("NFKC", typed).upper()
    return "".join(ch for ch in text if ch.isalnum())


def tracking_code_display(code: str) -> str:
    """The code in groups of four (ABCD-EFGH-JKMN), easier to read out and to type."""
    if len(code) != TRACKING_CODE_LENGTH:
        return code
    return "-".join(code[i : i + 4] for i in range(0, TRACKING_CODE_LENGTH, 4))


def received_remember(request, kind: str, pk: int) -> None:
    """After a submission (post-redirect-get): the page it goes to shows this object's tracking code to the same
    browser session for ``RECEIVED_SECONDS``, so a reload shows it again rather than posting the form again."""
    request.session[f"received_{kind}"] = {"pk": pk, "until": time.time() + RECEIVED_SECONDS}


def received_pk(request, kind: str) -> int | None:
    """The object this browser session submitted within ``RECEIVED_SECONDS`` (``received_remember``), or None."""
    remembered = request.session.get(f"received_{kind}")
    if not isinstance(remembered, dict) or remembered.get("until", 0) < time.time():
        return None
    return remembered.get("pk")
