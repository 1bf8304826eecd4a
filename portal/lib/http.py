"""Request helpers shared by services that record who did what from where."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, for the audit log, the rate limits and django-axes (AXES_CLIENT_IP_CALLABLE).

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each of which appends the address it received from to
    X-Forwarded-For, the client is the entry that many places from the end; anything a client wrote before it
    is not trusted. With no proxy configured the header is ignored and REMOTE_ADDR is the client.
    """
    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def is_digits(value: str, *, max_length: int = 9) -> bool:
    """Whether ``value`` is a plain run of ASCII digits short enough for an id or a count.

    ``str.isdigit`` also accepts "²" and other digit-like characters that ``int()`` refuses, and a thousand
    digits would overflow the database's integers: either would turn a tampered parameter into a server error.
    """
    return 0 < len(value) <= max_length and value.isascii() and value.isdigit()
