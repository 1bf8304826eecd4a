"""A second suspension while one is in force is refused at once — no confirmation page first — with the service's
Chinese sentence, and nothing changes (first-day tester, round 8 item 5: the form and the service ask one rule,
``sanction_refused``). A lifted suspension no longer stands in the way: the next one is confirmed as usual."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import DirectoryEntry
from portal.models import AuditEvent
from supervision.models import CreditRecord, Sanction
from supervision.services import sanction_decide, sanction_lift
from supervision.services.sanctions import PILOT_EXIT_CLAUSE

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
FACTS = "2026年11月督导检查发现该机构考场视频监控未开启，经约谈仍未整改。"


def _typed(days: int) -> dict:
    until = timezone.localdate() + dt.timedelta(days=days)
    return {"kind": "suspension", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, "until": until.isoformat()}


@pytest.fixture
def suspended(people, nanning_entry) -> Sanction:
    return sanction_decide(
        entry=nanning_entry,
        kind=Sanction.Kind.SUSPENSION,
        facts=FACTS,
        basis=PILOT_EXIT_CLAUSE,
        by=people.city_nanning,
        until=timezone.localdate() + dt.timedelta(days=30),
    )


def _state(entry) -> tuple:
    entry.refresh_from_db()
    return (
        list(Sanction.objects.values_list("pk", "kind", "until", "lifted_on")),
        entry.status,
        CreditRecord.objects.count(),
        AuditEvent.objects.filter(action="sanction_decide").count(),
    )


@pytest.mark.parametrize("confirmed", [None, "yes"])
def test_a_second_suspension_is_refused_at_once_in_chinese_and_changes_nothing(
    people, nanning_entry, suspended, client_for, confirmed
):
    before = _state(nanning_entry)
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    typed = _typed(90) | ({"confirmed": confirmed} if confirmed else {})
    response = client_for(people.centre).post(url, typed, follow=True, **ZH)
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("supervision:agency_file", args=[nanning_entry.pk]), 302)]
    assert f"该机构已被暂停至{suspended.until}（{suspended.number}），请先解除该暂停。" in page
    assert "确认暂停" not in page
    assert _state(nanning_entry) == before
    assert before[1] == DirectoryEntry.Status.SUSPENDED


def test_once_lifted_a_new_suspension_asks_for_confirmation_again(people, nanning_entry, suspended, client_for):
    sanction_lift(sanction=suspended, reason="整改已核验。", by=people.city_nanning)
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    response = client_for(people.city_nanning).post(url, _typed(90), **ZH)
    assert response.status_code == 200 and response.templates[0].name == "portal/confirm.html"
    assert Sanction.objects.count() == 1


def test_a_warning_while_suspended_is_not_refused(people, nanning_entry, suspended, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    typed = {"kind": "warning", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE}
    response = client_for(people.city_nanning).post(url, typed, **ZH)
    assert response.status_code == 302
    assert Sanction.objects.filter(kind=Sanction.Kind.WARNING).count() == 1
