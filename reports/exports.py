"""A report version as an Excel workbook and as a PDF laid out as an official report.

The workbook is written in openpyxl's write-only mode (rows stream to the file, memory stays flat however long
the certificates section is): a cover sheet, then one sheet per section with a bold frozen header, number
formats, column widths counted in East Asian width (a Chinese character takes two columns) and a native Excel
bar chart of the section's first figure. The PDF draws the same bars in HTML and CSS, server-side.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.lib.excel import _cell
from portal.lib.pdf import chinese_date, render_pdf
from reports.models import Report, ReportVersion
from reports.selectors import chart_rows, table_parts

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
INVALID_SHEET_CHARS = str.maketrans({c: "" for c in "[]:*?/\\"})


def display_width(text: object) -> int:
    """Columns a value takes in Excel: East Asian wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _header(sheet, values: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
        cells.append(cell)
    return cells


def _number(sheet, value) -> WriteOnlyCell:
    if value is None:  # a rate over no candidate: "—", as on the page
        return WriteOnlyCell(sheet, value="—")
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "0.0" if isinstance(value, float) else "#,##0"
    return cell


def workbook_bytes(report: Report, version: ReportVersion) -> bytes:
    content = version.content
    workbook = Workbook(write_only=True)
    cover = workbook.create_sheet(str(_("Report"))[:31])
    cover.column_dimensions["A"].width = 20
    cover.column_dimensions["B"].width = 50
    for label, value in (
        (_("Report"), _("Work report on skill-level evaluation")),
        (_("Jurisdiction"), content["region"]),
        (_("Period"), content["period_label"]),
        (_("Figures as of"), content["as_of"]),
        (_("Version"), version.number),
        (_("Generated"), timezone.localtime(version.generated_at).strftime("%Y-%m-%d %H:%M")),
        (_("Due"), report.due_on.isoformat()),
        (_("Typical experience"), report.experience),
        (_("Difficulties and problems"), report.difficulties),
    ):
        cover.append([WriteOnlyCell(cover, value=str(label)), _cell(value)])

    for index, stored in enumerate(content["sections"], start=1):
        section = table_parts(stored)  # a figure of another unit goes below the table, not under its columns
        title = f"{index} {section['title']}".translate(INVALID_SHEET_CHARS)[:31]
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        widths = [display_width(c) + 2 for c in section["columns"]]
        for row in section["aside"]:
            widths[0] = max(widths[0], display_width(row["label"]) + 2)
        for row in section["rows"]:
            widths[0] = max(widths[0], display_width(row["label"]) + 2)
            for i, value in enumerate(row["values"], start=1):
                widths[i] = max(widths[i], display_width(value) + 2)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(width, 60)
        sheet.append(_header(sheet, section["columns"]))
        for row in section["rows"]:
            sheet.append([_cell(row["label"]), *(_number(sheet, v) for v in row["values"])])
        last = len(section["rows"]) + 1
        if section["aside"]:
            sheet.append([])
            for row in section["aside"]:
                sheet.append([_cell(row["label"]), _number(sheet, row["value"])])
        if section["note"]:
            sheet.append([])
            sheet.append([_cell(section["note"])])
        if last > 1:
            chart = BarChart()
            chart.type = "bar"
            chart.title = section["title"]
            chart.legend = None
            chart.height = max(6, 0.6 * last)
            chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=last), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
            sheet.add_chart(chart, f"{get_column_letter(len(widths) + 2)}2")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bars(section: dict) -> list[dict] | None:
    """The section's counts as horizontal bars drawn in HTML and CSS, the largest 90 mm long (rows at zero left
    out). Not SVG: WeasyPrint's SVG text costs some 40 MB more at the peak (bench/reports.py)."""
    rows = chart_rows(section)
    values = [row["values"][0] if row["values"] else 0 for row in rows]
    top = max(values, default=0)
    if not top:
        return None
    return [
        {"label": row["label"], "value": value, "mm": max(0.5, round(90 * value / top, 1))}
        for row, value in zip(rows, values, strict=True)
        if value
    ]


def pdf_bytes(report: Report, version: ReportVersion, *, department: str) -> bytes:
    sections = [{**table_parts(section), "chart": _bars(section)} for section in version.content["sections"]]
    return render_pdf(
        "reports/report_pdf.html",
        {
            "report": report,
            "version": version,
            "content": version.content,
            "sections": sections,
            "department": department,
            "date": chinese_date(version.generated_at),
        },
    )
