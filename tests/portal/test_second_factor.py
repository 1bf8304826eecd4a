"""The second factor of officials and administrators: the second step, enrolment, recovery codes, fail closed."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.admin_site import PortalAdminSite
from portal.middleware import sessionless
from portal.models import AuditEvent
from portal.second_factor.services import authenticator_set, recovery_codes_new
from tests.conftest import TEST_TOTP_SECRET, totp_code
from tests.portal.factories import PASSWORD
from tests.test_role_matrix import _every_pattern, _sample_kwargs

IP = "10.20.30.40"
OPEN_BEFORE_THE_SECOND_STEP = {"second_step", "second_factor_enrol", "second_factor_qr", "logout", "set_language"}


def password_step(client, username: str, password: str = PASSWORD, ip: str = IP):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def code_step(client, code: str, ip: str = IP):
    return client.post(reverse("second_step"), {"code": code}, REMOTE_ADDR=ip)


@pytest.fixture
def enrolled(people):
    """centre and admin with an authenticator set up with the test secret."""
    for user in (people.centre, people.admin):
        authenticator_set(user=user, secret=TEST_TOTP_SECRET)
    return people


def verified(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_an_enrolled_official_needs_the_code_after_the_password(enrolled, client):
    assert password_step(client, "centre").status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("second_step"))
    page = client.get(response.url).content.decode()
    assert "登录第二步" in page and page.count('name="code"') == 1
    response = code_step(client, totp_code("centre", TEST_TOTP_SECRET))
    assert response.status_code == 302 and response.url == "/"
    assert verified(client)


def test_a_wrong_code_is_refused_beside_the_field_and_the_session_stays_unverified(enrolled, client):
    password_step(client, "centre")
    response = code_step(client, "000000" if totp_code("centre", TEST_TOTP_SECRET) != "000000" else "111111")
    assert response.status_code == 400
    assert "验证码错误或已被使用" in response.content.decode()
    assert not verified(client)


def test_a_code_once_used_is_refused_the_second_time(enrolled, client):
    code = totp_code("centre", TEST_TOTP_SECRET)
    password_step(client, "centre")
    assert code_step(client, code).status_code == 302 and verified(client)
    client.post(reverse("logout"))
    password_step(client, "centre")
    assert code_step(client, code).status_code == 400  # replayed within its 30 seconds
    assert not verified(client)


def test_a_recovery_code_works_once(enrolled, client):
    codes = recovery_codes_new(user=enrolled.centre)
    assert len(codes) == 10 and len(set(codes)) == 10
    password_step(client, "centre")
    assert code_step(client, codes[0].upper()).status_code == 302 and verified(client)
    client.post(reverse("logout"))
    password_step(client, "centre")
    assert code_step(client, codes[0]).status_code == 400
    assert not verified(client)
    assert code_step(client, codes[1]).status_code == 302 and verified(client)


def test_wrong_codes_count_toward_the_lockout(enrolled, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # each code typed after django-otp's delay (the next test)
    password_step(client, "centre")
    wrong = "000000" if totp_code("centre", TEST_TOTP_SECRET) != "000000" else "111111"
    statuses = [code_step(client, wrong).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    assert AuditEvent.objects.filter(action="login_failed", username="centre").count() == 5  # audited as such
    assert client.get(reverse("inbox")).status_code == 302  # signed out
    response = password_step(client, "centre")  # the right password too, from this address
    assert response.status_code == 429 and "该账号已被锁定 30 分钟" in response.content.decode()
    assert password_step(client, "centre", ip="10.99.0.1").status_code == 302  # from elsewhere it still works


def test_a_code_typed_during_the_delay_after_a_wrong_one_is_refused_unchecked_and_not_counted(
    enrolled, client, settings
):
    """django-otp refuses the authenticator for a while after wrong codes (1, 2, 4 … seconds by default) without
    checking what is typed: the page says how long to wait, and a code typed then (the right one too) costs no
    attempt toward the lockout."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a delay no slow machine outlasts between two requests
    password_step(client, "centre")
    wrong = "000000" if totp_code("centre", TEST_TOTP_SECRET) != "000000" else "111111"
    assert code_step(client, wrong).status_code == 400  # the first wrong code: counted, then the delay
    for code in (wrong, totp_code("centre", TEST_TOTP_SECRET)):
        response = code_step(client, code)
        assert response.status_code == 400 and not verified(client)
        assert re.search(r"上一次输入的验证码有误，请等待 (59|60) 秒后再输入。", response.content.decode())
        assert "次数过多" not in response.content.decode()
    client.cookies["django_language"] = "en"  # as the language switcher sets it
    english = code_step(client, wrong).content.decode()
    assert re.search(r"The previous code was wrong: wait (59|60) seconds before typing the next one\.", english)
    del client.cookies["django_language"]
    assert AuditEvent.objects.filter(action="login_failed", username="centre").count() == 1
    # Once the delay is over, the right code signs in.
    TOTPDevice.objects.filter(user__username="centre").update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=61)
    )
    assert code_step(client, totp_code("centre", TEST_TOTP_SECRET)).status_code == 302 and verified(client)


def test_an_official_not_enrolled_is_made_to_enrol_and_then_shown_recovery_codes(people, client):
    password_step(client, "city_nanning")
    response = client.get(reverse("agencies:organisation_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor_enrol"))
    page = client.get(response.url).content.decode()
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert reverse("second_factor_qr") in page and "<script>" not in page
    qr = client.get(reverse("second_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content and "no-store" in qr["Cache-Control"]
    # A wrong code: not enrolled, not verified.
    bad = client.post(reverse("second_factor_enrol"), {"code": "12345"}, REMOTE_ADDR=IP)
    assert bad.status_code == 400 and "验证码不匹配" in bad.content.decode()
    assert not TOTPDevice.objects.filter(user=people.city_nanning, confirmed=True).exists()
    # The code of an app set up with the key shown on the page.
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    response = client.post(reverse("second_factor_enrol"), {"code": code, "next": "/inbox/"}, REMOTE_ADDR=IP)
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor_recovery"))
    page = client.get(response.url).content.decode()
    codes = re.findall(r'<li class="col py-1">([a-z2-7]{8})</li>', page)
    assert len(codes) == 10 and "只显示这一次" in page
    download = client.get(reverse("second_factor_recovery") + "?download=1")
    assert all(c in download.content.decode() for c in codes)
    response = client.post(reverse("second_factor_recovery_action"), {"action": "kept", "next": "/inbox/"})
    assert response.url == "/inbox/"
    assert not any(c in client.get(reverse("second_factor_recovery")).content.decode() for c in codes)  # once
    assert verified(client)


def test_until_verified_an_official_reaches_only_the_second_step_pages(enrolled, client):
    """Fail closed: every URL of the project, public ones included, redirects a half-signed-in official. The
    public JSON look-ups read no session (``portal.middleware.sessionless``): they answer the official exactly
    as they answer anyone, signed in or not."""
    password_step(client, "centre")
    leaked, anonymous = {}, Client()
    for route in _every_pattern(get_resolver()):
        if not route.name or route.name in OPEN_BEFORE_THE_SECOND_STEP | {"login"}:
            continue
        url = reverse(route.name, kwargs=_sample_kwargs(route))
        response = client.get(url)
        if sessionless(RequestFactory().get(url)):
            expected = anonymous.get(url)
            if (response.status_code, response.content) != (expected.status_code, expected.content):
                leaked[route.name] = response.status_code
        elif response.status_code != 302 or not response.url.startswith(reverse("second_step")):
            leaked[route.name] = response.status_code
    assert leaked == {}


def test_the_admin_site_refuses_a_staff_user_without_the_second_step(enrolled, client):
    password_step(client, "admin")
    for url in (reverse("admin:index"), reverse("admin:portal_user_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("second_step")), url
    code_step(client, totp_code("admin", TEST_TOTP_SECRET))
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_itself_asks_for_a_verified_session(enrolled):
    request = RequestFactory().get("/admin/")
    request.user = enrolled.admin
    request.user.is_verified = lambda: False
    assert not PortalAdminSite().has_permission(request)
    request.user.is_verified = lambda: True
    assert PortalAdminSite().has_permission(request)


def test_agencies_sign_in_with_the_password_alone(people, client):
    assert password_step(client, "agency_nanning").status_code == 302
    assert verified(client)
