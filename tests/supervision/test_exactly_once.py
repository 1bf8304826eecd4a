"""The nightly end of suspensions done once however many runs meet (issue 16, scale-out): two runs at the same
moment — a second beat, a catch-up run beside the schedule — lift each ended suspension once, with one audit row
and one status change, and neither run fails."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, connections

from agencies.models import DirectoryEntry
from portal.models import AuditEvent
from supervision.services import sanction_decide
from supervision.services import sanctions as sanction_services
from supervision.services.sanctions import PILOT_EXIT_CLAUSE, suspensions_end
from tests.supervision.factories import today_is

MONDAY = dt.date(2026, 3, 2)
FACTS = "2026年2月10日保卫管理员三级认定中，考场视频监控未开启，考评人员不足3名。"


@pytest.mark.django_db(transaction=True)
def test_two_nightly_runs_at_once_lift_a_suspension_once(reference_data, people, nanning_entry):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections and row locks: runs on PostgreSQL (CI)")
    with today_is(MONDAY):
        suspension = sanction_decide(
            entry=nanning_entry,
            kind="suspension",
            facts=FACTS,
            basis=PILOT_EXIT_CLAUSE,
            until=dt.date(2026, 4, 30),
            by=people.city_nanning,
        )
    barrier = threading.Barrier(2)
    real_gettext = sanction_services._

    def gettext_then_race(message):
        if message == "The suspension reached its last day.":
            barrier.wait(timeout=10)  # both runs look for the ended suspensions at the same moment
        return real_gettext(message)

    lifted: list[int] = []
    errors: list[BaseException] = []

    def run():
        try:
            lifted.append(suspensions_end())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    with today_is(dt.date(2026, 5, 1)), mock.patch.object(sanction_services, "_", side_effect=gettext_then_race):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []  # neither run failed on the other's work
    assert sorted(lifted) == [0, 1]
    suspension.refresh_from_db()
    assert suspension.lifted_on == dt.date(2026, 5, 1) and suspension.lifted_by is None
    assert AuditEvent.objects.filter(action="sanction_lift", object_id=str(suspension.pk)).count() == 1
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE
    assert [c.status for c in nanning_entry.history.order_by("pk")] == ["active", "suspended", "active"]


@pytest.mark.django_db
def test_a_suspension_lifted_by_hand_is_not_lifted_again_by_the_night(people, nanning_entry):
    with today_is(MONDAY):
        suspension = sanction_decide(
            entry=nanning_entry,
            kind="suspension",
            facts=FACTS,
            basis=PILOT_EXIT_CLAUSE,
            until=dt.date(2026, 4, 30),
            by=people.city_nanning,
        )
    with today_is(dt.date(2026, 5, 1)):
        sanction_services.sanction_lift(sanction=suspension, reason="整改到位，复查合格。", by=people.city_nanning)
        assert suspensions_end() == 0
    assert AuditEvent.objects.filter(action="sanction_lift", object_id=str(suspension.pk)).count() == 1
