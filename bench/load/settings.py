"""The portal's settings plus the two reference views of the load harness (``bench.load.urls``).

Served by gunicorn exactly as production serves the portal; only the URL configuration differs, so that the
bare view and the floor go through the same middleware, the same workers and the same database connection.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
