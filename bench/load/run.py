"""The load harness: every hot path served the production way, against the bare-Django floor in the same run.

    .venv/bin/python -m bench.load.run --postgres postgres://portal:portal@127.0.0.1:5432/portal_load \
        --redis redis://127.0.0.1:6379/8 --broker redis://127.0.0.1:6379/9

The database is created when missing and reused as it is (``--fresh`` drops every table first: it must be a
throwaway one; without ``--fresh`` a populated database is kept between runs and only grown, the migrations
applied). For each size in ``--sizes`` (applications; the 5,000 filed agencies are part of the data at every
size) it grows the data set (``bench.load.populate``), serves it with gunicorn (``--workers`` sync workers, as
the compose file does, DEBUG off, static files collected into a temporary folder, ``bench.load.settings``: the
portal plus two reference views), and for each path runs ``wrk`` on loopback (``--threads``, ``--connections``,
``--duration`` seconds) right after the bare view (``/bench/bare/``), so that each ratio compares two
measurements taken a few seconds apart on the same machine. Signed-in paths carry a session cookie made for
the official. SQL queries per request are counted in-process with the test client.

It prints one table per size and writes them with the growth table to ``bench/out/load-<time>.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


@dataclass
class Path_:
    name: str
    url: str
    user: str | None = None  # the official whose session cookie the request carries
    form: dict | None = None  # POSTed as a form (with the page's CSRF token)
    json: dict | None = None  # POSTed as JSON
    # Certificate verification: each request picks one of --verify-pool certificates ("found": number and name,
    # "wrong": the number with another name; at random, the cards warmed first) or goes once through a pool of
    # distinct ones with no card ("cold": every look-up a miss); ``form``/``json`` is then one of them.
    pool: str = ""


@dataclass
class Result:
    rps: float
    p50: float
    p99: float
    errors: int
    requests: int = 0
    cpu: dict | None = None  # CPU ms per request of each process on the machine's cores (``_Meter``)


def _paths() -> list[Path_]:
    from agencies.models import Call
    from filings.models import Receipt

    receipt = Receipt.objects.filter(status="ready").order_by("pk").first()
    call = Call.objects.get(code="load-security-manager")
    paths = [
        Path_("floor: bare + one indexed look-up", "/bench/floor/"),
        Path_("floor (Redis): bare + one Redis PING", "/bench/floor-redis/"),
        Path_("/healthz", "/healthz"),
        Path_("receipt verification page (token)", f"/verify/{receipt.token}/"),
        Path_("receipt verification API (token)", f"/api/v1/receipts/verify/?token={receipt.token}"),
        Path_("directory, default page", "/directory/"),
        Path_("directory, text search", "/directory/?q=%E9%BC%8E%E7%9B%9B"),
        Path_("directory API, default page", "/api/v1/directory/"),
        Path_("city reviewer's queue (南宁)", "/filings/queue/", "load-city"),
        Path_("centre selection page", f"/filings/calls/{call.pk}/selection/", "load-centre"),
    ]
    from django.urls import reverse

    from bench.certificates import HOLDER
    from certificates.models import Certificate

    number = Certificate.objects.filter(holder_name=HOLDER).values_list("number", flat=True).first()
    given = {"number": number, "name": HOLDER}
    page, api = reverse("certificate_check:verify"), "/api/v1/certificates/verify/"
    paths.append(Path_("certificate verification page (POST, found)", page, form=given, pool="found"))
    paths.append(Path_("certificate verification API (POST, found)", api, json=given, pool="found"))
    miss = {"number": number, "name": "陆海"}
    paths.append(Path_("certificate verification API (POST, name wrong)", api, json=miss, pool="wrong"))
    paths.append(Path_("certificate verification API (POST, found, cold pool)", api, json=given, pool="cold"))
    paths.append(Path_("certificate verification page (POST, found, cold pool)", page, form=given, pool="cold"))
    # The API's own bodies and wrk script against the bare view plus one Redis round trip (the body ignored).
    name = "floor (Redis, POST): the API's bodies, one Redis PING"
    paths.append(Path_(name, "/bench/floor-redis/", json=given, pool="found"))
    return paths


def verify_pool(size: int, *, offset: int = 0) -> list[tuple[str, str]]:
    """``size`` distinct certificates (number, holder's name), spread over the whole table, the same on each run;
    ``offset`` skips that many (the cold pool is another slice than the warm one)."""
    from django.db import connection

    from certificates.models import Certificate

    table = Certificate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, holder_name FROM {table} ORDER BY md5(number) OFFSET %s LIMIT %s",
            [offset, size],
        )
        return list(cursor.fetchall())


def _pool_lua(bodies: list[str], *, sequential: bool) -> str:
    """wrk's request() picking one of ``bodies``: at random, or each thread going through its own part in order."""
    table = ",\n".join(f"[==[{body}]==]" for body in bodies)
    pick = (
        "i = i + 1\n    local body = pool[((first + i) % #pool) + 1]"
        if sequential
        else "local body = pool[math.random(#pool)]"
    )
    return (
        f"local pool = {{\n{table}\n}}\nlocal threads = 0\n"
        "function setup(thread)\n    thread:set('part', threads)\n    threads = threads + 1\nend\n"
        "local i, first = 0, 0\nfunction init(args)\n    first = math.floor((part or 0) * #pool / 2)\n"
        "    math.randomseed(os.time() + (part or 0))\nend\n"
        f"function request()\n    {pick}\n    return wrk.format(nil, nil, nil, body)\nend\n"
    )


def _official_ready(user) -> str | None:
    """What signing in gives an official besides the password: the second step passed (its authenticator's id for
    the session, django-otp) and a password within its age. ``None`` for an agency."""
    from django.utils import timezone

    from portal.second_factor.services import authenticator_of, authenticator_set, needs_second_factor

    if not needs_second_factor(user):
        return None
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    device = authenticator_of(user) or authenticator_set(user=user, secret="OCUKLVKNNDWD7NH2TURTZUK4RIIQLRYT")  # noqa: S106  a throwaway bench official
    return device.persistent_id


def _session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from portal.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device_id := _official_ready(user):
        session[DEVICE_ID_SESSION_KEY] = device_id
    session.set_expiry(3600)
    session.create()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _queries(path: Path_) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.models import User

    client = Client()
    if path.user:
        from django_otp import DEVICE_ID_SESSION_KEY

        user = User.objects.get(username=path.user)
        client.force_login(user)
        if device_id := _official_ready(user):
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device_id
            session.save()

    def request():
        if path.json is not None:
            return client.post(path.url, json.dumps(path.json), content_type="application/json")
        if path.form is not None:
            return client.post(path.url, path.form)
        return client.get(path.url)

    request()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, (path.url, response.status_code)
    return len(captured.captured_queries)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Meter:
    """CPU time of each process sharing the machine's cores during one wrk run, per request: wrk itself (this
    process's reaped children), gunicorn (master and workers, from /proc), the PostgreSQL backends of the served
    database (their pids from ``pg_stat_activity``, times from /proc), Redis (``INFO cpu``: the whole server, so
    other clients of a shared Redis count too) and the whole machine (/proc/stat: everyone's work, ours or not).
    With the cores saturated, throughput is about cores / (CPU per request), so this table says where a path's
    requests spend the cores the bare view's do not. ``commands`` are Redis's own ``INFO commandstats`` over the
    run: calls per request and microseconds per call, per command."""

    TICK = 1000 / os.sysconf("SC_CLK_TCK")  # ms

    def __init__(self, server: subprocess.Popen, redis_url: str, database: str):
        self.server, self.database = server, database
        self.redis = None
        if redis_url:
            import redis

            self.redis = redis.Redis.from_url(redis_url)

    @staticmethod
    def _ticks(pid: int) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return int(fields[11]) + int(fields[12])  # utime, stime

    def _gunicorn(self) -> int:
        pid = self.server.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        return sum(self._ticks(p) for p in [pid, *map(int, children)])

    def _postgres(self) -> dict[int, int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.database]
            )
            pids = [row[0] for row in cursor.fetchall()]
        return {pid: self._ticks(pid) for pid in pids}

    @staticmethod
    def _machine() -> int:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        return sum(int(f) for f in fields) - int(fields[3]) - int(fields[4])  # all but idle and iowait

    def snapshot(self) -> dict:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        snap = {
            "wrk": (usage.ru_utime + usage.ru_stime) * 1000,
            "gunicorn": self._gunicorn() * self.TICK,
            "postgres": self._postgres(),
            "machine": self._machine() * self.TICK,
        }
        if self.redis is not None:
            cpu = self.redis.info("cpu")
            snap["redis"] = (cpu["used_cpu_user"] + cpu["used_cpu_sys"]) * 1000
            snap["commands"] = self.redis.info("commandstats")
        return snap

    def per_request(self, before: dict, after: dict, requests: int) -> dict:
        n = max(requests, 1)
        postgres = sum(t - before["postgres"].get(pid, 0) for pid, t in after["postgres"].items()) * self.TICK
        cpu = {
            "wrk": (after["wrk"] - before["wrk"]) / n,
            "gunicorn": (after["gunicorn"] - before["gunicorn"]) / n,
            "postgres": postgres / n,
            "redis": (after["redis"] - before["redis"]) / n if "redis" in after else 0.0,
            "machine": (after["machine"] - before["machine"]) / n,
        }
        commands = {}
        for name, stats in after.get("commands", {}).items():
            calls = stats["calls"] - before["commands"].get(name, {}).get("calls", 0)
            usec = stats["usec"] - before["commands"].get(name, {}).get("usec", 0)
            if calls >= n / 10:  # the path's own commands, not a few stray ones of other clients
                commands[name.removeprefix("cmdstat_")] = (calls / n, usec / calls)
        cpu["commands"] = commands
        return cpu


def _cpu_cells(cpu: dict | None) -> str:
    if not cpu:
        return "— | — | — | — | —"
    parts = [cpu["wrk"], cpu["gunicorn"], cpu["postgres"], cpu["redis"], cpu["machine"]]
    return " | ".join(f"{value:.2f}" for value in parts)


def _commands_text(cpu: dict | None) -> str:
    commands = (cpu or {}).get("commands") or {}
    ordered = sorted(commands.items(), key=lambda item: -item[1][0] * item[1][1])
    return ", ".join(f"{name} {calls:.2f}/req × {usec:.1f} µs" for name, (calls, usec) in ordered)


def _wrk(
    url: str, *, cookie: str | None, args, duration: int = 0, body: Body | None = None, meter: _Meter | None = None
) -> Result:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration or args.duration}s", "--latency"]
    command += ["--timeout", "30s"]
    if body is not None:  # a POST: wrk reads its method, headers and body from a Lua script
        cookie = "; ".join(c for c in (cookie, body.cookie) if c)
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(
            f'wrk.method = "POST"\nwrk.body = [==[{body.data}]==]\n'
            f'wrk.headers["Content-Type"] = "{body.content_type}"\n'
            + (_pool_lua(body.pool, sequential=body.sequential) if body.pool else "")
        )
        command += ["-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    limit = (duration or args.duration) + 60
    before = meter.snapshot() if meter is not None else None
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=limit).stdout
    after = meter.snapshot() if meter is not None else None

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    cpu = meter.per_request(before, after, requests) if meter is not None else None
    return Result(rps=rps, p50=latency("50%"), p99=latency("99%"), errors=failed, requests=requests, cpu=cpu)


@dataclass
class Body:
    data: str
    content_type: str
    cookie: str = ""
    pool: list[str] | None = None  # one of these per request (certificate verification), instead of ``data``
    sequential: bool = False


def _body(base: str, path: Path_, pools: dict[str, list[tuple[str, str]]] | None = None) -> Body | None:
    """What a POST path sends: JSON, or the form with a CSRF token and its cookie taken from the page as served;
    for a pool path, besides, one such body per certificate of the pool."""
    pool = []
    if path.pool and pools:
        wrong = path.pool == "wrong"
        pool = [{"number": number, "name": name[:-1] if wrong else name} for number, name in pools[path.pool]]
    sequential = path.pool == "cold"
    if path.json is not None:
        bodies = [json.dumps(g, ensure_ascii=False) for g in pool]
        return Body(json.dumps(path.json, ensure_ascii=False), "application/json", pool=bodies, sequential=sequential)
    if path.form is None:
        return None
    with urllib.request.urlopen(f"{base}{path.url}", timeout=30) as response:
        page = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = next(c.split(";")[0] for c in cookies if c.startswith("csrftoken="))
    bodies = [urllib.parse.urlencode({"csrfmiddlewaretoken": token, **g}) for g in pool]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **path.form})
    return Body(data, "application/x-www-form-urlencoded", cookie, pool=bodies, sequential=sequential)


def _cards_warm(base: str, bodies: list[str]) -> float:
    """Every certificate of the warm pool looked up once through the server (its card filled); seconds taken."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()

    def post(body: str) -> None:
        request = urllib.request.Request(
            f"{base}/api/v1/certificates/verify/", data=body.encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    with ThreadPoolExecutor(8) as workers:
        list(workers.map(post, bodies))
    return time.perf_counter() - started


def _cards_forget_all() -> int:
    """Every certificate card deleted (the cold pool's runs start with none): how many."""
    from certificates import verification

    redis = verification._redis(os.environ["REDIS_URL"])
    keys = list(redis.scan_iter(verification.CARD_KEY.format("*"), count=10_000))
    for start in range(0, len(keys), 10_000):
        redis.delete(*keys[start : start + 10_000])
    return len(keys)


def _check(base: str, path: Path_, cookie: str, body: Body | None) -> None:
    """The path answers 200 as served (signed in where it needs it), not a redirect to the sign-in page."""
    headers = {"Cookie": "; ".join(c for c in (cookie, body.cookie if body else "") if c)}
    data = None
    if body is not None:
        headers["Content-Type"] = body.content_type
        data = body.data.encode()
    request = urllib.request.Request(f"{base}{path.url}", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        content = response.read().decode()
        assert response.status == 200 and response.url == f"{base}{path.url}", (path.url, response.url)
    if (path.form is not None or path.json is not None) and not path.url.startswith("/bench/"):
        assert ("陆*涛" in content) == ("found" in path.name.split("(")[-1] and "wrong" not in path.name), path.name


def _serve(args, env: dict, port: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
        *shlex.split(args.gunicorn_args),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True, help="URL of a throwaway PostgreSQL database")
    parser.add_argument("--sizes", default="1000,10000,100000", help="applications, comma-separated, ascending")
    parser.add_argument("--agencies", type=int, default=5_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=2, help='gunicorn workers (sync; --gunicorn-args "--worker-class gthread …")'
    )
    parser.add_argument(
        "--gunicorn-args", default="", help='more gunicorn options, e.g. "--backlog 64" or "--worker-class gthread"'
    )
    parser.add_argument(
        "--no-post-bare",
        action="store_true",
        help="measure the POST paths against the bare GET only (the old comparison), not also against the bare "
        "view POSTed the same bodies through the same wrk script",
    )
    parser.add_argument(
        "--only", default="", help="measure only the paths whose name contains this text (several: separated by |)"
    )
    parser.add_argument("--certificates", type=int, default=1_000_000, help="certificates for the verification")
    parser.add_argument("--redis", default="", help="REDIS_URL of the served portal (cache, sessions, limits)")
    parser.add_argument(
        "--broker",
        default="",
        help="CELERY_BROKER_URL: with --redis, the verification log goes "
        "through Redis (flushed by the harness after each path, as beat would)",
    )
    parser.add_argument("--fresh", action="store_true", help="drop every table first and build the data again")
    parser.add_argument(
        "--verify-pool",
        type=int,
        default=10_000,
        help="certificate verification: distinct certificates each run picks from at random (their cards warmed "
        "first); the cold pool's runs go through 10× as many others in order, every card deleted first",
    )
    parser.add_argument(
        "--officials",
        action="store_true",
        help="after the load at each size, time the officials' pages in-process (bench.load.officials, "
        "labelled with the size) and add their growth table: wall ms, CPU ms and SQL queries per size",
    )
    parser.add_argument(
        "--drain",
        action="store_true",
        help="each verification path measured a second time with the log's drain running beside gunicorn, as beat "
        "runs it in production (bench.load.drain, every VERIFICATION_LOG_FLUSH_SECONDS): its cost per verification",
    )
    parser.add_argument("--officials-runs", type=int, default=5, help="timed requests per page with --officials")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    os.environ["DATABASE_URL"] = args.postgres
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
    os.environ["DJANGO_DEBUG"] = "True"  # the driver only; gunicorn gets DEBUG off below
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("REDIS_URL", None)
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
        os.environ["VERIFICATION_LOG_BUFFERED"] = str(bool(args.broker))
    # Measured, not refused: the limits are counted on every request all the same.
    os.environ["PUBLIC_LOOKUP_LIMIT"] = os.environ["CERTIFICATE_VERIFY_LIMIT"] = "1000000000"
    # The driver signs the officials' session cookies: it must share the served portal's secret key.
    secret = "load-harness-" + os.urandom(16).hex()
    os.environ["DJANGO_SECRET_KEY"] = secret
    _create_database(args.postgres)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.fresh:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    static = tempfile.mkdtemp(prefix="load-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_COOKIES": "False",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": static,
        "DJANGO_LOG_LEVEL": "WARNING",
        **({"CELERY_BROKER_URL": args.broker} if args.broker else {}),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )

    from bench.load.populate import certificates, grow, supervision

    sizes = [int(s) for s in args.sizes.split(",")]
    report = [f"# Load run {time.strftime('%Y-%m-%d %H:%M')}", ""]
    load = Path("/proc/loadavg").read_text().split()[:3]
    report.append(f"Load average at the start (1, 5, 15 min): {' '.join(load)} on {os.cpu_count()} cores.")
    report.append(
        f"gunicorn {args.workers} workers {args.gunicorn_args or '(sync)'}, PostgreSQL {args.postgres.split('@')[-1]}, "
        f"Redis {args.redis or '—'}, wrk -t{args.threads} -c{args.connections} -d{args.duration}s on loopback. "
        "× bare GET: req/s of the path over req/s of the bare view (a plain GET, wrk without a script) measured "
        "just before it — the comparison issue 12 and 16 state. × bare POST: over req/s of the bare view POSTed the "
        "path's own bodies through the path's own wrk script (the body ignored, CSRF-exempt), measured just before "
        "it, so that wrk's work per request and the larger request are on both sides."
    )
    cpu_rows: list[str] = []
    drains: list[tuple[str, Result, dict, float]] = []
    growth: dict[str, list[float]] = {}
    officials: dict[int, dict] = {}
    loads: dict[int, tuple[str, str]] = {}
    for size in sizes:
        load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        started = time.perf_counter()
        grow(size, agencies=args.agencies)
        certificates(args.certificates)
        written = supervision(size)
        print(f"\n== {size:,} applications (built in {time.perf_counter() - started:.0f} s)", flush=True)
        print("   supervision and results rows written: " + ", ".join(f"{k} {v:,}" for k, v in written.items()))
        paths = [p for p in _paths() if any(text in p.name for text in args.only.split("|"))]
        cookies = {p.user: _session_cookie(p.user) for p in paths if p.user}
        queries = {p.name: _queries(p) for p in paths}
        connection.close()
        port = _free_port()
        server = _serve(args, env, port)
        meter = _Meter(server, args.redis, args.postgres.rsplit("/", 1)[1].split("?")[0])
        base = f"http://127.0.0.1:{port}"
        rows = []
        try:
            _wrk(f"{base}/bench/bare/", cookie=None, args=args)  # warm-up
            pools = {}
            if any(path.pool for path in paths):
                pools["found"] = pools["wrong"] = verify_pool(args.verify_pool)
                pools["cold"] = verify_pool(10 * args.verify_pool, offset=args.verify_pool)
            bodies = {path.name: _body(base, path, pools) for path in paths}
            warm = next((bodies[p.name].pool for p in paths if p.pool == "found" and p.json is not None), None)
            if warm and args.redis:
                print(f"   cards of the warm pool filled in {_cards_warm(base, warm):.0f} s", flush=True)
            for path in paths:  # every path answers 200 as served, signed in where it needs it
                _check(base, path, cookies.get(path.user, ""), bodies[path.name])
            for path in paths:
                bare = _wrk(f"{base}/bench/bare/", cookie=None, args=args, meter=meter)
                body = bodies[path.name]
                bare_post = None
                if body is not None and not args.no_post_bare:
                    bare_post = _wrk(f"{base}/bench/bare-post/", cookie=None, args=args, body=body, meter=meter)
                target = f"{base}{path.url}"
                if path.pool == "cold" and args.redis:
                    print(f"   cold pool: {_cards_forget_all():,} cards deleted", flush=True)
                else:
                    _wrk(target, cookie=cookies.get(path.user), args=args, duration=1, body=bodies[path.name])
                before = _card_stats(args)
                result = _wrk(target, cookie=cookies.get(path.user), args=args, body=bodies[path.name], meter=meter)
                if path.form is not None or path.json is not None:
                    from certificates.verification import verification_log_flush

                    print(f"   verification log: {verification_log_flush():,} rows flushed from Redis", flush=True)
                    hits, misses = (b - a for a, b in zip(before, _card_stats(args), strict=True))
                    if hits + misses:
                        print(f"   card hit rate: {hits / (hits + misses):.1%} of {hits + misses:,}", flush=True)
                drained = None
                if args.drain and args.broker and path.pool and path.pool != "wrong":
                    drained, drain = _drained(args, env, target, cookies.get(path.user), bodies[path.name], meter)
                    per_row = (drain["cpu_ms"] + drain["backend_cpu_ms"]) / max(drain["rows"], 1) * 1000
                    print(
                        f"   drain: {drain['rows']:,} rows in {drain['flushes']} flushes, {drain['cpu_ms']:.0f} ms of "
                        f"its CPU + {drain['backend_cpu_ms']:.0f} ms of its PostgreSQL backend = {per_row:.0f} µs "
                        f"per verification; {verification_log_flush():,} rows left for the harness",
                        flush=True,
                    )
                    drains.append((path.name, drained, drain, per_row))
                ratio = result.rps / bare.rps if bare.rps else 0
                post_cells = "— | —"
                if bare_post is not None:
                    post_cells = f"{bare_post.rps:,.0f} | {result.rps / bare_post.rps if bare_post.rps else 0:.2f}×"
                growth.setdefault(path.name, []).append(result.p50)
                rows.append(
                    f"| {path.name} | {result.rps:,.0f} | {bare.rps:,.0f} | {ratio:.2f}× | {post_cells} | "
                    f"{result.p50:.1f} | {result.p99:.1f} | {queries[path.name]} | {result.errors} |"
                )
                print(rows[-1], flush=True)
                if drained is not None:
                    rows.append(
                        f"| {path.name}, log drained every {_drain_seconds()} s | {drained.rps:,.0f} | {bare.rps:,.0f} "
                        f"| {drained.rps / bare.rps if bare.rps else 0:.2f}× | — | — | {drained.p50:.1f} | "
                        f"{drained.p99:.1f} | {queries[path.name]} | {drained.errors} |"
                    )
                    print(rows[-1], flush=True)
                measured_runs = [("bare GET", bare), ("bare POST", bare_post), (path.name, result)]
                measured_runs += [("the same, log drained", drained)] if drained is not None else []
                for label, measured in measured_runs:
                    if measured is not None:
                        cpu_rows.append(
                            f"| {path.name} | {label} | {measured.rps:,.0f} | {_cpu_cells(measured.cpu)} | "
                            f"{_commands_text(measured.cpu)} |"
                        )
                        print(cpu_rows[-1], flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        load = Path("/proc/loadavg").read_text().split()[:3]
        loads[size] = (load_before, " ".join(load))
        report += [
            "",
            f"## {size:,} applications, {args.agencies:,} filed agencies, {args.certificates:,} certificates "
            f"(load average before: {load_before}, after: {' '.join(load)})",
            "",
            _counts(),
            "",
            "| path | req/s | bare GET req/s | × bare GET | bare POST req/s | × bare POST (same wrk script and bodies) "
            "| p50 ms | p99 ms | SQL queries | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "CPU ms per request of each process during each measurement (wrk; gunicorn master and workers; the "
            "PostgreSQL backends of this database; the Redis server, shared; the whole machine, everyone's work), and "
            "Redis's own commandstats over the run (calls per request × µs per call):",
            "",
            "| path | measured | req/s | wrk | gunicorn | PostgreSQL | Redis | machine | Redis commands |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|",
            *cpu_rows,
        ]
        if drains:
            report += [
                "",
                "The log's drain (`--drain`): each path measured again with `bench.load.drain` flushing the log every "
                f"{_drain_seconds()} s beside gunicorn, as beat does in production:",
                "",
                "| path | req/s drained | rows written | flushes | drain CPU ms | its PostgreSQL backend ms | "
                "µs per verification |",
                "|---|---:|---:|---:|---:|---:|---:|",
                *(
                    f"| {name} | {result.rps:,.0f} | {d['rows']:,} | {d['flushes']} | {d['cpu_ms']:.0f} | "
                    f"{d['backend_cpu_ms']:.0f} | {per_row:.0f} |"
                    for name, result, d, per_row in drains
                ),
            ]
            drains = []
        cpu_rows = []
        if args.officials:
            officials[size] = _officials(args, env, size)
            report += [
                "",
                f"Officials' pages measured in-process after the load (load average {officials[size]['load']}).",
            ]
    if len(sizes) > 1:
        report += ["", "## p50 latency (ms) as the data grows", ""]
        report.append("| path | " + " | ".join(f"{s:,}" for s in sizes) + " |")
        report.append("|---|" + "---:|" * len(sizes))
        for name, values in growth.items():
            report.append(f"| {name} | " + " | ".join(f"{v:.1f}" for v in values) + " |")
        report.append(
            "| load average (1, 5, 15 min) before → after | "
            + " | ".join(f"{loads[s][0]} → {loads[s][1]}" for s in sizes)
            + " |"
        )
    if officials:
        report += ["", *_officials_growth(officials)]
    out = ROOT / "bench/out"
    out.mkdir(exist_ok=True)
    target = out / f"load-{time.strftime('%Y%m%d-%H%M')}.md"
    target.write_text("\n".join(report) + "\n")
    print(f"\nwritten to {target}")


def _drain_seconds() -> int:
    from django.conf import settings

    return settings.VERIFICATION_LOG_FLUSH_SECONDS


def _drained(args, env: dict, target: str, cookie: str | None, body: Body | None, meter: _Meter) -> tuple[Result, dict]:
    """The path measured again with the log's drain running (``bench.load.drain``), started on an empty log;
    (the measurement, the drain's report)."""
    from certificates.verification import verification_log_flush

    verification_log_flush()
    command = [sys.executable, "-m", "bench.load.drain", "--every", str(_drain_seconds())]
    drainer = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert drainer.stdout.readline().strip() == "ready"
        result = _wrk(target, cookie=cookie, args=args, body=body, meter=meter)
    finally:
        drainer.send_signal(signal.SIGTERM)
        out, _err = drainer.communicate(timeout=60)
    return result, json.loads(out.strip().splitlines()[-1])


def _card_stats(args) -> tuple[int, int]:
    if not args.redis:
        return 0, 0
    from certificates.verification import card_stats

    stats = card_stats()
    return stats.get("hit", 0), stats.get("miss", 0)


def _counts() -> str:
    """What the data set holds at this size: the rows of the tables the measured pages list."""
    from certificates.models import Candidate, Certificate, Session
    from filings.models import Application
    from supervision.models import Complaint, Inspection, Plan, PoliceRegistration, Rectification, Sanction

    counts = [
        ("applications", Application),
        ("police registrations", PoliceRegistration),
        ("evaluation plans", Plan),
        ("results sessions", Session),
        ("candidates", Candidate),
        ("certificates", Certificate),
        ("complaints", Complaint),
        ("inspections", Inspection),
        ("rectification orders", Rectification),
        ("sanctions", Sanction),
    ]
    return "Rows: " + ", ".join(f"{model.objects.count():,} {name}" for name, model in counts) + "."


def _officials(args, served: dict, size: int) -> dict:
    """``bench.load.officials`` on the same database, labelled with the size: a process of its own with the
    served portal's environment (DEBUG off, no HTTPS redirect) but without Redis or a broker, as that script
    is run on its own. Returns its rows and load averages."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    env = {key: value for key, value in served.items() if key not in ("REDIS_URL", "CELERY_BROKER_URL")}
    command = [sys.executable, "-m", "bench.load.officials", "--postgres", args.postgres]
    command += ["--runs", str(args.officials_runs), "--label", str(size), "--json", str(out)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    data = json.loads(out.read_text())
    out.unlink()
    return {"rows": {row["page"]: row for row in data["rows"]}, "load": " → ".join(data["load"])}


def _officials_growth(officials: dict[int, dict]) -> list[str]:
    """One row per officials' page: wall ms, CPU ms and SQL queries at each size, and the ratio of the largest
    size's CPU to the smallest's."""
    sizes = sorted(officials)
    lines = [
        "## Officials' pages as the data grows (in-process, median of the runs: wall ms / CPU ms / SQL queries)",
        "",
        "| page | " + " | ".join(f"{s:,}" for s in sizes) + " | CPU × | SQL constant? |",
        "|---|" + "---:|" * len(sizes) + "---:|---|",
    ]
    for name in officials[sizes[0]]["rows"]:
        cells, cpu, sql = [], [], []
        for size in sizes:
            row = officials[size]["rows"].get(name, {})
            if row.get("status") != 200:
                cells.append(str(row.get("status", "—")))
                continue
            cells.append(f"{row['ms']:.1f} / {row['cpu_ms']:.1f} / {row['sql']}")
            cpu.append(row["cpu_ms"])
            sql.append(row["sql"])
        ratio = f"{cpu[-1] / cpu[0]:.2f}×" if len(cpu) == len(sizes) and cpu[0] else "—"
        constant = "yes" if len(set(sql)) == 1 else "**no**: " + " → ".join(str(n) for n in sql)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {ratio} | {constant} |")
    lines += ["", "Load average during each: " + "; ".join(f"{s:,}: {officials[s]['load']}" for s in sizes) + "."]
    return lines


def _create_database(url: str) -> None:
    """Create the database of ``url`` when it does not exist (the role needs CREATEDB)."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
