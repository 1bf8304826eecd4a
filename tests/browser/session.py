"""A browser page signed in without typing: the Django test client's session, past the second step
(tests/conftest.py), handed to the page as its session cookie."""

from __future__ import annotations

from django.test import Client


def signed_in(page, base: str, user) -> None:
    """``page`` (of the live server at ``base``) signed in as ``user``."""
    client = Client()
    client.force_login(user)
    host = base.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
