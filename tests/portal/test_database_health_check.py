"""The kept PostgreSQL connection's health check (portal.db.postgresql): no round trip on a healthy connection,
and a connection the server ended is replaced before the request's first query runs."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, connections

from portal.db.postgresql.base import DatabaseWrapper, quiet
from portal.models import Region

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's backend"),
]


@pytest.fixture
def checked(monkeypatch):
    """Kept connections with health checks, as production has them; the SELECT 1 checks counted."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    connection.ensure_connection()
    selects = []
    original = DatabaseWrapper.is_usable
    monkeypatch.setattr(DatabaseWrapper, "is_usable", lambda self: selects.append(1) or original(self))
    yield selects
    connection.close()


def _next_request() -> None:
    """What Django does when a request starts (``close_old_connections``, which the test client leaves out)."""
    connection.close_if_unusable_or_obsolete()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_the_settings_use_the_portals_backend():
    assert connection.settings_dict["ENGINE"] == "portal.db.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_healthy_connection_is_kept_without_asking_the_server(checked):
    pid = _backend_pid()
    for _ in range(3):
        _next_request()
        assert Region.objects.filter(code="450100").exists() in (True, False)
        assert _backend_pid() == pid
    assert checked == []  # Django's own check would have sent SELECT 1 once per request


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(checked):
    pid = _backend_pid()
    _next_request()
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while quiet(connection.connection) and time.monotonic() < deadline:  # the FATAL message reaching the socket
        time.sleep(0.01)
    assert not quiet(connection.connection)
    # The request's first query runs on a new connection instead of failing on the ended one.
    assert Region.objects.count() >= 0
    assert _backend_pid() != pid
    assert checked == [1]  # the sign on the socket made Django's own check decide


def test_a_connection_inside_a_transaction_is_not_taken_as_quiet(checked):
    connection.set_autocommit(False)
    try:
        _backend_pid()  # opens a transaction
        assert not quiet(connection.connection)
    finally:
        connection.rollback()
        connection.set_autocommit(True)
    assert quiet(connection.connection)
