"""Request helpers: the client's address (for whoever records who did what from where), and safe look-ups of
ids that come from a request."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)

# The request being answered, for what records who did what from where (the audit log) when a service was not
# handed the request: set by ``portal.middleware.RequestContext``; None outside a request (Celery, commands).
_current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def set_current_request(request: HttpRequest | None):
    """Make ``request`` the current one; returns the token to reset it with (``_current_request.reset``)."""
    return _current_request.set(request)


def reset_current_request(token) -> None:
    _current_request.reset(token)


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


def object_or_404(queryset: QuerySet[M], pk: int | str, **filters) -> M:
    """The row of ``queryset`` with this id, or 404: the loaders' one way to fetch. An id that arrives as text
    (a form field) and is not a plain short run of digits is a 404 too, never a server error."""
    if isinstance(pk, str):
        if not is_digits(pk):
            raise Http404
        pk = int(pk)
    return get_object_or_404(queryset, pk=pk, **filters)
