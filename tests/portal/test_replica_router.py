"""The reports read from a replica when one is configured (issue 16): ``portal.routers``. The replica here is a
second alias pointing at the same database, as a deployment's streaming replica holds the same rows."""

from __future__ import annotations

import pytest
from django.db import connections
from django.utils import timezone

from portal.models import Region
from portal.routers import REPLICA, ReportsReplicaRouter, replica_reads
from reports.periods import Period
from reports.selectors import report_content

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")


@pytest.fixture
def replica(settings, db):
    """A second alias on the test's own connection (the test's transaction sees the test's rows)."""
    settings.DATABASES = {**settings.DATABASES, REPLICA: connections.databases["default"]}
    connections[REPLICA] = connections["default"]
    yield connections[REPLICA]
    del connections[REPLICA]


def test_without_a_replica_everything_reads_the_primary(db):
    router = ReportsReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Region) is None  # Django's default: the primary


def test_inside_replica_reads_reads_go_to_the_replica_and_writes_do_not(replica):
    router = ReportsReplicaRouter()
    assert router.db_for_read(Region) is None
    with replica_reads():
        assert router.db_for_read(Region) == REPLICA
        assert router.db_for_write(Region) == "default"
    assert router.db_for_read(Region) is None
    assert router.allow_migrate(REPLICA, "portal") is False and router.allow_migrate("default", "portal") is True


def test_a_report_is_computed_from_the_replica(replica, monkeypatch):
    routed: list[str | None] = []
    original = ReportsReplicaRouter.db_for_read

    def spy(self, model, **hints):
        routed.append(original(self, model, **hints))
        return routed[-1]

    monkeypatch.setattr(ReportsReplicaRouter, "db_for_read", spy)
    guangxi = Region.objects.get(code="450000")
    routed.clear()
    content = report_content(region=guangxi, period=Period.quarter_of(timezone.localdate()))
    assert content and len(routed) > 5 and set(routed) == {REPLICA}
    routed.clear()
    Region.objects.get(code="450100")  # outside a report: the primary
    assert routed == [None]
