"""A changed password is told to the account's holder (issue acct11): after a reset link or the change page, an
e-mail (queued on commit) and an inbox message give the time, how it was changed (issue acct12: the holder must
know whether someone used a reset link, which only the account's mailbox receives) and whom to call; a refused
attempt sends nothing."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import formats, timezone, translation

from portal.models import Notification
from tests.portal.factories import PASSWORD
from tests.portal.test_password_reset import NEW_PASSWORD, _ask, _link, with_email  # noqa: F401  a fixture

CONTACT = "信息科 0771-5858123"
SUBJECT = "您的密码已修改"


@pytest.fixture(autouse=True)
def _contact(settings):
    settings.PORTAL_SUPPORT_CONTACT = CONTACT


def _now_texts(start, end) -> set[str]:
    """The times the notice may print: the minute the test started and the one it ended in."""
    with translation.override("zh-hans"):
        return {formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") for moment in (start, end)}


def _notices(mailoutbox, address):
    return [mail for mail in mailoutbox if mail.to == [address] and mail.subject == SUBJECT]


def _reset(client, mailoutbox, new):
    _ask(client, "agency_nanning@example.cn")
    form_page = client.get(_link(mailoutbox[-1]).removeprefix("http://127.0.0.1:8000"), follow=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})


def _change(client, old, new):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
        )


BY_RESET_LINK = (
    "您的密码已于{when}通过发送到账号邮箱的重置链接修改；"
    "如非本人操作，您的邮箱可能也已被他人掌握，请立即联系{contact}。"
)
ON_CHANGE_PAGE = "您的密码已于{when}在登录后的“修改密码”页面修改；如非本人操作，请立即联系{contact}。"


def _assert_notice(body, start, sentence):
    assert any(sentence.format(when=when, contact=CONTACT) in body for when in _now_texts(start, timezone.now()))


def test_a_reset_by_link_sends_the_notice_with_the_time_and_the_contact(with_email, client, mailoutbox):  # noqa: F811
    start = timezone.now()
    assert _reset(client, mailoutbox, NEW_PASSWORD).status_code == 302
    [notice] = _notices(mailoutbox, "agency_nanning@example.cn")
    _assert_notice(notice.body, start, BY_RESET_LINK)
    assert "修改密码”页面" not in notice.body
    # The inbox holds it too: the holder sees it on signing in.
    [message] = Notification.objects.filter(recipient=with_email.agency_nanning, subject=SUBJECT)
    assert message.emailed
    _assert_notice(message.body, start, BY_RESET_LINK)


def test_a_change_on_the_change_page_sends_the_notice(with_email, client_for, mailoutbox):  # noqa: F811
    start = timezone.now()
    client = client_for(with_email.agency_nanning)
    assert _change(client, PASSWORD, NEW_PASSWORD).status_code == 302
    [notice] = _notices(mailoutbox, "agency_nanning@example.cn")
    _assert_notice(notice.body, start, ON_CHANGE_PAGE)
    assert "重置链接" not in notice.body
    [message] = Notification.objects.filter(recipient=with_email.agency_nanning, subject=SUBJECT)
    _assert_notice(message.body, start, ON_CHANGE_PAGE)
    inbox = client.get(reverse("inbox")).content.decode()
    assert SUBJECT in inbox


def test_a_refused_change_sends_nothing_the_next_good_one_sends_one(with_email, client_for, mailoutbox):  # noqa: F811
    client = client_for(with_email.agency_nanning)
    assert _change(client, "not-the-password", NEW_PASSWORD).status_code == 200
    assert _notices(mailoutbox, "agency_nanning@example.cn") == []
    assert not Notification.objects.filter(subject=SUBJECT).exists()
    assert _change(client, PASSWORD, NEW_PASSWORD).status_code == 302
    assert len(_notices(mailoutbox, "agency_nanning@example.cn")) == 1
    assert Notification.objects.filter(subject=SUBJECT).count() == 1


def test_a_refused_reset_sends_nothing_the_next_good_one_sends_one(with_email, client, mailoutbox):  # noqa: F811
    _ask(client, "agency_nanning@example.cn")
    form_url = client.get(_link(mailoutbox[-1]).removeprefix("http://127.0.0.1:8000"), follow=True).redirect_chain[-1][
        0
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        refused = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "Another-Password-2027"})
    assert refused.status_code == 200
    assert _notices(mailoutbox, "agency_nanning@example.cn") == []
    assert not Notification.objects.filter(subject=SUBJECT).exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert len(_notices(mailoutbox, "agency_nanning@example.cn")) == 1


def test_without_a_contact_set_the_notice_names_the_administrator(with_email, client_for, mailoutbox, settings):  # noqa: F811
    settings.PORTAL_SUPPORT_CONTACT = ""
    _change(client_for(with_email.agency_nanning), PASSWORD, NEW_PASSWORD)
    [notice] = _notices(mailoutbox, "agency_nanning@example.cn")
    assert "如非本人操作，请立即联系平台管理员。" in notice.body
