"""What a user sees in a page's table: each body row's cells as text and their links, read from the HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str = ""
    links: list[str] = field(default_factory=list)


class _Rows(HTMLParser):
    def __init__(self, table_id: str | None):
        super().__init__()
        self.table_id, self.depth, self.inside = table_id, 0, table_id is None
        self.rows: list[list[Cell]] = []
        self.row: list[Cell] | None = None
        self.cell: Cell | None = None
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.depth += 1
            if self.table_id is not None and attrs.get("id") == self.table_id:
                self.inside = True
        if not self.inside:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = Cell()
        elif tag == "a" and self.cell is not None:
            self.cell.links.append(attrs.get("href", ""))
        elif tag in ("div", "br") and self.cell is not None:
            self.cell.text += " "  # a line of its own

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
        if not self.inside:
            return
        if tag == "td" and self.cell is not None and self.row is not None:
            self.cell.text = " ".join(self.cell.text.split())
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "tbody":
            self.in_body = False
            if self.table_id is not None:
                self.inside = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.text += data


def body_rows(html: str, table_id: str | None = None) -> list[list[Cell]]:
    """The rows of every table body (or of the table with ``table_id``): cells with their text (spaces collapsed)
    and the links in them."""
    parser = _Rows(table_id)
    parser.feed(html)
    return parser.rows
