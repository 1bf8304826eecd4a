"""Benchmark: the reviewer queue with 10,000 applications in the database.

Target (review issue): a page of the queue in < 150 ms server time, with a number of SQL queries that does
not depend on the number of applications. Run:  .venv/bin/python bench/review_queue.py  [--postgres URL]

It builds a throwaway database (SQLite in a temporary folder by default), loads the reference data through
the migrations, creates 10,000 submitted applications spread over the 14 Guangxi cities (about 1,400 in
南宁市), then times the queue page for the 南宁 city bureau with Django's test client (in-process, so the time
is the server's: URL routing, the gate, the selector's SQL, the template).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--applications", type=int, default=10_000)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-queue-")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "True"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    from agencies.models import Organisation
    from filings.models import Application, State
    from portal.demo import seed_demo
    from portal.models import Region, User

    seed_demo()
    cities = list(Region.objects.filter(parent__code="450000", level="city"))
    organisations = [
        Organisation.objects.create(
            name=f"基准测试培训机构{i:03d}",
            uscc=f"5245{i:04d}MA0000000{i % 10}"[:18],
            region=cities[i % len(cities)],
            nature=Organisation.Nature.ENTERPRISE,
            legal_representative="张三",
            contact_name="李四",
            contact_phone="0771-5551234",
        )
        for i in range(140)
    ]
    template = Application.objects.exclude(reference=None).first()
    agency = User.objects.get(username="agency_nanning")
    now = timezone.now()
    states = [State.CITY_REVIEW, State.ACCEPTANCE, State.ASSESSMENT, State.CORRECTION, State.ASSESSED]
    batch = []
    for i in range(args.applications):
        organisation = organisations[i % len(organisations)]
        batch.append(
            Application(
                organisation=organisation,
                region=organisation.region,
                call=template.call,
                call_version=template.call_version,
                reference=f"BENCH{i:07d}",
                state=states[i % len(states)],
                created_by=agency,
                submitted_at=now,
                stage_started_at=now - timezone.timedelta(days=i % 40),
                deadline=(now - timezone.timedelta(days=(i % 40) - 20)).date(),
                data=template.data,
            )
        )
    Application.objects.bulk_create(batch, batch_size=1000)
    print(f"{Application.objects.count():,} applications in {connection.vendor}")

    client = Client()
    client.force_login(User.objects.get(username="city_nanning"), backend="django.contrib.auth.backends.ModelBackend")
    cases = {
        "queue (waiting for me)": {},
        "queue, all states": {"state": "all"},
        "queue, overdue only": {"state": "all", "overdue": "1"},
        "queue, page 5": {"state": "all", "page": "5"},
    }
    print(f"{'case':28} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for name, params in cases.items():
        for _ in range(3):
            client.get("/filings/queue/", params)
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            response = client.get("/filings/queue/", params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get("/filings/queue/", params)
        p90 = statistics.quantiles(timings, n=10)[-1]
        print(f"{name:28} {statistics.median(timings):10.1f} {p90:8.1f} {len(queries.captured_queries):8d}")


if __name__ == "__main__":
    main()
