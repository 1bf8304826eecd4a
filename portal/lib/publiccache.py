"""Public answers cached in the shared cache, with versioned keys (issue 16).

What an anonymous visitor reads on the public site — the directory, a receipt's verification — changes only
when a service changes the directory or a receipt, and each such service calls ``bump("directory")`` or
``bump("receipts")`` when its transaction commits. A cached answer carries the versions of the topics it was
drawn from; it is served only while they are still the current ones, so a change is visible to the very next
request (not after a time-out), and every answer expires after ``PUBLIC_CACHE_SECONDS`` anyway (an edit made
in the admin, outside the services, shows after that at most; 0 switches the cache off).

One round trip per request: the topics' versions and the answer are read together, in the same pipeline as the
count of the request's public look-up (``portal.middleware.PublicLookupLimit``; ``counts_public_lookup``).

Pages are cached for visitors without a session or pending messages only (a signed-in official's page carries
their name); the CSRF token of the language switcher is taken out of the stored page and a fresh one put in
for each visitor.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from portal.lib.csrftoken import masked_token
from portal.lib.display import elder_mode_on
from portal.lib.http import current_request
from portal.lib.ratelimit import TooManyLookups, add_count, redis_client, settle_pending

_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_CSRF_PLACEHOLDER = b"@@csrf-token@@"
_MISSING = object()


def _version_key(topic: str) -> str:
    return f"public:version:{topic}"


def bump(*topics: str) -> None:
    """Make every cached answer drawn from ``topics`` stale, once the current transaction commits."""

    def _bump() -> None:
        now = time.time_ns()
        cache.set_many({_version_key(topic): now for topic in topics}, timeout=None)

    transaction.on_commit(_bump)


def _answer_key(topics: tuple[str, ...], name: str) -> str:
    digest = hashlib.sha256(name.encode()).hexdigest()[:40]
    return f"public:answer:{'+'.join(topics)}:{digest}"


def _read(topics: tuple[str, ...], key: str):
    """(the cached value or _MISSING, the topics' current versions), in one round trip — which also counts the
    request's pending public look-up (``portal.middleware.PublicLookupLimit``) when there is one, raising
    ``TooManyLookups`` past its limit."""
    version_keys = [_version_key(topic) for topic in topics]
    request = current_request()
    backend = caches["default"]  # once: each look-up through ``cache`` is a thread-local read
    redis = redis_client(backend)
    if redis is None:
        found = backend.get_many([*version_keys, key])
    else:
        pending = getattr(request, "public_lookup_pending", None)
        # A pipeline, not a script: one EVALSHA doing the same saved redis-py's packing of three commands but cost
        # Redis 20–80 µs a call against 4–6 µs (the answer, a whole page, copied through Lua), on the same cores:
        # the directory page fell from 0.47× to 0.43× the bare view (bench/README.md, issue-ver4's section).
        pipe = redis.pipeline(transaction=False)
        if pending is not None:
            add_count(pipe, pending)
        names = [*version_keys, key]
        pipe.mget([backend.make_key(name) for name in names])  # ours: the characters need no check
        answers = pipe.execute()
        if pending is not None:
            request.public_lookup_pending = None
            if answers[0] > pending.limit.count:
                raise TooManyLookups(pending.limit)
        values = answers[-1]
        loads = backend._cache._serializer.loads
        found = {name: loads(value) for name, value in zip(names, values, strict=True) if value is not None}
    versions = tuple(found.get(k, 0) for k in version_keys)
    stored = found.get(key)
    if stored is not None and stored[0] == versions:
        return stored[1], versions
    return _MISSING, versions


def _settle() -> None:
    """Count the request's pending public look-up before work that reads no cached answer."""
    request = current_request()
    if request is not None and (limit := settle_pending(request)) is not None:
        raise TooManyLookups(limit)


def counts_public_lookup(view):
    """Mark a view whose first round trip to Redis is a read of ``cached_data``/``cached_page``: the request's
    public look-up is counted in that same round trip (``portal.middleware.PublicLookupLimit``)."""
    view.counts_public_lookup = True
    return view


def cached_data(topics: tuple[str, ...], name: str, compute: Callable[[], object]):
    """The value ``compute()`` answers for ``name`` (anything picklable, None included), cached under the
    versions of ``topics``."""
    if settings.PUBLIC_CACHE_SECONDS <= 0:
        _settle()
        return compute()
    key = _answer_key(topics, name)
    value, versions = _read(topics, key)
    if value is _MISSING:
        value = compute()
        cache.set(key, (versions, value), timeout=settings.PUBLIC_CACHE_SECONDS)
    return value


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cached_page(*topics: str):
    """A public view's answers (200 and 404) cached for anonymous visitors, by path, query, language and elder
    mode."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not _cacheable(request):
                _settle()
                return view(request, *args, **kwargs)
            # The page differs by language and by the elder-friendly mode (its <html> class, the switch's state).
            look = f"{get_language()}|{'elder' if elder_mode_on(request) else ''}"
            key = _answer_key(topics, f"{look}|{request.get_full_path()}")
            stored, versions = _read(topics, key)
            if stored is not _MISSING:
                status, content_type, content = stored
                if _CSRF_PLACEHOLDER in content:
                    content = content.replace(_CSRF_PLACEHOLDER, masked_token(request).encode())
                return HttpResponse(content, status=status, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 404) and not response.streaming and not response.cookies:
                content = _CSRF_FIELD.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\3", response.content)
                stored = (response.status_code, response["Content-Type"], content)
                cache.set(key, (versions, stored), timeout=settings.PUBLIC_CACHE_SECONDS)
            return response

        return counts_public_lookup(wrapper)

    return decorate
