"""First-day finding: a verification given the certificate number, the holder's name AND an ID number answered
"证书有效" whatever the ID number, so an employer who typed all three trusted an ID number the portal never checked.
Every field given must now match: the page and the API, with and without the certificate's card in Redis (the
card knows no ID number, so such a look-up is answered from the database)."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from certificates import verification
from certificates.models import Certificate, Verification
from tests.certificates.factories import ID_A, ID_B
from tests.certificates.test_verification import PAGE, post_json

NAME = "张小三"
REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def certificate(people) -> Certificate:
    from tests.certificates.test_verification_card import _issue, filed_entry

    return _issue(filed_entry(people.org_nanning, institution_code="S000045000001"), people)


@pytest.fixture(params=["database", "card"])
def way(request, settings):
    """Without Redis (the look-up in the database), and with the certificate's card in Redis already filled."""
    if request.param == "card":
        if not REDIS_URL:
            pytest.skip("needs a Redis server (REDIS_URL)")
        settings.REDIS_URL = REDIS_URL
        settings.VERIFICATION_LOG_BUFFERED = True
        settings.CERTIFICATE_CARD_SECONDS = 600
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
        cache.clear()
    yield request.param
    if request.param == "card":
        cache.clear()


def _api(client, certificate, **given):
    return post_json(client, {"number": certificate.number, "name": NAME, **given}).json()


def test_a_wrong_id_number_beside_the_right_number_and_name_finds_nothing(client, certificate, way):
    assert _api(client, certificate)["found"] is True  # by number and name: found (and its card filled)
    if way == "card":
        assert verification.card_stats().get("miss") == 1

    assert _api(client, certificate, id_number=ID_B) == {"found": False}
    page = client.post(PAGE, {"number": certificate.number, "name": NAME, "id_number": ID_B}).content.decode()
    assert "证书有效" not in page and "未查到" in page

    found = _api(client, certificate, id_number=ID_A)
    assert found["found"] is True and found["certificate"]["number"] == certificate.number
    assert (
        "证书有效"
        in client.post(PAGE, {"number": certificate.number, "name": NAME, "id_number": ID_A}).content.decode()
    )


def test_the_look_up_with_a_wrong_id_number_is_logged_as_not_found(client, certificate, way):
    _api(client, certificate, id_number=ID_B)
    verification.verification_log_flush()
    row = Verification.objects.order_by("-pk").first()
    assert (row.number, row.found, row.certificate_id) == (certificate.number, False, None)


def test_a_wrong_name_with_the_right_number_and_id_number_still_finds_nothing(client, certificate, way):
    assert _api(client, certificate, name="张小", id_number=ID_A) == {"found": False}
