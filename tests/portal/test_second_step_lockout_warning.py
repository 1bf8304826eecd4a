"""The second step warns before the lockout as the sign-in form does (issue acct12).

A wrong code is a failed sign-in of the name at the address (django-axes, README "Lockout": 5 failures of one
user name from one address lock it there for 30 minutes; 20 from one address lock the address). The password's
success starts the name's count again, so an official has 5 codes; after a refused code the page says how many
attempts are left once 2 or fewer are, and the fifth wrong code answers with the lockout page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from tests.conftest import TEST_TOTP_SECRET, totp_code
from tests.portal.test_lockout_warning import _warning
from tests.portal.test_second_factor import IP, code_step, enrolled, password_step, verified  # noqa: F401

TWO_LEFT = "还可尝试2次，之后将锁定30分钟。"
ONE_LEFT = "还可尝试1次，之后将锁定30分钟。"
LOCKED = "该账号已被锁定 30 分钟"


@pytest.fixture(autouse=True)
def _no_delay(settings):
    """django-otp's delay after a wrong code (1, 2, 4 … s) is not what is tested here: each code is typed after it,
    as a person would (a code typed during it is neither checked nor counted, tests/portal/test_second_factor.py)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _wrong() -> str:
    return "000000" if totp_code("centre", TEST_TOTP_SECRET) != "000000" else "111111"


def test_no_warning_with_four_or_three_left_a_warning_with_two_and_one_then_the_lockout(enrolled, client):  # noqa: F811
    assert password_step(client, "centre").status_code == 302
    responses = [code_step(client, _wrong()) for _ in range(5)]
    assert [r.status_code for r in responses] == [400, 400, 400, 400, 429]
    assert [_warning(r) for r in responses[:4]] == ["", "", TWO_LEFT, ONE_LEFT]
    assert LOCKED in responses[4].content.decode()
    assert client.get(reverse("inbox")).status_code == 302  # the half-signed-in session ended
    assert password_step(client, "centre").status_code == 429  # the name is locked at this address


def test_a_wrong_recovery_code_counts_and_is_warned_the_same(enrolled, client):  # noqa: F811
    password_step(client, "centre")
    responses = [code_step(client, "abcd2345") for _ in range(4)]
    assert [_warning(r) for r in responses] == ["", "", TWO_LEFT, ONE_LEFT]
    assert code_step(client, "abcd2345").status_code == 429


def test_the_wrong_passwords_before_a_right_one_do_not_shorten_the_second_step(enrolled, client):  # noqa: F811
    """The password's success resets the name's count at the address (AXES_RESET_ON_SUCCESS): 5 codes again."""
    for _ in range(4):
        password_step(client, "centre", password="not-the-password")
    assert password_step(client, "centre").status_code == 302
    assert [_warning(code_step(client, _wrong())) for _ in range(4)] == ["", "", TWO_LEFT, ONE_LEFT]


def test_a_code_of_the_wrong_length_is_not_counted_but_still_warned(enrolled, client):  # noqa: F811
    password_step(client, "centre")
    for _ in range(3):
        code_step(client, _wrong())
    typo = code_step(client, "12345")
    assert typo.status_code == 400 and _warning(typo) == TWO_LEFT  # still two: the typo did not count
    assert AuditEvent.objects.filter(action="login_failed", username="centre").count() == 3
    assert _warning(code_step(client, _wrong())) == ONE_LEFT


def test_the_address_near_its_own_limit_shortens_the_warning(enrolled, client):  # noqa: F811
    """17 failures of other names at this address: with 20 the address locks, so the first wrong code leaves 2."""
    for n in range(17):
        password_step(client, f"guess{n}", password="wrong")
    assert password_step(client, "centre").status_code == 302
    assert _warning(code_step(client, _wrong())) == TWO_LEFT
    assert _warning(code_step(client, _wrong())) == ONE_LEFT
    response = code_step(client, _wrong())
    assert response.status_code == 429 and "此网络地址已暂停登录" in response.content.decode()
    # Another address is neither warned nor locked.
    other = "10.99.0.1"
    assert password_step(client, "centre", ip=other).status_code == 302
    assert _warning(code_step(client, _wrong(), ip=other)) == ""


def test_the_right_code_after_warnings_still_signs_in(enrolled, client):  # noqa: F811
    password_step(client, "centre")
    assert [_warning(code_step(client, _wrong())) for _ in range(4)] == ["", "", TWO_LEFT, ONE_LEFT]
    assert code_step(client, totp_code("centre", TEST_TOTP_SECRET)).status_code == 302
    assert verified(client)


def test_the_warning_is_in_english_on_the_english_page(enrolled, client):  # noqa: F811
    client.cookies["django_language"] = "en"
    password_step(client, "centre")
    responses = [code_step(client, _wrong()) for _ in range(4)]
    assert _warning(responses[2]) == "2moreattempts,thensigninginislockedfor30minutes."
    assert _warning(responses[3]) == "1moreattempt,thensigninginislockedfor30minutes."


def test_the_enrolment_warns_the_same_before_its_wrong_codes_lock(people, client):
    """An official without an authenticator yet types its first code on the enrolment page: counted the same."""
    assert password_step(client, "city_nanning").status_code == 302
    assert client.get(reverse("second_factor_enrol")).status_code == 200
    responses = [client.post(reverse("second_factor_enrol"), {"code": "000000"}, REMOTE_ADDR=IP) for _ in range(5)]
    assert [r.status_code for r in responses] == [400, 400, 400, 400, 429]
    assert [_warning(r) for r in responses[:4]] == ["", "", TWO_LEFT, ONE_LEFT]
