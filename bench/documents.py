"""Benchmark: the PDFs that never change — a submitted version of the application form, a filing receipt, a
published notice — rendered once and served from storage, and WeasyPrint's font subsetting with HarfBuzz.

One run measures, for each kind of document:

- the render time with fontTools subsetting (what WeasyPrint falls back to without Debian's
  ``libharfbuzz-subset0``) and with HarfBuzz (the portal's setup now);
- the download time through the portal's view as it was before (rendered on every download; the receipt was
  already stored), taken as the view's own time plus one render, and as it is now: the first download (which
  renders and stores, unless the publication's task already did) and the later downloads (read from storage).

Run (about 4 minutes on a shared 2-core machine, most of it the fontTools renders):

    .venv/bin/python bench/documents.py  [--postgres URL] [--runs 10] [--slow-runs 3]

It builds a throwaway database (SQLite in a temporary folder by default) through the migrations and loads the
demo data (``manage.py seed_demo``: submitted applications, a published notice, filed agencies with their
receipts). Downloads go through Django's test client in-process (routing, the gate, the loader, the storage
read; no network). Times are medians.
"""

from __future__ import annotations

import argparse
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


def timed_ms(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a PostgreSQL URL for an empty, disposable database")
    parser.add_argument("--runs", type=int, default=10, help="timed renders and downloads per measure")
    parser.add_argument("--slow-runs", type=int, default=3, help="timed renders with fontTools (seconds each)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-documents-")
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DJANGO_DEBUG"] = "True"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks run inline: the receipts and the notice render on seeding

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    import io

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from weasyprint.pdf import fonts as weasyprint_fonts

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    print(f"demo data loaded in {time.perf_counter() - started:.0f} s; {django.db.connection.vendor}")
    settings.DEBUG = False

    from filings.models import Application, ApplicationVersion, Receipt
    from filings.pdf import application_pdf, province_opinion_of
    from filings.services import receipt_render
    from portal.lib.pdf import harfbuzz_subset_in_use
    from portal.models import RenderedDocument, User
    from publicity.models import Notice
    from publicity.pdf import notice_pdf

    if not harfbuzz_subset_in_use():
        sys.exit("WeasyPrint does not find HarfBuzz-subset here: install libharfbuzz-subset0 first.")
    version = ApplicationVersion.objects.filter(application__reference__isnull=False).order_by("-pk").first()
    application = Application.objects.get(pk=version.application_id)
    receipt = Receipt.objects.filter(status=Receipt.Status.READY).first()
    notice = Notice.objects.filter(status=Notice.Status.PUBLISHED).first()
    centre = User.objects.get(username="centre")
    official = Client()
    official.force_login(centre, backend="django.contrib.auth.backends.ModelBackend")
    public = Client()

    def render_version() -> bytes:
        opinion = application.city_opinion
        return application_pdf(
            application, version=version, city_opinion=opinion, province_opinion=province_opinion_of(application)
        )

    def render_receipt() -> None:
        # receipt_render returns at once for a receipt already rendered: make it pending again first.
        Receipt.objects.filter(pk=receipt.pk).update(status=Receipt.Status.PENDING)
        receipt_render(Receipt.objects.get(pk=receipt.pk))

    kinds = {
        "submitted version (附件2, 6 pages)": {
            "render": render_version,
            "url": reverse("filings:version_pdf", args=[application.pk, version.number]),
            "client": official,
            "stored": lambda: RenderedDocument.objects.filter(kind="application_version").delete(),
        },
        "filing receipt (1 page)": {
            "render": render_receipt,
            "url": reverse("filings:receipt_download", args=[receipt.application_id]),
            "client": official,
            "stored": lambda: None,  # rendered by the Celery task when issued, as before
        },
        "public notice (1 page)": {
            "render": lambda: notice_pdf(notice),
            "url": reverse("notices:notice_pdf", args=[notice.pk]),
            "client": public,
            "stored": lambda: RenderedDocument.objects.filter(kind="notice").delete(),
        },
    }
    rows = []
    for name, kind in kinds.items():
        kind["render"]()  # warm-up: fonts loaded, templates compiled
        real = weasyprint_fonts.harfbuzz_subset
        weasyprint_fonts.harfbuzz_subset = None  # WeasyPrint falls back to fontTools, as without the package
        try:
            fonttools_ms = timed_ms(kind["render"], args.slow_runs)
        finally:
            weasyprint_fonts.harfbuzz_subset = real
        harfbuzz_ms = timed_ms(kind["render"], args.runs)
        client, url = kind["client"], kind["url"]
        kind["stored"]()  # nothing stored yet: the first download renders (the receipt was stored on issue)
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        first_ms = (time.perf_counter() - start) * 1000
        stored_ms = timed_ms(lambda client=client, url=url: b"".join(client.get(url).streaming_content), args.runs)
        before_ms = stored_ms + (fonttools_ms if "receipt" not in name else 0)
        rows.append((name, fonttools_ms, harfbuzz_ms, before_ms, first_ms, stored_ms))

    print()
    print(
        "| document | render, fontTools | render, HarfBuzz | download before (render each time, fontTools) "
        "| first download now | later downloads now |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, fonttools_ms, harfbuzz_ms, before_ms, first_ms, stored_ms in rows:
        print(
            f"| {name} | {fonttools_ms:.0f} ms | {harfbuzz_ms:.0f} ms | {before_ms:.0f} ms | {first_ms:.0f} ms "
            f"| {stored_ms:.1f} ms |"
        )


if __name__ == "__main__":
    main()
