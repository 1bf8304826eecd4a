"""The read replica as a deployment configures it (issue 16): ``DATABASE_REPLICA_URL`` adds a ``replica`` alias,
a test mirror of ``default`` (``TEST: {"MIRROR": "default"}``), and ``portal.routers`` sends the quarterly report's
and the statistics' reads there, everything else and every write to the primary.

Here the replica alias has a connection of its own to the test database, as a mirror does — read-only on
PostgreSQL (``default_transaction_read_only``), as a streaming standby is: a write routed to it would fail, not
pass unseen. The tests commit their rows (``transaction=True``) so that the second connection sees them."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from certificates.selectors import statistics
from portal.models import Region
from portal.routers import REPLICA, replica_reads
from reports.models import Report
from reports.periods import Period
from reports.selectors import report_content
from reports.services import report_request

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning"),
]


def _settings_with(env: dict) -> dict:
    """The portal's settings as a process started with ``env`` reads them."""
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'replica': s.DATABASES.get('replica'), 'routers': s.DATABASE_ROUTERS}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_database_replica_url_adds_a_replica_alias_mirrored_in_tests():
    primary = "postgres://portal:secret@primary.example:5432/portal"
    configured = _settings_with(
        {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": "postgres://reader:secret@standby.example:5432/portal"}
    )
    replica = configured["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == ("standby.example", "reader", "portal")
    assert replica["TEST"] == {"MIRROR": "default"}  # the test run reads the test database through it
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert configured["routers"] == ["portal.routers.ReportsReplicaRouter"]
    # Without the variable there is no replica: everything reads the primary.
    assert _settings_with({"DATABASE_URL": primary})["replica"] is None


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup, django_db_blocker):
    """The ``replica`` alias as a mirror of ``default``: its own connection to the same test database (what
    Django's test set-up makes of ``TEST: {"MIRROR": "default"}``), for this module's tests."""
    primary = connections["default"].settings_dict
    config = copy.deepcopy(primary)
    config["TEST"] = {**config.get("TEST", {}), "MIRROR": "default"}
    if connections["default"].vendor == "postgresql":
        options = config.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c default_transaction_read_only=on").strip()
    connections.settings[REPLICA] = config
    try:
        with override_settings(DATABASES={**django_settings.DATABASES, REPLICA: config}):
            yield
    finally:
        with django_db_blocker.unblock():
            connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica():
    return connections[REPLICA]


def _sql(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def test_the_replica_connection_is_separate_and_read_only_on_postgresql(replica):
    assert replica is not connections["default"]
    assert replica.settings_dict["NAME"] == connections["default"].settings_dict["NAME"]
    if replica.vendor == "postgresql":
        with replica.cursor() as cursor:
            cursor.execute("SHOW default_transaction_read_only")
            assert cursor.fetchone() == ("on",)


def test_a_quarterly_report_reads_the_replica_and_writes_the_primary(reference_data, people, replica):
    region = people.centre.department.region
    period = Period.quarter_of(timezone.localdate())
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        # Requested, then computed at once on commit (the tests run Celery eagerly): the whole path of a report.
        report = report_request(region=region, period=period, by=people.centre)
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.versions.count() == 1
    read = _sql(on_replica)
    # The report's figures come from the replica: its applications, complaints and certificates …
    for table in ("filings_application", "supervision_complaint", "certificates_certificate"):
        assert any(table in sql for sql in read), table
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in read)  # … and nothing is written there
    written = _sql(on_primary)
    assert any(sql.startswith("INSERT INTO") and "reports_reportversion" in sql for sql in written)
    assert not any("filings_application" in sql for sql in written)  # the primary did not compute it
    # The same figures as computed on the primary alone.
    content = report.latest.content
    with override_settings(DATABASES={k: v for k, v in django_settings.DATABASES.items() if k != REPLICA}):
        assert report_content(region=region, period=period)["sections"] == content["sections"]


def test_the_statistics_read_the_replica(reference_data, people, replica):
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        figures = statistics(people.city_nanning)
    assert figures["total"] == 0
    # The figures are added up from the sessions' tallies (certificates_tally), on the replica only.
    assert any("certificates_tally" in sql for sql in _sql(on_replica))
    assert not any("certificates_tally" in sql for sql in _sql(on_primary))


def test_everything_else_reads_the_primary_and_no_write_goes_to_the_replica(reference_data, replica):
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        Region.objects.get(code="450100")  # outside a report
        with replica_reads():
            Region.objects.filter(code="450100").update(name="南宁市")  # a write inside a report's reads
            assert Region.objects.get(code="450100").name == "南宁市"  # read back from the replica
    assert [sql for sql in _sql(on_primary) if sql.startswith("UPDATE")]
    assert not [sql for sql in _sql(on_replica) if not sql.lstrip().upper().startswith("SELECT")]
    assert len(_sql(on_primary)) == 2 and len(_sql(on_replica)) == 1
