"""Database routing: the reports' reads on a read replica, when one is configured (``DATABASE_REPLICA_URL``).

A report reads a jurisdiction's whole quarter (every application, complaint and certificate of it): on a
deployment that outgrows one machine those reads go to a streaming replica, so that they never compete with the
officials' pages and the public look-ups on the primary. What reads through the replica is chosen by the caller,
not by the model (the same tables serve every page): code inside ``replica_reads()`` reads from ``replica``,
everything else and every write from ``default``. A replica lags the primary by a fraction of a second; a
report's figures can bear that, a page that has just written something cannot.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


class replica_reads(ContextDecorator):
    """Reads inside go to the replica when ``DATABASES`` has one."""

    def _recreate_cm(self):  # a fresh token for every decorated call (threads, nesting)
        return type(self)()

    def __enter__(self):
        self._token = _reading_replica.set(True)
        return self

    def __exit__(self, *exc):
        _reading_replica.reset(self._token)
        return False


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
