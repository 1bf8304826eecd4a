"""Issue 12 (todo10) in the browser (screenshots under screenshots/): results of a removed agency — the bureau
reads before approving that it cannot issue, the agency's page shows the reason instead of the 颁发证书 button and
its message is no to-do; a consented plan — the agency's to-do says to publish the announcement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agencies.models import DirectoryEntry
from certificates.models import Session
from certificates.services import results_report
from supervision.services import report_decide
from supervision.services.plans import plan_submit
from tests.browser.session import signed_in
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of
from tests.supervision.factories import SECURITY_MANAGER, filed_agency, liuzhou_venue, new_plan, today_is

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_results_of_a_removed_agency_are_approved_without_an_issue_button(
    live_server, page_factory, screenshot, people
):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.PUBLICISED)
    results_report(session=session, by=people.agency_nanning)
    DirectoryEntry.objects.filter(pk=entry.pk).update(status=DirectoryEntry.Status.REMOVED)
    base = live_server.url
    url = f"{base}{reverse('certificates:session_detail', args=[session.pk])}"

    bureau = page_factory()
    signed_in(bureau, base, people.city_nanning)
    bureau.goto(url)
    assert "审核通过后，在恢复正常前也不能颁发证书" in bureau.locator("#entry-barred").inner_text()
    screenshot(bureau, "todo10-bureau-approves-removed")
    with bureau.expect_navigation():
        bureau.locator("button[value=approve]").click()

    agency = page_factory()
    signed_in(agency, base, people.agency_nanning)
    agency.goto(url)
    assert "已移出目录" in agency.locator("#entry-barred").inner_text()
    assert agency.get_by_role("button", name="颁发证书").count() == 0
    screenshot(agency, "todo10-removed-agency-after-approval")
    agency.goto(f"{base}{reverse('inbox')}")
    screenshot(agency, "todo10-removed-agency-inbox")


def test_a_consented_plan_is_a_to_do_to_publish_the_announcement(live_server, page_factory, screenshot, people):
    nanning_entry = filed_agency(
        people.org_nanning, people.agency_nanning, people.centre, occupations=((*SECURITY_MANAGER, (3, 2, 1)),)
    )
    with today_is(dt.date(2026, 9, 23)):
        plan = new_plan(
            nanning_entry,
            people.agency_nanning,
            **liuzhou_venue(first_day=dt.date(2026, 10, 20), last_day=dt.date(2026, 10, 20)),
        )
        plan_submit(plan=plan, by=people.agency_nanning)
    plan.refresh_from_db()
    report_decide(report=plan.cross_region_report, by=people.city_liuzhou, consent=True, reasons="")
    base = live_server.url
    agency = page_factory()
    signed_in(agency, base, people.agency_nanning)
    agency.goto(f"{base}{reverse('inbox')}")
    message = agency.locator("[data-notification]", has_text="请发布认定公告")
    assert message.locator("[data-todo=waiting]").count() == 1
    screenshot(agency, "todo10-consent-inbox")
