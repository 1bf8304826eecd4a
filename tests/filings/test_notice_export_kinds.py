"""The 公示管理 list's Excel export exports what the list shows: the results notices beside the filing selections,
with a 类别 column, and the list's kind filter applied (a first-day tester's finding)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.services import results_publicise
from tests.certificates.factories import ID_A, candidates, filed_entry, session_of
from tests.supervision.factories import today_is
from tests.test_access_effects import published_notice, submission

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def notices(people):
    selection = published_notice(people, submission(people, people.org_liuzhou, "export-selection"))
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A)])
    with today_is(dt.date(2026, 11, 2)):
        results = results_publicise(session=session, by=people.agency_nanning, window_days=5).notice
    return selection, results


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("", {"filing_selection", "evaluation_results"}),
        ("evaluation_results", {"evaluation_results"}),
        ("filing_selection", {"filing_selection"}),
        ("nonsense", {"filing_selection", "evaluation_results"}),
    ],
)
def test_the_export_exports_the_notices_the_list_shows(notices, people, client_for, kind, expected):
    selection, results = notices
    client = client_for(people.centre)
    listed = client.get(reverse("filings:notice_list"), {"kind": kind}, **ZH)
    shown = {notice.kind for notice in listed.context["notices"]}
    assert shown == expected
    rows = _sheet(client.get(reverse("filings:notice_export"), {"kind": kind}, **ZH))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("公示", "类别", "状态") and header[5] == "机构或考生" and header[7] == "评价范围或结果"
    titles = {row[0] for row in body}
    assert titles == {n.title for n in (selection, results) if n.kind in expected}
    by_title = {row[0]: row for row in body}
    if "evaluation_results" in expected:
        candidate_row = by_title[results.title]
        assert candidate_row[1] == "认定结果" and candidate_row[7] == "合格"
        assert candidate_row[5] == "张*三（4501**********1238）"
    if "filing_selection" in expected:
        assert by_title[selection.title][1] == "机构遴选"
        assert by_title[selection.title][5] == people.org_liuzhou.name


def test_the_lists_export_button_carries_the_filter(notices, people, client_for):
    html = client_for(people.centre).get(reverse("filings:notice_list"), {"kind": "evaluation_results"}).content
    assert f'href="{reverse("filings:notice_export")}?kind=evaluation_results"'.encode() in html
