"""The verification log's drain as production runs it, for the load harness (``bench.load.run --drain``): every
``--every`` seconds (beat's ``VERIFICATION_LOG_FLUSH_SECONDS``, 5 by default) ``verification_log_flush`` takes the
rows the requests appended to Redis and writes them to PostgreSQL in bulk, in a process of its own beside gunicorn
(a Celery worker's place). It prints ``ready`` once connected, and on SIGTERM one JSON line: the rows written, its
own CPU ms and its PostgreSQL backend's CPU ms (from /proc: the same machine) over its life, so that the harness
can say what the drain costs per verification.

    python -m bench.load.drain [--every 5]     # with the served portal's environment
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import time
from pathlib import Path

TICK = 1000 / os.sysconf("SC_CLK_TCK")  # ms


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=float, default=5.0)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    from certificates.verification import verification_log_flush

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    cpu, backend_ticks = time.process_time(), _ticks(backend)
    rows, flushes = 0, 0
    print("ready", flush=True)
    next_flush = time.monotonic() + args.every
    while not stopping:
        time.sleep(max(0.0, min(0.1, next_flush - time.monotonic())))
        if time.monotonic() >= next_flush:
            rows += verification_log_flush()
            flushes += 1
            next_flush += args.every
    report = {
        "rows": rows,
        "flushes": flushes,
        "cpu_ms": (time.process_time() - cpu) * 1000,
        "backend_cpu_ms": (_ticks(backend) - backend_ticks) * TICK,
    }
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
