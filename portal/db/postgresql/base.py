"""Django's PostgreSQL backend with a health check that costs no round trip when the connection is plainly
healthy (``ENGINE = "portal.db.postgresql"``, set by the settings whenever DATABASE_URL names PostgreSQL).

With persistent connections and ``CONN_HEALTH_CHECKS`` (issue 16 item 2), Django checks a kept connection before
each request's first query by sending ``SELECT 1`` and waiting for the answer: a round trip to PostgreSQL on every
request that touches the database. On the load harness's floor (the bare view plus one indexed look-up) it was
1.2 M of the request's 4.2 M instructions in this process, besides PostgreSQL's own work and a second wait for it
(bench/README.md, session 11). Here a kept connection that is idle (no transaction
open) and whose socket has nothing to read is taken as healthy without asking. Between requests the server sends
nothing unasked on a healthy idle connection: when it ends one — a restart, ``pg_terminate_backend``, an idle
timeout, a pooler closing it — it says so (a FATAL message) and closes the socket, which then reads as ready. Any
sign of that, or of anything else on the socket, and Django's own check (``SELECT 1``) decides, closing the
connection if it fails, so the request's query runs on a new one (tests/portal/test_database_health_check.py).

What neither check catches in time: a peer that vanished without a word (a cable pulled, a crashed host). Django's
``SELECT 1`` would then wait for the operating system's TCP timeout as the query itself does, so nothing is lost
against it; the request fails and Django drops the connection at the request's end.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq

_SIGNS = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP | select.POLLRDHUP


def quiet(connection) -> bool:
    """Whether the psycopg ``connection`` is open, idle and has nothing waiting on its socket (no answer
    pending, nothing sent by the server since the last one)."""
    if connection.closed or connection.broken or connection.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    poller = select.poll()
    poller.register(connection.fileno(), _SIGNS)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
