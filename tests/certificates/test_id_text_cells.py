"""ID numbers are text in the results workbook (a first-day tester's findings): the template's data rows and the
workbook coming back with its errors marked keep the ID and 保安员证 numbers' cells as text, so that Excel does not
turn 18 digits into 4.50102199001011E+17; an ID number that arrives as a number is refused saying so, not with the
check digit's message."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from certificates.importing import COLUMNS, TEXT_ROWS, check_workbook, template_workbook
from tests.certificates.factories import ID_A, ID_B, filed_entry, row, session_of, workbook

pytestmark = pytest.mark.django_db
NUMBER_MESSAGE = "身份证号被 Excel 存成了数字，请把该列设为文本后重新输入"
POSITION = {column.key: index for index, column in enumerate(COLUMNS, start=1)}


@pytest.fixture
def session(people):
    return session_of(filed_entry(people.org_nanning), people.agency_nanning)


def _sheet(data: bytes):
    return load_workbook(BytesIO(data)).worksheets[0]


@pytest.mark.parametrize("key", ["id_number", "guard_card_number"])
@pytest.mark.parametrize("at", [2, 3, TEXT_ROWS + 1])
def test_the_template_s_data_cells_are_text(session, key, at):
    sheet = _sheet(template_workbook(session))
    assert sheet.cell(row=at, column=POSITION[key]).number_format == "@"


def test_the_template_s_other_cells_are_not_text(session):
    sheet = _sheet(template_workbook(session))
    assert sheet.cell(row=2, column=POSITION["name"]).number_format == "General"
    assert sheet.cell(row=1, column=POSITION["id_number"]).number_format == "General"  # the header


def _checked(session, rows, language="zh-hans"):
    from django.utils import translation

    with translation.override(language):
        return check_workbook(session, workbook(session, rows))


@pytest.mark.parametrize("number", [4.50102199001011e17, 450102199001011234])
def test_an_id_number_stored_as_a_number_is_refused_saying_so(session, number):
    checked = _checked(session, [row(), row(name="李四", id_number=number, gender="")])
    errors = [(error.row, error.column, error.message) for error in checked.errors]
    assert errors == [(3, "id_number", NUMBER_MESSAGE)]


def test_an_id_number_as_text_with_a_wrong_check_digit_keeps_the_check_digit_message(session):
    wrong = ID_B[:-1] + ("0" if ID_B[-1] != "0" else "1")
    checked = _checked(session, [row(id_number=wrong, gender="")])
    assert [error.column for error in checked.errors] == ["id_number"]
    assert checked.errors[0].message != NUMBER_MESSAGE


def test_the_workbook_with_its_errors_marked_keeps_the_numbers_as_text(session):
    checked = _checked(session, [row(id_number=ID_A), row(name="李四", id_number=4.50102199001011e17, gender="")])
    sheet = _sheet(checked.marked)
    for key in ("id_number", "guard_card_number"):
        for at in (2, 3, TEXT_ROWS + 1):
            assert sheet.cell(row=at, column=POSITION[key]).number_format == "@", (key, at)
    assert sheet.cell(row=3, column=POSITION["id_number"]).comment.text == NUMBER_MESSAGE
