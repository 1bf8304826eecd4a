"""The second step's “wait” message counts its seconds in English as in Chinese.

After a wrong code django-otp refuses the authenticator for 1, 2, 4 … seconds (OTP_TOTP_THROTTLE_FACTOR, 1 by
default: the first delay is one second), and the page says how long to wait. In English one second is “1 second”:
the message read “wait 1 seconds” (mutation round 12)."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from portal.second_factor import services
from tests.conftest import TEST_TOTP_SECRET, totp_code
from tests.portal.test_second_factor import code_step, enrolled, password_step  # noqa: F401


def _wrong() -> str:
    return "000000" if totp_code("centre", TEST_TOTP_SECRET) != "000000" else "111111"


def _wait_after_a_wrong_code(client, seconds: int) -> str:
    password_step(client, "centre")
    code_step(client, _wrong())
    with mock.patch.object(services, "throttled_seconds", return_value=seconds):
        response = code_step(client, _wrong())
    assert response.status_code == 400
    return response.content.decode()


def test_one_second_is_one_second_in_english(enrolled, client, settings):  # noqa: F811
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client.cookies["django_language"] = "en"
    page = _wait_after_a_wrong_code(client, 1)
    assert "The previous code was wrong: wait 1 second before typing the next one." in page
    assert "1 seconds" not in page


def test_more_seconds_are_plural_in_english(enrolled, client, settings):  # noqa: F811
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client.cookies["django_language"] = "en"
    page = _wait_after_a_wrong_code(client, 2)
    assert "The previous code was wrong: wait 2 seconds before typing the next one." in page


def test_chinese_says_the_seconds_the_same_for_one_or_more(enrolled, client, settings):  # noqa: F811
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    assert "上一次输入的验证码有误，请等待 1 秒后再输入。" in _wait_after_a_wrong_code(client, 1)
    client.post(reverse("logout"))
    assert "上一次输入的验证码有误，请等待 2 秒后再输入。" in _wait_after_a_wrong_code(client, 2)
