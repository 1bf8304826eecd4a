"""The forgotten password (issue acct9): a link by e-mail, the same answer for any address, a rate limit per
address, a link that expires, the lockout lifted and the change audited, the second step still asked."""

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from portal.models import AuditEvent
from tests.conftest import TEST_TOTP_SECRET
from tests.portal.factories import PASSWORD
from tests.portal.test_signin import sign_in

NEW_PASSWORD = "Neues-Passwort-2027"


@pytest.fixture
def with_email(people):
    for name in ("agency_nanning", "city_nanning"):
        user = getattr(people, name)
        user.email = f"{name}@example.cn"
        user.save()
    return people


def _ask(client, email, ip="10.9.9.9"):
    # The e-mail leaves from a task queued on commit (issue acct11); a test's transaction never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def _link(mail) -> str:
    return re.search(r"http://\S+/accounts/reset/\S+/", mail.body).group(0)


def test_the_sign_in_page_links_to_the_reset_form(db, client):
    page = client.get(reverse("login")).content.decode()
    assert "忘记密码？" in page and reverse("password_reset") in page
    form = client.get(reverse("password_reset"))
    assert form.status_code == 200 and "找回密码" in form.content.decode()


def test_a_known_address_gets_a_link_in_chinese_an_unknown_one_the_same_answer(with_email, client, mailoutbox):
    known = _ask(client, "Agency_Nanning@example.cn")
    unknown = _ask(client, "nobody@example.cn")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["agency_nanning@example.cn"]
    assert "设置新密码" in mail.subject and "agency_nanning" in mail.body and "1 小时内" in mail.body
    assert _link(mail).startswith("http://127.0.0.1:8000/accounts/reset/")
    done = client.get(known.url).content.decode()
    assert "如果有账号使用您填写的邮箱" in done


def test_an_inactive_account_gets_no_mail(with_email, client, mailoutbox):
    with_email.agency_nanning.is_active = False
    with_email.agency_nanning.save()
    assert _ask(client, "agency_nanning@example.cn").status_code == 302
    assert mailoutbox == []


def test_three_requests_per_address_then_429_even_from_other_addresses(with_email, client, mailoutbox):
    for n in range(3):
        assert _ask(client, "agency_nanning@example.cn", ip=f"10.0.0.{n}").status_code == 302
    refused = _ask(client, "AGENCY_NANNING@example.cn", ip="10.0.0.9")
    assert refused.status_code == 429
    assert len(mailoutbox) == 3
    # Another address is not affected.
    assert _ask(client, "city_nanning@example.cn", ip="10.0.0.9").status_code == 302
    assert len(mailoutbox) == 4


def test_the_link_sets_the_password_lifts_the_lockout_and_is_audited(with_email, client, mailoutbox):
    for _ in range(5):
        sign_in(client, "agency_nanning", "wrong")
    assert sign_in(client, "agency_nanning", PASSWORD).status_code == 429
    _ask(client, "agency_nanning@example.cn")
    link = _link(mailoutbox[0]).removeprefix("http://127.0.0.1:8000")
    form_page = client.get(link, follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert "新密码已设置" in client.get(done.url).content.decode()
    event = AuditEvent.objects.get(action="password_change", username="agency_nanning")
    assert "reset" in event.detail
    # No longer locked, and the new password is the one that signs in.
    assert sign_in(client, "agency_nanning", PASSWORD).status_code == 200
    assert sign_in(client, "agency_nanning", NEW_PASSWORD).status_code == 302
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert "此链接已过期或已被使用" in again


def test_the_link_expires_after_an_hour(with_email, client, mailoutbox, settings, monkeypatch):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    _ask(client, "agency_nanning@example.cn")
    link = _link(mailoutbox[0]).removeprefix("http://127.0.0.1:8000")
    from django.contrib.auth.tokens import default_token_generator

    now = default_token_generator._now()
    monkeypatch.setattr(default_token_generator, "_now", lambda: now.replace(microsecond=0) + _minutes(59))
    assert "new_password1" in client.get(link, follow=True).content.decode()
    monkeypatch.setattr(default_token_generator, "_now", lambda: now + _minutes(61))
    page = client.get(link, follow=True).content.decode()
    assert "此链接已过期或已被使用" in page and "new_password1" not in page


def _minutes(n):
    import datetime as dt

    return dt.timedelta(minutes=n)


def test_an_official_still_passes_the_second_step_after_a_reset(with_email, client, mailoutbox):
    from portal.second_factor.services import authenticator_set

    authenticator_set(user=with_email.city_nanning, secret=TEST_TOTP_SECRET)
    _ask(client, "city_nanning@example.cn")
    form_page = client.get(_link(mailoutbox[0]).removeprefix("http://127.0.0.1:8000"), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    signed = client.post(reverse("login"), {"username": "city_nanning", "password": NEW_PASSWORD})
    assert signed.status_code == 302
    assert client.get(reverse("home")).url.startswith(reverse("second_step"))


def test_the_support_contact_is_shown_when_set(db, client, settings):
    settings.PORTAL_SUPPORT_CONTACT = "信息科 0771-5858123"
    assert "登录遇到问题？请联系：信息科 0771-5858123" in client.get(reverse("login")).content.decode()
    settings.PORTAL_SUPPORT_CONTACT = ""
    assert "请联系" not in client.get(reverse("login")).content.decode()


def test_the_lockout_page_names_the_contact_and_the_reset(people, client, settings):
    settings.PORTAL_SUPPORT_CONTACT = "信息科 0771-5858123"
    for _ in range(5):
        sign_in(client, "agency_nanning", "wrong")
    page = sign_in(client, "agency_nanning", PASSWORD).content.decode()
    assert "如需立即解锁，请联系：信息科 0771-5858123" in page
    assert reverse("password_reset") in page
