"""Exports write whatever text is stored: control characters, which the xlsx format cannot hold, come out as
their visible symbols instead of failing the download."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from portal.lib.excel import xlsx_response
from portal.models import AuditEvent
from portal.services import audit_record

CONTROLS = "".join(chr(code) for code in range(32))


def cells(response) -> list[tuple]:
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_audit_export_survives_a_user_name_with_an_escape_character(people, client_for):
    # Stored before the portal refused such names at the door (or by a path that does not go through it).
    audit_record(action=AuditEvent.Action.LOGIN_FAILED, username="x\x1by", result=AuditEvent.Result.FAILURE)
    response = client_for(people.admin).get(reverse("audit_export"), {"action": "login_failed"})
    assert response.status_code == 200
    assert [row[1] for row in cells(response)[1:]] == ["x␛y"]


def test_every_control_character_is_written_as_its_symbol_and_tab_and_line_breaks_as_they_are():
    response = xlsx_response(
        filename="t.xlsx", title="标题\x07", header=["列\x00", "n"], rows=[["a" + CONTROLS + "b", 7]]
    )
    header, row = cells(response)
    assert header == ("列␀", "n")
    # Tab and line breaks are kept (XML reads a carriage return back as a line feed).
    expected = "a" + "".join(ch if ch in "\t\n" else "\n" if ch == "\r" else chr(0x2400 + ord(ch)) for ch in CONTROLS)
    expected += "b"
    assert row == (expected, 7)
    assert load_workbook(BytesIO(response.content)).active.title == "标题␇"


def test_a_formula_behind_a_control_character_is_still_text():
    response = xlsx_response(filename="t.xlsx", title="t", header=["h"], rows=[["=1+1"], ["\x1b=1+1"]])
    assert [row[0] for row in cells(response)[1:]] == ["'=1+1", "␛=1+1"]
