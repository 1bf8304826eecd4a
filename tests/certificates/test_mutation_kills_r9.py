"""Tests written to kill the mutations of round 9 that survived the suite (issue-mut9): the session's kept counts
and what the results pages show, from the rules of the issue."""

from __future__ import annotations

import datetime as dt

import pytest

from certificates.services import results_decide, results_publicise, results_report, session_create
from tests.certificates.factories import ID_B, announced_plan, filed_entry, row
from tests.certificates.test_corrections import ROWS, close, upload
from tests.certificates.test_session_counts import kept
from tests.supervision.factories import today_is

pytestmark = pytest.mark.django_db


def returned_session(people):
    agency = people.agency_nanning
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_create(plan=announced_plan(entry, agency), by=agency)
    upload(session, people, ROWS)
    with today_is(dt.date(2026, 11, 2)):
        session = results_publicise(session=session, by=agency, window_days=5)
    session = results_report(session=close(session, people, dt.date(2026, 11, 9)), by=agency)
    return results_decide(session=session, by=people.city_nanning, approve=False, reasons="李四技能成绩录入有误。")


def test_a_candidate_corrected_twice_counts_once_among_the_corrected(people, client_for):
    session = returned_session(people)
    upload(session, people, [row(name="李四", id_number=ID_B, gender="女", skill_score=75)], correction=True)
    # The agency corrects the same candidate again before publicising: still one corrected candidate.
    upload(session, people, [row(name="李四", id_number=ID_B, gender="女", skill_score=80)], correction=True)
    assert kept(session) == (3, 3, 1, 0, 0)


def test_only_the_sessions_own_agency_gets_its_results_workbook_with_the_id_numbers(people):
    # The workbook holds every candidate's ID number in clear: another agency, or the reviewing bureau, is refused
    # by the service itself, and nothing is recorded as read.
    from django.core.exceptions import PermissionDenied

    from certificates.services import results_workbook
    from portal.models import AuditEvent
    from tests.certificates.factories import session_of

    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    upload(session, people, ROWS)
    for outsider in (people.agency_liuzhou, people.city_nanning):
        with pytest.raises(PermissionDenied):
            results_workbook(session=session, by=outsider)
    assert not AuditEvent.objects.filter(action="id_number_view", object_id=str(session.pk)).exists()
    assert results_workbook(session=session, by=people.agency_nanning)[:2] == b"PK"  # an xlsx
