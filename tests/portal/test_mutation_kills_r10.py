"""Round 10's mutation run over the week's merged work (acct9, todo9, cal9): each test here failed with a planted
bug the existing tests let through, and passes on the product as it is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from filings.services import application_transition
from portal.lib.workdays import add_workdays, holiday_name, holidays_within, is_workday
from portal.models import Notification, WorkdayOverride
from portal.second_factor.services import recovery_codes_new
from tests.portal.inbox_page import read_subjects
from tests.portal.test_inbox_todo_stays import recommended  # noqa: F401 (a fixture)
from tests.portal.test_second_factor import code_step, enrolled, password_step, verified  # noqa: F401

D = dt.date


# ---------------------------------------------------------------- the forgotten password: the limit per client


@pytest.fixture
def with_email(people):
    people.agency_nanning.email = "agency_nanning@example.cn"
    people.agency_nanning.save()
    return people


def _ask(client, email, ip):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail leaves from a task queued on commit
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_one_client_asking_for_many_addresses_is_refused_at_the_fourth(with_email, client, mailoutbox):
    """Mutation: the limit per client address not checked (only the one per e-mail address): a client could then
    have the portal mail every address it guesses, three times each."""
    for n in range(3):
        assert _ask(client, f"guess{n}@example.cn", ip="10.7.7.7").status_code == 302
    refused = _ask(client, "agency_nanning@example.cn", ip="10.7.7.7")
    assert refused.status_code == 429
    assert mailoutbox == []  # the refused request mailed nobody
    # Another client is not affected, and this address had not reached its own limit.
    assert _ask(client, "agency_nanning@example.cn", ip="10.7.7.8").status_code == 302
    assert [mail.to for mail in mailoutbox] == [["agency_nanning@example.cn"]]


# ---------------------------------------------------------------- the second step: a recovery code of digits


def test_a_recovery_code_made_of_eight_digits_still_signs_in(enrolled, client):  # noqa: F811
    """Mutation: only 6 digits taken as a code's length: a recovery code (8 characters) that happens to be all
    digits was told "the code has 6 digits" and could never be used."""
    recovery_codes_new(user=enrolled.centre)
    token = StaticToken.objects.filter(device__user=enrolled.centre).first()
    token.token = "23456723"
    token.save()
    password_step(client, "centre")
    response = code_step(client, "23456723")
    assert response.status_code == 302 and verified(client)
    assert not StaticToken.objects.filter(pk=token.pk).exists()  # spent


# ---------------------------------------------------------------- the fixed-date holidays of an unknown year


def test_the_third_of_october_rests_in_a_year_the_package_does_not_know(db):
    """Mutation: 3 October missing from the fixed-date holidays. In 2028 it is a Tuesday: a deadline counted it as
    a working day, and an exam announced on it had no warning."""
    assert not is_workday(D(2028, 10, 3))
    assert holiday_name(D(2028, 10, 3)) == "国庆节"
    # Friday 29 September + 1 working day: past the weekend and 国庆节's Monday 2 and Tuesday 3.
    assert add_workdays(D(2028, 9, 29), 1) == D(2028, 10, 4)
    assert [day for day, _name in holidays_within(D(2028, 10, 3), D(2028, 10, 4))] == [D(2028, 10, 3)]
    assert is_workday(D(2028, 10, 4))  # below and above: the day after is an ordinary Wednesday


def test_an_admin_entered_holiday_on_a_weekend_is_named_an_ordinary_one_is_not(db):
    """Product bug found by the run (a rest day entered on a weekend was never a holiday): once the admin entered
    2027's National Day (1–7 October, Saturday 2 and Sunday 3 among them), the exam-day warning forgot the
    Saturday that it named before the entry — the package names 2026's Saturday 3 October (国庆节) alike.
    Mutation killed as well: any weekend rest day entered, note or not, named "a public holiday"."""
    assert holiday_name(D(2027, 10, 2)) == "国庆节"  # before the entry: the fixed-date fallback
    for day in range(1, 8):
        WorkdayOverride.objects.create(date=D(2027, 10, day), is_workday=False, note="国庆节")
    assert holiday_name(D(2027, 10, 2)) == "国庆节"  # Saturday
    assert holiday_name(D(2027, 10, 3)) == "国庆节"  # Sunday
    assert holiday_name(D(2027, 10, 4)) == "国庆节"  # Monday
    assert [day.day for day, _name in holidays_within(D(2027, 10, 1), D(2027, 10, 9))] == [1, 2, 3, 4, 5, 6, 7]
    # A weekend rest day entered without a note says no more than the weekend: an ordinary Saturday is no holiday.
    WorkdayOverride.objects.create(date=D(2027, 10, 9), is_workday=False, note="")
    assert holiday_name(D(2027, 10, 9)) is None
    # A weekday rest day without a note is still a holiday; a working day entered is none.
    WorkdayOverride.objects.create(date=D(2027, 10, 8), is_workday=False, note="")
    assert holiday_name(D(2027, 10, 8)) == "法定节假日"
    WorkdayOverride.objects.create(date=D(2027, 9, 26), is_workday=True, note="国庆节调休")
    assert holiday_name(D(2027, 9, 26)) is None


# ---------------------------------------------------------------- the inbox's 已读 tab counts what it lists


def _read_badge(client_for, user) -> str:
    page = client_for(user).get(reverse("inbox")).content.decode()
    start = page.index('data-inbox-tab="read"')
    return page[start : page.index("</a>", start)]


def test_the_read_tab_does_not_count_an_opened_to_do_it_does_not_list(
    people,
    client_for,
    recommended,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Mutation: the 已读 tab's count taken as "opened": an opened to-do, listed under 待办 only, was counted under
    已读 too (1 where the tab listed nothing)."""
    todo = Notification.objects.get(recipient=people.centre, todo=True)
    other = Notification.objects.filter(recipient=people.centre).exclude(pk=todo.pk)
    assert not other.exists()
    client_for(people.centre).get(reverse("notification_open", args=[todo.pk]))
    assert read_subjects(client_for, people.centre) == []
    assert '<span class="badge rounded-pill text-bg-secondary">0</span>' in _read_badge(client_for, people.centre)
    # Done: listed under 已读 and counted there.
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=recommended, by=people.centre, name="accept")
    assert read_subjects(client_for, people.centre) == [todo.subject]
    assert '<span class="badge rounded-pill text-bg-secondary">1</span>' in _read_badge(client_for, people.centre)
