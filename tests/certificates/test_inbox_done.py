"""A results session's to-dos leave the inbox once their work is done (first-day tester, round 8): the bureau's
“results to review” when it approves or returns them, the agency's “approved: issue the certificates” once it
has issued them, its “returned” once it reports again. Read on the inbox page as each user sees it."""

from __future__ import annotations

import pytest

from certificates.services import certificates_issue, results_decide, results_resubmit
from tests.portal.inbox_page import todo_subjects

TO_REVIEW, APPROVED, RETURNED = "待审核的认定结果", "认定结果审核通过", "认定结果被退回"


def _has(client_for, user, text: str) -> bool:
    return any(text in subject for subject in todo_subjects(client_for, user))


@pytest.mark.parametrize("approve", [True, False])
def test_results_to_review_leave_the_bureaus_to_do_once_approved_or_returned(people, reported, client_for, approve):
    assert _has(client_for, people.city_nanning, TO_REVIEW)
    results_decide(session=reported, by=people.city_nanning, approve=approve, reasons="" if approve else "成绩有误。")
    assert not _has(client_for, people.city_nanning, TO_REVIEW)
    # What the agency is told now is its own to-do.
    assert _has(client_for, people.agency_nanning, APPROVED if approve else RETURNED)


def test_approved_results_leave_the_agencys_to_do_once_the_certificates_are_issued(people, reported, client_for):
    results_decide(session=reported, by=people.city_nanning, approve=True)
    assert _has(client_for, people.agency_nanning, APPROVED)
    certificates_issue(session=reported, by=people.agency_nanning)
    assert not _has(client_for, people.agency_nanning, APPROVED)


def test_returned_results_leave_the_agencys_to_do_once_reported_again(people, reported, client_for):
    results_decide(session=reported, by=people.city_nanning, approve=False, reasons="请核对成绩。")
    assert _has(client_for, people.agency_nanning, RETURNED)
    results_resubmit(session=reported, by=people.agency_nanning, answer="成绩经核对无误。")
    assert not _has(client_for, people.agency_nanning, RETURNED)
    # Reported again: the bureau's to-do once more.
    assert _has(client_for, people.city_nanning, TO_REVIEW)
