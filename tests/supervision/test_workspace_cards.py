"""The jurisdiction workspace's count cards are filters of the list below them, the alert on unregistered agencies
leads to the jurisdiction's own list (not the public directory), and the police's to-do of registrations opens the
registration itself, or the list of those waiting (first-day tester, round 8, items 6 and 7)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from supervision.services import registration_confirm, registration_submit, report_decide
from supervision.services.plans import plan_submit
from tests.portal.factories import region
from tests.supervision.factories import LIUZHOU, NANNING, liuzhou_venue, new_plan, today_is

SEPT_23, SEPT_24 = dt.date(2026, 9, 23), dt.date(2026, 9, 24)
OCT_20 = {"first_day": dt.date(2026, 10, 20), "last_day": dt.date(2026, 10, 20)}
OCT_21 = {"first_day": dt.date(2026, 10, 21), "last_day": dt.date(2026, 10, 21)}
SITES = {
    NANNING: "南宁市青秀区民族大道136号 理论考场、实操考场",
    LIUZHOU: "柳州市城中区文昌路19号 柳州市职业技能公共实训基地",
}


def _register(entry, agency, code):
    return registration_submit(
        entry=entry, city=region(code), by=agency, responsible="黄建华", phone="13877112345", sites=SITES[code]
    )


def _links(page: str, prefix: str) -> set[str]:
    return set(re.findall(rf'href="({re.escape(prefix)}\d+/)"', page))


# ---------------------------------------------------------------- the police's to-do of registrations


def _todo_url(client_for, user) -> tuple[int, str]:
    todo = client_for(user).get("/").context["todo"]
    item = next(i for i in todo if str(i.label) in ("待确认的报备登记", "Police registrations to confirm"))
    return item.count, item.url


def test_one_registration_waiting_opens_that_registration(people, nanning_entry, client_for):
    registration = _register(nanning_entry, people.agency_nanning, NANNING)
    count, url = _todo_url(client_for, people.police_nanning)
    assert (count, url) == (1, reverse("supervision:registration_detail", args=[registration.pk]))
    page = client_for(people.police_nanning).get("/").content.decode()
    assert f'href="{url}"' in page


def test_several_waiting_open_the_list_of_those_waiting_only(
    people, nanning_entry, liuzhou_entry, city_scope, client_for
):
    waiting = [
        _register(nanning_entry, people.agency_nanning, LIUZHOU),
        _register(liuzhou_entry, people.agency_liuzhou, LIUZHOU),
    ]
    confirmed = _register(city_scope[0], city_scope[1], LIUZHOU)
    registration_confirm(registration=confirmed, by=people.police_liuzhou)
    count, url = _todo_url(client_for, people.police_liuzhou)
    assert count == 2 and url == reverse("supervision:workspace") + "?tab=registrations&show=submitted"
    page = client_for(people.police_liuzhou).get(url).content.decode()
    shown = _links(page, "/supervision/registrations/")
    assert shown == {reverse("supervision:registration_detail", args=[r.pk]) for r in waiting}
    assert "仅显示：待公安机关确认" in page
    # Without the filter the tab lists the confirmed one too.
    everything = client_for(people.police_liuzhou).get(reverse("supervision:workspace"), {"tab": "registrations"})
    assert reverse("supervision:registration_detail", args=[confirmed.pk]) in everything.content.decode()


# ---------------------------------------------------------------- the cards


@pytest.fixture
def liuzhou_area(people, nanning_entry, liuzhou_entry, city_scope):
    """In 柳州 on 24 September 2026: 南宁's agency's plan awaiting consent and another refused; 柳州's agency's own
    plan with no police registration; the city-wide agency registered (awaiting the police), 柳州's not."""
    with today_is(SEPT_23):
        awaiting = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue(**OCT_20))
        plan_submit(plan=awaiting, by=people.agency_nanning)
        # The next day: the agency's examiners examine in one place a day (issue sup9 item 1).
        refused = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue(**OCT_21))
        plan_submit(plan=refused, by=people.agency_nanning)
        own = new_plan(liuzhou_entry, people.agency_liuzhou, **liuzhou_venue(**OCT_20))
        plan_submit(plan=own, by=people.agency_liuzhou)
    refused.refresh_from_db()
    with today_is(SEPT_24):
        report_decide(report=refused.cross_region_report, by=people.city_liuzhou, consent=False, reasons="考点未核验。")
    _register(city_scope[0], city_scope[1], LIUZHOU)
    return {
        "awaiting": awaiting,
        "refused": refused,
        "own": own,
        "entries": (nanning_entry, liuzhou_entry, city_scope[0]),
    }


def _workspace(client_for, user, **params) -> str:
    with today_is(SEPT_24):
        return client_for(user).get(reverse("supervision:workspace"), params).content.decode()


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("awaiting_consent", {"awaiting"}),
        ("refused", {"refused"}),
        ("unregistered_evaluations", {"awaiting", "refused", "own"}),
    ],
)
def test_each_plan_card_links_to_the_flagged_list_of_its_plans_only(people, liuzhou_area, client_for, show, expected):
    page = _workspace(client_for, people.police_liuzhou)
    assert f'href="?tab=flagged&amp;show={show}"' in page
    filtered = _workspace(client_for, people.police_liuzhou, tab="flagged", show=show)
    plans = {
        name: reverse("supervision:plan_detail", args=[plan.pk])
        for name, plan in liuzhou_area.items()
        if name != "entries"
    }
    assert _links(filtered, "/supervision/plans/") == {plans[name] for name in expected}
    # The chosen card is marked, and the list says what it shows.
    assert f'aria-current="true" data-card="{show}"' in filtered and "仅显示：" in filtered
    unfiltered = _workspace(client_for, people.police_liuzhou, tab="flagged")
    assert _links(unfiltered, "/supervision/plans/") == set(plans.values())


def test_the_unregistered_card_and_the_alert_lead_to_the_jurisdictions_own_list(people, liuzhou_area, client_for):
    nanning_entry, liuzhou_entry, city_wide = liuzhou_area["entries"]
    page = _workspace(client_for, people.police_liuzhou)
    alert = page[
        page.index('class="alert alert-warning"') : page.index("</div>", page.index('class="alert alert-warning"'))
    ]
    # The alert names 柳州's unregistered agency with a link to its supervision file, not to the public directory.
    assert reverse("supervision:agency_file", args=[liuzhou_entry.pk]) in alert
    assert "/directory/" not in alert
    assert (
        'href="?tab=agencies&amp;show=unregistered"' in alert and 'href="?tab=agencies&amp;show=unregistered"' in page
    )
    filtered = _workspace(client_for, people.police_liuzhou, tab="agencies", show="unregistered")
    assert _links(filtered, "/supervision/agencies/") == {reverse("supervision:agency_file", args=[liuzhou_entry.pk])}
    everything = _workspace(client_for, people.police_liuzhou, tab="agencies")
    assert _links(everything, "/supervision/agencies/") == {
        reverse("supervision:agency_file", args=[e.pk]) for e in (nanning_entry, liuzhou_entry, city_wide)
    }


def test_an_unknown_filter_shows_the_whole_tab(people, liuzhou_area, client_for):
    page = _workspace(client_for, people.police_liuzhou, tab="flagged", show="everything")
    assert len(_links(page, "/supervision/plans/")) == 3 and "仅显示：" not in page


def test_exporting_a_filtered_list_exports_that_list(people, liuzhou_area, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    page = _workspace(client_for, people.police_liuzhou, tab="flagged", show="refused")
    url = reverse("supervision:workspace_export", args=["flagged"]) + "?show=refused"
    assert f'href="{url}"' in page
    with today_is(SEPT_24):
        filtered = client_for(people.police_liuzhou).get(url)
        whole = client_for(people.police_liuzhou).get(reverse("supervision:workspace_export", args=["flagged"]))
    rows = [
        list(load_workbook(BytesIO(r.content)).worksheets[0].iter_rows(values_only=True)) for r in (filtered, whole)
    ]
    assert (len(rows[0]), len(rows[1])) == (2, 4)  # the header and the refused plan; the header and all three
