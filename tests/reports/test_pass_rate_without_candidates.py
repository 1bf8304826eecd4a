"""A level with no candidate has no pass rate: the dashboard, the report's page, its Excel workbook and its PDF say
"—", not "0.0" — which reads as everyone failing (first-day tester, qa5b item 7). A level whose candidates all
failed does read 0.0, and one where 1 of 2 passed 50.0."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from reports.exports import workbook_bytes
from reports.periods import Period
from reports.selectors import report_content
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, session_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(people):
    """Level 5: 2 candidates, 1 passed; level 4: 1 candidate, failed; levels 3 to 1: none."""
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    five = session_of(entry, people.agency_nanning, level=5)
    candidates(five, [("张小三", ID_A)])
    candidates(five, [("李小四", ID_B)], passed=False)
    five.candidates.filter(name="李小四").update(row=3)
    four = session_of(entry, people.agency_nanning, level=4, days_ago=11)
    candidates(four, [("王小五", ID_C)], passed=False)
    return entry


def _rates(content: dict) -> dict[str, object]:
    (section,) = [s for s in content["sections"] if s["key"] == "evaluations"]
    return {row["key"]: row["values"][2] for row in section["rows"] if row["key"].startswith("level_")}


def test_the_report_has_no_rate_for_a_level_without_candidates(people, evaluated):
    content = report_content(region=people.city_nanning.jurisdiction, period=Period.quarter_of(timezone.localdate()))
    assert _rates(content) == {"level_1": None, "level_2": None, "level_3": None, "level_4": 0.0, "level_5": 50.0}


def test_the_dashboard_shows_a_dash_for_a_level_without_candidates(people, evaluated, client):
    cache.clear()
    client.force_login(people.city_nanning)
    with translation.override("zh-hans"):
        html = client.get(reverse("home")).content.decode()
    for level in (1, 2, 3):
        assert f'data-figure="evaluations.level_{level}.2">—<' in html, level
    assert 'data-figure="evaluations.level_4.2">0.0<' in html
    assert 'data-figure="evaluations.level_5.2">50.0<' in html


def test_the_excel_sheet_writes_a_dash_where_there_is_no_rate():
    content = {
        "region": "南宁市",
        "period_label": "2026年第四季度",
        "as_of": "2026-12-03",
        "sections": [
            {
                "key": "evaluations",
                "title": "认定考核、参评人数与合格率",
                "columns": ["等级", "参评人数", "合格人数", "合格率（%）"],
                "rows": [
                    {"key": "level_1", "label": "一级/高级技师", "values": [0, 0, None]},
                    {"key": "level_5", "label": "五级/初级工", "values": [2, 1, 50.0]},
                ],
                "kind": "flow",
                "note": "",
                "empty": False,
            }
        ],
    }
    report = SimpleNamespace(due_on=dt.date(2026, 12, 20), experience="", difficulties="")
    version = SimpleNamespace(number=1, generated_at=timezone.now(), content=content)
    sheet = load_workbook(BytesIO(workbook_bytes(report, version)))["1 认定考核、参评人数与合格率"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1] == ("一级/高级技师", 0, 0, "—")
    assert values[2] == ("五级/初级工", 2, 1, 50)
