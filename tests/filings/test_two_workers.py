"""Scale-out without double work (issue 16): two real Celery workers (subprocesses) on one queue, one Redis and
one PostgreSQL, given the same receipts, certificate batch and report several times over — each receipt, each
certificate PDF and the report are produced exactly once. PostgreSQL and Redis only (skipped otherwise, failed
under CI: tests/filings/test_worker.py)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from certificates import services as certificate_services
from certificates import tasks as certificate_tasks
from certificates.models import Certificate, Session
from filings import tasks as filing_tasks
from filings.models import Receipt
from filings.services import ministry_result
from reports import tasks as report_tasks
from reports.models import Report
from reports.periods import Period
from reports.services import report_request
from tests.certificates.factories import candidates, filed_entry, session_of
from tests.filings.test_worker import (
    _database_url,
    _needs_redis_and_postgresql,  # noqa: F401 - the skip (or the CI failure) without Redis and PostgreSQL
    _publicised,
    _stop,
    _use_broker,
    _wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

IDS = ["450102198807152311", "450103199001011234", "450105198512120011", "450107199203030026"]


@contextlib.contextmanager
def two_workers(settings, media: Path, tmp_path: Path):
    queue = f"scaleout-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_MEDIA_ROOT": str(media),
        "PORTAL_BASE_URL": settings.PORTAL_BASE_URL,
    }
    logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
    processes = []
    for n, log in enumerate(logs, start=1):
        command = [
            sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--concurrency=1",
            "-Q", queue, "-n", f"{queue}-{n}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "-l", "INFO",
        ]  # fmt: skip
        with log.open("wb") as output:
            processes.append(
                subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
            )
    try:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.RECEIPT_QUEUE = settings.REPORT_QUEUE = queue
        settings.MEDIA_ROOT = media
        _use_broker(settings, settings.CELERY_BROKER_URL)
        for log in logs:
            _wait_for(lambda log=log: " ready." in log.read_text(errors="replace"), "a worker to start", log)
        yield queue, logs
    finally:
        for process in processes:
            _stop(process)


def _succeeded(logs: list[Path]) -> list[str]:
    return [line for log in logs for line in log.read_text(errors="replace").splitlines() if "succeeded in" in line]


def test_two_workers_given_the_same_work_three_times_do_it_once(
    reference_data, people, tmp_path, settings, monkeypatch
):
    media = tmp_path / "media"
    # The work, prepared before the workers start: two approved filings (their receipts pending), a session's
    # four certificates without their PDFs, a report requested.
    monkeypatch.setattr(certificate_tasks.render_certificates, "delay", lambda *a, **k: None)
    entry = filed_entry(people.org_liuzhou, institution_code="S000045020001")
    session = session_of(entry, people.agency_liuzhou)
    candidates(session, [(f"考生{n}", id_number) for n, id_number in enumerate(IDS)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    certificate_services.certificates_issue(session=session, by=people.agency_liuzhou)
    assert Certificate.objects.filter(candidate__session=session, pdf="").count() == 4

    with two_workers(settings, media, tmp_path) as (queue, logs):
        applications = [_publicised(people)]
        for application in applications:  # queues each receipt once, on commit
            ministry_result(application=application, by=people.centre, approved=True, result_on=timezone.localdate())
        receipts = list(Receipt.objects.filter(application__in=applications))
        report = report_request(
            region=people.centre.department.region, period=Period.quarter_of(timezone.localdate()), by=people.centre
        )
        for _ in range(2):  # the same work twice more, to whichever worker is free
            for receipt in receipts:
                filing_tasks.render_receipt.apply_async((receipt.pk,), queue=queue)
            report_tasks.generate_report.apply_async((report.pk, people.centre.pk), queue=queue)
        for _ in range(3):
            certificate_tasks.render_certificates.apply_async((session.pk,), queue=queue)
        expected = 3 * len(receipts) + 3 + 3
        _wait_for(lambda: len(_succeeded(logs)) >= expected, f"{expected} tasks done by the two workers", logs[0])

    # Both workers took part, and every piece of work was done once.
    assert all("succeeded in" in log.read_text(errors="replace") for log in logs)
    assert all(r.status == Receipt.Status.READY for r in Receipt.objects.filter(pk__in=[r.pk for r in receipts]))
    assert sorted(p.name for p in (media / "receipts").iterdir()) == sorted(f"{r.number}.pdf" for r in receipts)
    rendered = [
        int(match.group(1))
        for line in _succeeded(logs)
        if "render_certificates" in line and (match := re.search(r": (\d+)\s*$", line))
    ]
    assert len(rendered) == 3 and sum(rendered) == 4  # three deliveries, four PDFs between them
    certificates = Certificate.objects.filter(candidate__session=session)
    assert not certificates.filter(pdf="").exists()
    (folder,) = {Path(name).parent for name in certificates.values_list("pdf", flat=True)}
    stored = sorted(p.name for p in (media / folder).iterdir())  # no "_x7Yz" copy of a PDF rendered twice
    assert stored == sorted(f"{number}.pdf" for number in certificates.values_list("number", flat=True))
    report.refresh_from_db()
    assert report.versions.count() == 1 and report.status == Report.Status.DRAFT
