"""On a 390 px phone the results notice and the announced evaluations stack their rows as cards, each cell led by
its column's name: the result, the agency and the venue are in sight without a sideways scroll (first-day
finding: the 结果 column and the agency were hidden behind one). Screenshots under screenshots/phone/."""

import pytest

from publicity.models import Notice
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The right edge of the widest cell of the table, against the phone's width.
RIGHT_EDGE = (
    "(sel) => Math.max(...[...document.querySelectorAll(sel + ' td')].map(td => td.getBoundingClientRect().right))"
)


def _within_the_phone(page, table: str, label: str) -> None:
    assert page.evaluate("window.innerWidth") == 390
    assert page.evaluate(RIGHT_EDGE, table) <= 390
    cell = page.locator(f'{table} td[data-label="{label}"]').first
    assert cell.is_visible()
    box = cell.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    before = page.evaluate("(el) => getComputedStyle(el, '::before').content", cell.element_handle())
    assert label in before


def test_the_results_notice_and_the_evaluations_stack_on_a_phone(live_server, page_factory, screenshot):
    seed_demo()
    notice = Notice.objects.filter(kind="evaluation_results", status=Notice.Status.PUBLISHED).order_by("pk").first()
    assert notice is not None
    page = page_factory(mobile=True)
    page.goto(f"{live_server.url}/notices/{notice.pk}/")
    _within_the_phone(page, "#entries", "结果")
    screenshot(page, "phone/cal9-results-notice")
    page.goto(f"{live_server.url}/evaluations/")
    _within_the_phone(page, "#evaluations", "机构")
    _within_the_phone(page, "#evaluations", "考点")
    screenshot(page, "phone/cal9-evaluations")
    # On a computer the tables stay tables, their headers shown.
    desktop = page_factory()
    desktop.goto(f"{live_server.url}/evaluations/")
    assert desktop.locator("#evaluations thead").is_visible()
    assert desktop.locator("#evaluations td").first.evaluate("(td) => getComputedStyle(td).display") == "table-cell"


def test_the_caption_of_a_stacked_table_reads_across(live_server, page_factory):
    seed_demo()
    notice = Notice.objects.filter(kind="evaluation_results", status=Notice.Status.PUBLISHED).order_by("pk").first()
    page = page_factory(mobile=True)
    page.goto(f"{live_server.url}/notices/{notice.pk}/")
    caption = page.locator("#entries caption").bounding_box()
    assert caption is not None and caption["width"] > 200 and caption["height"] < 60
