"""The last first-day tester's findings on the supervision and certificates side, in the browser on the demo data
(screenshots under screenshots/qa5b-*): the removal's confirmation counts what it does, the sanction form shows the
date of the chosen measure only, the complaints list has numbers, summaries, a search and a phone layout, 柳州's
registration lists 柳州's sites, the home page counts the agencies the workspace lists (共 N 条 on every tab), the
dashboard's pass rate reads "—" without candidates, and the demo's plans expect the candidates their sessions hold."""

from __future__ import annotations

import re

import pytest

from agencies.models import DirectoryEntry
from certificates.models import Session
from supervision.models import Plan, PoliceRegistration, Sanction
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.browser.conftest import SCREENSHOTS
from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEIAN = "广西卫安保安服务有限公司"


def _total(page) -> int:
    return int(re.search(r"\d+", page.locator("[data-list-total]").inner_text()).group())


def test_the_fixed_screens_on_the_demo(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()
    weian = DirectoryEntry.objects.get(organisation__name=WEIAN)

    # 8. Each demo plan with results expects the people its session holds.
    for session in Session.objects.select_related("plan").exclude(candidates=None):
        people = session.candidates.values("id_hash").distinct().count()
        assert session.plan.expected_candidates == people, session.plan.venue

    # 1. The removal's confirmation says what it does to 卫安's evaluations, results and certificates.
    sign_in(page, base, "centre")
    page.goto(f"{base}/supervision/agencies/{weian.pk}/sanctions/new/")
    page.locator("select[name=kind]").select_option("removal")
    page.locator("textarea[name=facts]").fill("2026年10月12日现场督导发现该机构伪造考试记录，经约谈仍未整改。")
    page.locator("textarea[name=basis]").fill(PILOT_EXIT_CLAUSE)
    page.get_by_role("button", name="作出决定").click()
    page.wait_for_selector("#confirm-consequences")
    text = page.locator("#confirm-consequences").inner_text()
    for line in ("已发布公告、尚未开考的认定", "成绩正在公示的批次 1 个", "已颁发证书", "继续有效"):
        assert line in text, line
    screenshot(page, "qa5b-1-removal-confirmation")
    assert not Sanction.objects.filter(entry=weian, kind="removal").exists()

    # 7. The dashboard: "—" for a level without candidates.
    sign_in(page, base, "city_nanning")
    table = page.locator('table[data-section="evaluations"]')
    counts = table.locator('td[data-figure$=".0"]').all_inner_texts()
    rates = table.locator('td[data-figure$=".2"]').all_inner_texts()
    assert "0" in counts, counts  # the demo has levels without candidates this quarter
    for count, rate in zip(counts, rates, strict=True):
        assert (rate == "—") == (count == "0"), (count, rate)
    table.scroll_into_view_if_needed()
    page.locator(".card", has=table).screenshot(path=str(SCREENSHOTS / "qa5b-7-pass-rate.png"))

    # 2. The sanction form: the date of the chosen measure only, same labels on the confirmation.
    yongcheng = DirectoryEntry.objects.get(organisation__name="南宁市邕城职业技能培训学校")
    page.goto(f"{base}/supervision/agencies/{yongcheng.pk}/sanctions/new/")
    rectify, until = page.locator("input[name=rectify_by]"), page.locator("input[name=until]")
    assert not rectify.is_visible() and not until.is_visible()  # a warning: no date
    page.locator("select[name=kind]").select_option("rectification")
    assert rectify.is_visible() and not until.is_visible()
    screenshot(page, "qa5b-2-sanction-rectification")
    page.locator("select[name=kind]").select_option("suspension")
    assert until.is_visible() and not rectify.is_visible()
    screenshot(page, "qa5b-2-sanction-suspension")

    # 3. The complaints list: numbers, summaries, a search, a filter without result, a phone.
    page.goto(f"{base}/supervision/complaints/")
    heads = page.locator("table[data-complaints] thead th").all_inner_texts()
    assert heads[:2] == ["投诉编号", "收到日期"] and "已收到" not in heads
    assert page.locator("[data-summary]").count() >= 1
    screenshot(page, "qa5b-3-complaints")
    page.get_by_label("搜索").fill("邕城")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r".*q=.*"))
    assert 0 < _total(page) < 31
    screenshot(page, "qa5b-3-complaints-search")
    page.goto(f"{base}/supervision/complaints/?q=没有这样的投诉")
    assert page.get_by_text("没有符合筛选条件的投诉。").is_visible()
    screenshot(page, "qa5b-3-complaints-no-match")
    page.locator("[data-empty]").get_by_role("link", name="清除筛选条件").click()
    page.wait_for_url(f"{base}/supervision/complaints/")
    phone = page_factory(mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{base}/supervision/complaints/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("table[data-complaints] thead").bounding_box()["height"] <= 1
    screenshot(phone, "qa5b-3-complaints-phone")

    # 4. 卫安's registration with 柳州's police lists 柳州's sites.
    registration = PoliceRegistration.objects.get(entry=weian, city__name="柳州市")
    assert "柳州" in registration.sites and "南宁" not in registration.sites
    sign_in(page, base, "police_liuzhou")
    page.goto(f"{base}/supervision/registrations/{registration.pk}/")
    screenshot(page, "qa5b-4-registration-liuzhou")

    # 5. and 6. The home page's count of the jurisdiction's agencies is the workspace's total; every tab says it.
    for name in ("police_nanning", "city_liuzhou"):
        sign_in(page, base, name)
        count = int(page.locator("[data-jurisdiction-agencies]").inner_text())
        screenshot(page, f"qa5b-5-home-{name}")
        page.locator("[data-jurisdiction-agencies]").click()
        page.wait_for_url(f"{base}/supervision/jurisdiction/")
        assert _total(page) == count
        for tab in ("registrations", "upcoming", "past", "flagged"):
            page.goto(f"{base}/supervision/jurisdiction/?tab={tab}")
            assert page.locator("[data-list-total]").is_visible(), tab
        screenshot(page, f"qa5b-6-workspace-{name}")
    assert Plan.objects.filter(entry=weian, status=Plan.Status.WITHDRAWN).count() == 0
