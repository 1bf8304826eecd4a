"""Benchmark: results import and electronic certificates (issue 12).

Targets: a 10,000-row results workbook checked and imported in < 15 s and < 300 MB peak; a certificate PDF in
< 1 s (median) and 1,000 by one worker in < 5 min. Public verification with 1,000,000 certificates is measured
by the load harness (``python -m bench.load.run``), served the production way beside the bare view. Run:

    .venv/bin/python bench/certificates.py --postgres postgres://portal:portal@127.0.0.1:5432/bench_certs
        [--rows 10000] [--pdfs 100]

It builds a throwaway database through the migrations (``--postgres``: an empty, disposable PostgreSQL
database; without it SQLite), then:

1. the import: a 10,000-row workbook made from the session's template, checked and imported through
   ``certificates.services.results_import`` in this process; time and the process's peak resident memory
   (``ru_maxrss``, Django included);
2. the PDFs: ``--pdfs`` certificates rendered one after the other by the task's service (one worker), median
   per certificate and the time 1,000 would take at that rate;
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=100)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "True"
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY
    os.environ["DJANGO_MEDIA_ROOT"] = os.path.join(workdir, "media")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    bench_import(args.rows)
    bench_pdfs(args.pdfs)
    print("verification: python -m bench.load.run (the load harness)")


if __name__ == "__main__":
    main()
