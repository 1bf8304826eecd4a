"""Benchmark: the public directory with 5,000 filed agencies.

Target (directory issue): a directory search in < 100 ms server time, with a number of SQL queries that does not
depend on the number of agencies, for the HTML page and the JSON API. Run:

    .venv/bin/python bench/directory_search.py  [--postgres URL] [--agencies 5000] [--runs 20]

It builds a throwaway database (SQLite in a temporary folder by default) through the migrations, creates
5,000 agencies spread over every city and county of the reference regions (Guangxi, Shaanxi, Jiangsu,
Chongqing), each with 1 to 5 approved (occupation, level) pairs, about 3 on average, and one or two status
history rows; 90 % are active, 6 % suspended, 4 % removed. Then it times the directory page and the API,
anonymously, with Django's test client (in-process: routing, the gate, the form, the SQL and the template or
the JSON; no network). Times are medians of ``--runs`` requests after three warm-up requests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 100
CASES = {
    "default (active, page 1)": {},
    "all statuses, page 40": {"status": "all", "page": "40"},
    "city 南宁市 (with counties)": {"city": "450100"},
    "district 青秀区 (wider scopes too)": {"city": "450103"},
    "province + occupation + level": {"city": "450000", "occupation": "3-02-02-00", "level": "3"},
    "level 1, all statuses": {"level": "1", "status": "all"},
    "scope city + 保安员": {"scope": "city", "occupation": "4-07-05-01"},
    "text: part of a name": {"q": "鼎盛"},
    "text: institution code": {"q": "Y45010000"},
    "removed only": {"status": "removed"},
}


def populate(count: int) -> None:
    from django.utils import timezone

    from agencies.models import (
        Call,
        CallVersion,
        DirectoryEntry,
        DirectoryOccupation,
        DirectoryStatusChange,
        Occupation,
        Organisation,
        Scope,
        Workflow,
    )
    from filings.models import Application, State
    from portal.models import Region, Role, User

    regions = list(Region.objects.exclude(level=Region.Level.PROVINCE).order_by("code"))
    occupations = {o.code: o for o in Occupation.objects.all()}
    clerk = User.objects.create(username="bench-clerk", role=Role.CENTRE)
    province = Region.objects.get(code="450000")
    call = Call.objects.create(code="bench-directory", province=province)
    today = timezone.localdate()
    version = CallVersion.objects.create(
        call=call,
        number=1,
        title="保卫管理员职业技能等级认定评价机构征集",
        issuer="人力资源和社会保障厅",
        workflow=Workflow.CITY_FIRST,
        opens_on=today,
        closes_on=today,
        published_at=timezone.now(),
    )
    words = ["鼎盛", "安盾", "护航", "卫安", "金盾", "平安", "华安", "远航", "恒信", "启航"]
    kinds = ["职业技能培训学校", "保安服务有限公司", "职业培训中心", "保安协会", "技工学校"]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{regions[i % len(regions)].name}{words[i % 10]}{kinds[(i // 10) % 5]}{i:05d}",
            uscc=f"9{regions[i % len(regions)].code}MA{i:08d}X"[:18],
            region=regions[i % len(regions)],
            nature=Organisation.Nature.ENTERPRISE,
            legal_representative="张三",
            contact_name="李四",
            contact_phone="0771-5551234",
        )
        for i in range(count)
    )
    applications = Application.objects.bulk_create(
        Application(
            organisation=organisation,
            region=organisation.region,
            call=call,
            call_version=version,
            reference=f"BENCH-DIR-{i:06d}",
            state=State.FILED,
            created_by=clerk,
            submitted_at=timezone.now(),
        )
        for i, organisation in enumerate(organisations)
    )
    statuses = ["active"] * 90 + ["suspended"] * 6 + ["removed"] * 4
    scopes = [Scope.CITY, Scope.CITY, Scope.REGION, Scope.COUNTY]
    filed = dt.date(2021, 1, 4)
    entries = DirectoryEntry.objects.bulk_create(
        DirectoryEntry(
            organisation=application.organisation,
            region=application.region,
            name=application.organisation.name,
            region_code=application.region.code,
            scope=scopes[i % 4],
            institution_code=f"Y{application.region.code}{i:05d}",
            status=statuses[(i * 7) % 100],
            filed_on=filed + dt.timedelta(days=i % 900),
            status_changed_on=filed + dt.timedelta(days=i % 900 + (0 if statuses[(i * 7) % 100] == "active" else 200)),
        )
        for i, application in enumerate(applications)
    )
    # 1 to 5 (occupation, level) pairs, 3 on average, drawn from the levels each occupation offers.
    catalogue = [(occupations[code], level) for code in occupations for level in sorted(occupations[code].levels)]
    rows, history = [], []
    for i, entry in enumerate(entries):
        pairs = {catalogue[(i * 13 + k * 7) % len(catalogue)] for k in range(1 + i % 5)}
        rows += [DirectoryOccupation(entry=entry, occupation=occupation, level=level) for occupation, level in pairs]
        history.append(DirectoryStatusChange(entry=entry, status="active", changed_on=entry.filed_on, reason="备案。"))
        if entry.status != "active":
            history.append(
                DirectoryStatusChange(
                    entry=entry, status=entry.status, changed_on=entry.status_changed_on, reason="违规"
                )
            )
    for application, entry in zip(applications, entries, strict=True):
        application.directory_entry = entry
    Application.objects.bulk_update(applications, ["directory_entry"], batch_size=2000)
    DirectoryOccupation.objects.bulk_create(rows, batch_size=2000)
    DirectoryStatusChange.objects.bulk_create(history, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--agencies", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--keep-connection",
        action="store_true",
        help="persistent database connections (CONN_MAX_AGE=600) instead of the settings' one per request",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-directory-")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "True"
    # What is timed is the view and its SQL: neither the public pages' cache nor the look-up limit (120 a minute
    # by default: the runs would be refused with 429) stands in front of it, unless asked for.
    os.environ.setdefault("PUBLIC_CACHE_SECONDS", "0")
    os.environ.setdefault("PUBLIC_LOOKUP_LIMIT", "1000000")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agencies.models import DirectoryEntry, DirectoryOccupation

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    populate(args.agencies)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if args.keep_connection:
        connection.settings_dict["CONN_MAX_AGE"] = 600
        connection.close()
    print(
        f"{DirectoryEntry.objects.count():,} agencies, {DirectoryOccupation.objects.count():,} approvals "
        f"in {connection.vendor}, CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}"
    )
    client = Client()
    print(f"{'case':34} {'page ms':>8} {'queries':>7}   {'API ms':>7} {'queries':>7} {'matches':>7}")
    worst = 0.0
    for name, params in CASES.items():
        line = f"{name:34}"
        for url in ("/directory/", "/api/v1/directory/"):
            for _ in range(3):
                client.get(url, params)
            timings = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, params, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
            median = statistics.median(timings)
            worst = max(worst, median)
            if url.startswith("/api/"):
                line += f"   {median:7.1f} {len(queries.captured_queries):7d} {response.json()['count']:7d}"
            else:
                line += f" {median:8.1f} {len(queries.captured_queries):7d}"
        print(line)
    print(f"slowest median {worst:.1f} ms; target < {TARGET_MS} ms: {'met' if worst < TARGET_MS else 'NOT MET'}")


if __name__ == "__main__":
    main()
