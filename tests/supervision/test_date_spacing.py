"""A space between Chinese and a date or a number (first-day tester, round 9 pub item 5): "至 2027-02-02" on the
directory page and the agency file, "整改通知 1" as a rectification order's title, as the house's other dates
("自 2026-12-03 起")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from supervision.models import Rectification, Sanction
from supervision.services import sanction_decide
from supervision.services.sanctions import PILOT_EXIT_CLAUSE

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
FACTS = "2026年11月督导检查发现该机构考场视频监控未开启，经约谈仍未整改。"


def test_the_suspension_s_end_is_set_apart_from_until(people, nanning_entry, client_for):
    until = timezone.localdate() + dt.timedelta(days=60)
    sanction_decide(
        entry=nanning_entry, kind=Sanction.Kind.SUSPENSION, facts=FACTS, basis=PILOT_EXIT_CLAUSE,
        by=people.city_nanning, until=until,
    )  # fmt: skip
    public = client_for(None).get(reverse("directory:entry", args=[nanning_entry.pk]), **ZH).content.decode()
    file = client_for(people.city_nanning).get(reverse("supervision:agency_file", args=[nanning_entry.pk]), **ZH)
    for page in (public, file.content.decode()):
        assert f"至 {until:%Y-%m-%d}" in page
        assert f"至{until:%Y-%m-%d}" not in page


def test_a_rectification_order_s_title_sets_its_number_apart():
    with translation.override("zh-hans"):
        assert str(Rectification(pk=12)) == "整改通知 12"
    with translation.override("en"):
        assert str(Rectification(pk=12)) == "Rectification order 12"
