"""At the second step a code of the wrong number of digits is told so beside the field (issue acct9)."""

import pytest

from portal.models import AuditEvent
from tests.agencies.test_registration import field_errors
from tests.conftest import TEST_TOTP_SECRET, totp_code
from tests.portal.test_second_factor import code_step, enrolled, password_step, verified  # noqa: F401

SIX_DIGITS = "验证码为 6 位数字"
WRONG = "验证码错误或已被使用"


@pytest.mark.parametrize("code", ["1", "12345", "1234567", "123456789"])
def test_a_code_of_the_wrong_length_is_told_so_and_not_counted(enrolled, client, code):  # noqa: F811
    password_step(client, "centre")
    response = code_step(client, code)
    page = response.content.decode()
    assert response.status_code == 400
    assert SIX_DIGITS in field_errors(page, "code") and WRONG not in page  # beside the field
    assert not AuditEvent.objects.filter(action="login_failed", username="centre").exists()
    assert not verified(client)


def test_six_wrong_digits_are_still_wrong_or_used(enrolled, client):  # noqa: F811
    password_step(client, "centre")
    wrong = "000000" if totp_code("centre", TEST_TOTP_SECRET) != "000000" else "111111"
    page = code_step(client, wrong).content.decode()
    assert WRONG in page and SIX_DIGITS not in page


def test_after_a_short_code_the_right_code_signs_in(enrolled, client):  # noqa: F811
    password_step(client, "centre")
    code_step(client, totp_code("centre", TEST_TOTP_SECRET)[:5])
    assert code_step(client, totp_code("centre", TEST_TOTP_SECRET)).status_code == 302
    assert verified(client)
