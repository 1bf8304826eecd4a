"""Issue qa6 item 2: a suspension changes the public directory and stops announcements and certificates, so it
takes the removal's second step: the first POST answers the confirmation page and changes nothing, the confirm
POST applies it, and 返回修改 brings the form back as typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import DirectoryEntry
from supervision.models import Sanction
from supervision.services.sanctions import PILOT_EXIT_CLAUSE

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
FACTS = "2026年11月督导检查发现该机构考场视频监控未开启，经约谈仍未整改。"


def _typed() -> dict:
    until = timezone.localdate() + dt.timedelta(days=90)
    return {"kind": "suspension", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, "until": until.isoformat()}


def test_a_suspension_first_asks_and_changes_nothing(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    response = client_for(people.city_nanning).post(url, _typed(), **ZH)
    body = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "portal/confirm.html"
    assert f"确认暂停 {nanning_entry.organisation.name} 的认定资格" in body
    assert "公开目录将显示该机构暂停" in body and "不能制定或公布认定计划，也不能颁发证书" in body
    assert 'name="confirmed" value="yes"' in body and 'name="confirmed" value="back"' in body and FACTS in body
    assert not Sanction.objects.exists()
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE


def test_a_suspension_applies_once_confirmed(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    response = client_for(people.city_nanning).post(url, {**_typed(), "confirmed": "yes"})
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.kind == "suspension" and sanction.facts == FACTS
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.SUSPENDED


def test_back_from_the_suspension_confirmation_keeps_what_was_typed(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    typed = _typed()
    back = client_for(people.city_nanning).post(url, {**typed, "confirmed": "back"}, **ZH)
    form = back.content.decode()
    assert back.status_code == 200 and back.templates[0].name == "supervision/sanction_form.html"
    assert FACTS in form and '<option value="suspension" selected>' in form and typed["until"] in form
    assert "is-invalid" not in form
    assert not Sanction.objects.exists()
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE


def test_a_second_suspension_is_refused_without_a_confirmation(people, nanning_entry, client_for):
    client = client_for(people.city_nanning)
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    client.post(url, {**_typed(), "confirmed": "yes"})
    response = client.post(url, _typed())
    # Refused at once (back to the agency's file with the reason), no confirmation page first.
    assert response.status_code == 302 and "confirmed" not in response.content.decode()
    assert Sanction.objects.count() == 1
