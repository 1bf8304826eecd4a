"""Reports computed once however many web instances and workers ask (issue 16, scale-out): a request arriving
while a worker computes the report joins that computation; two scheduled runs at once (a second beat, a catch-up
run beside the schedule) open each due report once and remind each department once."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from reports import selectors, services
from reports.models import Report
from reports.periods import Period
from reports.services import report_compute, report_request, reports_generate_due


@pytest.mark.django_db
def test_a_request_arriving_while_a_worker_computes_the_report_makes_no_second_version(
    people, django_capture_on_commit_callbacks
):
    region = people.centre.department.region
    period = Period.quarter_of(timezone.localdate())
    with django_capture_on_commit_callbacks() as queued:
        report = report_request(region=region, period=period, by=people.centre)
    assert len(queued) == 1  # the first request queues the generation
    real_content = selectors.report_content
    second: list = []

    def content_while_a_colleague_asks_again(**kwargs):
        # Instance B's request lands while instance A's worker is computing (the report claimed, at 10 %); any
        # generation it queues is run at once, as a second worker would.
        if not second:
            with django_capture_on_commit_callbacks(execute=True) as again:
                second.append(report_request(region=region, period=period, by=people.centre))
            second.append(len(again))
        return real_content(**kwargs)

    with mock.patch.object(services, "report_content", side_effect=content_while_a_colleague_asks_again):
        assert report_compute(report_id=report.pk, user_id=people.centre.pk) == 1
    report.refresh_from_db()
    assert second[1] == 0  # nothing queued again: the running computation answers both requests
    assert report.versions.count() == 1 and (report.status, report.progress) == (Report.Status.DRAFT, 100)
    # Both requests are in the audit log.
    from portal.models import AuditEvent

    assert AuditEvent.objects.filter(action="report_generate", object_id=str(report.pk)).count() == 2


@pytest.mark.django_db
def test_a_report_still_queued_is_queued_again_and_computed_once(people, django_capture_on_commit_callbacks):
    """Still at 0 % (its message may have been lost with the broker): a second request queues it again, and the
    two deliveries compute it once — the first claims it, the second finds it claimed or done."""
    region = people.centre.department.region
    period = Period.quarter_of(timezone.localdate())
    with django_capture_on_commit_callbacks() as first:
        report = report_request(region=region, period=period, by=people.centre)
    with django_capture_on_commit_callbacks() as again:
        report_request(region=region, period=period, by=people.centre)
    assert len(first) == len(again) == 1
    assert report_compute(report_id=report.pk) == 1
    assert report_compute(report_id=report.pk) == 1  # the second delivery: nothing computed
    assert report.versions.count() == 1


@pytest.mark.django_db
def test_a_report_whose_worker_died_mid_computation_is_started_again_on_request(
    people, django_capture_on_commit_callbacks
):
    """Claimed (10 %) by a worker that was then killed: no claim in the cache any more, so the next request resets
    it and queues it again rather than waiting for a computation that will never end."""
    region = people.centre.department.region
    period = Period.quarter_of(timezone.localdate())
    with django_capture_on_commit_callbacks():
        report = report_request(region=region, period=period, by=people.centre)
    Report.objects.filter(pk=report.pk).update(progress=10)  # claimed, and the claim's cache entry gone with it
    with django_capture_on_commit_callbacks() as again:
        report_request(region=region, period=period, by=people.centre)
    report.refresh_from_db()
    assert len(again) == 1 and (report.status, report.progress) == (Report.Status.PENDING, 0)
    assert report_compute(report_id=report.pk) == 1 and report.versions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_scheduled_runs_at_once_open_each_due_report_once_and_remind_once(reference_data, people, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections racing on the unique constraint: runs on PostgreSQL (CI)")
    settings.REPORT_LEAD_WORKDAYS = 5
    real_due_periods = services.due_periods
    barrier = threading.Barrier(2)

    def due_periods_then_race(*args, **kwargs):
        periods = real_due_periods(*args, **kwargs)
        barrier.wait(timeout=10)  # both runs look for the reports at the same moment
        return periods

    opened: list[list[Report]] = []
    errors: list[BaseException] = []

    def run():
        try:
            opened.append(reports_generate_due(dt.date(2025, 6, 13)))  # Q2 2025, due Friday 20 June
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(services, "due_periods", side_effect=due_periods_then_race):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    reports = Report.objects.filter(year=2025, quarter=2)
    # The province (the centre) and the two cities of the test people: one report each, opened by one run.
    assert sorted(reports.values_list("region__code", flat=True)) == ["450000", "450100", "450200"]
    assert sorted(len(run) for run in opened) in ([0, 3], [1, 2])  # between them, each report opened once
    assert sum(len(run) for run in opened) == 3
    links = {f"/reports/{pk}/" for pk in reports.values_list("pk", flat=True)}
    from portal.models import Notification

    reminders = Counter(
        (n.recipient.username, n.link) for n in Notification.objects.select_related("recipient") if n.link in links
    )
    assert reminders and set(reminders.values()) == {1}  # nobody reminded twice of one report
    assert ("city_nanning", f"/reports/{reports.get(region__code='450100').pk}/") in reminders
