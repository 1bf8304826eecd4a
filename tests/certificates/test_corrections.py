"""A returned report answered: with a workbook of the rows to correct (only the results that change are publicised
again, then reported), or reported again with an explanation when no result changes.

桂人社函〔2020〕203号 三（五）: results are reported once publicised "不少于5个工作日" without objection. A result
that changes has not been publicised in its new form, so it goes through publicity again; the others have."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from certificates.models import Candidate, ImportAttempt, Session
from certificates.services import (
    certificates_issue,
    results_decide,
    results_publicise,
    results_report,
    results_resubmit,
    results_upload,
)
from portal.lib.errors import WorkflowError
from portal.models import Notification
from publicity.models import Notice
from publicity.services import notice_close
from tests.certificates.factories import ID_B, ID_C, filed_entry, row, session_of, workbook
from tests.supervision.factories import today_is

ROWS = [
    row(),
    row(name="李四", id_number=ID_B, gender="女", skill_score=55),
    row(name="王五", id_number=ID_C, gender="女", theory_score=90),
]


def upload(session, people, rows, *, correction=False) -> ImportAttempt:
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = results_upload(
            session=session,
            data=workbook(session, rows),
            filename="更正.xlsx" if correction else "成绩.xlsx",
            by=people.agency_nanning,
            correction=correction,
        )
    attempt.refresh_from_db()
    return attempt


def close(session, people, on: dt.date) -> Session:
    notice_close(notice=Notice.objects.get(pk=session.notice_id), by=people.agency_nanning, today=on)
    session.refresh_from_db()
    return session


@pytest.fixture
def returned(people):
    """Three results publicised 2–6 November 2026, reported, returned by 南宁's bureau."""
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    assert upload(session, people, ROWS).status == ImportAttempt.Status.IMPORTED
    with today_is(dt.date(2026, 11, 2)):
        session = results_publicise(session=session, by=people.agency_nanning, window_days=5)
    session = results_report(session=close(session, people, dt.date(2026, 11, 9)), by=people.agency_nanning)
    return results_decide(session=session, by=people.city_nanning, approve=False, reasons="李四技能成绩录入有误。")


def test_a_correction_changes_only_the_rows_whose_results_differ_and_keeps_the_old_ones(returned, people):
    corrected = row(name="李四", id_number=ID_B, gender="女", skill_score=75)
    attempt = upload(returned, people, [corrected, row()], correction=True)
    assert (attempt.status, attempt.kind, attempt.rows, attempt.changed) == ("imported", "correction", 2, 1)
    li = Candidate.objects.get(name="李四")
    assert li.corrected and li.passed and li.skill_score == Decimal("75")
    assert li.previous_results[-1]["skill_score"] == "55" and li.previous_results[-1]["passed"] is False
    assert not Candidate.objects.get(name="张小三").corrected
    assert Candidate.objects.count() == 3


def test_a_correction_naming_someone_outside_the_session_is_refused_whole(returned, people):
    from certificates.idnumbers import check_character

    stranger = "45010219950426122" + check_character("45010219950426122")
    attempt = upload(
        returned,
        people,
        [
            row(name="李四", id_number=ID_B, gender="女", skill_score=75),
            row(name="赵六", id_number=stranger, gender=""),
        ],
        correction=True,
    )
    assert attempt.status == ImportAttempt.Status.REFUSED and attempt.error_count == 1
    assert attempt.errors[0]["row"] == 3
    assert Candidate.objects.get(name="李四").skill_score == Decimal("55")
    assert not Candidate.objects.filter(corrected=True).exists()


def test_only_the_corrected_rows_are_publicised_again_then_reported(returned, people):
    upload(returned, people, [row(name="李四", id_number=ID_B, gender="女", skill_score=75)], correction=True)
    with today_is(dt.date(2026, 11, 16)):
        session = results_publicise(session=returned, by=people.agency_nanning, window_days=5)
    notice = session.notice
    assert list(notice.items.values_list("label", flat=True)) == ["李*（6101**********2342）"]
    assert (notice.opens_on, notice.closes_on) == (dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    with pytest.raises(WorkflowError):
        results_report(session=session, by=people.agency_nanning)
    session = close(session, people, dt.date(2026, 11, 23))
    # Ten working days after Friday 20 November 2026.
    assert (session.status, session.report_due) == (Session.Status.PUBLICISED, dt.date(2026, 12, 4))
    session = results_report(session=session, by=people.agency_nanning, answer="李四技能成绩已按原始记录更正。")
    assert session.status == Session.Status.REPORTED and session.answer == "李四技能成绩已按原始记录更正。"
    session = results_decide(session=session, by=people.city_nanning, approve=True)
    assert not Candidate.objects.filter(corrected=True).exists()
    issued = certificates_issue(session=session, by=people.agency_nanning)
    assert sorted(c.holder_name for c in issued) == sorted(["张小三", "李四", "王五"])


def test_a_corrected_session_cannot_be_reported_again_without_its_publicity(returned, people):
    upload(returned, people, [row(name="李四", id_number=ID_B, gender="女", skill_score=75)], correction=True)
    with pytest.raises(WorkflowError):
        results_resubmit(session=returned, by=people.agency_nanning, answer="已更正。")
    returned.refresh_from_db()
    assert returned.status == Session.Status.RETURNED


def test_with_no_result_changed_the_agency_reports_again_with_an_explanation(returned, people):
    Notification.objects.all().delete()
    with pytest.raises(ValidationError) as excinfo:
        results_resubmit(session=returned, by=people.agency_nanning, answer="  ")
    assert "answer" in excinfo.value.message_dict
    returned.refresh_from_db()
    assert returned.status == Session.Status.RETURNED
    session = results_resubmit(session=returned, by=people.agency_nanning, answer="经核对原始评分表，成绩无误。")
    assert (session.status, session.answer) == (Session.Status.REPORTED, "经核对原始评分表，成绩无误。")
    assert Notification.objects.filter(recipient=people.city_nanning).count() == 1
    assert Notice.objects.count() == 1  # not publicised again


def test_nothing_to_publicise_when_no_result_was_corrected(returned, people):
    upload(returned, people, [row()], correction=True)  # the same result: nothing changes
    with pytest.raises(WorkflowError):
        results_publicise(session=returned, by=people.agency_nanning, window_days=5)
    assert Notice.objects.count() == 1


def test_a_returned_session_takes_a_correction_not_a_whole_new_import(returned, people):
    with pytest.raises(WorkflowError):
        results_upload(session=returned, data=workbook(returned, ROWS), filename="x.xlsx", by=people.agency_nanning)
    assert not ImportAttempt.objects.filter(kind=ImportAttempt.Kind.RESULTS, status="pending").exists()


def test_a_correction_is_refused_before_any_return(people):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    upload(session, people, ROWS)
    with pytest.raises(WorkflowError):
        results_upload(
            session=session, data=workbook(session, ROWS), filename="x.xlsx", by=people.agency_nanning, correction=True
        )


def test_the_resubmission_page_refuses_an_empty_explanation_beside_the_field(returned, people, client_for):
    client = client_for(people.agency_nanning)
    response = client.post(reverse("certificates:session_resubmit", args=[returned.pk]), {"answer": ""})
    assert response.status_code == 400
    returned.refresh_from_db()
    assert returned.status == Session.Status.RETURNED
    page = response.content.decode()
    assert "请向人社部门说明成绩无需更改的理由" in page


def test_another_agency_cannot_answer_the_return(returned, people, client_for):
    client = client_for(people.agency_liuzhou)
    response = client.post(reverse("certificates:session_resubmit", args=[returned.pk]), {"answer": "无误。"})
    assert response.status_code == 404
    returned.refresh_from_db()
    assert returned.status == Session.Status.RETURNED
