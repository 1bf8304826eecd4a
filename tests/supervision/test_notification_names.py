"""Every message of supervision says which agency it is about, and nobody is told of what they themselves just did
(first-day tester, round 8: a sanction's message named no agency and went to the official who decided it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from filings.examples import sample_pdf
from portal.models import Notification
from supervision.models import Sanction
from supervision.services import (
    registration_confirm,
    registration_return,
    registration_submit,
    report_decide,
    sanction_decide,
    sanction_lift,
)
from supervision.services.inspections import (
    finding_add,
    inspection_open,
    rectification_answer,
    rectification_close,
    rectification_escalate,
)
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.portal.factories import region
from tests.supervision.factories import LIUZHOU, issued, today_is
from tests.supervision.test_inbox_done import DETAILS, _liuzhou_plan

AGENCY = "南宁市安盾职业技能培训学校"
FACTS = "考场视频监控未开启，考评人员不足3名。"
MONDAY = dt.date(2026, 3, 2)


def _told(link: str) -> dict[str, str]:
    return dict(Notification.objects.filter(link=link).values_list("recipient__username", "subject"))


@pytest.mark.parametrize(
    ("decider", "kind"),
    [("city_nanning", Sanction.Kind.WARNING), ("centre", Sanction.Kind.REMOVAL), ("centre", Sanction.Kind.SUSPENSION)],
)
def test_a_sanction_names_the_agency_and_is_not_sent_to_whoever_decided_it(people, nanning_entry, decider, kind):
    by = getattr(people, decider)
    extra = {"until": MONDAY + dt.timedelta(days=30)} if kind == Sanction.Kind.SUSPENSION else {}
    with today_is(MONDAY):
        sanction = sanction_decide(entry=nanning_entry, kind=kind, facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=by, **extra)
    told = _told(reverse("supervision:sanction_detail", args=[sanction.pk]))
    everyone = {"agency_nanning", "city_nanning", "police_nanning", "centre"}
    assert set(told) == everyone - {decider}
    label = Sanction.Kind(kind).label
    for subject in told.values():
        assert subject == f"对{AGENCY}作出处理决定：{label}（{sanction.number}）"


def test_lifting_a_suspension_names_the_agency_and_is_not_sent_to_whoever_lifted_it(people, nanning_entry):
    with today_is(MONDAY):
        sanction = sanction_decide(
            entry=nanning_entry,
            kind=Sanction.Kind.SUSPENSION,
            facts=FACTS,
            basis=PILOT_EXIT_CLAUSE,
            by=people.city_nanning,
            until=MONDAY + dt.timedelta(days=30),
        )
        Notification.objects.all().delete()
        sanction_lift(sanction=sanction, reason="整改已核验。", by=people.centre)
    told = _told(reverse("supervision:sanction_detail", args=[sanction.pk]))
    assert set(told) == {"agency_nanning", "city_nanning", "police_nanning"}
    assert set(told.values()) == {f"已解除{AGENCY}的暂停（{sanction.number}）"}


def test_every_message_of_an_inspection_order_names_the_agency_and_spares_the_actor(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    finding = finding_add(inspection=inspection, by=people.city_nanning, text="未张贴考场规则。", requirement="张贴。")
    order = finding.rectification
    issued(inspection, people.city_nanning)
    rectification_answer(rectification=order, by=people.agency_nanning, answer="已张贴。", files=[sample_pdf("照片")])
    rectification_escalate(rectification=order, by=people.city_nanning, note="照片不清晰，无法核验。")
    messages = Notification.objects.all()
    assert messages.exists()
    for message in messages:
        assert AGENCY in message.subject, message.subject
    # The inspector (city_nanning) escalated it: the centre decides, the inspector is not told of their own act.
    escalated = messages.filter(subject=f"整改通知移交处理：{AGENCY}")
    assert set(escalated.values_list("recipient__username", flat=True)) == {"centre"}


def test_a_closed_order_names_the_agency(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.police_nanning)
    order = finding_add(
        inspection=inspection, by=people.police_nanning, text="未张贴。", requirement="张贴。"
    ).rectification
    issued(inspection, people.police_nanning)
    rectification_answer(rectification=order, by=people.agency_nanning, answer="已张贴。", files=[sample_pdf("照片")])
    rectification_close(rectification=order, by=people.police_nanning)
    assert people.agency_nanning.notifications.filter(subject=f"{AGENCY}的整改已核验，整改通知已办结。").exists()


@pytest.mark.parametrize("confirm", [True, False])
def test_the_agency_learns_whose_registration_with_which_police_was_decided(people, nanning_entry, confirm):
    liuzhou_sites = {**DETAILS, "sites": "柳州市城中区文昌路19号 柳州市职业技能公共实训基地"}
    registration = registration_submit(
        entry=nanning_entry, city=region(LIUZHOU), by=people.agency_nanning, **liuzhou_sites
    )
    if confirm:
        registration_confirm(registration=registration, by=people.police_liuzhou)
    else:
        registration_return(registration=registration, by=people.police_liuzhou, reasons="请补充地址。")
    told = people.agency_nanning.notifications.get(
        link=reverse("supervision:registration_detail", args=[registration.pk])
    )
    assert told.subject == f"{AGENCY}向柳州市公安机关的报备登记{'已确认' if confirm else '被退回'}"


@pytest.mark.parametrize("consent", [True, False])
def test_the_agency_learns_which_plan_the_other_city_answered(people, nanning_entry, consent):
    plan = _liuzhou_plan(people, nanning_entry)
    with today_is(dt.date(2026, 9, 24)):
        report_decide(
            report=plan.cross_region_report,
            by=people.city_liuzhou,
            consent=consent,
            reasons="" if consent else "考点未核验。",
        )
    told = people.agency_nanning.notifications.get(link=reverse("supervision:plan_detail", args=[plan.pk]))
    assert (
        told.subject == f"柳州市人社部门{'已同意' if consent else '不同意'}认定计划：2026-10-20 · 保卫管理员 · 柳州市"
    )
    # The bureau that answered is not told of its own answer.
    assert not people.city_liuzhou.notifications.filter(read_at=None).exists()
