"""Filing receipts produced by a real Celery worker (a subprocess) through Redis, against the test database.

Runs when the broker is Redis and the database PostgreSQL (CI: .ci/run starts both); skipped otherwise, except
under CI, where a missing Redis or PostgreSQL fails instead. The first test uses the Redis that CI started; the
second starts a Redis of its own on a free port, so that it can stop and restart it without disturbing anyone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from filings import tasks
from filings.models import Application, Receipt, State
from filings.services import ministry_report, ministry_result, receipts_sweep
from portal.celery import app
from tests.filings.factories import nanning_submission

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT = 90  # seconds: the worker's start, its reconnection to a restarted broker, one rendering


@pytest.fixture(autouse=True)
def _needs_redis_and_postgresql():
    reasons = []
    if not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        reasons.append(f"the broker is {django_settings.CELERY_BROKER_URL!r}, not Redis (set CELERY_BROKER_URL)")
    if connection.vendor != "postgresql":
        reasons.append(f"the database is {connection.vendor}, not PostgreSQL (set DATABASE_URL)")
    if reasons:
        message = "a real Celery worker needs Redis and PostgreSQL: " + "; ".join(reasons)
        if os.environ.get("CI"):
            pytest.fail(message + " — under CI this is a failure, not a skip (.ci/run starts both)")
        pytest.skip(message)


def _database_url() -> str:
    """The test database (test_…), as the worker process must see it."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _use_broker(settings, url: str | None) -> None:
    """Point this process's Celery producer at ``url``: Celery reads the CELERY_BROKER_URL environment variable
    before its settings, and its connection pools remember the old address."""
    if url is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL = url
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, what: str, log: Path | None = None, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n--- worker log ---\n{tail}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class Redis:
    """A redis-server of the test's own, on a free port, without persistence: stopped and restarted at will."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (Debian's redis-server package; .ci/run installs it)")
        self.binary, self.port, self.process = binary, _free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
        return False

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(self._answers, f"redis-server on port {self.port}", timeout=20)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


@contextlib.contextmanager
def worker(settings, broker: str, media: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A real worker (solo pool) consuming a queue of its own; the test's receipts are routed to that queue.

    ``settings`` is pytest-django's fixture, which undoes the changes after the test."""
    queue = f"receipts-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_MEDIA_ROOT": str(media),
        "PORTAL_BASE_URL": settings.PORTAL_BASE_URL,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--concurrency=1",
        "-Q", queue, "-n", f"{queue}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-l", "INFO",
    ]  # fmt: skip
    original_broker = os.environ.get("CELERY_BROKER_URL")
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.RECEIPT_QUEUE = queue
        settings.MEDIA_ROOT = media
        _use_broker(settings, broker)
        assert app.conf.task_always_eager is False and app.conf.broker_url == broker
        _wait_for(lambda: " ready." in log.read_text(errors="replace"), "the worker to start", log)
        yield queue, process
    finally:
        _stop(process)
        _use_broker(settings, original_broker)


def _publicised(people) -> Application:
    application = nanning_submission(people)
    Application.objects.filter(pk=application.pk).update(state=State.PUBLICISED)
    ministry_report(application=application, by=people.centre, reported_on=timezone.localdate())
    return application


def _ready(application: Application):
    receipt = Receipt.objects.filter(application=application).first()
    return receipt if receipt is not None and receipt.status == Receipt.Status.READY else None


def test_a_real_worker_renders_the_receipt_once_however_often_it_is_asked(reference_data, people, tmp_path, settings):
    media = tmp_path / "media"
    log = tmp_path / "worker.log"
    with worker(settings, settings.CELERY_BROKER_URL, media, log) as (queue, _process):
        application = _publicised(people)
        ministry_result(application=application, by=people.centre, approved=True, result_on=timezone.localdate())
        receipt = _wait_for(lambda: _ready(application), "the receipt to be rendered by the worker", log)
        assert (media / "receipts" / f"{receipt.number}.pdf").read_bytes().startswith(b"%PDF")
        # The same task delivered twice more (a retry, a duplicate): nothing is rendered again.
        for _ in range(2):
            tasks.render_receipt.apply_async((receipt.pk,), queue=queue)
        _wait_for(lambda: log.read_text(errors="replace").count("succeeded") >= 3, "the two duplicate deliveries", log)
    assert Receipt.objects.filter(application=application).count() == 1
    again = Receipt.objects.get(pk=receipt.pk)
    assert again.rendered_at == receipt.rendered_at and again.number == receipt.number
    assert [p.name for p in (media / "receipts").iterdir()] == [f"{receipt.number}.pdf"]


def test_a_receipt_approved_while_the_broker_is_down_appears_once_it_is_back(
    reference_data, people, tmp_path, client_for, settings
):
    media = tmp_path / "media"
    log = tmp_path / "worker.log"
    redis = Redis()
    redis.start()
    try:
        with worker(settings, redis.url, media, log) as (_queue, _process):
            application = _publicised(people)
            redis.stop()

            # The approval succeeds although nothing can be queued: the receipt waits in the outbox.
            response = client_for(people.centre).post(
                reverse("filings:ministry", args=[application.pk]),
                {
                    "action": "result",
                    "result": "approved",
                    "result_on": timezone.localdate().isoformat(),
                    "code_source": "provisional",
                },
            )
            assert response.status_code == 302
            application.refresh_from_db()
            assert application.state == State.FILED
            receipt = Receipt.objects.get(application=application)
            assert receipt.status == Receipt.Status.PENDING and receipt.queued_at is None
            time.sleep(2)
            assert Receipt.objects.get(pk=receipt.pk).status == Receipt.Status.PENDING

            redis.start()
            _wait_for(
                lambda: log.read_text(errors="replace").count("Connected to redis") >= 2,
                "the worker to reconnect to the restarted Redis",
                log,
            )
            assert receipts_sweep() == 1
            ready = _wait_for(lambda: _ready(application), "the swept receipt to be rendered", log)
            assert receipts_sweep() == 0
    finally:
        redis.stop()
    receipts = Receipt.objects.filter(application=application, version_number=1)
    assert receipts.count() == 1 and receipts.get().status == Receipt.Status.READY
    assert ready.number == receipt.number and ready.token == receipt.token
    assert [p.name for p in (media / "receipts").iterdir()] == [f"{receipt.number}.pdf"]
