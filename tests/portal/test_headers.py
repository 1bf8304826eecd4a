"""Headers (issue 14, item 3): Permissions-Policy on every response (the camera only on the inspectors' photo
pages), no-store on everything a signed-in user receives and on private downloads, public pages left to cache,
and X-Forwarded-Proto believed only from the configured proxies."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse

from portal.lib.downloads import stored_file_response
from portal.lib.http import client_ip
from portal.middleware import TrustedProxyHeaders
from supervision.services.inspections import inspection_open
from tests.supervision.conftest import nanning_entry  # noqa: F401  (a fixture)

NO_STORE = "no-store"


def test_a_public_page_turns_every_feature_off_and_keeps_its_caching(client, db):
    response = client.get("/directory/")
    assert response.status_code == 200
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert NO_STORE not in response.get("Cache-Control", "")


def test_a_refusal_made_by_middleware_carries_the_policy_too(client, db):
    response = client.get("/directory/?q=%00")
    assert response.status_code == 400 and "camera=()" in response["Permissions-Policy"]


def test_every_page_of_a_signed_in_user_is_no_store(people, client_for):
    client = client_for(people.city_nanning)
    for path in ("/", "/directory/", reverse("inbox")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert NO_STORE in response["Cache-Control"], path
        assert "camera=()" in response["Permissions-Policy"], path


def test_a_private_download_is_no_store_whoever_asks(db):
    from portal.models import RenderedDocument

    document = RenderedDocument.objects.create(
        kind="t", object_id="1", key="", file=ContentFile(b"%PDF-1.4", name="a.pdf")
    )
    response = stored_file_response(document.file, filename="a.pdf", content_type="application/pdf")
    assert NO_STORE in response["Cache-Control"]


def test_the_inspection_page_alone_may_use_the_camera_of_its_own_origin(people, client_for, nanning_entry):  # noqa: F811
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    client = client_for(people.city_nanning)
    page = client.get(reverse("supervision:inspection_detail", args=[inspection.pk]))
    assert page.status_code == 200
    assert "camera=(self)" in page["Permissions-Policy"] and "geolocation=()" in page["Permissions-Policy"]
    assert NO_STORE in page["Cache-Control"]
    assert "camera=()" in client.get("/").headers["Permissions-Policy"]


@pytest.fixture
def behind_a_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.7"]


def test_a_client_claiming_https_is_not_believed(client, db, behind_a_proxy):
    response = client.get("/directory/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 301 and response["Location"].startswith("https://")


@pytest.mark.parametrize("proxy", ["10.1.2.3", "192.0.2.7"])
def test_a_configured_proxy_saying_https_is_believed(client, db, behind_a_proxy, proxy):
    response = client.get("/directory/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=proxy)
    assert response.status_code == 200


def test_with_no_proxy_configured_nobody_is_believed(client, db, behind_a_proxy, settings):
    settings.TRUSTED_PROXIES = []
    response = client.get("/directory/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 301


@pytest.mark.parametrize(("peer", "client_address"), [("203.0.113.9", "203.0.113.9"), ("10.1.2.3", "6.6.6.6")])
def test_forwarded_for_is_believed_only_from_a_configured_proxy(behind_a_proxy, settings, peer, client_address):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR=peer)
    TrustedProxyHeaders(lambda request: None)(request)
    assert client_ip(request) == client_address
