"""A message that asks someone to act leaves the to-do part of their inbox once the act is done — by them or by a
colleague — through the service that does it (first-day tester, round 8: “待您办理” went stale). Each test reads
the inbox as its user does: the message is listed under 待办与未读 before the act, and not after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from filings.examples import sample_pdf
from supervision.models import Complaint, Inspection, Sanction
from supervision.services import (
    complaint_act,
    registration_confirm,
    registration_resubmit,
    registration_return,
    registration_submit,
    report_decide,
    sanction_decide,
)
from supervision.services.draws import draw_define, draw_perform
from supervision.services.inspections import (
    finding_add,
    inspection_checklist_save,
    inspection_complete,
    inspection_open,
    rectification_answer,
    rectification_close,
    rectification_escalate,
)
from supervision.services.plans import plan_submit, plan_withdraw
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.portal.factories import region
from tests.portal.inbox_page import read_subjects, todo_subjects
from tests.supervision.factories import NANNING, issued, liuzhou_venue, new_plan, today_is
from tests.supervision.test_complaints import submit
from tests.supervision.test_inspections import ALL_OK

AGENCY = "南宁市安盾职业技能培训学校"
DETAILS = {"responsible": "黄建华", "phone": "13877112345", "sites": "南宁市青秀区民族大道136号 理论考场、实操考场"}


def _todo(client_for, user, text: str) -> bool:
    return any(text in subject for subject in todo_subjects(client_for, user))


# ---------------------------------------------------------------- complaints: closed by a reply or a refusal


@pytest.mark.parametrize("closing", ["reply", "decline"])
def test_a_new_complaint_stays_a_to_do_until_it_is_closed(people, nanning_entry, client_for, closing):
    complaint = submit(nanning_entry)
    subject = f"（关于{AGENCY}），答复期限"
    # 南宁's bureau handles it: both of its officials in the tests are told (the colleague too).
    assert _todo(client_for, people.city_nanning, subject)
    if closing == "reply":
        complaint_act(complaint=complaint, step="accept", by=people.city_nanning)
        # Accepted is not closed: the complaint still waits for its conclusion and reply.
        assert _todo(client_for, people.city_nanning, AGENCY)
        complaint_act(
            complaint=complaint, step="conclude", by=people.city_nanning, outcome="not_upheld", text="查无实据。"
        )
        complaint_act(complaint=complaint, step="reply", by=people.city_nanning, text="经查，未发现所述情况。")
    else:
        complaint_act(complaint=complaint, step="decline", by=people.city_nanning, text="不属于本局管辖。")
    assert Complaint.objects.get(pk=complaint.pk).status in (Complaint.Status.REPLIED, Complaint.Status.DECLINED)
    assert not _todo(client_for, people.city_nanning, AGENCY), subject
    assert any(AGENCY in s for s in read_subjects(client_for, people.city_nanning))


# ---------------------------------------------------------------- a drawn inspection: done once completed


@pytest.fixture
def drawn(people, nanning_entry, liuzhou_entry, city_scope) -> Inspection:
    draw = draw_define(
        by=people.centre,
        title="抽查",
        n=1,
        m=2,
        seed_source="2026年12月15日福彩3D开奖号码",
        seed_published_on=timezone.localdate(),
    )
    draw_perform(draw=draw, by=people.centre, seed_value="7")
    return Inspection.objects.get(draw=draw)


def test_a_drawn_inspection_leaves_the_whole_teams_to_do_when_one_of_them_completes_it(people, drawn, client_for):
    team = list(drawn.team.all())
    assert len(team) == 2
    name = drawn.entry.organisation.name
    for member in team:
        assert _todo(client_for, member, f"双随机抽查：{name}"), member
    inspection_checklist_save(inspection=drawn, by=team[0], results=ALL_OK)
    # The checklist saved is not the inspection finished.
    assert _todo(client_for, team[1], name)
    inspection_complete(inspection=drawn, by=team[0], rating="good", summary="规范。")
    for member in team:
        assert not _todo(client_for, member, name), member


# ---------------------------------------------------------------- police registrations


@pytest.mark.parametrize("decision", ["confirm", "return"])
def test_a_registration_leaves_the_polices_to_do_when_confirmed_or_returned(
    people, nanning_entry, client_for, decision
):
    registration = registration_submit(entry=nanning_entry, city=region(NANNING), by=people.agency_nanning, **DETAILS)
    assert _todo(client_for, people.police_nanning, f"{AGENCY}的公安报备登记")
    if decision == "confirm":
        registration_confirm(registration=registration, by=people.police_nanning)
    else:
        registration_return(registration=registration, by=people.police_nanning, reasons="请补充实操考场地址。")
    assert not _todo(client_for, people.police_nanning, AGENCY)


def test_a_returned_registration_leaves_the_agencys_to_do_when_answered_and_comes_back_to_the_police(
    people, nanning_entry, client_for
):
    registration = registration_submit(entry=nanning_entry, city=region(NANNING), by=people.agency_nanning, **DETAILS)
    registration_return(registration=registration, by=people.police_nanning, reasons="请补充实操考场地址。")
    assert _todo(client_for, people.agency_nanning, "报备登记被退回")
    registration_resubmit(registration=registration, by=people.agency_nanning, answer="已补充。", **DETAILS)
    assert not _todo(client_for, people.agency_nanning, "报备登记被退回")
    # The answer is the police's to-do again.
    assert _todo(client_for, people.police_nanning, AGENCY)


# ---------------------------------------------------------------- cross-region plans: consent given or refused


SEPT_23 = dt.date(2026, 9, 23)


def _liuzhou_plan(people, entry):
    with today_is(SEPT_23):
        plan = new_plan(
            entry,
            people.agency_nanning,
            **liuzhou_venue(first_day=dt.date(2026, 10, 20), last_day=dt.date(2026, 10, 20)),
        )
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    return plan


@pytest.mark.parametrize("consent", [True, False])
def test_a_cross_region_report_leaves_the_bureaus_to_do_when_it_consents_or_refuses(
    people, nanning_entry, client_for, consent
):
    plan = _liuzhou_plan(people, nanning_entry)
    assert _todo(client_for, people.city_liuzhou, f"异地评价报备：{AGENCY}")
    with today_is(dt.date(2026, 9, 24)):
        report_decide(
            report=plan.cross_region_report,
            by=people.city_liuzhou,
            consent=consent,
            reasons="" if consent else "考点未核验。",
        )
    assert not _todo(client_for, people.city_liuzhou, AGENCY)


def test_a_cross_region_report_withdrawn_by_the_agency_leaves_the_bureaus_to_do(people, nanning_entry, client_for):
    plan = _liuzhou_plan(people, nanning_entry)
    with today_is(dt.date(2026, 9, 24)):
        plan_withdraw(plan=plan, by=people.agency_nanning)
    assert not _todo(client_for, people.city_liuzhou, AGENCY)


# ---------------------------------------------------------------- rectification orders


@pytest.fixture
def order(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.police_nanning)
    finding = finding_add(
        inspection=inspection, by=people.police_nanning, text="考场视频监控未开启。", requirement="恢复视频监控。"
    )
    issued(inspection, people.police_nanning)
    return finding.rectification


def _answer(order, people):
    rectification_answer(
        rectification=order, by=people.agency_nanning, answer="已恢复视频监控。", files=[sample_pdf("整改照片")]
    )


def test_a_rectification_order_leaves_the_agencys_to_do_when_it_answers(people, order, client_for):
    assert _todo(client_for, people.agency_nanning, "整改通知")
    _answer(order, people)
    assert not _todo(client_for, people.agency_nanning, "整改通知")
    # The answer is the inspector's to-do now.
    assert _todo(client_for, people.police_nanning, f"{AGENCY}已回复整改情况")


def test_an_answered_order_leaves_the_inspectors_to_do_when_closed(people, order, client_for):
    _answer(order, people)
    rectification_close(rectification=order, by=people.police_nanning)
    assert not _todo(client_for, people.police_nanning, AGENCY)


def test_an_escalated_order_leaves_the_deciders_to_do_when_a_sanction_is_decided_on_it(people, order, client_for):
    _answer(order, people)
    rectification_escalate(rectification=order, by=people.police_nanning, note="整改不到位。")
    assert not _todo(client_for, people.police_nanning, AGENCY)
    for decider in (people.city_nanning, people.centre):
        assert _todo(client_for, decider, f"整改通知移交处理：{AGENCY}"), decider
    sanction_decide(
        entry=order.finding.inspection.entry,
        kind=Sanction.Kind.WARNING,
        facts="考场视频监控未开启，整改不到位。",
        basis=PILOT_EXIT_CLAUSE,
        by=people.city_nanning,
        rectification=order,
    )
    # Decided by the city: no longer the centre's to-do either.
    for decider in (people.city_nanning, people.centre):
        assert not _todo(client_for, decider, "整改通知移交处理"), decider
