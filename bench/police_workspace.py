"""Benchmark: the police jurisdiction workspace with 2,000 filed agencies and 50,000 evaluation plans.

Target (supervision issue): each tab of ``/supervision/jurisdiction/`` in < 100 ms server time (median), with a
number of SQL queries that does not depend on the amount of data (``tests/supervision/test_workspace_queries.py``
checks that at two sizes). Run:

    .venv/bin/python bench/police_workspace.py  [--postgres URL] [--agencies 2000] [--plans 50000] [--runs 20]

It builds a throwaway database (SQLite in a temporary folder by default; ``--postgres`` for an empty, disposable
PostgreSQL database) through the migrations, writes straight into the tables (bulk_create): organisations and
their directory entries with approved occupations, police registrations (the registered city and other cities),
plans spread over Guangxi's 14 cities, every status and two and a half years of exam days, and the cross-region
reports of the plans outside the agency's own city. Then, for the police of 南宁 (450100) and of the province
(450000), every tab of the workspace is timed:

1. in-process with Django's test client (routing, the gate, the SQL, the template; no network): median and p90
   of ``--runs`` requests after three warm-ups, and the SQL queries of one request. A tab slower than the target
   gets its slowest query printed with PostgreSQL's ``EXPLAIN (ANALYZE, BUFFERS)`` (``--explain`` for every tab).
2. on PostgreSQL, the production path: the same database served by gunicorn (``portal.wsgi``, 2 workers,
   ``DJANGO_DEBUG=False``) and requested over HTTP by ``--concurrency`` client threads (16) for ``--duration``
   seconds per case, with a signed-in session cookie. Each case is followed by the same burst on ``/healthz``
   with the same cookie, the floor: the project has no bare view, and /healthz is the nearest one — the
   middleware, the session (loaded and saved on every request, SESSION_SAVE_EVERY_REQUEST), a connection and
   ``SELECT 1``. ``--conn-max-age 0,60`` serves once per value (0 is the settings' default: one connection
   per request). ``--no-gunicorn`` skips this part.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 100
TABS = ("agencies", "registrations", "upcoming", "past", "flagged")
SECRET_KEY = "bench-police-workspace-secret-key-not-for-production-0123456789"
USERS = {"南宁 police": "bench_police_nanning", "provincial police": "bench_police_guangxi"}


def populate(agencies: int, plans: int) -> None:
    from django.utils import timezone

    from agencies.models import DirectoryEntry, DirectoryOccupation, Occupation, Organisation, Scope
    from portal.models import Department, Region, Role, User
    from supervision.models import CrossRegionReport, Plan, PoliceRegistration

    province = Region.objects.get(code="450000")
    cities = list(Region.objects.filter(parent=province, level=Region.Level.CITY).order_by("code"))
    assert len(cities) == 14, cities
    manager = Occupation.objects.get(code="3-02-02-00")
    guard = Occupation.objects.get(code="4-07-05-01")
    police = Department.Kind.PUBLIC_SECURITY
    for username, name, region in (
        ("bench_police_nanning", "南宁市公安局（基准）", cities[0]),
        ("bench_police_guangxi", "广西壮族自治区公安厅（基准）", province),
    ):
        department = Department.objects.create(name=name, kind=police, region=region)
        User.objects.create(username=username, role=Role.POLICE, department=department, last_name="警")
    hr = {
        city.pk: Department.objects.create(
            name=f"{city.name}人力资源和社会保障局（基准）", kind="hr_bureau", region=city
        )
        for city in cities
    }
    agency_user = User.objects.create(username="bench_agency", role=Role.AGENCY, last_name="机")

    words = ["鼎盛", "安盾", "护航", "卫安", "金盾", "平安", "华安", "远航", "恒信", "启航"]
    kinds = ["职业技能培训学校", "保安服务有限公司", "职业培训中心", "保安协会", "技工学校"]
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(
                name=f"{cities[i % 14].name}{words[i % 10]}{kinds[(i // 10) % 5]}{i:05d}",
                uscc=f"9{cities[i % 14].code}MA{i:08d}X"[:18],
                region=cities[i % 14],
                nature=Organisation.Nature.ENTERPRISE,
                legal_representative="张三",
                contact_name="李四",
                contact_phone="0771-5551234",
            )
            for i in range(agencies)
        ),
        batch_size=2000,
    )
    statuses = ["active"] * 90 + ["suspended"] * 6 + ["removed"] * 4
    filed = dt.date(2021, 1, 4)
    entries = DirectoryEntry.objects.bulk_create(
        (
            DirectoryEntry(
                organisation=organisation,
                region=organisation.region,
                name=organisation.name,
                region_code=organisation.region.code,
                scope=Scope.REGION if i % 4 else Scope.CITY,
                institution_code=f"Y{organisation.region.code}{i:05d}",
                status=statuses[(i * 7) % 100],
                filed_on=filed + dt.timedelta(days=i % 900),
                status_changed_on=filed + dt.timedelta(days=i % 900),
            )
            for i, organisation in enumerate(organisations)
        ),
        batch_size=2000,
    )
    approvals = [
        DirectoryOccupation(entry=entry, occupation=manager, level=level) for entry in entries for level in (3, 2)
    ]
    approvals += [DirectoryOccupation(entry=entry, occupation=guard, level=4) for entry in entries[::2]]
    DirectoryOccupation.objects.bulk_create(approvals, batch_size=5000)

    # Registrations: 85 % have one with the police of their own city (70 % confirmed, 20 % awaiting, 10 %
    # returned), and every third agency one more in the next city, where it evaluates too.
    now = timezone.now()
    registration_status = ["confirmed"] * 7 + ["submitted"] * 2 + ["returned"]
    registrations = []
    for i, entry in enumerate(entries):
        places = []
        if i % 20 >= 3:
            places.append((entry.region, True))
        if i % 3 == 0:
            places.append((cities[(cities.index(entry.region) + 1) % 14], False))
        for k, (city, home) in enumerate(places):
            registrations.append(
                PoliceRegistration(
                    entry=entry,
                    city=city,
                    home=home,
                    responsible="王五",
                    phone="0771-5550000",
                    sites=f"{city.name}某某路{i}号",
                    status=registration_status[(i + k) % 10],
                    submitted_at=now - dt.timedelta(days=(i * 13 + k) % 700, minutes=i % 1440),
                )
            )
    PoliceRegistration.objects.bulk_create(registrations, batch_size=5000)

    # Plans: 70 % in the agency's own city, 30 % in the next one (cross-region); announced half of the time;
    # exam days from two years back to half a year ahead.
    today = timezone.localdate()
    plan_status = (
        ["announced"] * 10 + ["draft"] * 2 + ["awaiting_consent"] * 2 + ["refused"] + ["ready"] * 2 + ["withdrawn"] * 3
    )
    batch, reports = [], []
    report_status = {
        "awaiting_consent": "pending",
        "refused": "refused",
        "ready": "consented",
        "announced": "consented",
    }
    for i in range(plans):
        entry = entries[(i * 7) % len(entries)]
        cross = i % 10 >= 7
        city = cities[(cities.index(entry.region) + 1) % 14] if cross else entry.region
        status = plan_status[i % len(plan_status)]
        first_day = today + dt.timedelta(days=180 - (i * 31) % 910)
        batch.append(
            Plan(
                entry=entry,
                city=city,
                occupation=manager if i % 3 else guard,
                level=3 if i % 3 else 4,
                first_day=first_day,
                last_day=first_day + dt.timedelta(days=1),
                venue=f"{city.name}考点{i % 50}",
                venue_address=f"{city.name}民族大道{i % 300}号",
                expected_candidates=20 + i % 80,
                examiners=["黄建华", "韦海燕", "李秀兰"],
                supervisor="潘国庆",
                fee="380.00",
                notes="保卫管理员认定，理论知识考试与操作技能考核。",
                status=status,
                created_by=agency_user,
                created=now - dt.timedelta(days=200),
                announced_at=now if status == "announced" else None,
            )
        )
        if cross and status in report_status:
            reports.append((i, city, report_status[status], first_day))
    created = Plan.objects.bulk_create(batch, batch_size=5000)
    CrossRegionReport.objects.bulk_create(
        (
            CrossRegionReport(
                plan=created[i],
                department=hr[city.pk],
                status=status,
                deadline=first_day - dt.timedelta(days=20),
                decided_at=None if status == "pending" else now,
                reasons="场地不符合要求。" if status == "refused" else "",
            )
            for i, city, status, first_day in reports
        ),
        batch_size=5000,
    )


# ---------------------------------------------------------------- in-process


def measure_in_process(args, connection) -> list[dict]:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.models import User
    from supervision.views.plans import _tab_rows

    results = []
    for who, username in USERS.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for tab in TABS:
            url = f"/supervision/jurisdiction/?tab={tab}"
            for _ in range(3):
                client.get(url)
            timings = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            results.append(
                {
                    "who": who,
                    "tab": tab,
                    "median": statistics.median(timings),
                    "p90": statistics.quantiles(timings, n=10)[-1],
                    "queries": list(queries.captured_queries),
                    "rows": _tab_rows(user, tab).count(),
                }
            )
    return results


def explain(connection, sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def report_in_process(args, connection, results: list[dict]) -> None:
    print(f"\nin-process (Django test client), {args.runs} requests after 3 warm-ups")
    print(f"{'user':18} {'tab':14} {'median ms':>9} {'p90 ms':>7} {'queries':>7} {'SQL ms':>7} {'rows':>7}")
    for r in results:
        sql_ms = sum(float(q["time"]) for q in r["queries"]) * 1000
        print(
            f"{r['who']:18} {r['tab']:14} {r['median']:9.1f} {r['p90']:7.1f} {len(r['queries']):7d} "
            f"{sql_ms:7.1f} {r['rows']:7,d}"
        )
    for r in results:
        if r["median"] < TARGET_MS and not args.explain:
            continue
        selects = [q for q in r["queries"] if q["sql"].lstrip().upper().startswith("SELECT")]
        slowest = sorted(selects, key=lambda q: float(q["time"]), reverse=True)[:3]
        print(f"\n--- {r['who']}, tab {r['tab']}: median {r['median']:.1f} ms; slowest queries:")
        for q in slowest:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}{' …' if len(q['sql']) > 300 else ''}")
        if connection.vendor == "postgresql":
            print("EXPLAIN (ANALYZE, BUFFERS) of the slowest:")
            print(explain(connection, slowest[0]["sql"]))


# ---------------------------------------------------------------- the production path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_conn_max_age(url: str, seconds: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "conn_max_age"]
    if seconds:
        query.append(("conn_max_age", str(seconds)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def server_env(database_url: str, static_root: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_"))
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="False",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback: the TLS redirect belongs to the proxy in front of gunicorn.
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def burst(port: int, path: str, cookie: str, concurrency: int, duration: float) -> dict:
    """``concurrency`` threads requesting ``path`` back to back for ``duration`` seconds, one connection each
    request (gunicorn's sync workers close it after the response)."""
    stop = time.perf_counter() + duration
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        mine, failed = [], []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    failed.append(str(response.status))
                    continue
            except OSError as error:
                failed.append(type(error).__name__)
                continue
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            timings.extend(mine)
            errors.extend(failed)

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "n": len(timings),
        "median": statistics.median(timings) if timings else float("nan"),
        "p90": statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else float("nan"),
        "rps": len(timings) / wall,
        "errors": errors,
    }


def measure_gunicorn(args, database_url: str, cookies: dict[str, str], workdir: str) -> None:
    static_root = os.path.join(workdir, "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=server_env(database_url, static_root),
        check=True,
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    for conn_max_age in args.conn_max_age:
        port = free_port()
        env = server_env(with_conn_max_age(database_url, conn_max_age), static_root)
        server = subprocess.Popen(
            [
                gunicorn,
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--control-socket",  # gunicorn 25+; else it is made in ~/.gunicorn
                os.path.join(workdir, "gunicorn.ctl"),
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            deadline = time.time() + 30
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start")
                time.sleep(0.3)
            for concurrency in args.concurrency:
                print(
                    f"\ngunicorn, 2 sync workers, CONN_MAX_AGE={conn_max_age}, {concurrency} concurrent clients, "
                    f"{args.duration:g} s per burst; client-side latency, then the same burst on /healthz"
                )
                print(
                    f"{'user':18} {'tab':14} {'median ms':>9} {'p90 ms':>7} {'req/s':>6} "
                    f"{'floor median':>12} {'floor p90':>9} {'floor req/s':>11} {'× floor':>7} {'errors':>6}"
                )
                for who, cookie in cookies.items():
                    for tab in TABS:
                        burst(port, f"/supervision/jurisdiction/?tab={tab}", cookie, concurrency, 1)  # warm-up
                        page = burst(port, f"/supervision/jurisdiction/?tab={tab}", cookie, concurrency, args.duration)
                        floor = burst(port, "/healthz", cookie, concurrency, args.duration)
                        errors = len(page["errors"]) + len(floor["errors"])
                        print(
                            f"{who:18} {tab:14} {page['median']:9.1f} {page['p90']:7.1f} {page['rps']:6.1f} "
                            f"{floor['median']:12.1f} {floor['p90']:9.1f} {floor['rps']:11.1f} "
                            f"{page['median'] / floor['median']:7.1f} {errors:6d}"
                        )
                        if errors:
                            print(f"  errors: {sorted(set(page['errors'] + floor['errors']))}")
        finally:
            server.terminate()
            server.wait(timeout=30)


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--agencies", type=int, default=2_000)
    parser.add_argument("--plans", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20, help="in-process requests per tab")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of every tab")
    parser.add_argument("--no-gunicorn", action="store_true", help="skip the production path")
    parser.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[16])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per burst on the production path")
    parser.add_argument(
        "--conn-max-age",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[0],
        help="CONN_MAX_AGE values for gunicorn (comma-separated; 0 = the settings' default)",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-workspace-")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "True"
    # The same key as the gunicorn server's, so that the sessions made here are valid there.
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from agencies.models import DirectoryEntry
    from portal.models import User
    from supervision.models import CrossRegionReport, Plan, PoliceRegistration

    settings.ALLOWED_HOSTS = ["testserver"]
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    populate(args.agencies, args.plans)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{DirectoryEntry.objects.count():,} agencies, {PoliceRegistration.objects.count():,} registrations, "
        f"{Plan.objects.count():,} plans, {CrossRegionReport.objects.count():,} cross-region reports "
        f"in {connection.vendor} (built in {time.perf_counter() - start:.0f} s)"
    )
    results = measure_in_process(args, connection)
    report_in_process(args, connection, results)
    worst = max(r["median"] for r in results)
    verdict = "met" if worst < TARGET_MS else "NOT MET"
    print(f"\nslowest in-process median {worst:.1f} ms; target < {TARGET_MS} ms: {verdict}")

    if args.no_gunicorn:
        return
    if connection.vendor != "postgresql":
        print("production path skipped: it needs --postgres")
        return
    cookies = {}
    for who, username in USERS.items():
        client = Client()
        client.force_login(User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend")
        cookies[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
    connection.close()
    measure_gunicorn(args, args.postgres, cookies, workdir)


if __name__ == "__main__":
    main()
