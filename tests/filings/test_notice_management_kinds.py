"""The centre's 公示管理 lists every notice it manages — the filing selections and the agencies' results notices —
with a kind column and a kind filter, scoped as before: another province's centre sees none of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from certificates.services import results_publicise
from portal.models import Department, Role
from tests.certificates.factories import ID_A, candidates, filed_entry, session_of
from tests.supervision.factories import official, today_is
from tests.test_access_effects import published_notice, submission


@pytest.fixture
def notices(people):
    selection = published_notice(people, submission(people, people.org_liuzhou, "kinds-selection"))
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A)])
    with today_is(dt.date(2026, 11, 2)):
        results = results_publicise(session=session, by=people.agency_nanning, window_days=5).notice
    return selection, results


def _rows(response) -> dict[int, str]:
    return {notice.pk: notice.kind for notice in response.context["notices"]}


def test_the_list_shows_results_notices_beside_the_selection_with_their_kind(notices, people, client_for):
    selection, results = notices
    page = client_for(people.centre).get(reverse("filings:notice_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert _rows(page) == {selection.pk: "filing_selection", results.pk: "evaluation_results"}
    html = page.content.decode()
    assert reverse("publicity:notice_detail", args=[results.pk]) in html
    assert results.title in html
    assert '<td class="text-nowrap" data-kind="evaluation_results">' in html


@pytest.mark.parametrize(("kind", "expected"), [("evaluation_results", 1), ("filing_selection", 0), ("", None)])
def test_the_kind_filter_keeps_one_kind(notices, people, client_for, kind, expected):
    page = client_for(people.centre).get(reverse("filings:notice_list"), {"kind": kind})
    shown = set(_rows(page))
    assert shown == ({notices[expected].pk} if expected is not None else {n.pk for n in notices})


def test_an_unknown_kind_lists_everything_rather_than_failing(notices, people, client_for):
    page = client_for(people.centre).get(reverse("filings:notice_list"), {"kind": "nonsense"})
    assert page.status_code == 200 and set(_rows(page)) == {n.pk for n in notices}


def test_another_provinces_centre_sees_neither(notices, client_for):
    shaanxi = official(
        "sx_centre_kinds", Role.CENTRE, "陕西省职业技能鉴定中心", Department.Kind.APPRAISAL_CENTRE, "610000"
    )
    page = client_for(shaanxi).get(reverse("filings:notice_list"))
    assert _rows(page) == {}
    assert client_for(shaanxi).get(reverse("publicity:notice_detail", args=[notices[1].pk])).status_code == 404
