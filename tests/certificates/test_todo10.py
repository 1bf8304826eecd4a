"""To-dos of the results workflow that nobody could clear (first-day tester, issue 12, todo10):

1. Results approved for an agency removed from (or suspended in) the directory: the bureau reads before approving
   that the agency cannot issue; the agency is told why, not given a to-do; its page offers no 颁发证书 button but
   the reason, and a forged POST still issues nothing.
2. An overdue results report is a plain message for the bureau (it waits for the agency), a to-do for the agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agencies.models import DirectoryEntry
from certificates.models import Certificate, Session
from certificates.services import results_decide
from certificates.tasks import notify_overdue_reports
from portal.models import Notification
from tests.certificates.factories import filed_entry, session_of
from tests.portal.inbox_page import todo_subjects

pytestmark = pytest.mark.django_db

APPROVED = "认定结果审核通过"
ISSUE_BUTTON = "颁发证书</button>"


def _waiting(client_for, user, text: str) -> bool:
    """Listed under 待办与未读 once the user has read everything: a to-do waits there until its work is done, a
    plain message leaves it when read."""
    client_for(user).post(reverse("inbox_mark_all_read"))
    return any(text in subject for subject in todo_subjects(client_for, user))


def _set_status(session: Session, status: str) -> None:
    DirectoryEntry.objects.filter(pk=session.plan.entry_id).update(status=status)


def _page(client_for, user, session: Session) -> str:
    return client_for(user).get(reverse("certificates:session_detail", args=[session.pk])).content.decode()


BARRED = [(DirectoryEntry.Status.REMOVED, "已移出目录"), (DirectoryEntry.Status.SUSPENDED, "已暂停")]


@pytest.mark.parametrize(("status", "label"), BARRED)
def test_the_bureau_reads_before_approving_that_a_barred_agency_cannot_issue(
    people, reported, client_for, status, label
):
    page = _page(client_for, people.city_nanning, reported)
    assert "不能颁发证书" not in page  # active: nothing to warn about
    _set_status(reported, status)
    page = _page(client_for, people.city_nanning, reported)
    assert f"该机构在目录中的状态为“{label}”：审核通过后，在恢复正常前也不能颁发证书。" in page


@pytest.mark.parametrize(("status", "label"), BARRED)
def test_a_barred_agency_is_told_why_not_given_a_to_do(people, reported, client_for, status, label):
    _set_status(reported, status)
    results_decide(session=reported, by=people.city_nanning, approve=True)
    assert not _waiting(client_for, people.agency_nanning, APPROVED)
    message = Notification.objects.get(recipient=people.agency_nanning, subject__contains=APPROVED)
    assert not message.todo
    assert f"该机构在目录中的状态为“{label}”：在恢复正常前不能颁发证书。" in message.body
    assert "现可颁发证书" not in message.body


def test_an_active_agency_still_gets_the_issue_to_do(people, reported, client_for):
    results_decide(session=reported, by=people.city_nanning, approve=True)
    assert _waiting(client_for, people.agency_nanning, APPROVED)
    page = _page(client_for, people.agency_nanning, reported)
    assert ISSUE_BUTTON in page and "在恢复正常前不能颁发证书" not in page


@pytest.mark.parametrize(("status", "label"), BARRED)
def test_a_barred_agencys_page_shows_the_reason_not_the_button(people, reported, client_for, status, label):
    results_decide(session=reported, by=people.city_nanning, approve=True)
    _set_status(reported, status)
    page = _page(client_for, people.agency_nanning, reported)
    assert ISSUE_BUTTON not in page
    assert f"该机构在目录中的状态为“{label}”：在恢复正常前不能颁发证书。" in page
    # A POST sent anyway issues nothing.
    client_for(people.agency_nanning).post(reverse("certificates:session_issue", args=[reported.pk]))
    assert not Certificate.objects.filter(candidate__session=reported).exists()
    reported.refresh_from_db()
    assert reported.status == Session.Status.APPROVED


# ---------------------------------------------------------------- 2. the overdue report


def test_an_overdue_report_is_a_message_for_the_bureau_and_a_to_do_for_the_agency(people, client_for):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.PUBLICISED, publicised_on=dt.date(2025, 9, 26), report_due=dt.date(2025, 10, 16)
    )
    assert notify_overdue_reports.delay("2025-10-17").get() == 1
    overdue = "成绩上报已超期"
    bureau = Notification.objects.get(recipient=people.city_nanning, subject__contains=overdue)
    assert not bureau.todo
    assert not _waiting(client_for, people.city_nanning, overdue)
    assert _waiting(client_for, people.agency_nanning, overdue)
