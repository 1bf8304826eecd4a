"""The results workbook: the template, the row checks, all-or-nothing, and the marked workbook of errors."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from certificates import crypto
from certificates.importing import COLUMNS, template_workbook
from certificates.models import Candidate, Certificate, ImportAttempt
from certificates.services import results_upload
from tests.certificates.factories import ID_A, ID_B, ID_C, MANAGER, filed_entry, recount, row, session_of, workbook

OLD_CARD = dt.date(2020, 1, 1)  # more than three years before any exam day of these tests
COLUMN = {column.key: index for index, column in enumerate(COLUMNS, start=1)}


@pytest.fixture
def session(people):
    return session_of(filed_entry(people.org_nanning), people.agency_nanning)


def upload(session, people, rows):
    """Upload as the page does and run the queued check (the Celery task) when the upload commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = results_upload(
            session=session, data=workbook(session, rows), filename="成绩.xlsx", by=people.agency_nanning
        )
    attempt.refresh_from_db()
    return attempt


def marked_cells(attempt) -> dict[tuple[int, int], str]:
    sheet = load_workbook(BytesIO(bytes(attempt.marked))).worksheets[0]
    return {
        (cell.row, cell.column): cell.comment.text
        for line in sheet.iter_rows(min_row=2)
        for cell in line
        if cell.comment is not None
    }


def test_the_template_has_noted_headers_a_frozen_row_and_validations(session):
    book = load_workbook(BytesIO(template_workbook(session)))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(sheet.cell(row=1, column=i).comment is not None for i in range(1, len(COLUMNS) + 1))
    formulas = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    assert '"男,女"' in formulas and '"保安员"' in formulas


def test_a_clean_workbook_imports_every_row_with_the_rules_outcome(session, people):
    attempt = upload(
        session,
        people,
        [
            row(),
            row(name="李四", id_number=ID_B, gender="女", theory_score=59.5),
            row(
                name="王五",
                id_number=ID_C,
                gender="",
                theory_score=None,
                guard_card_number="桂公保2024001",
                guard_card_date=timezone.localdate() - dt.timedelta(days=400),
            ),
        ],
    )
    assert attempt.status == ImportAttempt.Status.IMPORTED and attempt.rows == 3
    by_name = {c.name: c for c in Candidate.objects.filter(session=session)}
    assert by_name["张小三"].passed and not by_name["李四"].passed
    assert by_name["王五"].theory_exempt and by_name["王五"].passed and by_name["王五"].gender == "F"


def test_the_id_number_is_stored_encrypted_and_masked(session, people):
    upload(session, people, [row()])
    candidate = Candidate.objects.get(session=session)
    assert ID_A.encode() not in bytes(candidate.id_cipher)
    assert crypto.decrypt(candidate.id_cipher) == ID_A
    assert candidate.id_masked == "4501**********1238"
    assert candidate.id_hash == crypto.lookup_hash(ID_A)


def test_one_bad_row_imports_nothing_and_keeps_the_earlier_results(session, people):
    upload(session, people, [row()])
    attempt = upload(
        session, people, [row(name="李四", id_number=ID_B, gender="女"), row(id_number="450102199003071230")]
    )
    assert attempt.status == ImportAttempt.Status.REFUSED and attempt.error_count == 1
    assert list(Candidate.objects.filter(session=session).values_list("name", flat=True)) == ["张小三"]
    assert set(marked_cells(attempt)) == {(3, COLUMN["id_number"])}


def test_the_marked_workbook_highlights_and_comments_exactly_the_bad_cells(session, people):
    attempt = upload(
        session,
        people,
        [
            row(),
            row(name="", id_number=ID_B, gender="女", skill_score=101),
            row(name="王五", id_number=ID_C, gender="女", level=4, theory_score="七十"),
        ],
    )
    cells = marked_cells(attempt)
    assert set(cells) == {
        (3, COLUMN["name"]),
        (3, COLUMN["skill_score"]),
        (4, COLUMN["level"]),
        (4, COLUMN["theory_score"]),
    }
    sheet = load_workbook(BytesIO(bytes(attempt.marked))).worksheets[0]
    assert sheet.cell(row=3, column=COLUMN["name"]).fill.start_color.rgb.endswith("FFC7CE")
    assert sheet.cell(row=2, column=COLUMN["name"]).comment is None
    assert Candidate.objects.filter(session=session).count() == 0
    assert (attempt.errors[0]["row"], attempt.errors[0]["column"]) == (3, str(COLUMNS[0].label))


def test_a_person_twice_in_the_file_is_flagged_on_the_second_row(session, people):
    attempt = upload(session, people, [row(), row(name="张小三")])
    assert set(marked_cells(attempt)) == {(3, COLUMN["id_number"])}
    assert attempt.errors[0]["row"] == 3 and "2" in attempt.errors[0]["message"]


def test_a_person_holding_the_certificate_from_another_agency_is_refused(session, people):
    other = filed_entry(people.org_liuzhou)
    other_session = session_of(other, people.agency_liuzhou)
    upload(other_session, people_as(people, "agency_liuzhou"), [row()])
    candidate = Candidate.objects.get(session=other_session)
    Certificate.objects.create(
        number="S000045000001265000001",
        candidate=candidate,
        entry=other,
        holder_name=candidate.name,
        id_hash=candidate.id_hash,
        id_masked=candidate.id_masked,
        occupation=other_session.plan.occupation,
        level=5,
        issued_on=timezone.localdate(),
    )
    recount(other_session)  # the certificate written straight into the table
    attempt = upload(session, people, [row(), row(name="李四", id_number=ID_B, gender="女")])
    assert set(marked_cells(attempt)) == {(2, COLUMN["id_number"])}
    # A revoked certificate no longer counts.
    Certificate.objects.update(status=Certificate.Status.REVOKED)
    assert upload(session, people, [row()]).status == ImportAttempt.Status.IMPORTED


def people_as(people, name):
    """``people`` whose agency_nanning is the named agency user (``upload`` acts as agency_nanning)."""

    class Acting:
        agency_nanning = getattr(people, name)

    return Acting


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"theory_score": None}, "theory_score"),  # no theory score and no card
        (
            {"theory_score": None, "guard_card_number": "桂公保1", "guard_card_date": dt.date(2020, 1, 1)},
            "theory_score",
        ),
        ({"guard_card_number": "桂公保1"}, "guard_card_date"),  # a number without its date
        ({"occupation": "保卫管理员"}, "occupation"),
        ({"gender": "女"}, "gender"),  # ID_A is a man's
        ({"review_score": 70}, "review_score"),  # level 5 has no comprehensive review
    ],
)
def test_each_row_check_marks_its_cell(session, people, values, column):
    attempt = upload(session, people, [row(**values)])
    assert attempt.status == ImportAttempt.Status.REFUSED
    assert (2, COLUMN[column]) in marked_cells(attempt)


def test_a_level_two_manager_needs_the_comprehensive_review(people):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning, code=MANAGER, level=2)
    base = {"occupation": "保卫管理员", "level": 2}
    refused = upload(session, people, [row(**base)])
    assert set(marked_cells(refused)) == {(2, COLUMN["review_score"])}
    assert upload(session, people, [row(**base, review_score=60)]).status == ImportAttempt.Status.IMPORTED


def test_a_file_that_is_not_a_workbook_is_refused_beside_the_field(session, people):
    with pytest.raises(ValidationError) as excinfo:
        results_upload(session=session, data=b"%PDF-1.4 not a workbook", filename="x.xlsx", by=people.agency_nanning)
    assert "workbook" in excinfo.value.message_dict
    assert not ImportAttempt.objects.exists()


def test_another_agency_cannot_import_into_the_session(session, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        results_upload(session=session, data=workbook(session, [row()]), filename="x", by=people.agency_liuzhou)
    assert not Candidate.objects.exists()
