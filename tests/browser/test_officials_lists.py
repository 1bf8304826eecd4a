"""The officials' lists in the browser after their rows were rebuilt for speed (issue 16 item 4): each page shows
its rows with their links, and a row's link opens the application; screenshots for a look."""

import pytest

from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_queue_list_selection_and_workspace_show_their_rows(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()
    sign_in(page, base, "city_nanning")
    page.goto(f"{base}/")
    screenshot(page, "lists-city-home")
    page.goto(f"{base}/filings/queue/?state=all")
    assert page.locator("tbody tr").count() >= 1
    screenshot(page, "lists-city-queue")
    page.goto(f"{base}/filings/")
    screenshot(page, "lists-city-applications")
    page.goto(f"{base}/supervision/jurisdiction/")
    assert page.locator("tbody tr").count() >= 1
    screenshot(page, "lists-city-workspace")
    page.goto(f"{base}/filings/queue/?state=all")
    first = page.locator("tbody tr a").first
    name = first.inner_text()
    first.click()
    assert name in page.content()

    sign_in(page, base, "centre")
    page.goto(f"{base}/agencies/calls/")
    screenshot(page, "lists-centre-calls")
    page.goto(f"{base}/filings/queue/?state=all")
    screenshot(page, "lists-centre-queue")
