"""Mutation kills of round 8 (supervision): a refused plan the agency submits again is no longer its to-do; a
removal that withdraws a plan ends the other city's consent to-do; an order escalated unanswered leaves the
agency's to-do; the list of unregistered agencies keeps the list's order; a complaint closed by one official
leaves a colleague's to-do; on the workspace, only the chosen card is marked, “show all” shows all, and the
pages of a filtered list stay filtered; a sanction or an escalation spares its actor, not the actor's colleague."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qsl

from django.urls import reverse

from portal.models import Role
from supervision.models import Plan, Sanction
from supervision.services import complaint_act, report_decide, sanction_decide
from supervision.services.inspections import finding_add, inspection_open, rectification_escalate
from supervision.services.plans import plan_submit
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.portal.factories import UserFactory
from tests.supervision.factories import issued, today_is
from tests.supervision.test_complaints import submit
from tests.supervision.test_inbox_done import AGENCY, _liuzhou_plan, _todo
from tests.supervision.test_workspace_cards import _links, _workspace, liuzhou_area  # noqa: F401 (fixture)

REFUSED = "柳州市人社部门不同意认定计划"


def test_a_refused_plan_submitted_again_leaves_the_agencys_to_do_and_is_the_bureaus_again(
    people, nanning_entry, client_for
):
    plan = _liuzhou_plan(people, nanning_entry)
    with today_is(dt.date(2026, 9, 24)):
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=False, reasons="考点未核验。")
    assert _todo(client_for, people.agency_nanning, REFUSED)
    assert not _todo(client_for, people.city_liuzhou, AGENCY)
    with today_is(dt.date(2026, 9, 25)):
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AWAITING_CONSENT
    assert not _todo(client_for, people.agency_nanning, REFUSED)
    assert _todo(client_for, people.city_liuzhou, f"异地评价报备：{AGENCY}")


def test_a_removal_that_withdraws_a_plan_ends_the_other_citys_consent_to_do(people, nanning_entry, client_for):
    plan = _liuzhou_plan(people, nanning_entry)
    assert _todo(client_for, people.city_liuzhou, f"异地评价报备：{AGENCY}")
    with today_is(dt.date(2026, 9, 24)):
        sanction_decide(
            entry=nanning_entry,
            kind=Sanction.Kind.REMOVAL,
            facts="考场视频监控未开启，考评人员不足3名。",
            basis=PILOT_EXIT_CLAUSE,
            by=people.centre,
        )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.WITHDRAWN
    assert not _todo(client_for, people.city_liuzhou, "异地评价报备")


def test_an_order_escalated_unanswered_is_no_longer_the_agencys_to_do(people, nanning_entry, client_for):
    inspection = inspection_open(entry=nanning_entry, by=people.police_nanning)
    order = finding_add(
        inspection=inspection, by=people.police_nanning, text="考场视频监控未开启。", requirement="恢复视频监控。"
    ).rectification
    issued(inspection, people.police_nanning)
    assert _todo(client_for, people.agency_nanning, "整改通知")
    rectification_escalate(rectification=order, by=people.police_nanning, note="逾期未整改。")
    # The agency can no longer answer it: nothing waits for it there, while the deciders have it to do.
    assert not _todo(client_for, people.agency_nanning, "整改通知")
    assert _todo(client_for, people.centre, f"整改通知移交处理：{AGENCY}")


def _agency_links(client_for, user, **params) -> list[str]:
    page = client_for(user).get(reverse("supervision:workspace"), {"tab": "agencies", **params}).content.decode()
    table = page[page.index("<table") :]  # the rows, not the alert above them
    return list(dict.fromkeys(re.findall(r'href="(/supervision/agencies/\d+/)"', table)))  # in order, each once


def test_the_unregistered_filter_keeps_the_lists_order(people, liuzhou_entry, nanning_entry, client_for):
    # 柳州's agency filed first (the lower key), yet listed after 南宁's: the list is ordered by region, then name.
    assert liuzhou_entry.pk < nanning_entry.pk
    everything = _agency_links(client_for, people.centre)
    expected = [reverse("supervision:agency_file", args=[e.pk]) for e in (nanning_entry, liuzhou_entry)]
    assert everything == expected
    assert _agency_links(client_for, people.centre, show="unregistered") == expected


def test_a_complaint_closed_by_one_official_leaves_the_colleagues_to_do(people, nanning_entry, client_for):
    colleague = UserFactory(username="city_nanning_2", role=Role.CITY_HR, department=people.city_nanning.department)
    complaint = submit(nanning_entry)
    assert _todo(client_for, colleague, f"（关于{AGENCY}），答复期限")
    complaint_act(complaint=complaint, step="decline", by=people.city_nanning, text="不属于本局管辖。")
    assert not _todo(client_for, colleague, AGENCY)


# ---------------------------------------------------------------- the workspace's filter cards


def test_only_the_chosen_card_is_marked(people, liuzhou_area, client_for):  # noqa: F811
    for show in ("awaiting_consent", "refused", "unregistered_evaluations"):
        page = _workspace(client_for, people.police_liuzhou, tab="flagged", show=show)
        assert re.findall(r'aria-current="true" data-card="(\w+)"', page) == [show]
    page = _workspace(client_for, people.police_liuzhou, tab="flagged")
    assert re.findall(r'aria-current="true" data-card="(\w+)"', page) == []


def test_show_all_leaves_the_filter(people, liuzhou_area, client_for):  # noqa: F811
    page = _workspace(client_for, people.police_liuzhou, tab="flagged", show="refused")
    bar = page[page.index("data-filter>") : page.index("</div>", page.index("data-filter>"))]
    href = html.unescape(re.search(r'<a href="\?([^"]+)">显示全部</a>', bar).group(1))
    everything = _workspace(client_for, people.police_liuzhou, **dict(parse_qsl(href)))
    assert len(_links(everything, "/supervision/plans/")) == 3 and "仅显示：" not in everything


def test_the_pages_of_a_filtered_list_stay_filtered(people, liuzhou_area, client_for, monkeypatch):  # noqa: F811
    monkeypatch.setattr("supervision.views.plans.PAGE_SIZE", 1)
    page = _workspace(client_for, people.police_liuzhou, tab="flagged", show="unregistered_evaluations")
    shown = set(_links(page, "/supervision/plans/"))
    while "下一页" in page:
        href = html.unescape(re.findall(r'href="\?([^"]+)">下一页</a>', page)[0])
        page = _workspace(client_for, people.police_liuzhou, **dict(parse_qsl(href)))
        assert "仅显示：" in page, href
        shown |= _links(page, "/supervision/plans/")
    plans = (liuzhou_area["awaiting"], liuzhou_area["refused"], liuzhou_area["own"])
    assert shown == {reverse("supervision:plan_detail", args=[plan.pk]) for plan in plans}


# ---------------------------------------------------------------- sparing the actor, not the actor's colleagues


def test_a_sanction_spares_whoever_decided_it_but_tells_their_colleague(people, nanning_entry):
    colleague = UserFactory(username="city_nanning_2", role=Role.CITY_HR, department=people.city_nanning.department)
    sanction = sanction_decide(
        entry=nanning_entry,
        kind=Sanction.Kind.WARNING,
        facts="考场视频监控未开启。",
        basis=PILOT_EXIT_CLAUSE,
        by=people.city_nanning,
    )
    link = reverse("supervision:sanction_detail", args=[sanction.pk])
    assert colleague.notifications.filter(link=link, subject__contains=AGENCY).exists()
    assert not people.city_nanning.notifications.filter(link=link).exists()


def test_an_escalation_spares_the_inspector_but_tells_their_colleague_who_decides(people, nanning_entry):
    colleague = UserFactory(username="city_nanning_2", role=Role.CITY_HR, department=people.city_nanning.department)
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    order = finding_add(inspection=inspection, by=people.city_nanning, text="未张贴考场规则。", requirement="张贴。")
    rectification_escalate(rectification=order.rectification, by=people.city_nanning, note="逾期未整改。")
    subject = f"整改通知移交处理：{AGENCY}"
    assert colleague.notifications.filter(subject=subject).exists()
    assert people.centre.notifications.filter(subject=subject).exists()
    assert not people.city_nanning.notifications.filter(subject=subject).exists()
