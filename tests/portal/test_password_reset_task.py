"""The reset e-mail leaves from a Celery task queued on commit (issue acct11), not from the request: the request
queues it for any address, known or not, and the task's e-mail still carries a working link."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from portal import services
from tests.portal.test_password_reset import NEW_PASSWORD, _link, with_email  # noqa: F401  a fixture
from tests.portal.test_signin import sign_in


@pytest.fixture
def queued(monkeypatch):
    """The arguments the task was queued with, the task still running (eagerly, as in development)."""
    calls = []
    task = services.send_password_reset_email
    real = task.apply_async

    def spy(args, **kwargs):
        calls.append(args)
        return real(args, **kwargs)

    monkeypatch.setattr(task, "apply_async", spy)
    return calls


def _post(client, email):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR="10.9.9.9")


def test_the_request_sends_nothing_and_the_task_sends_the_link_on_commit(with_email, client, mailoutbox, queued):  # noqa: F811
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = _post(client, "agency_nanning@example.cn")
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mailoutbox == [] and queued == []  # nothing left while the request's transaction was open
    for callback in callbacks:
        callback()
    assert queued == [("agency_nanning@example.cn", "zh-hans")]
    [mail] = mailoutbox
    assert mail.to == ["agency_nanning@example.cn"] and "设置新密码" in mail.subject and "1 小时内" in mail.body
    # The task's link works: it sets the password, which then signs in.
    form_page = client.get(_link(mail).removeprefix("http://127.0.0.1:8000"), follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert sign_in(client, "agency_nanning", NEW_PASSWORD).status_code == 302


def test_an_unknown_address_is_queued_alike_and_mails_nobody(with_email, client, mailoutbox, queued):  # noqa: F811
    with TestCase.captureOnCommitCallbacks(execute=True):
        known = _post(client, "agency_nanning@example.cn")
        unknown = _post(client, "nobody@example.cn")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.content == unknown.content
    assert queued == [("agency_nanning@example.cn", "zh-hans"), ("nobody@example.cn", "zh-hans")]
    assert [mail.to for mail in mailoutbox] == [["agency_nanning@example.cn"]]


def test_the_e_mail_keeps_the_language_of_the_request(with_email, client, mailoutbox, queued):  # noqa: F811
    client.cookies["django_language"] = "en"
    with TestCase.captureOnCommitCallbacks(execute=True):
        _post(client, "agency_nanning@example.cn")
    assert queued == [("agency_nanning@example.cn", "en")]
    [mail] = mailoutbox
    assert mail.subject == "Set a new password for the filing and supervision portal"
    assert "/accounts/reset/" in _link(mail)


def test_a_refused_request_queues_nothing(with_email, client, mailoutbox, queued):  # noqa: F811
    with TestCase.captureOnCommitCallbacks(execute=True):
        for _ in range(3):
            _post(client, "agency_nanning@example.cn")
        assert _post(client, "agency_nanning@example.cn").status_code == 429
    assert len(queued) == len(mailoutbox) == 3
