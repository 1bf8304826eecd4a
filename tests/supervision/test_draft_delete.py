"""A draft never submitted is deleted for real (issue sup9 item 5): 删除草稿 removes the row, and the plan leaves
the agency's list; a plan once submitted (ready, announced, or refused by another city and saved again as a
draft) keeps 撤回, which leaves it on record as withdrawn."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.lib.errors import WorkflowError
from portal.models import AuditEvent
from supervision.models import Plan
from supervision.services import plan_delete, plan_save, plan_submit, report_decide
from tests.supervision.factories import liuzhou_venue, new_plan, plan_fields, today_is

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


def test_deleting_a_draft_removes_it_from_the_list(people, nanning_entry, client_for):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, venue="待删除的考点")
        agency = client_for(people.agency_nanning)
        response = agency.post(reverse("supervision:plan_act", args=[plan.pk, "delete"]))
    assert response.status_code == 302 and response["Location"] == reverse("supervision:agency_home")
    assert not Plan.objects.filter(pk=plan.pk).exists()
    home = agency.get(reverse("supervision:agency_home")).content.decode()
    assert reverse("supervision:plan_detail", args=[plan.pk]) not in home
    assert agency.get(reverse("supervision:plan_detail", args=[plan.pk])).status_code == 404
    assert AuditEvent.objects.filter(object_id=str(plan.pk), object_type="supervision.Plan", action="plan_withdraw")


def test_the_list_showed_the_draft_before(people, nanning_entry, client_for):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        home = client_for(people.agency_nanning).get(reverse("supervision:agency_home")).content.decode()
    assert reverse("supervision:plan_detail", args=[plan.pk]) in home


def test_a_submitted_plan_is_not_deleted(people, nanning_entry, client_for):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        plan_submit(plan=plan, by=people.agency_nanning)
        with pytest.raises(WorkflowError):
            plan_delete(plan=plan, by=people.agency_nanning)
        client_for(people.agency_nanning).post(reverse("supervision:plan_act", args=[plan.pk, "delete"]))
        html = client_for(people.agency_nanning).get(reverse("supervision:plan_detail", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY
    assert "/act/withdraw/" in html.content.decode() and "/act/delete/" not in html.content.decode()


def test_a_refused_plan_saved_again_as_a_draft_is_withdrawn_not_deleted(people, nanning_entry, client_for):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue())
        plan_submit(plan=plan, by=people.agency_nanning)
        report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=False, reasons="场地不符。")
        plan_save(
            entry=nanning_entry, by=people.agency_nanning, plan=plan, **plan_fields(**liuzhou_venue(venue="新场地"))
        )
        plan.refresh_from_db()
        assert plan.status == Plan.Status.DRAFT
        with pytest.raises(WorkflowError):
            plan_delete(plan=plan, by=people.agency_nanning)
        html = (
            client_for(people.agency_nanning).get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
        )
    assert "/act/withdraw/" in html and "/act/delete/" not in html
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_another_agency_cannot_delete_the_draft(people, nanning_entry, client_for):
    with today_is(MONDAY):
        plan = new_plan(nanning_entry, people.agency_nanning)
        response = client_for(people.agency_liuzhou).post(reverse("supervision:plan_act", args=[plan.pk, "delete"]))
    assert response.status_code == 404
    assert Plan.objects.filter(pk=plan.pk).exists()
