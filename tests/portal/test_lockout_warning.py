"""The sign-in form warns before the lockout (issue acct11): after a refused attempt, when LOCKOUT_WARNING_ATTEMPTS
(2) or fewer attempts are left before django-axes locks (AXES_FAILURE_LIMIT, 5), with the real numbers; counted as
axes counts, so a name that does not exist gets the same pages as one that does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.portal.factories import PASSWORD
from tests.portal.test_signin import sign_in


def _warning(response) -> str:
    """The warning beside the form ("" when none), its words joined."""
    found = re.search(
        r'<div class="alert alert-warning[^"]*lockout-warning"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    return re.sub(r"<[^>]+>|\s+", "", found.group(1)) if found else ""


def _failures(client, username, n, ip="10.1.2.3"):
    return [
        client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip) for _ in range(n)
    ]


@pytest.mark.parametrize("username", ["agency_nanning", "no_such_person"])
def test_the_warning_comes_at_two_left_and_one_left_then_the_lockout(people, client, username):
    responses = _failures(client, username, 5)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert [_warning(r) for r in responses[:4]] == [
        "",  # 4 left
        "",  # 3 left
        "还可尝试2次，之后将锁定30分钟。",
        "还可尝试1次，之后将锁定30分钟。",
    ]
    assert "该账号已被锁定 30 分钟" in responses[4].content.decode()


def test_the_numbers_come_from_the_settings(people, client, settings):
    settings.AXES_FAILURE_LIMIT = 7
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=45)
    settings.LOCKOUT_WARNING_ATTEMPTS = 3
    responses = _failures(client, "agency_nanning", 7)
    assert [_warning(r) for r in responses[:6]] == [
        "",
        "",
        "",
        "还可尝试3次，之后将锁定45分钟。",
        "还可尝试2次，之后将锁定45分钟。",
        "还可尝试1次，之后将锁定45分钟。",
    ]
    assert responses[6].status_code == 429


def test_the_warning_is_in_english_on_the_english_page(people, client):
    client.cookies["django_language"] = "en"
    responses = _failures(client, "agency_nanning", 4)
    assert _warning(responses[2]) == "2moreattempts,thensigninginislockedfor30minutes."
    assert _warning(responses[3]) == "1moreattempt,thensigninginislockedfor30minutes."


def test_a_success_starts_the_count_again(people, client):
    _failures(client, "agency_nanning", 3)
    assert sign_in(client, "agency_nanning", PASSWORD).status_code == 302
    client.logout()
    assert [_warning(r) for r in _failures(client, "agency_nanning", 3)] == [
        "",
        "",
        "还可尝试2次，之后将锁定30分钟。",
    ]


def test_the_failures_of_other_names_at_one_address_count_toward_its_lockout(people, client, settings):
    """The address locks after LOCKOUT_ADDRESS_LIMIT (20) failures whatever the names: its last two are warned."""
    for n in range(17):
        _failures(client, f"guess{n}", 1)
    assert _warning(_failures(client, "guess17", 1)[0]) == "还可尝试2次，之后将锁定30分钟。"
    assert _warning(_failures(client, "guess18", 1)[0]) == "还可尝试1次，之后将锁定30分钟。"
    assert _failures(client, "guess19", 1)[0].status_code == 429
    # Another address is neither warned nor locked.
    assert _warning(_failures(client, "guess20", 1, ip="10.1.2.4")[0]) == ""
