"""The inspection's target (an announced evaluation) is chosen by date · occupation · level · city: two
evaluations of one day and occupation at different levels read apart (first-day tester, round 8)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from supervision.models import Plan
from supervision.services import plan_announce, plan_submit
from tests.supervision.factories import new_plan, today_is

MONDAY = dt.date(2026, 3, 2)


def test_two_evaluations_of_a_day_and_occupation_read_apart(people, nanning_entry, client_for):
    with today_is(MONDAY):
        for level, venue, first_day in (
            (2, "南宁考点甲", dt.date(2026, 3, 16)),
            (3, "南宁考点乙", dt.date(2026, 3, 18)),
        ):
            plan = new_plan(
                nanning_entry, people.agency_nanning, level=level, venue=venue, first_day=first_day, last_day=first_day
            )
            plan_submit(plan=plan, by=people.agency_nanning)
            plan_announce(plan=plan, by=people.agency_nanning)
    # The fixture's roster has four examiners of the occupation: two sessions on one day would need six (one examiner,
    # one session a day, issue sup9 item 1). The second is planned two days later and moved onto the same day here.
    Plan.objects.filter(pk=plan.pk).update(first_day=dt.date(2026, 3, 16), last_day=dt.date(2026, 3, 16))
    html = client_for(people.city_nanning).get(reverse("supervision:agency_file", args=[nanning_entry.pk]))
    select = re.search(r'<select[^>]*name="plan".*?</select>', html.content.decode(), re.S).group(0)
    options = [o.strip() for o in re.findall(r'<option value="\d+">(.*?)</option>', select)]
    assert len(options) == 2
    assert set(options) == {
        "2026-03-16 · 保卫管理员 · 二级/技师 · 南宁市",
        "2026-03-16 · 保卫管理员 · 三级/高级工 · 南宁市",
    }
