"""After a refused upload or a return, the agency corrects the results it sent, not a blank template: the page offers
the session's current results as a workbook (ID numbers in clear, the download audited) that imports cleanly when
sent back unchanged, and the refused upload's own workbook, errors marked, as the file to fix (first-day tester)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import Candidate, ImportAttempt
from certificates.services import results_decide, results_publicise, results_report, results_upload
from portal.models import AuditEvent
from publicity.models import Notice
from publicity.services import notice_close
from tests.certificates.factories import ID_A, ID_B, ID_C, filed_entry, row, session_of, workbook
from tests.supervision.factories import today_is

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
ROWS = [
    row(employer="南宁安保有限公司", key_unit="是", work_type="门卫"),
    row(name="李四", id_number=ID_B, gender="女", skill_score=55.5),
    row(name="王五", id_number=ID_C, gender="", theory_score=90),
]


def _upload(session, people, rows=None, *, data=None, correction=False) -> ImportAttempt:
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = results_upload(
            session=session,
            data=data if data is not None else workbook(session, rows),
            filename="成绩.xlsx",
            by=people.agency_nanning,
            correction=correction,
        )
    attempt.refresh_from_db()
    return attempt


def _results():
    return list(
        Candidate.objects.order_by("row").values_list(
            "name", "gender", "work_type", "employer", "key_unit", "theory_score", "skill_score", "passed"
        )
    )


@pytest.fixture
def session(people):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    assert _upload(session, people, ROWS).status == ImportAttempt.Status.IMPORTED
    return session


@pytest.fixture
def agency(people, client_for):
    return client_for(people.agency_nanning)


def _page(client, session) -> str:
    return client.get(reverse("certificates:session_detail", args=[session.pk]), **ZH).content.decode()


def _download(client, session):
    return client.get(reverse("certificates:session_results_workbook", args=[session.pk]))


def test_the_current_results_workbook_holds_every_row_as_imported(session, agency):
    response = _download(agency, session)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert [(r[0], r[1], r[2]) for r in rows] == [("张小三", ID_A, "男"), ("李四", ID_B, "女"), ("王五", ID_C, "女")]
    assert rows[0][4:8] == ("门卫", 5, "南宁安保有限公司", "是") and rows[1][11] == 55.5
    # The download is a reading of every ID number in clear: one audit row.
    event = AuditEvent.objects.get(action="id_number_view", object_id=str(session.pk))
    assert "3" in event.detail


def test_the_current_results_uploaded_unchanged_import_cleanly_and_change_nothing(session, people, agency):
    before = _results()
    data = _download(agency, session).content
    attempt = _upload(session, people, data=data)
    assert (attempt.status, attempt.rows, attempt.error_count) == (ImportAttempt.Status.IMPORTED, 3, 0)
    assert _results() == before


def test_a_row_corrected_in_the_current_results_is_the_only_change(session, people, agency):
    book = load_workbook(BytesIO(_download(agency, session).content))
    book.worksheets[0]["L3"] = 75  # 李四's skill score
    buffer = BytesIO()
    book.save(buffer)
    assert _upload(session, people, data=buffer.getvalue()).status == ImportAttempt.Status.IMPORTED
    li = Candidate.objects.get(name="李四")
    assert li.skill_score == Decimal("75") and li.passed
    assert Candidate.objects.get(name="张小三").skill_score == Decimal("80")


def test_after_a_return_the_current_results_apply_as_a_correction_changing_nothing(session, people, agency):
    with today_is(dt.date(2026, 11, 2)):
        session = results_publicise(session=session, by=people.agency_nanning, window_days=5)
    notice_close(notice=Notice.objects.get(pk=session.notice_id), by=people.agency_nanning, today=dt.date(2026, 11, 9))
    session.refresh_from_db()
    session = results_report(session=session, by=people.agency_nanning)
    session = results_decide(session=session, by=people.city_nanning, approve=False, reasons="李四成绩有误。")
    page = _page(agency, session)
    assert reverse("certificates:session_results_workbook", args=[session.pk]) in page
    assert "下载现有的 3 条成绩以更正" in page
    attempt = _upload(session, people, data=_download(agency, session).content, correction=True)
    assert (attempt.status, attempt.kind, attempt.rows, attempt.changed) == ("imported", "correction", 3, 0)
    assert not Candidate.objects.filter(corrected=True).exists()


def test_without_results_only_the_blank_template_is_offered(people, agency):
    empty = session_of(filed_entry(people.org_nanning, institution_code="S000045000009"), people.agency_nanning)
    page = _page(agency, empty)
    assert reverse("certificates:session_results_workbook", args=[empty.pk]) not in page
    assert _download(agency, empty).status_code == 302  # refused as a message, back to the page
    assert not AuditEvent.objects.filter(action="id_number_view").exists()


@pytest.mark.parametrize("who", ["agency_liuzhou", "city_nanning", None])
def test_nobody_else_gets_the_current_results(session, people, client_for, who):
    response = _download(client_for(people.get(who) if who else None), session)
    assert response.status_code in (302, 403, 404)
    assert response.status_code == 404 or who is None or who == "city_nanning"
    assert not AuditEvent.objects.filter(action="id_number_view").exists()


def test_a_refused_upload_is_offered_first_as_the_file_to_fix(session, people, agency):
    bad = row(name="李四", id_number=ID_B, gender="女", skill_score=155)
    attempt = _upload(session, people, [row(), bad])
    assert attempt.status == ImportAttempt.Status.REFUSED
    page = _page(agency, session)
    box = re.search(r'id="workbook-to-fix".*?</div>\s*</div>', page, re.S).group(0)
    assert "“成绩.xlsx”未通过校验，有 1 处错误" in box
    assert reverse("certificates:import_marked", args=[session.pk, attempt.pk]) in box
    # The marked workbook, corrected, imports.
    book = load_workbook(
        BytesIO(agency.get(reverse("certificates:import_marked", args=[session.pk, attempt.pk])).content)
    )
    book.worksheets[0]["L3"] = 55
    buffer = BytesIO()
    book.save(buffer)
    assert _upload(session, people, data=buffer.getvalue()).status == ImportAttempt.Status.IMPORTED
    assert 'id="workbook-to-fix"' not in _page(agency, session)
