"""Benchmark: the filing application form (附件2) with a large application.

Targets: the edit page in < 300 ms server time, a draft save in < 500 ms, a number of SQL queries for both that
does not grow with the number of rows, and the PDF of the form in < 3 s. Run:

    .venv/bin/python bench/application_form.py  [--postgres URL] [--runs 20]

It builds a throwaway database (SQLite in a temporary folder by default) through the migrations, creates a call
offering five occupations at every level, and an agency's draft filled in with ``filings.examples`` at
two sizes: one row per table, and 50 occupation rows (5 occupations × 5 levels × 2 work types, so that no row
repeats another) with 30 rows in each personnel table. The page and the save are timed with Django's test
client (in-process: routing, the gate, the section forms, the condition checks and the template; no network),
the PDF by calling ``filings.pdf.application_pdf`` directly. Times are medians after a warm-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OCCUPATIONS = ["4-07-05-01", "4-07-05-04", "4-03-02-01", "6-31-01-03", "6-18-02-04"]  # each offers levels 1–5
LEVELS = [5, 4, 3, 2, 1]
WORK_TYPES = ["综合", "实操"]
TARGETS = {"page": 300, "save": 500, "pdf": 3000}


def median_ms(action: Callable[[], object], runs: int, warm_up: int = 3) -> float:
    for _ in range(warm_up):
        action()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def form_post(data: dict) -> dict:
    """The POST the browser sends for ``data`` (the page's field names)."""
    post = {"next": "stay"}
    for key, value in data.items():
        if isinstance(value, list):
            post[f"{key}-TOTAL_FORMS"] = str(len(value))
            for index, row in enumerate(value):
                post.update({f"{key}-{index}-{name}": v for name, v in row.items()})
        else:
            post.update({f"{key}-{name}": v for name, v in value.items()})
    return post


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per measure (the PDF: a quarter)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-form-")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "True"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # no collected static files: not needed here
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    # As in production: no query log, no template debugging (the template engine is built on first use).
    settings.DEBUG = False

    from agencies.models import Call, CallVersion, ConditionProfile, Occupation, Organisation, Workflow
    from filings.examples import sample_application_data
    from filings.models import Application
    from filings.pdf import application_pdf
    from filings.services import application_create, application_save_draft
    from portal.lib.validators import uscc_expected_check_character
    from portal.models import Region, Role, User

    today = timezone.localdate()
    call = Call.objects.create(code="bench-form", province=Region.objects.get(code="450000"))
    CallVersion.objects.create(
        call=call,
        number=1,
        title="广西多职业职业技能等级认定评价机构征集（基准测试）",
        issuer="广西壮族自治区人力资源和社会保障厅",
        workflow=Workflow.CITY_FIRST,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        scopes=["region", "city"],
        offerings=[{"occupation": code, "levels": LEVELS} for code in OCCUPATIONS],
        materials=[],
        rules=ConditionProfile.objects.get(code="guangxi-security-manager").rules,
        published_at=timezone.now(),
    )
    uscc = "52450100MJB0NC0" + "HM"
    uscc += uscc_expected_check_character(uscc + "0")
    organisation = Organisation.objects.create(
        name="南宁市基准测试职业技能培训学校",
        uscc=uscc,
        region=Region.objects.get(code="450100"),
        nature=Organisation.Nature.PRIVATE_NON_ENTERPRISE,
        legal_representative="张三",
        contact_name="李四",
        contact_phone="0771-5551234",
        email="bench@example.cn",
    )
    agency = User.objects.create_user("agency_bench", role=Role.AGENCY, organisation=organisation)
    application = application_create(organisation=organisation, call=call, by=agency)

    names = dict(Occupation.objects.filter(code__in=OCCUPATIONS).values_list("code", "name"))
    small = sample_application_data(
        organisation, occupations=[(OCCUPATIONS[0], names[OCCUPATIONS[0]], 3)], people=1, examiners_per_occupation=1
    )
    triples = [(code, names[code], level) for code in OCCUPATIONS for level in LEVELS for _work_type in WORK_TYPES]
    large = sample_application_data(organisation, occupations=triples, people=30, examiners_per_occupation=6)
    for index, row in enumerate(large["occupations"]):
        row["work_type"] = WORK_TYPES[index % len(WORK_TYPES)]
    sizes = {"1 row": small, "50/30 rows": large}
    counts = {key: len(value) for key, value in large.items() if isinstance(value, list)}
    print(f"{connection.vendor}; large application rows: {counts}")

    client = Client()
    client.force_login(agency, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/filings/{application.pk}/edit/"
    results: dict[str, dict[str, float]] = {}
    for size, data in sizes.items():
        application_save_draft(application=Application.objects.get(pk=application.pk), data=data, by=agency)
        post = form_post(data)

        def get_page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def save(post=post):
            response = client.post(url, post)
            assert response.status_code == 302, response.status_code

        def render_pdf():
            pdf = application_pdf(Application.objects.get(pk=application.pk), version=None)
            assert pdf.startswith(b"%PDF")

        row = results[size] = {}
        row["page"] = median_ms(get_page, args.runs)
        row["save"] = median_ms(save, args.runs)
        with CaptureQueriesContext(connection) as queries:
            get_page()
        row["page queries"] = len(queries.captured_queries)
        with CaptureQueriesContext(connection) as queries:
            save()
        row["save queries"] = len(queries.captured_queries)
        row["pdf"] = median_ms(render_pdf, max(args.runs // 4, 1), warm_up=1)

    labels = {
        "page": "edit page GET, median ms",
        "save": "draft save POST, median ms",
        "page queries": "edit page GET, SQL queries",
        "save queries": "draft save POST, SQL queries",
        "pdf": "PDF render, median ms",
    }
    print(f"\n{'measure':30} {'1 row':>8} {'50/30 rows':>11}  target")
    for key, label in labels.items():
        small_value, large_value = results["1 row"][key], results["50/30 rows"][key]
        if key.endswith("queries"):
            verdict = "same" if small_value == large_value else "GROWS"
            print(f"{label:30} {small_value:8.0f} {large_value:11.0f}  no growth: {verdict}")
        else:
            target = TARGETS[key]
            verdict = "ok" if large_value < target else "MISSED"
            print(f"{label:30} {small_value:8.1f} {large_value:11.1f}  < {target} ms: {verdict}")


if __name__ == "__main__":
    main()
