"""Each official's home dashboard on the demo data, drawn by ECharts in the browser with its table; a click on a
bar opens the filtered list; the report page, generated on demand with its progress, and its downloads.
Screenshots go to screenshots/."""

import pytest

from reports.models import Report
from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARDS = ["centre", "city_nanning", "police_nanning", "city_liuzhou", "police_shaanxi", "city_xian", "agency_weian"]


def test_dashboards_drill_down_and_a_report_on_demand(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    for username in DASHBOARDS:
        page = page_factory()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        sign_in(page, base, username)
        page.goto(f"{base}/")
        page.wait_for_selector("#report-dashboard-title")
        charts = page.locator(".report-chart svg")
        assert charts.count() >= 1, username
        assert page.locator("[data-figure]").count() > 20
        assert errors == [], errors
        screenshot(page, f"reports-dashboard-{username}")
        page.context.close()

    # Drill down: a bar of the applications chart opens the review queue filtered by that stage.
    page = page_factory()
    sign_in(page, base, "city_nanning")
    page.goto(f"{base}/")
    chart = page.locator("[data-chart=chart-applications] svg")
    chart.scroll_into_view_if_needed()
    bars = page.locator("[data-chart=chart-applications] svg path[fill='#1f5fa8']")
    drawn = [i for i in range(bars.count()) if (bars.nth(i).bounding_box() or {"width": 0})["width"] > 4]
    assert drawn, "no bar drawn in the applications chart"
    bars.nth(drawn[0]).click()
    page.wait_for_url("**/filings/queue/?state=*")
    screenshot(page, "reports-drill-down")

    # 柳州's bureau generates a report on demand (the job's progress, then the figures), fills the text, downloads.
    sign_in(page, base, "city_liuzhou")
    page.goto(f"{base}/reports/")
    screenshot(page, "reports-list")
    page.locator("#id_year").fill("2025")
    page.locator("#id_quarter").select_option("3")
    page.get_by_role("button", name="生成", exact=True).click()
    page.wait_for_selector("[data-section=agencies]")
    report = Report.objects.get(region__code="450200", year=2025, quarter=3)
    assert report.status == Report.Status.DRAFT
    page.locator("#id_experience").fill("与公安联合检查。")
    page.locator("#id_difficulties").fill("考评员不足。")
    page.get_by_role("button", name="保存文字").click()
    screenshot(page, "reports-detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
