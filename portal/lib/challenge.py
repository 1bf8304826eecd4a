"""A simple challenge for anonymous forms: a small sum, its operands signed into a hidden field.

Not a CAPTCHA: it stops scripts that post a form blindly, not a person set on flooding it (the rate limits in
``portal.lib.ratelimit`` do that). The token is signed with the project's secret key (``django.core.signing``),
expires after ``MAX_AGE`` seconds and is accepted once: a nonce of each correctly answered token is kept in
the cache until it would expire anyway, so a solved token cannot be replayed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

from portal.lib.http import is_digits

SALT = "portal.lib.challenge"
MAX_AGE = 60 * 60


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def challenge_new() -> Challenge:
    draw = secrets.SystemRandom()
    a, b = draw.randint(2, 9), draw.randint(2, 9)
    token = signing.dumps({"a": a, "b": b, "n": secrets.token_hex(8)}, salt=SALT)
    return Challenge(question=f"{a} + {b} = ?", token=token)


def challenge_passed(token: str, answer: str) -> bool:
    """Whether ``answer`` solves the challenge of ``token``; a token is accepted only once."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return False
    answer = (answer or "").strip()
    if not is_digits(answer) or int(answer) != payload["a"] + payload["b"]:
        return False
    return cache.add(f"challenge:{payload['n']}", 1, timeout=MAX_AGE)
