"""Where a public look-up's time goes: per request, in-process through the whole middleware stack (issue 16), the
wall and CPU time, the SQL queries and the Redis round trips of each public path beside the bare view, then
pyinstrument's call tree of each.

    .venv/bin/python -m bench.load.profile --postgres postgres://portal:portal@127.0.0.1:5432/portal_load \\
        [--redis redis://127.0.0.1:6379/8 --broker redis://127.0.0.1:6379/9] [--requests 300] [--only TEXT]

Run on the harness's populated database. The CPU time per request (this process only: Python, Django, the
drivers; not PostgreSQL's or Redis's own time) and the round trips are what a busy machine changes least: on a
shared VM, compare them rather than the wall time. ``CPU × bare`` is the bare view's CPU time over the path's,
the in-process counterpart of the load run's ratio. Writes everything to ``bench/out/profile-<time>.txt``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

from bench.load.run import ROOT, Path_, _paths, verify_pool

PUBLIC = ("floor", "receipt verification", "directory", "certificate verification")


@contextmanager
def counting():
    """Count the SQL queries and the Redis round trips (one per packed send: a pipeline is one) made inside."""
    from django.db import connection
    from redis.connection import AbstractConnection

    counts = {"sql": 0, "redis": 0}
    send = AbstractConnection.send_packed_command

    def counted_send(self, command, check_health=True):
        counts["redis"] += 1
        return send(self, command, check_health)

    def counted_sql(execute, sql, params, many, context):
        counts["sql"] += 1
        return execute(sql, params, many, context)

    AbstractConnection.send_packed_command = counted_send
    try:
        with connection.execute_wrapper(counted_sql):
            yield counts
    finally:
        AbstractConnection.send_packed_command = send


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", default="")
    parser.add_argument("--broker", default="")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", default="", help="only the paths whose name contains this text (several: |)")
    parser.add_argument("--no-tree", action="store_true", help="the cost table only, no pyinstrument")
    parser.add_argument(
        "--verify-pool",
        type=int,
        default=1_000,
        help="certificate verification: the certificates asked in turn (cards filled first); the cold pool's "
        "paths ask as many others as there are requests, each once, with no card",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
    os.environ["DJANGO_DEBUG"] = "False"
    os.environ.setdefault("DJANGO_SECRET_KEY", "profile-" + os.urandom(16).hex())
    os.environ.update(DJANGO_SECURE_SSL_REDIRECT="False", DJANGO_SECURE_COOKIES="False", DJANGO_HSTS_SECONDS="0")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["PUBLIC_LOOKUP_LIMIT"] = os.environ["CERTIFICATE_VERIFY_LIMIT"] = "1000000000"
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
        os.environ["VERIFICATION_LOG_BUFFERED"] = str(bool(args.broker))
    if args.broker:
        os.environ["CELERY_BROKER_URL"] = args.broker

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from pyinstrument import Profiler

    from certificates.verification import verification_log_flush

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    wanted = [text for text in args.only.split("|") if text]
    paths = [Path_("bare view", "/bench/bare/")] + [
        p for p in _paths() if p.name.startswith(PUBLIC) and (not wanted or any(t in p.name for t in wanted))
    ]
    rows, trees, bare_cpu = [], [], None
    warm = verify_pool(args.verify_pool) if any(p.pool for p in paths) else []
    for path in paths:
        client = Client()
        given = itertools.repeat(path.json or path.form)
        if path.pool in ("found", "wrong"):
            wrong = path.pool == "wrong"
            given = itertools.cycle([{"number": n, "name": name[:-1] if wrong else name} for n, name in warm])
        elif path.pool == "cold":  # every request another certificate, its card (if any) deleted
            from bench.load.run import _cards_forget_all

            if args.redis:
                _cards_forget_all()
            cold = verify_pool(2 * args.requests + 20, offset=args.verify_pool)
            given = iter([{"number": n, "name": name} for n, name in cold])

        def request(client=client, path=path, given=given):
            if path.json is not None:
                return client.post(path.url, json.dumps(next(given)), content_type="application/json")
            if path.form is not None:
                return client.post(path.url, next(given))
            return client.get(path.url)

        if path.pool in ("found", "wrong"):
            for _ in warm:  # the cards of the pool filled
                request()

        for _ in range(10):
            status = request().status_code
            assert status == 200, (path.url, status)
        with counting() as counts:
            request()
        walls, cpus = [], []
        for _ in range(args.requests):
            wall, cpu = time.perf_counter(), time.process_time()
            request()
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
        cpu = statistics.mean(cpus) * 1000
        bare_cpu = bare_cpu or cpu
        rows.append(
            f"| {path.name} | {statistics.median(walls) * 1000:.2f} | {cpu:.2f} | {bare_cpu / cpu:.2f}× | "
            f"{counts['sql']} | {counts['redis']} |"
        )
        print(rows[-1], flush=True)
        if not args.no_tree:
            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(args.requests):
                request()
            profiler.stop()
            text = profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total")
            trees.append(f"=== {path.name} ({path.url})\n{text}")
        verification_log_flush()
    load = Path("/proc/loadavg").read_text().split()[:3]
    head = [
        f"In-process cost per request, {args.requests} requests each (load average {' '.join(load)}):",
        "",
        "| path | wall ms (median) | CPU ms (mean) | CPU × bare | SQL | Redis round trips |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    out = "\n".join([*head, *rows, "", *trees])
    print("\n".join(trees), flush=True)
    target = ROOT / "bench/out" / f"profile-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    target.parent.mkdir(exist_ok=True)
    target.write_text(out + "\n")
    print("\n".join([*head, *rows]))
    print(f"written to {target}")


if __name__ == "__main__":
    main()
