"""Instructions per request of one public look-up, counted by valgrind (callgrind): a figure a busy machine does
not change, for comparing two versions of the code where load runs and CPU times are noise (bench/README.md,
issue-ver3's section). In-process through the whole middleware stack, as ``bench.load.profile`` serves it, on the
harness's populated database; the warm-up requests run first, then ``--requests`` requests inside one
``functools.reduce`` call, the only part callgrind counts:

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \\
        --callgrind-out-file=/tmp/cg.found .venv/bin/python -m bench.load.instructions found \\
        --postgres postgres://portal:portal@127.0.0.1:5432/portal_grow --redis redis://127.0.0.1:6379/20
    # "Collected : N" in valgrind's summary; N / --requests per request

Paths: ``bare`` (the bare view POSTed the API's bodies), ``floor`` (the Redis floor, POSTed), ``found`` and
``wrong`` (the certificate verification API, warm cards: the right name, the name cut by one character),
``page`` (the verification page POSTed the right name, warm cards), ``bare-get`` (the bare view, GET),
``floor-sql`` (the bare view plus one indexed PostgreSQL look-up, GET: this process's part of it only), and the
cached GETs of issue 16 item 3: ``receipt``, ``receipt-api``, ``directory``, ``search``, ``directory-api`` (the
URLs of ``bench.load.run``'s paths of the same names).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os

URLS = {
    "bare": "/bench/bare-post/",
    "floor": "/bench/floor-redis/",
    "found": "/api/v1/certificates/verify/",
    "wrong": "/api/v1/certificates/verify/",
    "bare-get": "/bench/bare/",
    "floor-sql": "/bench/floor/",
}
# GET paths named as bench.load.run names them (their URLs need the database: the receipt's token).
GETS = {
    "receipt": "receipt verification page (token)",
    "receipt-api": "receipt verification API (token)",
    "directory": "directory, default page",
    "search": "directory, text search",
    "directory-api": "directory API, default page",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", choices=sorted([*URLS, *GETS, "page"]))
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warm", type=int, default=50, help="requests before counting (the cards filled)")
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=args.postgres,
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        DJANGO_DEBUG="False",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_SECURE_COOKIES="False",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        PUBLIC_LOOKUP_LIMIT="1000000000",
        CERTIFICATE_VERIFY_LIMIT="1000000000",
        REDIS_URL=args.redis,
        VERIFICATION_LOG_BUFFERED="True",
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "instructions-" + os.urandom(16).hex())
    import django

    django.setup()
    from django.conf import settings
    from django.db import close_old_connections
    from django.test import Client
    from django.urls import reverse

    from bench.load.run import _paths, verify_pool
    from certificates.verification import verification_log_flush

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    client = Client()
    wrong = args.path == "wrong"
    pool = [{"number": n, "name": name[:-1] if wrong else name} for n, name in verify_pool(args.warm)]
    bodies = itertools.cycle([json.dumps(given, ensure_ascii=False) for given in pool])
    forms = itertools.cycle(pool)
    if args.path in GETS:
        url = next(p.url for p in _paths() if p.name == GETS[args.path])
    elif args.path == "page":
        url = reverse("certificate_check:verify")
    else:
        url = URLS[args.path]

    def request(*_ignored) -> int:
        close_old_connections()  # as each request starts in production (the test client leaves it out)
        if args.path in GETS or args.path in ("bare-get", "floor-sql"):
            response = client.get(url)
        elif args.path == "page":
            response = client.post(url, next(forms))
        else:
            response = client.post(url, next(bodies), content_type="application/json")
        assert response.status_code == 200, response.status_code
        return 0

    for _ in range(args.warm):
        request()
    functools.reduce(request, range(args.requests), 0)  # the counted part
    verification_log_flush()


if __name__ == "__main__":
    main()
