"""At 1366 px (a common office screen) wide tables scroll inside their card and nothing sticks out of a card:
the pages of every role with the widest tables, on the demo data."""

import pytest

from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "city_nanning": ["/filings/queue/", "/filings/", "/agencies/"],
    "centre": ["/filings/queue/", "/filings/notices/", "/agencies/calls/"],
    "agency_liuzhou": ["/filings/"],
    "admin": ["/audit/"],
}

OVERFLOWS = """() => {
  const out = [];
  for (const card of document.querySelectorAll('.card')) {
    if (card.scrollWidth > card.clientWidth + 1) out.push('card: ' + card.textContent.trim().slice(0, 30));
  }
  for (const table of document.querySelectorAll('table')) {
    const host = table.closest('.table-responsive');
    const clipped = !host && table.scrollWidth > table.parentElement.clientWidth + 1;
    if (clipped) out.push('table: ' + table.textContent.trim().slice(0, 30));
  }
  return out;
}"""


def test_nothing_sticks_out_of_its_card_at_1366_pixels(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()
    from filings.models import Application

    application = Application.objects.exclude(reference=None).order_by("pk").first()
    draft = Application.objects.filter(organisation__name="柳州市护航保安职业培训中心").first()
    pages = {username: list(paths) for username, paths in PAGES.items()}
    pages["city_nanning"].append(f"/filings/{application.pk}/")
    pages["agency_liuzhou"].append(f"/filings/{draft.pk}/edit/")
    found = {}
    for username, paths in pages.items():
        sign_in(page, base, username)
        for path in paths:
            page.goto(base + path)
            problems = page.evaluate(OVERFLOWS)
            if problems:
                found[f"{username} {path}"] = problems
    screenshot(page, "layout-1366-last-page")
    assert found == {}
