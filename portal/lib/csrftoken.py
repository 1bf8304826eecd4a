"""The CSRF token of a cached public page, masked with one read of the OS's random source (issue 16).

Django's ``get_token`` masks the cookie's secret with 32 characters drawn one by one through
``secrets.choice``: 32 reads of ``os.urandom``, about a tenth of a cached directory page's Python. ``masked_token``
does exactly what ``get_token`` does — the same secret from the request's cookie (or a new one, the cookie then
sent), the same masking (``csrf._mask_cipher_secret``: mask + (secret + mask) mod 62) — with the mask drawn from one
read: bytes at or above 248 (= 4 × 62) are dropped, so each of the 62 characters stays equally likely.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from django.http import HttpRequest
from django.middleware import csrf

_CHARS = csrf.CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_BELOW = 256 - 256 % len(_CHARS)  # 248: a byte below it maps to a character, each 4 bytes alike


def random_chars(length: int, read: Callable[[int], bytes] = os.urandom) -> str:
    """``length`` characters of ``CSRF_ALLOWED_CHARS``, each equally likely, from the OS's random source."""
    out: list[str] = []
    while len(out) < length:
        out += [_CHARS[byte % len(_CHARS)] for byte in read(length + 8) if byte < _BELOW]
    return "".join(out[:length])


def masked_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` answers, with the same side effects on the request."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # the cookie is sent again (its expiry renewed)
    else:
        secret = csrf._add_new_csrf_cookie(request)
    mask = random_chars(csrf.CSRF_SECRET_LENGTH)
    size = len(_CHARS)
    return mask + "".join(_CHARS[(_INDEX[s] + _INDEX[m]) % size] for s, m in zip(secret, mask, strict=True))
