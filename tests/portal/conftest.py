"""Fixtures of the portal's own tests."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def redis_public_cache(settings):
    """The public answers cached in Redis, as production serves them (``portal.lib.publiccache``), on a 60-s
    look-up window; the cache emptied before and after. Needs a Redis server: REDIS_URL."""
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.PUBLIC_LOOKUP_WINDOW_SECONDS = 60
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    cache.clear()
    yield
    cache.clear()
