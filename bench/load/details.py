"""Every kind of supervision and results row the harness writes, opened on its own page: one row per state.

    .venv/bin/python -m bench.load.details --postgres postgres://portal:portal@127.0.0.1:5432/portal_load

Run after ``bench.load.run`` has populated the database (``bench.load.populate.supervision``). For each model
and each of its states it takes the first row of 南宁 (or of the province where 南宁 has none) and requests its
detail page in-process, as the official of 南宁 who may read it (the city's HR bureau, or its police for police
registrations), the province's centre as a second reader; then an agency file with a full chain. Prints each
URL with its status and fails (exit status 1) on any answer but 200: the rows written with SQL must keep every
invariant a page relies on.
"""

from __future__ import annotations

import argparse
import os
import sys

from bench.load.officials import signed_in_client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.urls import reverse

    from certificates.models import Session
    from portal.models import User
    from supervision.models import (
        Complaint,
        Inspection,
        Plan,
        PoliceRegistration,
        Rectification,
        Sanction,
    )

    settings.ALLOWED_HOSTS = ["*"]

    readers = {name: signed_in_client(name) for name in ("load-city", "load-police", "load-centre")}
    nanning = {"entry__region__path__startswith": User.objects.get(username="load-city").jurisdiction.path}
    checks: list[tuple[str, str, str]] = []  # (what, reader, url)

    def first_of_each(queryset, field: str, url_name: str, who: tuple[str, ...], *, local: dict) -> None:
        for value in sorted(set(queryset.values_list(field, flat=True))):
            rows = queryset.filter(**{field: value})
            row = rows.filter(**local).order_by("pk").first() or rows.order_by("pk").first()
            for reader in who:
                checks.append((f"{queryset.model.__name__} {value}", reader, reverse(url_name, args=[row.pk])))

    first_of_each(
        PoliceRegistration.objects.all(),
        "status",
        "supervision:registration_detail",
        ("load-police", "load-city"),
        local={"city__code": "450100"},
    )
    first_of_each(Plan.objects.all(), "status", "supervision:plan_detail", ("load-city", "load-centre"), local=nanning)
    first_of_each(
        Session.objects.all(),
        "status",
        "certificates:session_detail",
        ("load-city", "load-centre"),
        local={"plan__city__code": "450100"},
    )
    first_of_each(
        Complaint.objects.all(),
        "status",
        "supervision:complaint_detail",
        ("load-city", "load-centre"),
        local=nanning,
    )
    first_of_each(
        Inspection.objects.all(),
        "status",
        "supervision:inspection_detail",
        ("load-city", "load-centre"),
        local=nanning,
    )
    first_of_each(
        Rectification.objects.all(),
        "status",
        "supervision:rectification_detail",
        ("load-city", "load-centre"),
        local={f"finding__inspection__{k}": v for k, v in nanning.items()},
    )
    first_of_each(
        Sanction.objects.all(), "kind", "supervision:sanction_detail", ("load-city", "load-centre"), local=nanning
    )
    busiest = (
        Complaint.objects.filter(inspections__isnull=False, **nanning).order_by("pk").first()
        or Complaint.objects.filter(inspections__isnull=False).order_by("pk").first()
    )
    if busiest is not None:
        url = reverse("supervision:agency_file", args=[busiest.entry_id])
        checks += [("agency file with a complaint and its inspection", reader, url) for reader in readers]

    failed = 0
    for what, reader, url in checks:
        status = readers[reader].get(url).status_code
        failed += status != 200
        print(f"{status}  {what:40} {reader:12} {url}", flush=True)
    print(f"{len(checks)} pages, {failed} not 200")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
