"""The copied demo (tests/demo_snapshot.py) is the demo: what the later tests start from must be what the command
left, or they would pass or fail on a different portal than `make run` shows."""

import pytest
from django.db import connection
from django.db.models import Count

from filings.models import Application, RankingTally, State
from portal.models import User
from tests import demo_snapshot
from tests.conftest import seed_demo

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the demo is copied on PostgreSQL only")


def _rows_per_table() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in demo_snapshot._tables():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608  names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def _tally() -> list[tuple]:
    return sorted(RankingTally.objects.filter(n__gt=0).values_list("call_id", "region_id", "state", "score", "n"))


def _tally_counted() -> list[tuple]:
    rows = (
        Application.objects.exclude(state=State.DRAFT)
        .exclude(submitted_at=None)
        .values("call_id", "region_id", "state", "panel_score")
        .annotate(n=Count("pk"))
    )
    return sorted((r["call_id"], r["region_id"], r["state"], r["panel_score"] or -1, r["n"]) for r in rows)


def test_the_copied_demo_has_every_row_and_working_triggers(transactional_db, reference_data):
    seed_demo()
    seeded = _rows_per_table()
    snapshot = demo_snapshot.keep()

    demo_snapshot.write_back(snapshot)

    assert _rows_per_table() == seeded
    assert _tally() == _tally_counted()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'")
        assert cursor.fetchone()[0] == 0
    # The triggers work again: an application withdrawn moves in the tally at once.
    application = Application.objects.exclude(state=State.DRAFT).exclude(submitted_at=None).first()
    application.state = State.WITHDRAWN
    application.save(update_fields=["state"])
    assert _tally() == _tally_counted()
    # New rows take ids after the copied ones.
    newest = User.objects.order_by("-pk").first()
    assert User.objects.create(username="after_the_copy").pk > newest.pk
