"""A filed agency plans an evaluation in another city, that city's HR bureau consents, the announcement goes
public and the local police see it in their jurisdiction — in the browser, on the demo data."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.models import Plan
from supervision.services import first_allowed_exam_day
from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENUE = "柳州市鱼峰区职业技能实训中心"


def test_plan_in_another_city_consent_announcement_and_police_view(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    first_day = first_allowed_exam_day(timezone.localdate())
    page = page_factory()

    # 广西卫安 (南宁, province-wide) plans an evaluation in 柳州; a day too early is refused beside the field.
    sign_in(page, base, "agency_weian")
    page.get_by_role("link", name="认定计划与公安报备").first.click()
    screenshot(page, "supervision-01-agency-home")
    page.get_by_role("link", name="新建认定计划").click()
    too_early = first_allowed_exam_day(timezone.localdate()) - dt.timedelta(days=1)
    page.get_by_label("考核开始日期").fill(too_early.isoformat())
    page.get_by_label("考核结束日期").fill(first_day.isoformat())
    page.get_by_label("评价所在市").select_option(label="柳州市")
    page.locator("#id_venue").fill(VENUE)
    page.get_by_label("考点地址").fill("柳州市鱼峰区柳石路88号")
    page.get_by_label("预计参评人数").fill("45")
    supervisor = page.get_by_label("内部质量督导员")
    supervisor.select_option(index=1)
    chosen = supervisor.input_value()
    boxes = page.locator("input[name=examiners]")
    ticked = 0
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if box.get_attribute("value") != chosen and ticked < 3:
            box.check()
            ticked += 1
    page.get_by_label("收费标准（元/人）").fill("380")
    page.get_by_role("button", name="保存认定计划").click()
    error = page.locator("#id_first_day").locator("xpath=..").locator(".invalid-feedback")
    assert first_day.isoformat() in error.inner_text()
    assert page.locator("#id_venue").input_value() == VENUE  # what was typed is kept
    screenshot(page, "supervision-02-plan-date-refused")
    page.get_by_label("考核开始日期").fill(first_day.isoformat())
    page.get_by_role("button", name="保存认定计划").click()
    page.get_by_role("button", name="报属地人社部门").click()
    plan = Plan.objects.get(venue=VENUE)
    assert plan.status == Plan.Status.AWAITING_CONSENT
    screenshot(page, "supervision-03-awaiting-consent")

    # 柳州's HR bureau finds the report and consents.
    sign_in(page, base, "city_liuzhou")
    page.goto(f"{base}/supervision/reports/")
    screenshot(page, "supervision-04-reports")
    page.get_by_role("row").filter(has_text=first_day.isoformat()).get_by_role("link").first.click()
    page.get_by_role("button", name="同意", exact=True).click()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.READY

    # The agency publishes the announcement; anyone reads it without signing in.
    sign_in(page, base, "agency_weian")
    page.goto(f"{base}/supervision/plans/{plan.pk}/")
    page.get_by_role("button", name="发布认定公告").click()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ANNOUNCED
    page.context.clear_cookies()
    page.goto(f"{base}/evaluations/")
    assert page.get_by_role("row").filter(has_text="柳州市").filter(has_text=first_day.isoformat()).count() >= 1
    screenshot(page, "supervision-05-public-announcements")

    # 柳州's police see the evaluation in their jurisdiction.
    sign_in(page, base, "police_liuzhou")
    page.get_by_role("link", name="辖区监管").click()
    screenshot(page, "supervision-06-police-workspace")
    page.get_by_role("link", name="即将开展的评价").click()
    assert page.get_by_role("row").filter(has_text=first_day.isoformat()).filter(has_text="广西卫安").count() >= 1
    screenshot(page, "supervision-07-police-upcoming")
