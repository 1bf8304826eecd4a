"""The evaluations chart and its table keep each figure under its own unit: the number of evaluations held (plans,
not candidates) is neither a bar on the Candidates axis nor a row under the table's Candidates column — it has a
line of its own beside the table, in the dashboard, the report's page, its PDF and its Excel workbook (first-day
testers' findings, qa3 and qa4)."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from reports.exports import workbook_bytes
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of
from tests.html_tables import body_rows

pytestmark = pytest.mark.django_db


def _chart(html: str, key: str) -> dict:
    found = re.search(rf'<script id="chart-{key}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no chart {key}"
    return json.loads(found.group(1))


def _table(html: str) -> str:
    found = re.search(r'<table class="[^"]*" data-section="evaluations">.*?</table>', html, re.S)
    assert found
    return found.group(0)


def _home(client, people, language: str) -> str:
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李小四", ID_B)])  # level 5 (the factory's plan): 2 candidates, 1 held
    cache.clear()
    client.force_login(people.city_nanning)
    client.cookies["django_language"] = language
    with translation.override(language):  # the request activates it: the tests after this one keep their language
        return client.get(reverse("home")).content.decode()


def test_the_candidates_axis_draws_no_evaluations_held_bar(client, people):
    html = _home(client, people, "en")
    chart = _chart(html, "evaluations")
    assert chart["axis"] == "Candidates"
    assert "Evaluations held" not in chart["labels"]
    assert chart["labels"][0] == "Level 1 / Senior technician"
    assert chart["values"] == [0, 0, 0, 0, 2]
    assert 'class="mt-4 report-dashboard"' in html  # the tables' wrapping headings (static/css/portal.css)


@pytest.mark.parametrize(
    ("language", "held", "colon", "head", "level_5"),
    [
        ("en", "Evaluations held", ":", ["Level", "Candidates", "Passed", "Pass rate (%)"], "Level 5 / Junior worker"),
        ("zh-hans", "已组织认定", "：", ["级别", "参评人数", "合格", "合格率（%）"], "五级/初级工"),
    ],
)
def test_the_table_lists_levels_under_its_columns_and_the_evaluations_held_beside_it(
    client, people, language, held, colon, head, level_5
):
    html = _home(client, people, language)
    table = _table(html)
    assert held not in table  # no row of evaluations under the Candidates column
    assert re.findall(r"<th scope=\"col\"[^>]*>([^<]*)</th>", table) == head
    assert table.count('<th scope="row"') == 5  # the five levels, nothing else
    assert len(body_rows(table)) == 5
    # Two candidates at level 5, under Candidates.
    assert (
        f'<th scope="row" class="fw-normal">{level_5}</th><td class="text-end" data-figure="evaluations.level_5.0">2<'
        in table
    )
    aside = re.search(r'<dl class="report-aside[^"]*" data-section-aside="evaluations">(.*?)</dl>', html, re.S)
    assert aside, "the evaluations held are said beside the table"
    assert f'<dt class="fw-normal">{held}{colon}</dt>' in aside.group(1)
    assert 'data-figure="evaluations.evaluations.0">1</dd>' in aside.group(1)


def test_the_excel_sheet_puts_the_evaluations_held_below_the_table_not_under_candidates():
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
                    {"key": "evaluations", "label": "已组织认定", "values": [3]},
                    {"key": "level_5", "label": "五级/初级工", "values": [40, 30, 75.0]},
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
    assert values[0] == ("等级", "参评人数", "合格人数", "合格率（%）")
    assert values[1] == ("五级/初级工", 40, 30, 75)
    assert ("已组织认定", 3, None, None) in values[2:]
    assert all(row[0] != "已组织认定" for row in values[:2])


def test_a_report_stored_before_the_split_reads_the_same_way():
    from reports.selectors import table_parts

    stored = {"key": "evaluations", "rows": [{"key": "evaluations", "label": "Evaluations held", "values": [2, 0, 0]}]}
    assert table_parts(stored)["rows"] == []
    assert table_parts(stored)["aside"][0]["value"] == 2
