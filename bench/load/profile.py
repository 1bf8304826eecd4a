"""Where a public look-up's time goes: pyinstrument over many requests of each public path, in-process through
the whole middleware stack (issue 16).

    .venv/bin/python -m bench.load.profile --postgres postgres://portal:portal@127.0.0.1:5432/portal_load \\
        [--redis redis://127.0.0.1:6379/8 --broker redis://127.0.0.1:6379/9] [--requests 300]

Run on the harness's populated database. Prints pyinstrument's call tree per path (frames under 2 % hidden) and
writes them to ``bench/out/profile-<time>.txt``.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.load.run import ROOT, _paths

PUBLIC = ("receipt verification", "directory", "certificate verification")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", default="")
    parser.add_argument("--broker", default="")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load.settings"
    os.environ["DJANGO_DEBUG"] = "False"
    os.environ.setdefault("DJANGO_SECRET_KEY", "profile-" + os.urandom(16).hex())
    os.environ["PUBLIC_LOOKUP_LIMIT"] = os.environ["CERTIFICATE_VERIFY_LIMIT"] = "1000000000"
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
        os.environ["VERIFICATION_LOG_BUFFERED"] = str(bool(args.broker))

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from pyinstrument import Profiler

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    out = []
    for path in [p for p in _paths() if p.name.startswith(PUBLIC) or p.name.startswith("floor")]:
        client = Client()

        def request(client=client, path=path):
            if path.json is not None:
                return client.post(path.url, json.dumps(path.json), content_type="application/json")
            if path.form is not None:
                return client.post(path.url, path.form)
            return client.get(path.url)

        for _ in range(10):
            assert request().status_code == 200, path.url
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for _ in range(args.requests):
            request()
        profiler.stop()
        per_request = (time.perf_counter() - started) / args.requests * 1000
        text = profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total")
        block = f"=== {path.name} ({path.url}): {per_request:.2f} ms a request in-process\n{text}"
        print(block, flush=True)
        out.append(block)
    target = ROOT / "bench/out" / f"profile-{time.strftime('%Y%m%d-%H%M')}.txt"
    target.parent.mkdir(exist_ok=True)
    target.write_text("\n".join(out))
    print(f"written to {target}")


if __name__ == "__main__":
    main()
