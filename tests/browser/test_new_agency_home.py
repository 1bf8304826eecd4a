"""A brand-new agency's first day on the demo (issue home11): its home shows the way to the filing — where it is
and one button for the next step — on a desktop and on a 390 px phone, and the button starts its application.
Screenshots: screenshots/new_agency_home_{desktop,phone}.png."""

import pytest

from tests.agencies.factories import OrganisationFactory
from tests.browser.signin import sign_in
from tests.conftest import DEMO_PASSWORD, seed_demo
from tests.portal.factories import UserFactory, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def test_a_new_agency_sees_where_it_is_and_starts_its_application(live_server, page_factory, screenshot):
    seed_demo()
    organisation = OrganisationFactory(name="南宁市新起点职业技能培训学校", region=region("450100"))
    user = UserFactory(username="agency_new", role="agency", organisation=organisation, last_name="黄", first_name="新")
    user.set_password(DEMO_PASSWORD)
    user.save()
    for name, mobile in (("desktop", False), ("phone", True)):
        page = page_factory(mobile=mobile)
        sign_in(page, live_server.url, "agency_new")
        panel = page.locator("#filing-progress")
        assert panel.get_by_role("heading", name="如何办理备案").is_visible()
        assert panel.locator("[data-standing-label]").inner_text() == "尚未开始"
        assert panel.locator("[aria-current=step]").inner_text().startswith("1\n填写备案申请")
        # No tables of zeros on the first day.
        assert page.locator(".report-dashboard").count() == 0
        assert page.evaluate(SIDEWAYS) <= 0
        screenshot(page, f"new_agency_home_{name}")
    with page.expect_navigation():
        panel.get_by_role("button", name="开始填写备案申请").click()
    assert "/edit/" in page.url
