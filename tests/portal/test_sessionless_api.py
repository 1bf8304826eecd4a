"""The public JSON look-ups are served without a session or a user (``portal.middleware.sessionless``): they set
no cookie, carry the strictest Content-Security-Policy, answer a signed-in caller as they answer anyone, and leave
that caller's session as it was. Every other page, the API's documentation included, keeps sessions and the
portal's policy."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from portal.middleware import RENEWED, SESSIONLESS_POLICY, sessionless


def api_paths(resolver: URLResolver | None = None, prefix: str = "/") -> list[str]:
    """Every URL pattern under /api/, as a path (converters shown as written)."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        path = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            found += api_paths(pattern, path)
        elif isinstance(pattern, URLPattern) and path.startswith("/api/"):
            found.append(path)
    return found


def test_every_look_up_of_the_api_is_sessionless_and_its_documentation_is_not():
    paths = api_paths()
    lookups = [p for p in paths if "docs" not in p and "openapi" not in p]
    expected = ["/api/v1/directory/", "/api/v1/directory/<int:id>/", "/api/v1/receipts/verify/"]
    assert sorted(lookups) == sorted([*expected, "/api/v1/certificates/verify/"]), (
        "a new API path: decide whether it reads a session (SESSIONLESS_PATHS) and update this list"
    )
    factory = RequestFactory()
    assert all(sessionless(factory.get(p.replace("<int:id>", "1"))) for p in lookups)
    assert not any(sessionless(factory.get(p)) for p in paths if p not in lookups)
    assert not sessionless(factory.get("/directory/"))
    assert not sessionless(factory.get("/certificates/verify/"))


def test_a_look_up_sets_no_cookie_and_carries_the_strictest_policy(client, db):
    response = client.get("/api/v1/directory/")
    assert response.status_code == 200
    assert not response.cookies
    assert response["Content-Security-Policy"] == SESSIONLESS_POLICY
    assert response["X-Frame-Options"] == "DENY"
    asked = {"number": "S000045000001265000001", "name": "张三"}
    answered = client.post("/api/v1/certificates/verify/", json.dumps(asked), "application/json")
    assert answered.json() == {"found": False}
    assert not answered.cookies
    assert answered["Content-Security-Policy"] == SESSIONLESS_POLICY


def test_the_documentation_and_the_pages_keep_the_portals_policy(client, db):
    for path in ("/api/v1/docs", "/directory/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy, path
        assert policy != SESSIONLESS_POLICY


@pytest.mark.parametrize("path", ["/api/v1/directory/", "/api/v1/receipts/verify/?token=nothing"])
def test_a_signed_in_caller_is_answered_as_anyone_and_their_session_is_left_as_it_was(client, people, path):
    anonymous = client.get(path)
    client.force_login(people.city_nanning, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[RENEWED] = 0  # due for renewal: any request that loads it pushes its expiry back
    session.save()
    expiry = Session.objects.get(session_key=session.session_key).expire_date

    signed_in = client.get(path)

    assert signed_in.status_code == anonymous.status_code
    assert signed_in.content == anonymous.content
    assert not signed_in.cookies
    assert Session.objects.get(session_key=session.session_key).expire_date == expiry
    # The same session on a page is loaded and renewed: the check above can fail.
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=session.session_key).expire_date > expiry
