"""An order escalated by the police (移交处理) waits for a sanction decided by the agency's city HR bureau (or the
centre): it is on their home page's to-do, opening the order, until a sanction is decided on it (qa9c item 3: it
reached the city bureau only in the inbox)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from supervision.models import Sanction
from supervision.services import sanction_decide
from supervision.services.inspections import finding_add, inspection_open, rectification_escalate
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.supervision.factories import today_is

LABEL = "移交处理的整改，待作出处理决定"


def _todo(client) -> dict[str, tuple[int, str]]:
    """label → (count, link) as the home page shows them."""
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    rows = re.findall(r'href="([^"]+)">\s*<span><i[^>]*></i> ([^<]+)</span>\s*<span[^>]*>(\d+)</span>', page)
    return {label.strip(): (int(count), url) for url, label, count in rows}


def _escalated(people, entry):
    inspection = inspection_open(entry=entry, by=people.police_nanning)
    order = finding_add(
        inspection=inspection, by=people.police_nanning, text="考场视频监控未开启。", requirement="开启监控。"
    ).rectification
    rectification_escalate(rectification=order, by=people.police_nanning, note="逾期未整改。")
    return order


def test_an_escalated_order_is_the_city_bureaus_to_do_until_a_sanction_is_decided(people, nanning_entry, client_for):
    def city():  # one test client, signed in again as the city bureau before each reading
        return client_for(people.city_nanning)

    assert LABEL not in _todo(city())
    order = _escalated(people, nanning_entry)
    assert _todo(city())[LABEL] == (1, reverse("supervision:rectification_detail", args=[order.pk]))
    assert _todo(client_for(people.centre))[LABEL][0] == 1
    # Not another city's bureau, not the police who escalated it, not the agency.
    assert LABEL not in _todo(client_for(people.city_liuzhou))
    assert LABEL not in _todo(client_for(people.police_nanning))
    assert LABEL not in _todo(client_for(people.agency_nanning))

    second = _escalated(people, nanning_entry)
    count, url = _todo(city())[LABEL]
    # The house's one-or-oldest to-do: two waiting, it opens the one escalated first.
    assert count == 2 and url == reverse("supervision:rectification_detail", args=[order.pk])

    with today_is(dt.date(2026, 3, 2)):
        sanction_decide(
            entry=nanning_entry,
            kind=Sanction.Kind.WARNING,
            facts="逾期未整改。",
            basis=PILOT_EXIT_CLAUSE,
            by=people.city_nanning,
            rectification=order,
        )
    assert _todo(city())[LABEL] == (1, reverse("supervision:rectification_detail", args=[second.pk]))
