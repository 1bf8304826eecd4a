"""The details of supervision's audit rows are written in the portal's language (Chinese), whatever the language
of the request that caused them: an administrator reads them later, in the audit log and its Excel export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from portal.models import AuditEvent
from supervision.services import complaint_act, complaint_submit, plan_submit, sanction_decide
from supervision.services.inspections import inspection_checklist_save, inspection_complete, inspection_open
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.supervision.factories import new_plan, today_is
from tests.supervision.test_inspections import ALL_OK

MONDAY = dt.date(2026, 3, 2)


def detail(action: str) -> str:
    return AuditEvent.objects.filter(action=action).latest("pk").detail


@pytest.fixture(autouse=True)
def _english_request():
    """The requests of these tests are in English: the details must not be."""
    with translation.override("en"):
        yield


def test_an_inspection_names_the_agency_and_its_rating_in_chinese(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    inspection_checklist_save(inspection=inspection, by=people.city_nanning, results=ALL_OK)
    inspection_complete(inspection=inspection, by=people.city_nanning, rating="poor", summary="考场管理不规范。")
    name = nanning_entry.organisation.name
    assert detail("inspection_open") == f"机构：{name}（目录条目 {nanning_entry.pk}）"
    assert detail("inspection_complete") == "评定：不合格"


def test_a_complaint_names_the_agency_and_the_outcome_in_chinese(people, nanning_entry):
    complaint = complaint_submit(
        entry=nanning_entry,
        happened_on=dt.date(2026, 9, 20),
        content="监考人员离开考场。",
        name="李明",
        contact="13877112345",
    )
    assert detail("complaint_submit") == f"机构：{nanning_entry.organisation.name}（目录条目 {nanning_entry.pk}）"
    complaint_act(complaint=complaint, step="accept", by=people.city_nanning)
    complaint_act(complaint=complaint, step="investigate", by=people.city_nanning)
    complaint_act(complaint=complaint, step="conclude", by=people.city_nanning, outcome="upheld", text="属实。")
    assert detail("complaint_conclude") == "投诉属实"


def test_a_sanction_names_its_kind_and_the_agency_in_chinese(people, nanning_entry):
    with today_is(MONDAY):
        sanction_decide(
            entry=nanning_entry,
            kind="warning",
            facts="考评人员不足3名。",
            basis=PILOT_EXIT_CLAUSE,
            by=people.city_nanning,
        )
    name = nanning_entry.organisation.name
    assert detail("sanction_decide") == f"警告，机构：{name}（目录条目 {nanning_entry.pk}）"


def test_a_submitted_plan_says_its_state_in_chinese(people, nanning_entry):
    with today_is(MONDAY):
        plan = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2026, 3, 16), last_day=dt.date(2026, 3, 17)
        )
        plan_submit(plan=plan, by=people.agency_nanning)
    assert detail("plan_submit").startswith("当前状态：") and not detail("plan_submit").isascii()
