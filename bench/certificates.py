"""Benchmark: results import, electronic certificates and public verification (issue 12).

Targets: a 10,000-row results workbook checked and imported in < 15 s and < 300 MB peak; a certificate PDF in
< 1 s (median) and 1,000 by one worker in < 5 min; verification with 1,000,000 certificates at p99 < 50 ms
and a throughput of at least 0.6× a bare Django view served the same way in the same run. Run:

    .venv/bin/python bench/certificates.py --postgres postgres://portal:portal@127.0.0.1:5432/bench_certs
        [--rows 10000] [--pdfs 100] [--certificates 1000000] [--duration 10] [--concurrency 8]

It builds a throwaway database through the migrations (``--postgres``: an empty, disposable PostgreSQL
database; without it SQLite, and the 1,000,000 certificates and the gunicorn part are skipped), then:

1. the import: a 10,000-row workbook made from the session's template, checked and imported through
   ``certificates.services.results_import`` in this process; time and the process's peak resident memory
   (``ru_maxrss``, Django included);
2. the PDFs: ``--pdfs`` certificates rendered one after the other by the task's service (one worker), median
   per certificate and the time 1,000 would take at that rate;
3. verification: ``--certificates`` certificates written with SQL (``generate_series``), then ``POST
   /api/v1/certificates/verify/`` in-process (median, p99) and through gunicorn (2 sync workers,
   ``DJANGO_DEBUG=False``) against a bare view behind the same middleware (``bench/bare_wsgi.py``), each
   for ``--duration`` seconds with ``--concurrency`` clients, one connection per request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from police_workspace import free_port, server_env, with_conn_max_age  # noqa: E402

SECRET_KEY = "bench-certificates-secret-key-not-for-production-0123456789abcdef"
HOLDER, HOLDER_ID = "陆海涛", "450102198807152311"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def setup_session(count_hint: int = 0, *, n: int = 1):
    """A filed agency of 南宁, an announced past plan for 保安员 level 5, its session and the agency user."""
    import datetime as dt

    from django.utils import timezone

    from agencies.models import DirectoryEntry, Occupation, Organisation
    from certificates.models import Session
    from portal.models import Region, Role, User
    from supervision.models import Plan

    nanning = Region.objects.get(code="450100")
    organisation = Organisation.objects.create(
        name=f"南宁基准职业技能培训学校{n}",
        uscc=f"52450100MJA7K3Q8X{n}",
        region=nanning,
        nature="school",
        legal_representative="韦",
        contact_name="韦",
    )
    agency = User.objects.create(username=f"bench_agency{n}", role=Role.AGENCY, organisation=organisation)
    today = timezone.localdate()
    entry = DirectoryEntry.objects.create(
        organisation=organisation,
        region=nanning,
        scope="region",
        institution_code=f"S00004500000{n}",
        filed_on=today - dt.timedelta(days=400),
        status_changed_on=today - dt.timedelta(days=400),
    )
    plan = Plan.objects.create(
        entry=entry,
        city=nanning,
        occupation=Occupation.objects.get(code="4-07-05-01"),
        level=5,
        first_day=today - dt.timedelta(days=10),
        last_day=today - dt.timedelta(days=10),
        venue="考场",
        venue_address="南宁",
        expected_candidates=count_hint or 100,
        examiners=["甲", "乙", "丙"],
        supervisor="丁",
        fee="300",
        status=Plan.Status.ANNOUNCED,
        created_by=agency,
    )
    return Session.objects.create(plan=plan, created_by=agency), agency


def bench_import(rows: int) -> None:
    import datetime as dt
    from io import BytesIO

    from openpyxl import load_workbook

    from certificates.idnumbers import check_character
    from certificates.importing import COLUMNS, template_workbook
    from certificates.services import results_import

    session, agency = setup_session(rows)
    book = load_workbook(BytesIO(template_workbook(session)))
    sheet = book.worksheets[0]
    for i in range(rows):
        born = dt.date(1970, 1, 1) + dt.timedelta(days=i // 500)
        first17 = f"450102{born:%Y%m%d}{i % 500:03d}"
        values = {
            "name": f"考生{i}",
            "id_number": first17 + check_character(first17),
            "occupation": "保安员",
            "level": 5,
            "theory_score": 60 + i % 40,
            "skill_score": 55 + i % 45,
        }
        sheet.append([values.get(column.key) for column in COLUMNS])
    buffer = BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    del book, sheet, buffer
    before = rss_mb()
    start = time.perf_counter()
    attempt = results_import(session=session, data=data, filename="bench.xlsx", by=agency)
    elapsed = time.perf_counter() - start
    print(
        f"import: {rows:,} rows ({len(data) / 1e6:.1f} MB workbook) {attempt.status} in {elapsed:.1f} s "
        f"(target < 15 s); process peak RSS {rss_mb():.0f} MB (before the import {before:.0f} MB; target < 300 MB)"
    )


def bench_pdfs(count: int) -> None:
    from django.utils import timezone

    from certificates.models import Candidate, Certificate
    from certificates.pdf import certificate_pdf

    candidates = list(Candidate.objects.order_by("pk")[:count])
    if len(candidates) < count:
        print(f"pdfs: only {len(candidates)} candidates")
    entry = candidates[0].session.plan.entry
    occupation = candidates[0].session.plan.occupation
    certificates = Certificate.objects.bulk_create(
        Certificate(
            number=f"S000045000001265{i + 1:06d}",
            candidate=c,
            entry=entry,
            holder_name=c.name,
            id_hash=c.id_hash,
            id_masked=c.id_masked,
            occupation=occupation,
            level=5,
            issued_on=timezone.localdate(),
        )
        for i, c in enumerate(candidates)
    )
    certificate_pdf(Certificate.objects.get(pk=certificates[0].pk))  # warm-up: fonts
    timings = []
    start = time.perf_counter()
    for certificate in Certificate.objects.select_related("entry__organisation", "occupation").order_by("pk"):
        t0 = time.perf_counter()
        certificate_pdf(certificate)
        timings.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    print(
        f"pdf: {len(timings)} certificates by one worker in {total:.1f} s; median {statistics.median(timings):.2f} s "
        f"(target < 1 s); 1,000 at this rate ≈ {total / len(timings) * 1000 / 60:.1f} min (target < 5 min)"
    )
    Certificate.objects.all().delete()


def populate_certificates(count: int) -> str:
    """``count`` certificates written with SQL, plus the one of ``HOLDER`` whose number is returned."""
    from django.db import connection

    from certificates import crypto
    from certificates.idnumbers import mask_id
    from certificates.models import Candidate, Certificate

    session, _agency = setup_session(n=2)
    plan = session.plan
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO certificates_candidate (session_id, "row", name, id_cipher, id_hash, id_masked, gender,
                work_type, level, guard_card_number, theory_exempt, passed, withheld)
            SELECT %s, i, '考生' || i, '\\x00'::bytea, md5(i::text) || md5('x' || i::text), '4501**********0000',
                'M', '', 5, '', false, true, false
            FROM generate_series(1, %s) AS i
            """,
            [session.pk, count],
        )
        cursor.execute(
            """
            INSERT INTO certificates_certificate (number, candidate_id, entry_id, holder_name, id_hash, id_masked,
                occupation_id, work_type, level, issued_on, status, revoked_reason, pdf)
            SELECT 'B' || lpad(c."row"::text, 21, '0'), c.id, %s, c.name, c.id_hash, c.id_masked, %s, '', 5,
                current_date - (c."row" %% 700), 'valid', '', ''
            FROM certificates_candidate c WHERE c.session_id = %s
            """,
            [plan.entry_id, plan.occupation_id, session.pk],
        )
    candidate = Candidate.objects.create(
        session=session,
        row=count + 1,
        name=HOLDER,
        id_cipher=crypto.encrypt(HOLDER_ID),
        id_hash=crypto.lookup_hash(HOLDER_ID),
        id_masked=mask_id(HOLDER_ID),
        gender="M",
        level=5,
        passed=True,
    )
    certificate = Certificate.objects.create(
        number="S000045000001265999999",
        candidate=candidate,
        entry=plan.entry,
        holder_name=HOLDER,
        id_hash=candidate.id_hash,
        id_masked=candidate.id_masked,
        occupation=plan.occupation,
        level=5,
        issued_on=plan.first_day,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return certificate.number


BODIES = {
    "by number, found": lambda number: {"number": number, "name": HOLDER},
    "by number, name wrong": lambda number: {"number": number, "name": "陆海"},
    "by ID number, found": lambda number: {"id_number": HOLDER_ID, "name": HOLDER},
    "unknown number": lambda number: {"number": "B000000000000009999999", "name": "考生9999999"},
}


def bench_verify_in_process(number: str, runs: int) -> None:
    from django.test import Client

    client = Client()
    print(f"\nverification in-process ({runs} requests each): median, p99")
    for label, body in BODIES.items():
        timings = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.post(
                "/api/v1/certificates/verify/", json.dumps(body(number)), content_type="application/json"
            )
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"  {label:24} {statistics.median(timings):6.1f} ms {quantile(timings, 0.99):6.1f} ms")


def burst(port: int, method: str, path: str, body: bytes, concurrency: int, duration: float) -> dict:
    stop = time.perf_counter() + duration
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    headers = {"Host": "127.0.0.1", "Content-Type": "application/json"}

    def run() -> None:
        mine, failed = [], []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(method, path, body=body if method == "POST" else None, headers=headers)
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
        "p99": quantile(timings, 0.99) if timings else float("nan"),
        "rps": len(timings) / wall,
        "errors": errors,
    }


def bench_verify_gunicorn(args, number: str, workdir: str) -> None:
    static_root = os.path.join(workdir, "static")
    env = server_env(with_conn_max_age(args.postgres, args.conn_max_age), static_root)
    env.update(DJANGO_SECRET_KEY=SECRET_KEY, CERTIFICATE_VERIFY_LIMIT="1000000000", PYTHONPATH=str(ROOT))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "bench.bare_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
            "--control-socket",
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
                conn.request("GET", "/bench/bare/", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        body = json.dumps(BODIES["by number, found"](number)).encode()
        verify = "/api/v1/certificates/verify/"
        burst(port, "POST", verify, body, args.concurrency, 1)  # warm-up
        burst(port, "GET", "/bench/bare/", b"", args.concurrency, 1)
        print(
            f"\ngunicorn, 2 sync workers, CONN_MAX_AGE={args.conn_max_age}, {args.concurrency} clients, "
            f"{args.duration:g} s per burst, alternated twice; client-side latency"
        )
        print(f"{'case':24} {'req/s':>7} {'median ms':>9} {'p99 ms':>7} {'errors':>6}")
        results = {"verify": [], "bare": []}
        for _round in range(2):
            results["verify"].append(burst(port, "POST", verify, body, args.concurrency, args.duration))
            results["bare"].append(burst(port, "GET", "/bench/bare/", b"", args.concurrency, args.duration))
        for name, runs in results.items():
            for run in runs:
                print(f"{name:24} {run['rps']:7.1f} {run['median']:9.1f} {run['p99']:7.1f} {len(run['errors']):6d}")
        ratio = sum(r["rps"] for r in results["verify"]) / sum(r["rps"] for r in results["bare"])
        p99 = max(r["p99"] for r in results["verify"])
        print(
            f"verification throughput = {ratio:.2f} × the bare view (target ≥ 0.6); "
            f"worst p99 {p99:.1f} ms (target < 50 ms)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=100)
    parser.add_argument("--certificates", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=300, help="in-process verification requests per case")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="CONN_MAX_AGE of the gunicorn server (0: a new database connection per request)",
    )
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="reuse the certificates of an earlier run in the same database: only the verification part",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "True"
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY
    os.environ["CERTIFICATE_VERIFY_LIMIT"] = "1000000000"
    os.environ["DJANGO_MEDIA_ROOT"] = os.path.join(workdir, "media")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    if args.verify_only:
        from certificates.models import Certificate

        number = Certificate.objects.get(holder_name=HOLDER).number
        print(f"{Certificate.objects.count():,} certificates from an earlier run")
    else:
        bench_import(args.rows)
        bench_pdfs(args.pdfs)
        if connection.vendor != "postgresql":
            print("verification with 1,000,000 certificates skipped: it needs --postgres")
            return
        start = time.perf_counter()
        number = populate_certificates(args.certificates)
        print(f"\n{args.certificates:,} certificates written in {time.perf_counter() - start:.0f} s")
    bench_verify_in_process(number, args.runs)
    connection.close()
    bench_verify_gunicorn(args, number, workdir)


if __name__ == "__main__":
    main()
