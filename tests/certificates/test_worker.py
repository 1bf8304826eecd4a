"""The results import checked by a real Celery worker (a subprocess) through Redis, against the test database:
the page's upload is stored, the worker reads it from the storage, checks every row and imports the whole file
or refuses it whole with the marked workbook. Skipped without Redis and PostgreSQL, a failure under CI (as
tests/filings/test_worker.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from unittest import mock

import pytest
from django.core.files.storage import default_storage

from certificates.models import Candidate, ImportAttempt
from certificates.services import results_upload
from certificates.tasks import check_results
from portal.celery import app
from tests.certificates.factories import ID_B, filed_entry, row, session_of, workbook
from tests.filings.test_worker import _database_url, _needs_redis_and_postgresql, _stop, _use_broker, _wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
__all__ = ["_needs_redis_and_postgresql"]  # the skip-or-fail gate, autouse


def _upload(session, people, rows) -> ImportAttempt:
    """The page's upload; its task is sent below to the test's own queue rather than the default one."""
    with mock.patch("certificates.services.imports.check_results"):
        return results_upload(
            session=session, data=workbook(session, rows), filename="成绩.xlsx", by=people.agency_nanning
        )


def test_a_real_worker_imports_a_clean_file_and_refuses_a_bad_one_whole(reference_data, people, tmp_path, settings):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    queue = f"certificates-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    broker = settings.CELERY_BROKER_URL
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        # The worker reads the stored upload where this process wrote it.
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--concurrency=1",
        "-Q", queue, "-n", f"{queue}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-l", "INFO",
    ]  # fmt: skip
    original = os.environ.get("CELERY_BROKER_URL")
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        _use_broker(settings, broker)
        assert app.conf.task_always_eager is False
        _wait_for(lambda: " ready." in log.read_text(errors="replace"), "the worker to start", log)
        bad = _upload(session, people, [row(), row(name="李四", id_number=ID_B, gender="女", theory_score=101)])
        stored = [bad.upload.name]
        check_results.apply_async((bad.pk,), queue=queue)
        _wait_for(
            lambda: ImportAttempt.objects.get(pk=bad.pk).status != ImportAttempt.Status.PENDING,
            "the worker to check the bad file",
            log,
        )
        assert not Candidate.objects.exists()
        good = _upload(session, people, [row(), row(name="李四", id_number=ID_B, gender="女")])
        stored.append(good.upload.name)
        check_results.apply_async((good.pk,), queue=queue)
        _wait_for(
            lambda: ImportAttempt.objects.get(pk=good.pk).status != ImportAttempt.Status.PENDING,
            "the worker to check the clean file",
            log,
        )
    finally:
        _stop(process)
        _use_broker(settings, original)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.status, bad.error_count, bad.progress) == (ImportAttempt.Status.REFUSED, 1, 100)
    assert bytes(bad.marked).startswith(b"PK")
    assert (good.status, good.rows) == (ImportAttempt.Status.IMPORTED, 2)
    assert sorted(Candidate.objects.values_list("name", flat=True)) == ["张小三", "李四"]
    # The uploads (ID numbers in clear) are gone once checked.
    assert not default_storage.exists(stored[0]) and not default_storage.exists(stored[1])
