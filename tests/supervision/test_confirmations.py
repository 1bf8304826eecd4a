"""Removal from the directory and opening an inspection take a second step: the first POST answers a page that
says what will happen (nothing changes), only its button (posting ``confirmed=yes``) takes the action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import DirectoryEntry
from supervision.models import Inspection, Sanction
from supervision.services.sanctions import PILOT_EXIT_CLAUSE

pytestmark = pytest.mark.django_db
FACTS = "多次违规发放证书，经查属实。"


def _removal(entry, **extra) -> dict:
    return {"kind": "removal", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, **extra}


def test_a_removal_first_asks_and_changes_nothing(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    response = client_for(people.centre).post(url, _removal(nanning_entry))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"确认将 {nanning_entry.organisation.name} 移出目录？" in body
    assert "该机构将被永久移出备案机构目录" in body and "移出目录后不可撤回" in body
    assert 'name="confirmed" value="yes"' in body and FACTS in body
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE
    assert not Sanction.objects.exists()


def test_a_removal_happens_once_confirmed(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    response = client_for(people.centre).post(url, _removal(nanning_entry, confirmed="yes"))
    assert response.status_code == 302
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.REMOVED
    assert Sanction.objects.get().kind == "removal"


def test_a_confirmation_other_than_yes_does_not_count(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    assert client_for(people.centre).post(url, _removal(nanning_entry, confirmed="1")).status_code == 200
    assert not Sanction.objects.exists()


def test_a_warning_needs_no_second_step(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    data = {"kind": "warning", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE}
    assert client_for(people.city_nanning).post(url, data).status_code == 302
    assert Sanction.objects.get().kind == "warning"


def test_a_city_bureau_cannot_reach_the_removal_confirmation(people, nanning_entry, client_for):
    """Removal is the centre's: the form refuses the kind before any confirmation page."""
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    response = client_for(people.city_nanning).post(url, _removal(nanning_entry, confirmed="yes"))
    assert response.status_code == 400 and "确认将" not in response.content.decode()
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE


def test_opening_an_inspection_first_asks_and_opens_nothing(people, nanning_entry, client_for):
    url = reverse("supervision:inspection_new", args=[nanning_entry.pk])
    response = client_for(people.city_nanning).post(url, {"plan": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"确认对 {nanning_entry.organisation.name} 启动现场督导？" in body
    assert "针对机构本身" in body and "不能删除" in body
    assert not Inspection.objects.exists()


def test_an_inspection_is_opened_once_confirmed(people, nanning_entry, client_for):
    url = reverse("supervision:inspection_new", args=[nanning_entry.pk])
    response = client_for(people.city_nanning).post(url, {"plan": "", "confirmed": "yes"})
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:inspection_detail", args=[inspection.pk])


def test_an_outsider_gets_no_confirmation_page(people, nanning_entry, client_for):
    url = reverse("supervision:inspection_new", args=[nanning_entry.pk])
    assert client_for(people.city_liuzhou).post(url, {"plan": ""}).status_code == 404
    assert client_for(people.city_liuzhou).post(url, {"plan": "", "confirmed": "yes"}).status_code == 404
    assert not Inspection.objects.exists()


def test_the_sanction_form_offers_no_basis_to_sign_unread(people, nanning_entry, client_for):
    """A tester found every measure, a warning too, prefilled with the pilot notice's removal clause: the basis
    starts empty and a decision without one is refused beside the field, nothing recorded."""
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    client = client_for(people.centre)
    page = client.get(url).content.decode()
    assert PILOT_EXIT_CLAUSE not in page
    assert "依次写明三项：机构备案所依据文件的名称（用书名号《》）、适用本措施的条款序号、条款原文" in page
    response = client.post(url, {"kind": "warning", "facts": FACTS, "basis": ""})
    assert response.status_code == 400
    assert "请填写" in response.content.decode() and FACTS in response.content.decode()
    assert not Sanction.objects.filter(entry=nanning_entry).exists()
