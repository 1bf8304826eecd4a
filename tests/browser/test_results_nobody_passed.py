"""A session where nobody passed, in the browser (screenshots under screenshots/): the agency publishes its results
notice through the confirmation, the public notice says that nobody is proposed as qualified and how many took
part, on a desktop and on a phone, an objection shows on the agency's page, and once approved the page says that
no certificate is issued instead of offering to issue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from certificates.models import Session
from certificates.services import results_decide, results_report
from publicity.models import Notice, Objection
from publicity.services import notice_close, objection_handle, objection_raise
from tests.browser.session import signed_in
from tests.certificates.factories import ID_B, ID_C, candidates, filed_entry, session_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_session_where_nobody_passed_goes_through_its_notice_to_its_approval(
    live_server, page_factory, screenshot, people
):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("王五", ID_C), ("李丽", ID_B)], passed=False)
    base = live_server.url
    session_url = f"{base}{reverse('certificates:session_detail', args=[session.pk])}"

    agency = page_factory()
    signed_in(agency, base, people.agency_nanning)
    agency.goto(session_url)
    assert agency.locator("#nobody-passed").is_visible()
    screenshot(agency, "nopass-agency-before-publicity")
    agency.get_by_role("button", name="发布成绩公示").click()
    agency.wait_for_selector("text=本次评价无人合格：公示将立即在公众网站发布")
    screenshot(agency, "nopass-agency-confirmation")
    agency.get_by_role("button", name="发布成绩公示").click()
    agency.wait_for_url(session_url)
    notice = Notice.objects.get()
    assert Session.objects.get(pk=session.pk).status == Session.Status.PUBLICITY

    for mobile in (False, True):
        public = page_factory(mobile=mobile)
        public.goto(f"{base}{reverse('notices:notice_detail', args=[notice.pk])}")
        assert public.locator("#no-entries").inner_text() == "本次评价无拟认定合格人员。"
        assert "共有 2 人参加，本次评价无拟认定合格人员。" in public.locator(".notice-body").inner_text()
        assert public.locator("#o-item option").all_inner_texts()[1].startswith("本次评价结果（共 2 人参加）")
        screenshot(public, "nopass-public-notice" + ("-phone" if mobile else ""))

    objection = objection_raise(
        notice=notice,
        item=notice.items.get(),
        name="王五",
        contact="13977212345",
        content="我的技能成绩登记有误，应为合格。",
        files=[],
    )
    agency.goto(session_url)
    assert "本次评价结果（共 2 人参加）" in agency.locator("[data-pending-objections]").inner_text()
    screenshot(agency, "nopass-agency-objection-pending")

    objection_handle(objection=objection, by=people.centre, upheld=False, reply="经核查，成绩登记无误。")
    assert Objection.objects.get().status == Objection.Status.DISMISSED
    notice.refresh_from_db()
    notice_close(notice=notice, by=people.agency_nanning, today=notice.closes_on + dt.timedelta(days=1))
    session = results_report(session=Session.objects.get(pk=session.pk), by=people.agency_nanning)
    results_decide(session=session, by=people.city_nanning, approve=True)
    agency.goto(session_url)
    assert agency.locator("#nothing-to-issue").is_visible()
    assert agency.get_by_role("button", name="颁发证书").count() == 0
    screenshot(agency, "nopass-agency-approved")
