"""EXPLAIN ANALYZE of the slowest query of each page the load harness measures (issue 16).

    .venv/bin/python -m bench.load.explain --postgres postgres://portal:portal@127.0.0.1:5432/portal_load

Run after ``bench.load.run`` on the same (populated) database. Each page is requested in-process with the test
client (signed in where it needs it, twice: the first warms the caches), its queries captured, and the slowest
one run again under ``EXPLAIN (ANALYZE, BUFFERS)``. Writes ``bench/out/explain-<time>.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.load.run import ROOT, _paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
    os.environ["PUBLIC_LOOKUP_LIMIT"] = os.environ["CERTIFICATE_VERIFY_LIMIT"] = "1000000000"
    os.environ["PUBLIC_CACHE_SECONDS"] = "0"  # the query behind the page, not the cache in front of it
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.load.officials import signed_in_client

    settings.ALLOWED_HOSTS = ["*"]
    report = [f"# EXPLAIN ANALYZE, slowest query of each page ({time.strftime('%Y-%m-%d %H:%M')})", ""]
    # The Redis floors ask no query (and Redis is off here, so that each page's own query is explained).
    for path in [p for p in _paths() if args.only in p.name and p.url != "/bench/floor-redis/"]:
        client = signed_in_client(path.user) if path.user else Client()

        def request(client=client, path=path):
            if path.json is not None:
                return client.post(path.url, json.dumps(path.json), content_type="application/json")
            if path.form is not None:
                return client.post(path.url, path.form)
            return client.get(path.url)

        request()
        with CaptureQueriesContext(connection) as captured:
            response = request()
        assert response.status_code == 200, (path.url, response.status_code)
        queries = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        if not queries:
            report += [f"## {path.name}", "", "no SELECT", ""]
            continue
        slowest = max(queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"{path.name}: {len(queries)} SELECTs, slowest {float(slowest['time']) * 1000:.1f} ms")
        report += [
            f"## {path.name} — `{path.url}`",
            "",
            f"{len(captured.captured_queries)} queries; the slowest took {float(slowest['time']) * 1000:.1f} ms:",
            "",
            "```sql",
            slowest["sql"][:3000],
            "```",
            "",
            "```",
            plan,
            "```",
            "",
        ]
    out = ROOT / "bench/out"
    out.mkdir(exist_ok=True)
    target = out / f"explain-{time.strftime('%Y%m%d-%H%M')}.md"
    target.write_text("\n".join(report))
    print(f"written to {target}")


if __name__ == "__main__":
    main()
