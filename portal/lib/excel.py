"""Excel exports: one sheet, a bold header row, sensible column widths, streamed as a download.

Every export goes through ``xlsx_response``, which writes any stored text: control characters, which the
file format cannot hold (openpyxl refuses them with ``IllegalCharacterError``), are written as their visible
symbols (``portal.lib.characters.visible``), and text that Excel would run as a formula is written as text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.lib.characters import visible

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A cell value that Excel shows as typed: text beginning like a formula is stored as text, so a user name
    such as ``=HYPERLINK(...)`` typed into the sign-in form never runs in the administrator's spreadsheet; a
    control character (``x\x1by`` typed as a user name) is shown as its symbol (``x␛y``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = visible(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def xlsx_response(*, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = visible(title)[:31]
    sheet.append([_cell(str(h)) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) * 2 + 2 for h in header]
    for row in rows:
        values = [_cell(value) for value in row]
        sheet.append(values)
        for i, value in enumerate(values):
            widths[i] = min(max(widths[i], len(str(value)) + 2), 60)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
