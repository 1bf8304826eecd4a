"""Round 12's mutation run over the day's merged work (acct12: the second step's lockout warning and its handling of
django-otp's delay; the password-changed notice saying how the password was changed): each test here failed with a
planted bug the existing tests let through, and passes on the product as it is."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.urls import reverse

from portal.models import AuditEvent, Notification
from portal.second_factor import services
from portal.second_factor.services import recovery_codes_new
from portal.services import password_changed_notify
from tests.conftest import TEST_TOTP_SECRET, totp_code
from tests.portal.factories import PASSWORD
from tests.portal.test_lockout_warning import _warning
from tests.portal.test_password_changed_notice import _change, _notices
from tests.portal.test_password_reset import NEW_PASSWORD, with_email  # noqa: F401  a fixture
from tests.portal.test_second_factor import IP, code_step, enrolled, password_step, verified  # noqa: F401

WAIT = re.compile(r"上一次输入的验证码有误，请等待 (59|60) 秒后再输入。")


def _wrong() -> str:
    return "000000" if totp_code("centre", TEST_TOTP_SECRET) != "000000" else "111111"


def _failures() -> int:
    return AuditEvent.objects.filter(action="login_failed", username="centre").count()


def test_a_recovery_code_still_signs_in_during_the_authenticators_delay(enrolled, client, settings):  # noqa: F811
    """Mutation: every code typed during django-otp's delay refused unchecked, recovery codes too. The delay is
    the authenticator's (django-otp throttles the TOTP device; recovery codes have no delay:
    OTP_STATIC_THROTTLE_FACTOR = 0): an official who falls back on a recovery code after a wrong authenticator
    code is let in at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    codes = recovery_codes_new(user=enrolled.centre)
    password_step(client, "centre")
    assert code_step(client, _wrong()).status_code == 400  # the authenticator now waits 60 seconds
    assert WAIT.search(code_step(client, totp_code("centre", TEST_TOTP_SECRET)).content.decode())
    response = code_step(client, codes[0])
    assert response.status_code == 302 and verified(client)


def test_an_authenticator_code_typed_with_a_space_during_the_delay_is_not_counted(enrolled, client, settings):  # noqa: F811
    """Mutation: the delay's check took “000 000” (six digits as the app shows them, with a space) for a recovery
    code: it was checked, refused by the throttle and counted toward the lockout. The second step reads six digits
    spaces aside (``code_check``): typed during the delay it is an authenticator code, neither checked nor
    counted."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    password_step(client, "centre")
    wrong = _wrong()
    code_step(client, wrong)
    assert _failures() == 1
    for typed in (f"{wrong[:3]} {wrong[3:]}", f"{wrong[:3]} {wrong[3:]}"):
        response = code_step(client, typed)
        assert response.status_code == 400 and WAIT.search(response.content.decode())
    assert _failures() == 1


def test_the_warning_follows_a_refused_code_not_a_visit_of_the_page(enrolled, client, settings):  # noqa: F811
    """Mutation: the warning shown whatever the request. It answers a refused code, as the sign-in form's answers
    a refused password (README "Lockout"); the page opened again (a reload, the link back) shows the form only."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    password_step(client, "centre")
    responses = [code_step(client, _wrong()) for _ in range(3)]
    assert _warning(responses[-1]) == "还可尝试2次，之后将锁定30分钟。"
    page = client.get(reverse("second_step"), REMOTE_ADDR=IP)
    assert page.status_code == 200 and _warning(page) == ""


def test_the_last_second_of_the_delay_is_still_the_delay(enrolled, client, settings):  # noqa: F811
    """Mutation: a delay of one second left (the threshold: ``throttled_seconds`` rounds up, so 1 means under a
    second) taken for none: the code typed then was checked, refused by django-otp's throttle and counted. Any
    delay left refuses the authenticator's code unchecked and uncounted, and says how long to wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    password_step(client, "centre")
    code_step(client, _wrong())  # django-otp now refuses the authenticator's codes
    with mock.patch.object(services, "throttled_seconds", return_value=1):
        response = code_step(client, _wrong())
    assert response.status_code == 400
    assert "上一次输入的验证码有误，请等待 1 秒后再输入。" in response.content.decode()
    assert _failures() == 1


@pytest.mark.django_db
def test_a_notice_of_an_unknown_way_is_refused_not_sent_without_saying_how(people):
    """Mutation: an unknown way fell back on the old wording (“your password was changed”, saying not how). The
    holder must learn how (a reset link means the mailbox may be in other hands): a way the notice cannot word is
    a programming error, and nothing is sent."""
    with pytest.raises(ValueError, match="unknown way"):
        password_changed_notify(user=people.agency_nanning, way="by_administrator")
    assert not Notification.objects.exists()


def test_the_notice_is_in_chinese_after_a_change_on_the_english_page(with_email, client_for, mailoutbox):  # noqa: F811
    """Mutation: the notice worded in the language of the page the password was changed on. A notice is stored
    and e-mailed as rendered (``notify``: in ``settings.LANGUAGE_CODE``), read later in the inbox or the mailbox
    in any language: the portal's, Chinese."""
    client = client_for(with_email.agency_nanning)
    client.cookies["django_language"] = "en"
    assert _change(client, PASSWORD, NEW_PASSWORD).status_code == 302
    [notice] = _notices(mailoutbox, "agency_nanning@example.cn")
    assert "在登录后的“修改密码”页面修改；如非本人操作，请立即联系" in notice.body
    assert "Change password" not in notice.body
    [message] = Notification.objects.filter(recipient=with_email.agency_nanning, subject="您的密码已修改")
    assert "在登录后的“修改密码”页面修改；如非本人操作，请立即联系" in message.body
