"""Mutation kills of round 8 (results sessions): the to-dos a report ends — the agency's and the bureau's overdue
notice — and the review that leaves every official of the bureau once one of them has decided."""

from __future__ import annotations

import datetime as dt

import pytest

from certificates.services import results_decide, results_report
from portal.models import Role
from tests.certificates.test_inbox_done import APPROVED, RETURNED, TO_REVIEW
from tests.certificates.test_overdue_reports import SUBJECT as OVERDUE
from tests.certificates.test_overdue_reports import publicised, run  # noqa: F401 (fixture)
from tests.portal.factories import UserFactory
from tests.portal.inbox_page import todo_subjects


def _has(client_for, user, text: str) -> bool:
    return any(text in subject for subject in todo_subjects(client_for, user))


def test_reporting_an_overdue_session_ends_the_agencys_and_the_bureaus_overdue_notice(people, publicised, client_for):  # noqa: F811
    assert run(dt.date(2025, 10, 17)) == 1
    for user in (people.agency_nanning, people.city_nanning):
        assert _has(client_for, user, OVERDUE), user
    results_report(session=publicised, by=people.agency_nanning)
    for user in (people.agency_nanning, people.city_nanning):
        assert not _has(client_for, user, OVERDUE), user
    # The report itself is the bureau's new to-do, not swept away with the overdue notice.
    assert _has(client_for, people.city_nanning, TO_REVIEW)


@pytest.fixture
def colleague(people):
    """A second official of 南宁's bureau, there before the results are reported."""
    return UserFactory(username="city_nanning_2", role=Role.CITY_HR, department=people.city_nanning.department)


@pytest.mark.parametrize("approve", [True, False])
def test_a_decision_by_one_official_ends_the_review_for_the_colleague_too(
    people,
    colleague,
    reported,
    client_for,
    approve,
):
    assert _has(client_for, colleague, TO_REVIEW)
    results_decide(session=reported, by=people.city_nanning, approve=approve, reasons="" if approve else "成绩有误。")
    assert not _has(client_for, colleague, TO_REVIEW)
    assert not _has(client_for, people.city_nanning, TO_REVIEW)
    assert _has(client_for, people.agency_nanning, APPROVED if approve else RETURNED)
