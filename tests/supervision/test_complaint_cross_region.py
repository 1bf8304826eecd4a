"""Issue todo9 item 5: a complaint naming an evaluation the agency held in another city (a cross-region plan) goes
to the HR bureau and the police of that city too: they are told (inbox) and may read it; the agency's own city
still handles it. A complaint naming an evaluation of the agency's own city, or none, stays with the home city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.models import Notification
from supervision.models import Complaint, Plan
from supervision.services import complaint_submit
from tests.certificates.factories import announced_plan, filed_entry
from tests.portal.factories import region

CONTENT = "保卫管理员三级考试中，监考人员离开考场二十分钟，考生互相传递答案。"


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning)


def _complaint(entry, plan):
    return complaint_submit(
        entry=entry,
        plan=plan,
        happened_on=plan.first_day if plan else dt.date(2026, 9, 20),
        content=CONTENT,
        name="李明",
        contact="13877112345",
    )


def _plan(people, entry, city: str) -> Plan:
    plan = announced_plan(entry, people.agency_nanning, days_ago=5)
    Plan.objects.filter(pk=plan.pk).update(city=region(city))
    plan.refresh_from_db()
    return plan


def test_a_cross_region_evaluation_complaint_reaches_the_evaluation_citys_officials(people, client_for, entry):
    complaint = _complaint(entry, _plan(people, entry, "450200"))
    assert complaint.department.name == "南宁市人力资源和社会保障局"  # the home city handles it
    url = reverse("supervision:complaint_detail", args=[complaint.pk])
    for official in (people.city_liuzhou, people.police_liuzhou):
        message = Notification.objects.get(recipient=official, link=url)
        assert "南宁市安盾职业技能培训学校" in message.subject and "柳州市" in message.subject
        assert "南宁市人力资源和社会保障局" in message.body
        page = client_for(official).get(url)
        assert page.status_code == 200 and CONTENT in page.content.decode()
        listing = client_for(official).get(reverse("supervision:complaints")).content.decode()
        assert url in listing
    # The evaluation city reads it but does not handle it: its bureau's step is refused, nothing changes.
    client_for(people.city_liuzhou).post(url, {"step": "accept", "text": "受理。"})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RECEIVED
    # The home city's bureau has its to-do as before; the home city's police get no extra message.
    assert Notification.objects.filter(recipient=people.city_nanning, link=url, todo=True).exists()
    assert not Notification.objects.filter(recipient=people.police_nanning, link=url).exists()


@pytest.mark.parametrize("plan_city", ["450100", None])
def test_a_home_city_or_plain_complaint_stays_with_the_home_city(people, client_for, entry, plan_city):
    plan = _plan(people, entry, plan_city) if plan_city else None
    complaint = _complaint(entry, plan)
    url = reverse("supervision:complaint_detail", args=[complaint.pk])
    for official in (people.city_liuzhou, people.police_liuzhou):
        assert not Notification.objects.filter(recipient=official, link=url).exists()
        assert client_for(official).get(url).status_code == 404
