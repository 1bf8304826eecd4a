"""Scale-out check (issue 16 item 5): two gunicorn instances, two Celery workers and one beat against one
PostgreSQL and one Redis, all on loopback — the same answers everywhere and every piece of work done once.

    .venv/bin/python -m bench.load.scaleout --postgres postgres://portal:portal@127.0.0.1:5432/portal_scale_out \
        --redis redis://127.0.0.1:6379/12 --broker redis://127.0.0.1:6379/13

The database is a throwaway one: every table is dropped, the migrations applied and the demo seeded (about two
minutes); the two Redis databases are emptied. Then it serves the portal twice (instance A and B, gunicorn, DEBUG
off, sessions, cache and rate limits in Redis), starts two Celery workers (separate processes, one queue) and one
beat, and checks:

- a session signed in on A is signed in on B (and an official's on both); the public rate limit counts the
  requests of both instances together;
- the same pages answer the same on A and B (the per-response CSRF token and CSP nonce aside);
- work asked through both instances at once, and each task queued twice more, is done once: the filing receipts
  (one PDF per filed agency), a certificate batch (issued from A and B at the same moment, rendered once), a
  quarterly report (regenerated from A and B at once), the scheduled generation of the reports due (run by both
  workers at once: one report per jurisdiction, one reminder per official), the certificate verification log
  (every verification written once by beat's flushes), and every periodic task sent by beat run once.

It prints a table and exits 1 on any double or missing work. Bounded: about four minutes with the seeding.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load.run import _create_database, _free_port, _session_cookie  # noqa: E402

PASSWORD = "Portal-demo-2026"
CANDIDATES = 6
VERIFICATIONS = 10  # per instance
LIMIT = 40  # the public look-up limit the two instances share


@dataclass
class Row:
    work: str
    asked: str
    expected: int
    found: int
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.found


# ---------------------------------------------------------------- processes


def _spawn(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def _wait(condition, what: str, timeout: float = 120.0, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise RuntimeError(f"timed out waiting for {what}")


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------- HTTP helpers


def _token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise RuntimeError(f"no CSRF token in the page: {page[:2000]}")
    return match.group(1)


def _sign_in(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/", timeout=30).text
    answer = browser.post(
        f"{base}/accounts/login/",
        {"csrfmiddlewaretoken": _token(page), "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, (username, answer.status_code)
    return browser


def _normalised(text: str) -> str:
    """A page without what differs per response: CSRF tokens, CSP nonces, the captcha's key and image."""
    text = re.sub(r'(csrfmiddlewaretoken" value=")[^"]+', r"\1-", text)
    text = re.sub(r'(nonce=")[^"]+', r"\1-", text)
    text = re.sub(r'(name="csrf-token" content=")[^"]+', r"\1-", text)
    return re.sub(r"captcha/image/[0-9a-f]+", "captcha/image/-", text)


def _at_once(calls) -> list:
    """Run the calls in threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# ---------------------------------------------------------------- the run


def _filed_agencies(count: int) -> None:
    """``count`` more filed agencies in the directory (bench.directory_search), each with its institution code,
    filed version and receipt: as bench.load.populate makes them, beside the demo's."""
    import secrets

    from django.utils import timezone

    from bench.directory_search import populate
    from filings.examples import sample_application_data
    from filings.models import Application, ApplicationVersion, InstitutionCode, Receipt
    from portal.models import User

    populate(count)
    now = timezone.now()
    filed = list(
        Application.objects.filter(state="filed", call__code="bench-directory").select_related(
            "organisation", "directory_entry"
        )
    )
    InstitutionCode.objects.bulk_create(
        InstitutionCode(code=a.directory_entry.institution_code, application=a, provisional=False) for a in filed
    )
    clerk = User.objects.get(username="bench-clerk")
    data = sample_application_data(filed[0].organisation, occupations=[("3-02-02-00", "保卫管理员", 3)])
    ApplicationVersion.objects.bulk_create(
        ApplicationVersion(
            application=a,
            number=1,
            call_version_id=a.call_version_id,
            data={**data, "basic": {**data["basic"], "name": a.organisation.name}},
            commitment_name="张三",
            commitment_at=now,
            submitted_by=clerk,
        )
        for a in filed
    )
    Receipt.objects.bulk_create(
        Receipt(application=a, version_number=1, number=f"GXBA{a.pk:08d}", token=secrets.token_urlsafe(24))
        for a in filed
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True, help="URL of a throwaway PostgreSQL database (dropped!)")
    parser.add_argument("--redis", required=True, help="REDIS_URL (cache, sessions, limits): a database emptied")
    parser.add_argument("--broker", required=True, help="CELERY_BROKER_URL: a Redis database emptied")
    parser.add_argument("--timeout", type=int, default=180, help="seconds to wait for the work")
    parser.add_argument("--reuse", action="store_true", help="keep a database this script seeded before")
    parser.add_argument("--agencies", type=int, default=30, help="filed agencies added to the demo's (receipts)")
    args = parser.parse_args()
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="scaleout-"))
    media, static, logs = work / "media", work / "static", work / "logs"
    logs.mkdir()
    secret = "scaleout-" + os.urandom(16).hex()
    env = {
        **os.environ,
        "DATABASE_URL": args.postgres,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_STATIC_ROOT": str(static),
        "DJANGO_LOG_LEVEL": "INFO",
        "DJANGO_DEBUG": "True",
    }
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "DATABASE_REPLICA_URL"):
        env.pop(name, None)

    _create_database(args.postgres)
    import psycopg

    commands = [["collectstatic", "--no-input", "-v", "0"]]
    if not args.reuse:
        print(f"== database {args.postgres.rsplit('/', 1)[1]}: dropped, migrated, demo seeded", flush=True)
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        commands[:0] = [["migrate", "--verbosity", "0"], ["seed_demo"]]
    for command in commands:  # static files collected as served: DEBUG off (the manifest storage)
        debug = {"DJANGO_DEBUG": "False"} if command[0] == "collectstatic" else {}
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env={**env, **debug}, check=True, capture_output=True
        )
    import redis

    for url in (args.redis, args.broker):
        redis.Redis.from_url(url).flushdb()

    # Served and worked the production way; the driver shares the secret, the database, Redis and the broker.
    served = {
        **env,
        "REDIS_URL": args.redis,
        "CELERY_BROKER_URL": args.broker,
        "VERIFICATION_LOG_FLUSH_SECONDS": "2",
        "PUBLIC_LOOKUP_LIMIT": str(LIMIT),
        "CERTIFICATE_VERIFY_LIMIT": "1000000",
        "TRUSTED_PROXY_COUNT": "1",  # the client is the last X-Forwarded-For entry (a proxy in front)
        "CERTIFICATE_ID_KEY": "00112233445566778899aabbccddeeff",
    }
    os.environ.update({k: v for k, v in served.items() if k != "PYTHONPATH"})
    import django

    django.setup()
    from django.db import connection

    from agencies.models import DirectoryEntry
    from certificates.models import Certificate, Session, Verification
    from filings.models import Receipt
    from portal.models import AuditEvent, Notification, User
    from reports.models import Report, ReportVersion
    from reports.periods import Period, due_periods

    if not User.objects.filter(username="bench-clerk").exists():  # filed agencies beside the demo's, once
        _filed_agencies(args.agencies)
    # ---- the work, prepared: every receipt pending again (its PDF gone), an approved session to issue, the
    # reports due at a date chosen so that one period is due and none of its reports exist.
    Receipt.objects.update(status=Receipt.Status.PENDING, pdf="", rendered_at=None, queued_at=None)
    shutil.rmtree(media / "receipts", ignore_errors=True)
    receipts = list(Receipt.objects.values_list("pk", flat=True))
    weian = User.objects.get(username="agency_weian")
    entry = DirectoryEntry.objects.get(organisation=weian.organisation)
    from tests.certificates.factories import candidates, id_number, session_of

    session = session_of(entry, weian, days_ago=3)
    first = 1000 + Session.objects.count() * CANDIDATES  # new people on every run (one certificate per level)
    candidates(session, [(f"扩容考生{n}", id_number(first + n)) for n in range(CANDIDATES)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    centre = User.objects.get(username="centre")
    quarter = Period.quarter_of(dt.date.today())
    due_day, due = None, None
    for back in range(1, 9):  # a past quarter whose reports the demo did not open
        candidate = Period.quarter_of(dt.date.today() - dt.timedelta(days=92 * back))
        if not Report.objects.filter(year=candidate.year, quarter=candidate.quarter).exists():
            due = candidate
            due_day = candidate.due() - dt.timedelta(days=1)
            break
    due_codes = {p.code for p in due_periods(due_day, lead_workdays=5)} if due_day else set()
    versions_before = ReportVersion.objects.filter(
        report__region=centre.department.region, report__year=quarter.year, report__quarter=quarter.quarter
    ).count()
    audit_before = Counter(AuditEvent.objects.values_list("action", flat=True))
    verifications_before = Verification.objects.count()
    demo_certificate = Certificate.objects.filter(holder_name="陆海涛").order_by("pk").first()
    official_cookie = _session_cookie("centre").split("=", 1)
    connection.close()

    # ---- two instances, two workers, one beat
    processes: list[subprocess.Popen] = []
    ports = [_free_port(), _free_port()]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    web = {
        **served,
        "DJANGO_DEBUG": "False",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_COOKIES": "False",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    gunicorn = str(ROOT / ".venv/bin/gunicorn")
    try:
        for name, port in zip("AB", ports, strict=True):
            command = [gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
            processes.append(_spawn([*command, "--timeout", "60"], web, logs / f"web-{name}.log"))
        worker_logs = [logs / "worker-1.log", logs / "worker-2.log"]
        for n, log in enumerate(worker_logs, start=1):
            command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-n", f"w{n}@%h"]
            processes.append(_spawn([*command, "-l", "INFO", "--without-gossip", "--without-mingle"], web, log))
        beat_log = logs / "beat.log"
        schedule = work / "beat-schedule"
        processes.append(
            _spawn(
                [sys.executable, "-m", "celery", "-A", "portal", "beat", "-l", "INFO", "-s", str(schedule)],
                web,
                beat_log,
            )
        )
        for base in bases:
            _wait(lambda base=base: _up(f"{base}/healthz"), f"gunicorn at {base}")
        for log in worker_logs:
            _wait(lambda log=log: " ready." in log.read_text(errors="replace"), f"the worker of {log.name}")
        a, b = bases
        rows: list[Row] = []
        print(f"== serving A {a} and B {b}; two workers, one beat; logs in {logs}", flush=True)

        # ---- sessions and limits shared
        agency = _sign_in(a, "agency_weian")
        on_b = agency.get(f"{b}/certificates/", allow_redirects=False, timeout=30)
        rows.append(Row("session signed in on A, page on B", "agency_weian", 1, int(on_b.status_code == 200)))
        official = requests.Session()
        official.cookies.set(*official_cookie)
        answers = [official.get(f"{base}/reports/", allow_redirects=False, timeout=30) for base in bases]
        rows.append(Row("official's session on A and B", "centre", 2, sum(r.status_code == 200 for r in answers)))

        # ---- the same pages on both
        token = Receipt.objects.values_list("token", flat=True).first()
        pages = [
            ("/", None),
            ("/directory/", None),
            ("/api/v1/directory/", None),
            (f"/api/v1/receipts/verify/?token={token}", None),
            ("/certificates/verify/", None),
            ("/certificates/", agency),
            ("/reports/", official),
            ("/healthz", None),
        ]
        same = 0
        differing = []
        for path, browser in pages:
            client = browser or requests.Session()
            headers = {"X-Forwarded-For": "10.0.0.1"}
            texts = [_normalised(client.get(f"{base}{path}", headers=headers, timeout=30).text) for base in bases]
            if texts[0] == texts[1]:
                same += 1
            else:
                differing.append(path)
        rows.append(
            Row("pages answering the same on A and B", f"{len(pages)} pages", len(pages), same, ", ".join(differing))
        )

        # ---- work through both instances at once, and each task queued twice more
        from certificates import tasks as certificate_tasks
        from filings import tasks as filing_tasks
        from reports import tasks as report_tasks

        page = agency.get(f"{a}/certificates/sessions/{session.pk}/", timeout=30).text
        issue = {"csrfmiddlewaretoken": _token(page)}
        url = f"/certificates/sessions/{session.pk}/issue/"
        _at_once(
            [
                lambda base=base: agency.post(f"{base}{url}", issue, headers={"Referer": base}, allow_redirects=False)
                for base in bases
            ]
        )
        page = official.get(f"{a}/reports/", timeout=30).text
        generate = {"csrfmiddlewaretoken": _token(page), "year": quarter.year, "quarter": quarter.quarter}
        _at_once(
            [
                lambda base=base: official.post(
                    f"{base}/reports/generate/", generate, headers={"Referer": base}, allow_redirects=False
                )
                for base in bases
            ]
        )
        report = Report.objects.get(region=centre.department.region, year=quarter.year, quarter=quarter.quarter)
        for _ in range(2):
            for pk in receipts:
                filing_tasks.render_receipt.delay(pk)
            certificate_tasks.render_certificates.delay(session.pk)
            report_tasks.generate_report.delay(report.pk, centre.pk)
            if due_day:
                report_tasks.generate_due_reports.delay(due_day.isoformat())
        # Public certificate verifications through both instances (logged through Redis, written by beat).
        given = {"number": demo_certificate.number, "name": demo_certificate.holder_name}
        for _ in range(VERIFICATIONS):
            for base in bases:
                requests.post(f"{base}/api/v1/certificates/verify/", json=given, timeout=30).raise_for_status()
        connection.close()

        def done() -> bool:
            ready = Receipt.objects.filter(status=Receipt.Status.READY).count() == len(receipts)
            rendered = not Certificate.objects.filter(candidate__session=session, pdf="").exists()
            computed = Report.objects.filter(pk=report.pk, status=Report.Status.DRAFT).exists()
            logged = Verification.objects.count() - verifications_before >= 2 * VERIFICATIONS
            queued = redis.Redis.from_url(args.broker).llen("celery")
            connection.close()
            return ready and rendered and computed and logged and queued == 0

        _wait(done, "the work to be done", timeout=args.timeout, every=1)
        time.sleep(4)  # late duplicates would land now
        # Rate limit across instances: alternate A and B from one client address until refused.
        answers = [
            requests.get(f"{bases[n % 2]}/directory/", headers={"X-Forwarded-For": "10.9.9.9"}, timeout=30)
            for n in range(LIMIT + 10)
        ]
        served_ok = sum(r.status_code == 200 for r in answers)
        refused = sum(r.status_code == 429 for r in answers)
        rows.insert(
            2,
            Row(
                "public look-ups allowed, A and B alternating",
                f"{LIMIT + 10} requests",
                LIMIT,
                served_ok,
                f"{refused} refused (429)",
            ),
        )
    finally:
        for process in reversed(processes):
            _stop(process)

    # ---- counting
    worker_text = "\n".join(log.read_text(errors="replace") for log in worker_logs)
    succeeded = re.findall(r"Task ([\w.]+)\[[\w-]+\] succeeded in [\d.]+s: (.*)", worker_text)
    runs = Counter(name for name, _ in succeeded)
    receipt_files = sorted(p.name for p in (media / "receipts").iterdir()) if (media / "receipts").exists() else []
    numbers = sorted(f"{n}.pdf" for n in Receipt.objects.values_list("number", flat=True))
    renders = worker_text.count("receipt rendered:")
    rows.append(
        Row(
            "filing receipts rendered",
            f"{len(receipts)} × 2 tasks",
            len(receipts),
            renders,
            f"{len(receipt_files)} files, {'same names' if receipt_files == numbers else 'NAMES DIFFER'}; "
            f"{runs['filings.tasks.render_receipt']} deliveries",
        )
    )
    rows.append(Row("receipt PDF files", "", len(receipts), len(receipt_files)))
    issued = Certificate.objects.filter(candidate__session=session)
    audit = Counter(AuditEvent.objects.values_list("action", flat=True)) - audit_before
    rows.append(
        Row(
            "certificate batch issued (POST on A and B at once)",
            "2 requests",
            1,
            audit["certificates_issue"],
            f"{issued.count()} certificates",
        )
    )
    folders = {Path(name).parent for name in issued.values_list("pdf", flat=True)}
    mine = tuple(issued.values_list("number", flat=True))  # this batch's files, and any "_x7Yz" copy of one
    files = [p.name for f in folders for p in (media / f).iterdir() if p.name.startswith(mine)] if mine else []
    rendered = sum(int(v) for name, v in succeeded if name == "certificates.tasks.render_certificates" and v.isdigit())
    rows.append(
        Row(
            "certificate PDFs rendered",
            "issue + 2 × render task",
            CANDIDATES,
            rendered,
            f"{len(files)} files; {runs['certificates.tasks.render_certificates']} deliveries",
        )
    )
    rows.append(Row("certificate PDF files", "", CANDIDATES, len(files)))
    versions = ReportVersion.objects.filter(report=report).count() - versions_before
    rows.append(
        Row(
            "quarterly report computed (POST on A and B at once)",
            "2 requests + 2 tasks",
            1,
            versions,
            f"{runs['reports.tasks.generate_report']} deliveries (all reports); "
            f"{audit['report_generate']} requests audited",
        )
    )
    if due:
        opened = Report.objects.filter(year=due.year, quarter=due.quarter)
        regions = opened.values_list("region", flat=True)
        per_region = Counter(regions)
        rows.append(
            Row(
                f"due reports opened ({due.label}), two workers at once",
                "2 tasks",
                len(set(regions)),
                sum(per_region.values()),
                f"periods due: {', '.join(sorted(due_codes))}",
            )
        )
        from django.urls import reverse

        links = [reverse("reports:detail", args=[pk]) for pk in opened.values_list("pk", flat=True)]
        reminders = Counter(Notification.objects.filter(link__in=links).values_list("recipient", "link"))
        rows.append(
            Row(
                "reminders of the due reports, per official and report",
                "",
                len(reminders),
                sum(reminders.values()),
                f"{len({user for user, _ in reminders})} officials",
            )
        )
    written = Verification.objects.count() - verifications_before
    rows.append(
        Row(
            "certificate verifications logged",
            f"{VERIFICATIONS} on A + {VERIFICATIONS} on B",
            2 * VERIFICATIONS,
            written,
            f"{runs['certificates.tasks.verification_log_flush']} flushes",
        )
    )
    sent = Counter(re.findall(r"Sending due task [\w-]+ \(([\w.]+)\)", beat_log.read_text(errors="replace")))
    ran = sum(min(runs[name], count) for name, count in sent.items())
    rows.append(
        Row(
            "periodic tasks sent by beat, each run once",
            ", ".join(f"{n.rsplit('.', 1)[1]} ×{c}" for n, c in sent.items()),
            sum(sent.values()),
            sum(runs[name] for name in sent),
            f"{ran} matched",
        )
    )
    both = all(re.search(r"succeeded in", log.read_text(errors="replace")) for log in worker_logs)
    rows.append(
        Row(
            "both workers took work",
            "",
            2,
            sum(bool(re.search(r"succeeded in", log.read_text(errors="replace"))) for log in worker_logs),
        )
    )

    width = max(len(r.work) for r in rows)
    print(f"\n| {'check'.ljust(width)} | asked | expected | found | ok | note |")
    print(f"|{'-' * (width + 2)}|---|---:|---:|---|---|")
    for r in rows:
        print(
            f"| {r.work.ljust(width)} | {r.asked} | {r.expected} | {r.found} | {'yes' if r.ok else 'NO'} | {r.note} |"
        )
    print(
        f"\n{time.monotonic() - started:.0f} s; logs in {logs}; load average {Path('/proc/loadavg').read_text()[:14]}"
    )
    if not both or not all(r.ok for r in rows):
        sys.exit(1)
    with contextlib.suppress(OSError):
        shutil.rmtree(media)


if __name__ == "__main__":
    main()
