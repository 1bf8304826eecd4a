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
def middleware_timed():
    """Time each middleware's own part of a request (its time minus the time of what it wraps) and each view
    hook (``process_view``) apart, in CPU ns of this thread, for every handler built inside. Yields a dict
    (name -> [ns, calls]); the innermost stage, ``view`` (Django's ``_get_response``: URL resolution, the view
    hooks, the view), is reported without the hooks."""
    from django.core.handlers import base

    totals: dict[str, list[int]] = {}
    stack: list[int] = []  # time spent inside the wrapped stage, per open wrapper
    wrap_exception = base.convert_exception_to_response

    def timed(name: str, inner):
        def call(*args):
            stack.append(0)
            started = time.thread_time_ns()
            try:
                return inner(*args)
            finally:
                spent = time.thread_time_ns() - started
                nested = stack.pop()
                entry = totals.setdefault(name, [0, 0])
                entry[0] += spent - nested
                entry[1] += 1
                if stack:
                    stack[-1] += spent

        return call

    def convert(get_response):
        handler = wrap_exception(get_response)
        owner = getattr(get_response, "__self__", get_response)
        name = "view" if getattr(get_response, "__name__", "") == "_get_response" else type(owner).__name__
        return timed(name, handler)

    load_middleware = base.BaseHandler.load_middleware

    def load(self, is_async=False):
        load_middleware(self, is_async)
        self._view_middleware = [
            timed(f"{type(getattr(hook, '__self__', hook)).__name__}.process_view", hook)
            for hook in self._view_middleware
        ]

    base.convert_exception_to_response = convert
    base.BaseHandler.load_middleware = load
    try:
        yield totals
    finally:
        base.convert_exception_to_response = wrap_exception
        base.BaseHandler.load_middleware = load_middleware


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
        "--middleware",
        action="store_true",
        help="also time each middleware's own part of a request (and each process_view hook), CPU µs per request",
    )
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
    bare_post = Path_("bare view (POST, the API's bodies)", "/bench/bare-post/", json={"name": "", "number": ""})
    bare_post.pool = "found"
    paths = [Path_("bare view", "/bench/bare/"), bare_post] + [
        p for p in _paths() if p.name.startswith(PUBLIC) and (not wanted or any(t in p.name for t in wanted))
    ]
    rows, trees, bare_cpu, stages = [], [], None, {}
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
            cold = verify_pool((3 if args.middleware else 2) * args.requests + 40, offset=args.verify_pool)
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
        if args.middleware:
            with middleware_timed() as totals:
                timed_client = Client()
                for _ in range(10):
                    request(client=timed_client)
                totals.clear()
                for _ in range(args.requests):
                    request(client=timed_client)
            stages[path.name] = {name: ns / args.requests / 1000 for name, (ns, _calls) in totals.items()}
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
    if stages:
        head += ["", *_stages_table(stages)]
    out = "\n".join([*head, *rows, "", *trees])
    print("\n".join(trees), flush=True)
    target = ROOT / "bench/out" / f"profile-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    target.parent.mkdir(exist_ok=True)
    target.write_text(out + "\n")
    print("\n".join([*head, *rows]))
    print(f"written to {target}")


def _stages_table(stages: dict[str, dict[str, float]]) -> list[str]:
    """One row per middleware (outermost first) and view hook, one column per path: CPU µs per request."""
    names = list(stages)
    order: list[str] = []
    for timings in stages.values():
        order += [stage for stage in timings if stage not in order]
    lines = [
        "Each middleware's own CPU µs per request (its time minus what it wraps; process_view hooks apart; "
        "`view`: URL resolution and the view itself):",
        "",
        "| stage | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for stage in order:
        lines.append(f"| {stage} | " + " | ".join(f"{stages[n].get(stage, 0):.0f}" for n in names) + " |")
    lines.append("| **total** | " + " | ".join(f"{sum(stages[n].values()):.0f}" for n in names) + " |")
    return lines


if __name__ == "__main__":
    main()
