"""Every message to an agency about one of its evaluations names the plan as the agency knows it — first exam
day · occupation · city — not the agency's own name (qa9c item 2: “认定结果审核通过：南宁市安盾… · 保卫管理员 · …”
left the agency guessing which of its plans); the bureau's copy still names the agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from certificates.services import reports_overdue_notify, results_decide, results_report
from portal.models import Notification
from tests.certificates.test_results_objections import objection, publicised  # noqa: F401 (fixtures)
from tests.certificates.test_results_workflow import REPORT_DUE, closed
from tests.supervision.factories import today_is


def _plan_label(session) -> str:
    plan = session.plan
    return f"{plan.first_day:%Y-%m-%d} · 保安员 · {plan.city.name}"


@pytest.mark.parametrize("approve", [True, False])
def test_the_decision_on_reported_results_names_the_plan(publicised, people, approve):  # noqa: F811
    session = results_report(session=closed(publicised, people), by=people.agency_nanning)
    results_decide(session=session, by=people.city_nanning, approve=approve, reasons="" if approve else "缺签字。")
    told = people.agency_nanning.notifications.get(link=reverse("certificates:session_detail", args=[session.pk]))
    assert told.subject == f"认定结果{'审核通过' if approve else '被退回'}：{_plan_label(session)}"
    assert "南宁市" in _plan_label(session)


def test_the_overdue_report_names_the_plan_to_the_agency_and_the_agency_to_the_bureau(publicised, people):  # noqa: F811
    session = closed(publicised, people)
    with today_is(REPORT_DUE + dt.timedelta(days=1)):
        assert reports_overdue_notify() == 1
    link = reverse("certificates:session_detail", args=[session.pk])
    agency = Notification.objects.get(recipient=people.agency_nanning, link=link, subject__contains="超期")
    assert agency.subject.endswith(_plan_label(session))
    bureau = Notification.objects.get(recipient=people.city_nanning, link=link, subject__contains="超期")
    assert people.org_nanning.name in bureau.subject


def test_the_objection_messages_name_the_plan(publicised, objection, people):  # noqa: F811
    told = people.agency_nanning.notifications.get(subject__startswith="认定结果异议")
    assert (
        told.subject
        == f"认定结果异议：张*三（{objection.item.label.split('（')[1][:-1]}）（{_plan_label(publicised)}）"
    )
