"""An authentic receipt of a suspended or removed agency says the agency's current directory status beside its
authenticity (first-day tester, round 9 pub item 2): on the QR page, the by-number form and the API, with a link
to the directory page; the public cache shows a sanction to the very next visitor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import DirectoryEntry
from filings.models import Receipt
from supervision.models import Sanction
from supervision.services import sanction_decide
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.filings.test_receipts import _eager_tasks_and_private_media, filed  # noqa: F401

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
FACTS = "2026年11月督导检查发现该机构考场视频监控未开启，经约谈仍未整改。"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 600


@pytest.fixture
def receipt(people):
    return Receipt.objects.get(application=filed(people), status=Receipt.Status.READY)


@pytest.fixture
def entry(receipt):
    return DirectoryEntry.objects.get(organisation=receipt.application.organisation)


def _api(receipt) -> dict:
    return Client().get(f"/api/v1/receipts/verify/?token={receipt.token}").json()


def _pages(receipt) -> list[str]:
    client = Client()
    by_token = client.get(f"/verify/{receipt.token}/", **ZH)
    name = receipt.application.organisation.name
    by_number = client.get(reverse("public:receipt_lookup"), {"number": receipt.number, "agency": name}, **ZH)
    assert by_token.status_code == by_number.status_code == 200
    return [by_token.content.decode(), by_number.content.decode()]


def _status(page: str) -> str:
    return page.split('id="directory-status">', 1)[1].split("</dd>", 1)[0]


def _sanction(entry, by, kind, django_capture_on_commit_callbacks):
    until = timezone.localdate() + dt.timedelta(days=30) if kind == Sanction.Kind.SUSPENSION else None
    with django_capture_on_commit_callbacks(execute=True):
        return sanction_decide(entry=entry, kind=kind, facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=by, until=until)


def test_an_active_agency_s_receipt_says_active_with_a_link(entry, receipt):
    for page in _pages(receipt):
        assert "该回执由本平台出具" in page
        assert "正常" in _status(page) and f'href="/directory/{entry.pk}/"' in _status(page)
        assert "data-agency-status" not in page
    data = _api(receipt)
    assert (data["directory_id"], data["directory_status"], data["suspended_until"]) == (entry.pk, "active", None)


def test_a_suspension_shows_at_once_beside_the_authenticity(entry, receipt, people, django_capture_on_commit_callbacks):
    _pages(receipt)  # cached now
    assert _api(receipt)["directory_status"] == "active"
    until = _sanction(entry, people.city_nanning, Sanction.Kind.SUSPENSION, django_capture_on_commit_callbacks).until
    for page in _pages(receipt):
        assert "该回执由本平台出具" in page
        assert f"已暂停至 {until:%Y-%m-%d}" in _status(page) and f'href="/directory/{entry.pk}/"' in _status(page)
        assert f"该机构已被暂停评价活动（至 {until:%Y-%m-%d}），暂停期间不得组织评价、颁发证书。" in page
    data = _api(receipt)
    assert (data["directory_status"], data["suspended_until"]) == ("suspended", until.isoformat())


def test_a_removal_shows_at_once(entry, receipt, people, django_capture_on_commit_callbacks):
    _pages(receipt)
    _sanction(entry, people.centre, Sanction.Kind.REMOVAL, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    for page in _pages(receipt):
        assert "已移出目录" in _status(page) and f"{today:%Y-%m-%d}" in _status(page)
        assert f"该机构已于 {today:%Y-%m-%d} 被移出目录，不得组织评价、颁发证书。" in page
    data = _api(receipt)
    assert (data["directory_status"], data["status_since"]) == ("removed", today.isoformat())
