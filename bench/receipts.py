"""Benchmark: filing receipts (备案回执) — one PDF, and 500 of them through one real Celery worker.

Targets: the median rendering of one receipt (``receipt_render``: the row lock, the content, the QR code, the
PDF, the file written through the storage API) < 1 s; 500 receipts rendered by ONE worker (``--pool=solo``, a
subprocess, fed through Redis) in < 5 minutes. Run:

    .venv/bin/python bench/receipts.py  [--postgres URL] [--broker redis://…] [--count 500] [--runs 20]

It builds a throwaway database (SQLite in a temporary folder by default; pass ``--postgres`` for an empty,
disposable PostgreSQL database) through the migrations, then files ``count + runs`` agencies straight into the
tables — organisation, submitted version (``filings.examples``, one occupation at three levels),
institution code and pending receipt, as ``ministry_result`` leaves them — so that only the rendering is timed.
The broker is ``--broker``, else $CELERY_BROKER_URL, else a redis-server the script starts on a free port.
The worker's time runs from the first receipt queued to the last one ready (polled in the database); its start
is reported apart.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MEDIAN_MS = 1000
TARGET_BATCH_S = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis() -> tuple[str, subprocess.Popen]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("No broker: pass --broker or set CELERY_BROKER_URL, or install redis-server.")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return f"redis://127.0.0.1:{port}/0", process
        except OSError:
            time.sleep(0.1)
    sys.exit("redis-server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--broker", help="a Redis URL (default: $CELERY_BROKER_URL, else a redis-server started here)")
    parser.add_argument("--count", type=int, default=500, help="receipts for the worker")
    parser.add_argument("--runs", type=int, default=20, help="receipts rendered in-process for the median")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-receipts-"))
    redis_process = None
    broker = args.broker or os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        broker, redis_process = start_redis()
    queue = f"bench-receipts-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        {
            "DATABASE_URL": args.postgres or f"sqlite:///{workdir}/bench.sqlite3",
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "True",
            "CELERY_BROKER_URL": broker,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "RECEIPT_QUEUE": queue,
        }
    )
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    worker = None
    try:
        import django

        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        from django.conf import settings

        settings.DEBUG = False
        receipt_ids = make_receipts(args.count + args.runs + 2)  # two warm-up renderings
        print(f"{connection.vendor}; broker {broker.split('@')[-1]}; {len(receipt_ids)} filed agencies made")

        from filings.models import Receipt
        from filings.services.filing import receipt_enqueue, receipt_render

        # 1. One receipt at a time, in this process.
        timings = []
        for index, receipt_id in enumerate(receipt_ids[: args.runs + 2]):
            start = time.perf_counter()
            receipt = receipt_render(Receipt.objects.get(pk=receipt_id))
            elapsed = (time.perf_counter() - start) * 1000
            assert receipt.status == Receipt.Status.READY
            if index >= 2:  # two warm-up renderings (fonts, templates)
                timings.append(elapsed)
        median = statistics.median(timings)

        # 2. The rest through one real worker.
        batch = receipt_ids[args.runs + 2 :]
        log = workdir / "worker.log"
        command = [
            sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
            "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "INFO",
        ]  # fmt: skip
        started = time.perf_counter()
        with log.open("wb") as output:
            worker = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=output, stderr=subprocess.STDOUT)
        while " ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.perf_counter() - started > 120:
                sys.exit("the worker did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        worker_start = time.perf_counter() - started

        start = time.perf_counter()
        for receipt_id in batch:
            assert receipt_enqueue(receipt_id)
        queued = time.perf_counter() - start
        pending = Receipt.objects.filter(pk__in=batch).exclude(status=Receipt.Status.READY)
        while pending.exists():
            if time.perf_counter() - start > 3 * TARGET_BATCH_S:
                sys.exit(f"{pending.count()} receipts still not ready after {3 * TARGET_BATCH_S} s")
            time.sleep(0.5)
        wall = time.perf_counter() - start
        files = len(list((workdir / "media" / "receipts").iterdir()))
        size = statistics.median(p.stat().st_size for p in (workdir / "media" / "receipts").iterdir()) / 1024

        print(f"\n{'measure':44} {'value':>10}  target")
        verdict = "ok" if median < TARGET_MEDIAN_MS else "MISSED"
        label = f"one receipt, median ms ({len(timings)} renderings)"
        print(f"{label:44} {median:10.0f}  < 1000 ms: {verdict}")
        print(f"{'one receipt, min / max ms':44} {min(timings):4.0f} / {max(timings):3.0f}")
        print(f"{'worker start, s':44} {worker_start:10.1f}")
        print(f"{'queueing ' + str(len(batch)) + ' receipts, s':44} {queued:10.1f}")
        verdict = "ok" if wall < TARGET_BATCH_S else "MISSED"
        print(f"{str(len(batch)) + ' receipts by one worker, wall s':44} {wall:10.1f}  < 300 s: {verdict}")
        print(f"{'  per receipt, ms':44} {wall / len(batch) * 1000:10.0f}")
        print(f"{'  receipts per minute':44} {len(batch) / wall * 60:10.0f}")
        print(f"{'PDF files written / median size KiB':44} {files:5d} / {size:.0f}")
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def make_receipts(count: int) -> list[int]:
    """``count`` agencies filed as ``ministry_result`` leaves them: pending receipts, straight into the tables."""
    import datetime as dt

    from django.utils import timezone

    from agencies.models import Call, CallVersion, ConditionProfile, Organisation, Workflow
    from filings.examples import sample_application_data
    from filings.models import Application, ApplicationVersion, InstitutionCode, Receipt, State
    from portal.models import Region, Role, User

    today, now = timezone.localdate(), timezone.now()
    province, city = Region.objects.get(code="450000"), Region.objects.get(code="450100")
    call = Call.objects.create(code="bench-receipts", province=province)
    version = CallVersion.objects.create(
        call=call,
        number=1,
        title="保卫管理员职业技能等级认定评价机构征集（基准测试）",
        issuer="广西壮族自治区人力资源和社会保障厅",
        workflow=Workflow.CITY_FIRST,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        scopes=["region", "city"],
        offerings=[{"occupation": "3-02-02-00", "levels": [3, 2, 1]}],
        materials=[],
        rules=ConditionProfile.objects.get(code="guangxi-security-manager").rules,
        published_at=now,
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"南宁市基准测试第{index:04d}职业技能培训学校",
            uscc=f"5245010{index:010d}X",
            region=city,
            nature=Organisation.Nature.PRIVATE_NON_ENTERPRISE,
            legal_representative="张三",
            contact_name="李四",
            contact_phone="0771-5551234",
        )
        for index in range(count)
    )
    user = User.objects.create_user("centre_bench", role=Role.CENTRE)
    occupations = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]
    data = sample_application_data(organisations[0], occupations=occupations, people=1, examiners_per_occupation=1)
    applications = Application.objects.bulk_create(
        Application(
            organisation=organisation,
            region=city,
            call=call,
            call_version=version,
            reference=f"BENCH{index:08d}",
            state=State.FILED,
            scope="region",
            data={**data, "basic": {**data["basic"], "name": organisation.name, "uscc": organisation.uscc}},
            created_by=user,
            submitted_at=now,
        )
        for index, organisation in enumerate(organisations)
    )
    ApplicationVersion.objects.bulk_create(
        ApplicationVersion(
            application=application,
            number=1,
            call_version=version,
            data=application.data,
            commitment_name="张三",
            commitment_at=now,
            submitted_by=user,
        )
        for application in applications
    )
    InstitutionCode.objects.bulk_create(
        InstitutionCode(code=f"S45{today.year}{index + 1:05d}", application=application, provisional=True)
        for index, application in enumerate(applications)
    )
    receipts = Receipt.objects.bulk_create(
        Receipt(
            application=application,
            version_number=1,
            number=f"GXBA-{today.year}-{index + 1:05d}",
            token=secrets.token_urlsafe(32),
        )
        for index, application in enumerate(applications)
    )
    if receipts[0].pk is None:  # backends that do not return keys from bulk_create
        return list(Receipt.objects.order_by("pk").values_list("pk", flat=True))
    return [receipt.pk for receipt in receipts]


if __name__ == "__main__":
    main()
