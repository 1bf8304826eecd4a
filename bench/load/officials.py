"""Server time of every page an official lists things on, in-process, on the load harness's database (issue 16).

    .venv/bin/python -m bench.load.officials --postgres postgres://portal:portal@127.0.0.1:5432/portal_load \
        [--runs 7] [--only TEXT] [--explain] [--profile] [--label TEXT] [--json PATH]

Run after ``bench.load.run`` has populated the database. Signs in (test client, second step passed) as the
harness's officials — 南宁's HR bureau (``load-city``) and the province's centre (``load-centre``), plus a
police officer of 南宁 (``load-police``) and an expert (``load-expert``), created here when missing — and
requests each of their queues, lists and the selection page: two warm-up requests, then ``--runs`` timed ones
(DEBUG off, cached templates, sessions in the database, no Redis). Prints per page the median server time, the
median and the least CPU time of the process (the least is what a busy machine inflates least), the SQL queries
of one request and its slowest query; ``--explain`` adds that query's ``EXPLAIN (ANALYZE, BUFFERS)``.
Writes the table (with the load average before and after) to ``bench/out/officials-<time>[-<label>].md``
(``--label``, e.g. the size of the data set, names runs to compare), and with ``--json`` the same rows as JSON
(``bench.load.run --officials`` reads them for its growth table).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.load.run import ROOT, _official_ready


@dataclass
class Page:
    name: str
    user: str
    url: str


def _users() -> None:
    """The police officer of 南宁 and the expert the harness's populate step does not create."""
    from portal.models import Department, Region, Role, User

    nanning = Region.objects.get(code="450100")
    police, _created = Department.objects.get_or_create(
        name="南宁市公安局", defaults={"kind": Department.Kind.PUBLIC_SECURITY, "region": nanning}
    )
    User.objects.get_or_create(
        username="load-police", defaults={"role": Role.POLICE, "department": police, "is_active": True}
    )
    User.objects.get_or_create(username="load-expert", defaults={"role": Role.EXPERT, "is_active": True})


def _pages() -> list[Page]:
    from django.urls import reverse

    from agencies.models import Call

    call = Call.objects.get(code="load-security-manager")
    pages = []
    for user, who in (("load-city", "city 南宁"), ("load-centre", "centre"), ("load-police", "police 南宁")):
        pages += [
            Page(f"{who}: home", user, reverse("home")),
            Page(f"{who}: review queue (default)", user, reverse("filings:queue")),
            Page(f"{who}: review queue, every state", user, reverse("filings:queue") + "?state=all"),
            Page(f"{who}: review queue, last page", user, reverse("filings:queue") + "?state=all&page=99999"),
            Page(f"{who}: review queue, text search", user, reverse("filings:queue") + "?state=all&q=%E9%BC%8E"),
            Page(f"{who}: applications", user, reverse("filings:application_list")),
            Page(f"{who}: applications, last page", user, reverse("filings:application_list") + "?page=99999"),
            Page(f"{who}: organisations", user, reverse("agencies:organisation_list")),
            Page(f"{who}: calls", user, reverse("agencies:call_list")),
            Page(f"{who}: supervision, agencies", user, reverse("supervision:workspace")),
            Page(f"{who}: supervision, registrations", user, reverse("supervision:workspace") + "?tab=registrations"),
            Page(f"{who}: supervision, upcoming", user, reverse("supervision:workspace") + "?tab=upcoming"),
            Page(f"{who}: supervision, past", user, reverse("supervision:workspace") + "?tab=past"),
            Page(f"{who}: supervision, flagged", user, reverse("supervision:workspace") + "?tab=flagged"),
            Page(f"{who}: complaints", user, reverse("supervision:complaints")),
            Page(f"{who}: draws", user, reverse("supervision:draws")),
            Page(f"{who}: results sessions", user, reverse("certificates:session_list")),
            Page(f"{who}: certificate statistics", user, reverse("certificates:statistics")),
            Page(f"{who}: reports", user, reverse("reports:list")),
            Page(f"{who}: inbox", user, reverse("inbox")),
        ]
    pages += [
        Page("city 南宁: police reports", "load-city", reverse("supervision:reports")),
        Page("centre: selection page", "load-centre", reverse("filings:selection", kwargs={"call_pk": call.pk})),
        Page(
            "centre: selection page, last page",
            "load-centre",
            reverse("filings:selection", kwargs={"call_pk": call.pk}) + "?page=99999",
        ),
        Page("centre: notices", "load-centre", reverse("filings:notice_list")),
        Page("expert: home", "load-expert", reverse("home")),
        Page("expert: assessments", "load-expert", reverse("filings:assessments")),
    ]
    return pages + _supervision_pages()


def _supervision_pages() -> list[Page]:
    """Supervision's and results' lists at their largest (last pages, filters) and the pages that list an agency's
    supervision records: its file (inspections, findings, rectifications, sanctions, credit record), a results
    report to review, the session with the most candidates (the harness's certificates: 1,000,000 in one)."""
    from django.db.models import Count
    from django.urls import reverse

    from agencies.models import DirectoryEntry
    from certificates.models import Session
    from supervision.models import Inspection, Rectification, Sanction

    nanning = {"region__code": "450100"}
    entry = (
        DirectoryEntry.objects.filter(**nanning)
        .annotate(n=Count("inspections", distinct=True) + Count("credit_records", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    session = lambda **kw: Session.objects.filter(plan__city__code="450100", **kw).order_by("pk").first()  # noqa: E731
    reported = session(status="reported")
    largest = Session.objects.filter(plan__city__code="450100").annotate(n=Count("candidates")).order_by("-n").first()
    inspection = Inspection.objects.filter(entry__region__code="450100").order_by("pk").first()
    rectification = Rectification.objects.filter(finding__inspection__entry__region__code="450100").first()
    sanction = Sanction.objects.filter(entry__region__code="450100").order_by("pk").first()
    workspace, last = reverse("supervision:workspace"), "&page=99999"
    pages = []
    for user, who in (("load-city", "city 南宁"), ("load-centre", "centre"), ("load-police", "police 南宁")):
        pages += [
            Page(f"{who}: supervision, agencies, last page", user, workspace + "?tab=agencies" + last),
            Page(f"{who}: supervision, registrations, last page", user, workspace + "?tab=registrations" + last),
            Page(f"{who}: supervision, past, last page", user, workspace + "?tab=past" + last),
            Page(f"{who}: complaints, last page", user, reverse("supervision:complaints") + "?page=99999"),
            Page(f"{who}: complaints, overdue", user, reverse("supervision:complaints") + "?status=&overdue=on"),
            Page(f"{who}: results sessions, last page", user, reverse("certificates:session_list") + "?page=99999"),
        ]
    for user, who in (("load-city", "city 南宁"), ("load-centre", "centre")):
        pages += [
            Page(f"{who}: agency file", user, reverse("supervision:agency_file", args=[entry.pk])),
            Page(f"{who}: inspection", user, reverse("supervision:inspection_detail", args=[inspection.pk])),
            Page(f"{who}: rectification", user, reverse("supervision:rectification_detail", args=[rectification.pk])),
            Page(f"{who}: sanction", user, reverse("supervision:sanction_detail", args=[sanction.pk])),
            Page(f"{who}: results report to review", user, reverse("certificates:session_detail", args=[reported.pk])),
            Page(f"{who}: largest session", user, reverse("certificates:session_detail", args=[largest.pk])),
        ]
    return pages


def signed_in_client(username: str):
    """A test client signed in as ``username``, its second step passed when the user is an official (Django set up
    before it is called)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from portal.models import User

    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user)
    if device_id := _official_ready(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device_id
        session.save()
    return client


def _loadavg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="", help="only the pages whose name contains this text (several: |)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", action="store_true", help="add pyinstrument's call tree of each page (5 requests)")
    parser.add_argument("--queries", action="store_true", help="add every SQL query of one request with its time")
    parser.add_argument("--label", default="", help="names the run in the report and its file (e.g. 100000)")
    parser.add_argument("--json", default="", help="also write the rows to this JSON file")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    # The indexes the pages rely on (a database populated before they were added gets them now, as run.py does).
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _users()
    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            clients[username] = signed_in_client(username)
        return clients[username]

    start_load = _loadavg()
    label = f", {args.label}" if args.label else ""
    lines = [
        f"# Officials' pages, server time in-process ({time.strftime('%Y-%m-%d %H:%M')}{label}, "
        f"load average {start_load})",
        "",
        "| page | median ms | CPU ms (Python) | CPU min | SQL | SQL ms | slowest SQL ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    plans, rows = [], []
    for page in [p for p in _pages() if any(part in p.name for part in args.only.split("|"))]:
        client = client_for(page.user)
        for _warm in range(2):
            response = client.get(page.url)
        if response.status_code != 200:
            print(f"{page.name}: {response.status_code}")
            lines.append(f"| {page.name} | {response.status_code} | | |")
            rows.append({"page": page.name, "status": response.status_code})
            continue
        times, cpu = [], []
        for _run in range(args.runs):
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(page.url)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(page.url)
        queries = captured.captured_queries
        slowest = max(queries, key=lambda q: float(q["time"])) if queries else None
        slowest_ms = float(slowest["time"]) * 1000 if slowest else 0.0
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        median, median_cpu, least_cpu = statistics.median(times), statistics.median(cpu), min(cpu)
        print(
            f"{page.name:50} {median:7.1f} ms  CPU {median_cpu:6.1f} (min {least_cpu:5.1f})  {len(queries):3} SQL"
            f"  {sql_ms:6.1f} ms"
            f"  slowest {slowest_ms:6.1f} ms",
            flush=True,
        )
        lines.append(
            f"| {page.name} | {median:.1f} | {median_cpu:.1f} | {least_cpu:.1f} | {len(queries)} | {sql_ms:.1f} "
            f"| {slowest_ms:.1f} |"
        )
        rows.append(
            {
                "page": page.name,
                "status": 200,
                "ms": round(median, 1),
                "cpu_ms": round(median_cpu, 1),
                "cpu_min_ms": round(least_cpu, 1),
                "sql": len(queries),
                "sql_ms": round(sql_ms, 1),
                "slowest_ms": round(slowest_ms, 1),
            }
        )
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            with profiler:
                for _run in range(5):
                    client.get(page.url)
            tree = profiler.output_text(unicode=True, color=False, show_all=False)
            plans += [f"## profile: {page.name} — `{page.url}` (5 requests)", "", "```", tree, "```", ""]
        if args.queries:
            plans += [f"## queries: {page.name} — `{page.url}`", ""]
            plans += [f"{n}. {float(q['time']) * 1000:.1f} ms — `{q['sql'][:600]}`" for n, q in enumerate(queries, 1)]
            plans.append("")
        if args.explain and slowest:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            plans += [f"## {page.name} — `{page.url}`", "", "```sql", slowest["sql"][:3000], "```", "", "```", plan]
            plans += ["```", ""]
    lines += ["", f"Load average at the end: {_loadavg()}.", "", *plans]
    out = ROOT / "bench/out"
    out.mkdir(exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    target = out / f"officials-{time.strftime('%Y%m%d-%H%M')}{suffix}.md"
    target.write_text("\n".join(lines))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"label": args.label, "load": [start_load, _loadavg()], "rows": rows}, ensure_ascii=False)
        )
    print(f"load average {start_load} → {_loadavg()}; written to {target}")


if __name__ == "__main__":
    main()
