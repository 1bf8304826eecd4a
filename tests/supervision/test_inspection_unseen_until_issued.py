"""An agency does not see an inspection while it is in progress (an unannounced check must not show, nor the
inspector's half-filled checklist): no page of its own, no trace on its file, its supervision page, its home
page or its inbox. Completed, the findings are issued to it: it reads the result and the rectification order,
whose working days count from then. Officials read it throughout (first-day tester, round 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from filings.examples import sample_pdf
from portal.models import Notification
from supervision.models import Rectification
from supervision.services.inspections import (
    finding_add,
    inspection_checklist_save,
    inspection_open,
    rectification_answer,
)
from tests.supervision.factories import issued, today_is

FINDING = "三号考场视频监控未开启。"
REQUIREMENT = "恢复视频监控并接入管理系统。"
WEDNESDAY = dt.date(2026, 9, 30)  # the last working day before the National Day holiday


@pytest.fixture
def under_way(people, nanning_entry):
    with today_is(WEDNESDAY):
        inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
        inspection_checklist_save(
            inspection=inspection, by=people.city_nanning, results={"video": {"result": "fail", "note": "未开启"}}
        )
        finding = finding_add(inspection=inspection, by=people.city_nanning, text=FINDING, requirement=REQUIREMENT)
    # Ordered on that Wednesday (``today_is`` moves the date, not the clock), due 20 October.
    ordered_at = dt.datetime.combine(WEDNESDAY, dt.time(10), tzinfo=dt.UTC)
    Rectification.objects.filter(finding=finding).update(ordered_at=ordered_at)
    assert finding.rectification.deadline == dt.date(2026, 10, 20)
    return inspection


def _agency_pages(client, inspection) -> dict[str, object]:
    order = inspection.findings.get().rectification
    return {
        "inspection": client.get(reverse("supervision:inspection_detail", args=[inspection.pk])),
        "order": client.get(reverse("supervision:rectification_detail", args=[order.pk])),
        "file": client.get(reverse("supervision:agency_file", args=[inspection.entry.pk])),
        "supervision": client.get(reverse("supervision:agency_home")),
        "home": client.get("/"),
    }


def test_the_agency_sees_no_trace_of_an_inspection_in_progress(people, under_way, client_for):
    pages = _agency_pages(client_for(people.agency_nanning), under_way)
    assert pages["inspection"].status_code == 404
    assert pages["order"].status_code == 404
    link = reverse("supervision:inspection_detail", args=[under_way.pk])
    for name in ("file", "supervision", "home"):
        html = pages[name].content.decode()
        assert pages[name].status_code == 200, name
        assert link not in html, name
        assert FINDING not in html and REQUIREMENT not in html, name
        assert "整改通知" not in html or "待答复的整改通知" not in html, name
    assert not Notification.objects.filter(recipient=people.agency_nanning).exists()
    order = under_way.findings.get().rectification
    with pytest.raises(PermissionDenied):
        rectification_answer(rectification=order, by=people.agency_nanning, answer="已整改。", files=[sample_pdf("x")])
    order.refresh_from_db()
    assert order.status == Rectification.Status.OPEN and not order.answer


def test_officials_read_it_while_in_progress(people, under_way, client_for):
    for official in (people.city_nanning, people.police_nanning, people.centre):
        page = client_for(official).get(reverse("supervision:inspection_detail", args=[under_way.pk]))
        assert page.status_code == 200 and FINDING in page.content.decode(), official
        file = client_for(official).get(reverse("supervision:agency_file", args=[under_way.entry.pk]))
        assert reverse("supervision:inspection_detail", args=[under_way.pk]) in file.content.decode(), official


def test_completed_the_agency_reads_the_result_and_the_order_due_from_then(people, under_way, client_for):
    with today_is(dt.date(2026, 10, 12)):  # a Monday
        issued(under_way, people.city_nanning)
    order = under_way.findings.get().rectification
    # 10 working days from Monday 12 October 2026: 13–16, 19–23, 26 October (not from 30 September).
    assert order.deadline == dt.date(2026, 10, 26)
    pages = _agency_pages(client_for(people.agency_nanning), under_way)
    assert pages["inspection"].status_code == 200 and FINDING in pages["inspection"].content.decode()
    assert pages["order"].status_code == 200 and REQUIREMENT in pages["order"].content.decode()
    assert reverse("supervision:inspection_detail", args=[under_way.pk]) in pages["file"].content.decode()
    told = Notification.objects.get(recipient=people.agency_nanning)
    assert "2026-10-26" in told.subject
    rectification_answer(rectification=order, by=people.agency_nanning, answer="已恢复。", files=[sample_pdf("x")])
    order.refresh_from_db()
    assert order.status == Rectification.Status.ANSWERED
