"""The supervision workspace's tabs and a results session in the browser after their rows were rebuilt for speed
(issue 16 item 4): each tab shows its rows with their links, a row's link opens what it names; screenshots."""

import pytest

from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_workspace_tabs_and_a_results_session_show_their_rows(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()
    sign_in(page, base, "city_nanning")
    for tab in ("agencies", "registrations", "upcoming", "past", "flagged"):
        page.goto(f"{base}/supervision/jurisdiction/?tab={tab}")
        assert page.locator("tbody tr").count() >= 1
        screenshot(page, f"supervision-tab-{tab}")
    page.goto(f"{base}/supervision/jurisdiction/?tab=registrations")
    first = page.locator("tbody tr a").first
    name = first.inner_text()
    first.click()
    assert "/supervision/registrations/" in page.url and name in page.content()
    page.goto(f"{base}/certificates/")
    page.locator("tbody tr a").first.click()
    assert "/certificates/sessions/" in page.url
    screenshot(page, "results-session-candidates")
