"""Rate limits on public forms, counted in Django's cache (no extra dependency).

Each limit is a fixed window: ``Limit(3, 60)`` allows three hits per client in each calendar minute. Fixed
windows let a client make up to twice the count across a window boundary; for flood protection on public
forms that is an acceptable price for one cache key per limit and no clock bookkeeping. With several web
processes the cache must be shared (Redis in production, see ``CACHES`` in the settings); the local-memory
cache of development counts per process.

A view first asks ``exceeded`` (and answers 429 when it says so), then calls ``hit`` for what it counts: every
attempt, or only the successful ones. The public look-ups, counted on every request, use ``counted`` instead:
one call that counts the hit and answers the count, one round trip to Redis (a pipelined ``INCR`` and
``EXPIRE … NX``) instead of the three of ``exceeded`` + ``hit``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @property
    def minutes(self) -> int:
        """The longest wait once the limit is reached, in whole minutes (the window's length, at least 1)."""
        return max(1, -(-self.seconds // 60))


def _now() -> float:
    return time.time()


def _key(scope: str, client: str, limit: Limit, now: float) -> str:
    # Hashed so that any client identifier (an IPv6 address, a user name) makes a safe cache key.
    digest = hashlib.sha256(client.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{limit.seconds}:{int(now // limit.seconds)}:{digest}"


def exceeded(scope: str, client: str | None, limits: Iterable[Limit]) -> Limit | None:
    """The first limit the client has reached in its current window, or None."""
    now = _now()
    for limit in limits:
        if (cache.get(_key(scope, client or "unknown", limit, now)) or 0) >= limit.count:
            return limit
    return None


def hit(scope: str, client: str | None, limits: Iterable[Limit]) -> None:
    """Count one hit of the client against each limit."""
    now = _now()
    for limit in limits:
        key = _key(scope, client or "unknown", limit, now)
        # add() is a no-op when the key exists; incr() is atomic on Redis and memcached.
        cache.add(key, 0, timeout=limit.seconds + 1)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=limit.seconds + 1)


def counter_key(scope: str, client: str | None, limit: Limit) -> str:
    """The full cache key (prefix and version included) counting ``client``'s hits in the current window, for a
    caller that counts on Redis itself (``certificates.verification``: the count and the log in one script)."""
    # make_key: the key is safe by construction (``_key``: the scope, two integers and a hex digest), so the
    # per-character check of ``make_and_validate_key`` is skipped on the verification's busy path.
    return cache.make_key(_key(scope, client or "unknown", limit, _now()))


def counted(scope: str, client: str | None, limit: Limit) -> int:
    """Count one hit of the client against ``limit`` and answer its hits in the current window, this one
    included: over ``limit.count`` means refused. One round trip when the cache is Redis."""
    key = _key(scope, client or "unknown", limit, _now())
    redis = _redis_client(key)
    if redis is not None:
        key = cache.make_and_validate_key(key)
        pipe = redis.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, limit.seconds + 1, nx=True)
        return pipe.execute()[0]
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=limit.seconds + 1)
        return 1


def counts_on_redis() -> bool:
    """Whether the limits are counted in Redis (the cache is Django's Redis cache)."""
    return _redis_client("") is not None


def _redis_client(key: str, backend=None):
    """The redis-py client behind Django's Redis cache (``backend``: ``caches["default"]`` when the caller has it
    already: each look-up of it is a thread-local read), or None for another cache backend."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"] if backend is None else backend
    if not isinstance(backend, RedisCache):
        return None
    # One client object per cache connection: get_client() builds a new one (around the same pool) per call,
    # a tenth of a public look-up's time (issue 16).
    client = backend.__dict__.get("_portal_client")
    if client is None:
        client = backend.__dict__["_portal_client"] = backend._cache.get_client(key, write=True)
    return client


class TooManyLookups(Exception):
    """Raised where a deferred public look-up count (``portal.middleware.PublicLookupLimit``) is found past its
    limit; the middleware (and the API's handler) answer it with the 429."""

    def __init__(self, limit: Limit):
        super().__init__(f"more than {limit.count} look-ups in {limit.seconds} s")
        self.limit = limit


@dataclass
class PendingCount:
    """A public look-up not counted yet: the next round trip to Redis on the request's path counts it
    (``portal.lib.publiccache``), or the middleware does before the view runs."""

    key: str  # the full cache key, prefix included
    limit: Limit


def pending_count(scope: str, client: str | None, limit: Limit) -> PendingCount:
    return PendingCount(counter_key(scope, client, limit), limit)


def pending_on_redis(scope: str, client: str | None, limit: Limit) -> PendingCount | None:
    """``pending_count`` when the limits are counted in Redis (``counts_on_redis``), else None: one look-up of
    the cache for both."""
    from django.core.cache import caches

    backend = caches["default"]
    if _redis_client("", backend) is None:
        return None
    return PendingCount(backend.make_key(_key(scope, client or "unknown", limit, _now())), limit)


def add_count(pipe, pending: PendingCount) -> None:
    """Add the count of ``pending`` to a Redis pipeline: its first answer is then the count."""
    pipe.incr(pending.key)
    pipe.expire(pending.key, pending.limit.seconds + 1, nx=True)


def settle_pending(request) -> Limit | None:
    """Count the request's pending public look-up now, if it still is; the limit it went past, or None."""
    pending = getattr(request, "public_lookup_pending", None)
    if pending is None:
        return None
    request.public_lookup_pending = None
    pipe = redis_client().pipeline(transaction=False)
    add_count(pipe, pending)
    return pending.limit if pipe.execute()[0] > pending.limit.count else None


def redis_client(backend=None):
    """The redis-py client of the cache (``backend``: ``caches["default"]`` if the caller has it), or None when
    the cache is not Redis."""
    return _redis_client("", backend)


def too_many_response(request, limit: Limit):
    """The 429 page, with the time to wait in Retry-After."""
    from django.shortcuts import render

    response = render(request, "429.html", {"limit": limit}, status=429)
    response["Retry-After"] = str(limit.seconds)
    return response
