"""A suspended or removed agency is stopped before the evaluation plan form, on a page that says why, not on
saving what it typed; and the refusal is said once, not as a message and a banner with the same words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from supervision.models import Plan
from tests.supervision.factories import new_plan, plan_fields, today_is

pytestmark = pytest.mark.django_db
CLOSED = "不能制定、修改或发布认定计划"
MONDAY = dt.date(2026, 3, 2)  # as in test_plans: the plan of plan_fields is 10 working days ahead


def _set(entry, status: str) -> None:
    entry.status = status
    entry.save(update_fields=["status"])


@pytest.mark.parametrize("status", ["removed", "suspended"])
def test_the_form_is_refused_before_it_is_shown_with_the_reason(people, nanning_entry, client_for, status):
    _set(nanning_entry, status)
    response = client_for(people.agency_nanning).get(reverse("supervision:plan_new"), {"entry": nanning_entry.pk})
    body = response.content.decode()
    assert response.status_code == 403
    assert CLOSED in body and nanning_entry.organisation.name in body
    assert 'name="venue"' not in body
    assert ("移出目录对本次备案是永久性的" in body) is (status == "removed")


def test_an_agency_in_the_directory_gets_the_form(people, nanning_entry, client_for):
    response = client_for(people.agency_nanning).get(reverse("supervision:plan_new"), {"entry": nanning_entry.pk})
    assert response.status_code == 200 and 'name="venue"' in response.content.decode()


def _posted_plan(entry) -> dict:
    """A plan the form and the rules accept on MONDAY: only the directory status can refuse it."""
    fields = plan_fields()
    return {
        **{name: value for name, value in fields.items() if name not in ("city", "occupation")},
        "city": fields["city"].pk,
        "occupation": fields["occupation"].pk,
        "entry": entry.pk,
    }


def test_the_same_post_from_an_agency_in_the_directory_saves_the_plan(people, nanning_entry, client_for):
    with today_is(MONDAY):
        response = client_for(people.agency_nanning).post(reverse("supervision:plan_new"), _posted_plan(nanning_entry))
    assert response.status_code == 302 and Plan.objects.count() == 1


def test_a_removed_agencys_post_creates_nothing_and_queues_no_second_message(people, nanning_entry, client_for):
    _set(nanning_entry, "removed")
    client = client_for(people.agency_nanning)
    with today_is(MONDAY):
        response = client.post(reverse("supervision:plan_new"), _posted_plan(nanning_entry))
    assert response.status_code == 403
    assert not Plan.objects.exists()
    assert list(get_messages(response.wsgi_request)) == []
    home = client.get(reverse("supervision:agency_home")).content.decode()
    assert home.count("不能制定认定计划或发布认定公告") == 1


def test_a_draft_of_a_removed_agency_cannot_be_opened_for_editing(people, nanning_entry, client_for):
    with today_is(MONDAY):
        draft = new_plan(nanning_entry, people.agency_nanning)
    _set(nanning_entry, "removed")
    client = client_for(people.agency_nanning)
    url = reverse("supervision:plan_edit", args=[draft.pk])
    assert client.get(url).status_code == 403
    before = Plan.objects.values().get(pk=draft.pk)
    assert client.post(url, {"venue": "另一个考点"}).status_code == 403
    assert Plan.objects.values().get(pk=draft.pk) == before


def test_a_removed_agencys_draft_offers_no_step_it_would_be_refused(people, nanning_entry, client_for):
    with today_is(MONDAY):
        draft = new_plan(nanning_entry, people.agency_nanning)
    client = client_for(people.agency_nanning)
    url = reverse("supervision:plan_detail", args=[draft.pk])
    assert reverse("supervision:plan_edit", args=[draft.pk]) in client.get(url).content.decode()
    _set(nanning_entry, "removed")
    body = client.get(url).content.decode()
    assert reverse("supervision:plan_edit", args=[draft.pk]) not in body
    assert reverse("supervision:plan_act", args=[draft.pk, "submit"]) not in body
    assert body.count("不能制定认定计划或发布认定公告") == 1
