"""The header's two switches (language, elder mode) are GET forms, so a public page without a form of its own
carries no CSRF token and sets no cookie: nothing per visitor, for a proxy or the public cache to keep apart
(issue 16). Pages with a form of their own keep their token, and the language switch keeps working both ways."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/directory/", "/directory/?q=南宁", "/notices/", "/evaluations/", "/verify/"])
def test_a_public_page_without_a_form_of_its_own_sets_no_cookie(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies, path
    assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/complaints/new/", "/certificates/verify/"])
def test_a_page_with_its_own_form_keeps_its_token(client, path):
    response = client.get(path)
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert settings.CSRF_COOKIE_NAME in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_language_switch_sets_the_language_and_returns_to_the_page(client, method):
    response = getattr(client, method)("/i18n/setlang/", {"language": "en", "next": "/directory/"})
    assert response.status_code == 302
    assert response["Location"] == "/directory/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get("/directory/").content.decode()


@pytest.mark.django_db
def test_the_switch_refuses_a_language_the_portal_does_not_speak_and_a_foreign_return_address(client):
    response = client.get("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert 'lang="zh-hans"' in client.get("/directory/").content.decode()
