"""The Content-Security-Policy (issue 14, item 3): every page a crawl of the demo reaches — public pages and what
each role can follow from its home page — carries the policy, its scripts come only from the portal itself, and
its markup has no inline script and no on*= handler that the policy would block."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.test import Client

from portal.models import User
from tests.conftest import seed_demo

ACCOUNTS = ["agency_liuzhou", "agency_weian", "city_nanning", "centre", "police_nanning", "expert1", "admin"]
# Pages enough to reach every kind of page from a home page and the public pages.
LIMIT = 70
SKIP = re.compile(r"^/(accounts/logout|admin/|static/)|\.(pdf|xlsx|zip|json|py)$|/(pdf|receipt|download)/?$")
LINK = re.compile(r'href="(/[^"#?]*)')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "img-src": "'self' data:",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def crawl(client: Client) -> dict[str, object]:
    """Breadth first from the home page and the public pages, GET only: path → response."""
    seen: dict[str, object] = {}
    queue = deque(["/", "/notices/", "/directory/", "/evaluations/", "/verify/", "/complaints/new/", "/register/"])
    while queue and len(seen) < LIMIT:
        path = queue.popleft()
        if path in seen or SKIP.search(path):
            continue
        response = client.get(path)
        seen[path] = response
        if "text/html" in response.get("Content-Type", ""):
            queue.extend(LINK.findall(response.content.decode()))
    return seen


def test_the_policy_allows_scripts_only_from_the_portal(client):
    policy = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    for name, value in EXPECTED.items():
        assert policy[name] == value, name
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]


@pytest.mark.django_db
def test_every_page_of_a_crawl_has_the_policy_and_no_inline_script():
    seed_demo()
    problems: dict[str, list[str]] = {}
    crawled = 0
    for username in [None, *ACCOUNTS]:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        pages = crawl(client)
        crawled += len(pages)
        for path, response in pages.items():
            found = []
            policy = directives(response.get("Content-Security-Policy", ""))
            # Downloads carry their own stricter policy (default-src 'none'; sandbox: portal.lib.downloads).
            script_src = policy.get("script-src", policy.get("default-src", ""))
            if script_src not in ("'self'", "'none'"):
                found.append(f"script-src {script_src!r}")
            if response.status_code >= 500:
                found.append(f"status {response.status_code}")
            if "text/html" in response.get("Content-Type", ""):
                html = response.content.decode()
                found += [f"inline {tag}" for tag in INLINE_SCRIPT.findall(html)]
                found += [f"handler {tag[:80]}" for tag in HANDLER.findall(html)]
            if found:
                problems[f"{username or 'anonymous'} {path}"] = found
    assert crawled > 200
    assert problems == {}
