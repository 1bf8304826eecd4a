"""Supervision II in the browser, on the demo data: anyone complains about 柳州's 神盾 without signing in; 柳州's
bureau accepts it and inspects on a phone; the agency answers the rectification order with evidence; the bureau
escalates it, suspends the agency (the public directory shows it) and lifts the suspension. Screenshots of each
step go to screenshots/."""

import datetime as dt

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone

from filings.examples import sample_pdf
from supervision.models import Complaint, Rectification, Sanction
from tests.browser.signin import sign_in
from tests.conftest import seed_demo

SUSPENSION_BASIS = "《关于开展社会培训评价组织职业技能等级认定试点工作的通知》四（一）：建立问题查处和责任追究制度。"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = "12月1日保卫管理员三级实操考核时，3号考场监控屏幕全黑，考评员只有两人。"


def _answer(page) -> None:
    """The letters of the picture, read from captcha's store by the key in the page (what a person reads)."""
    key = page.locator("input[name=captcha_0]").get_attribute("value")
    page.locator("#id_captcha_1").fill(CaptchaStore.objects.get(hashkey=key).response.upper())


def test_complaint_inspection_rectification_suspension_lifted(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()

    # Anyone: from the directory, a complaint about 神盾, anonymous, with the picture's letters typed.
    page.goto(f"{base}/directory/")
    page.get_by_role("link", name="柳州市神盾职业技能培训学校").first.click()
    page.get_by_role("link", name="投诉举报").last.click()
    page.locator("#id_happened_on").fill((timezone.localdate() - dt.timedelta(days=2)).isoformat())
    page.locator("#id_content").fill(CONTENT)
    page.locator("#id_anonymous").check()
    screenshot(page, "oversight-00-complaint-captcha")
    page.locator("#id_captcha_1").fill("WRONG")  # wrong first: everything typed is kept
    page.get_by_role("button", name="提交投诉").click()
    assert page.locator("#id_content").input_value() == CONTENT
    assert page.get_by_text("输入的字母与图片不符").is_visible()
    _answer(page)
    page.get_by_role("button", name="提交投诉").click()
    page.wait_for_url("**/complaints/received/")
    code = page.locator("#tracking-code").inner_text()
    screenshot(page, "oversight-01-complaint-code")
    page.reload()  # post-redirect-get: the code again, nothing posted twice
    assert page.locator("#tracking-code").inner_text() == code
    complaint = Complaint.objects.get(content=CONTENT)
    assert complaint.department.name == "柳州市人力资源和社会保障局"

    # 柳州's bureau accepts it and opens an inspection on it, on a phone.
    sign_in(page, base, "city_liuzhou")
    page.goto(f"{base}/supervision/complaints/")
    screenshot(page, "oversight-02-complaints-list")
    page.goto(f"{base}/supervision/complaints/{complaint.pk}/")
    page.get_by_role("button", name="受理", exact=True).click()
    page.get_by_role("link", name="柳州市神盾职业技能培训学校").first.click()
    page.locator(f"form:has(input[name=complaint][value='{complaint.pk}']) button").click()
    # A second step says what opening it does; only its button opens it.
    assert page.locator("#confirm-consequences").is_visible()
    screenshot(page, "oversight-02b-inspection-confirm")
    page.get_by_role("button", name="确认启动现场督导").click()
    page.wait_for_url("**/supervision/inspections/*/")
    phone = page_factory(mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    for index in range(phone.locator("label[for$='-ok']").count()):
        phone.locator("label[for$='-ok']").nth(index).click()
    phone.locator("label[for=r-video-fail]").click()
    phone.locator("input[name=note-video]").fill("3号考场监控未开启。")
    phone.get_by_role("button", name="保存检查表").click()
    assert phone.locator("input[type=file][capture=environment]").count() == 1
    phone.locator("#id_text").fill("3号考场视频监控未开启，考评人员仅2名。")
    phone.locator("#id_requirement").fill("恢复监控并补足考评人员，报送整改报告。")
    phone.get_by_role("button", name="记录问题").click()
    screenshot(phone, "oversight-03-inspection-phone")
    order = Rectification.objects.get(finding__inspection__complaint=complaint)
    # The order reaches the agency only once the inspection is completed (an unannounced check stays unseen).
    phone.locator("input[name=rating][value=poor]").check()
    phone.locator("#id_summary").fill("监控未开启，考评人员不足，已责令整改。")
    phone.locator("form:has(input[name=action][value=complete]) button[type=submit]").click()
    phone.wait_for_load_state()
    order.finding.inspection.refresh_from_db()
    assert order.finding.inspection.status == "completed"

    # The agency answers with evidence.
    sign_in(page, base, "agency_shendun")
    page.goto(f"{base}/supervision/rectifications/{order.pk}/")
    page.locator("#id_answer").fill("已恢复监控，增聘考评人员1名。")
    page.locator("#evidence").set_input_files(
        files=[{"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": sample_pdf("整改报告").read()}]
    )
    page.get_by_role("button", name="提交回复").click()
    screenshot(page, "oversight-04-rectification-answered")

    # The bureau escalates, suspends, and the public directory shows it.
    sign_in(page, base, "city_liuzhou")
    page.goto(f"{base}/supervision/rectifications/{order.pk}/")
    page.locator("#id_note").fill("复查时监控仍未接入管理系统。")
    page.get_by_role("button", name="移交处理").click()
    page.get_by_role("link", name="作出处理决定").click()
    page.locator("#id_kind").select_option("suspension")
    page.locator("#id_until").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.locator("#id_facts").fill("认定考试时视频监控未运行，整改不到位。")
    page.locator("#id_basis").fill(SUSPENSION_BASIS)  # starts empty: the official quotes the clause
    page.get_by_role("button", name="作出决定").click()
    # A suspension changes the public directory: the page says what it does and asks to confirm first.
    assert "公开目录" in page.locator("main").inner_text()
    assert not Sanction.objects.filter(rectification=order).exists()
    screenshot(page, "oversight-05-suspension-confirm")
    page.get_by_role("button", name="暂停认定资格", exact=True).click()
    screenshot(page, "oversight-05-suspension")
    sanction = Sanction.objects.get(rectification=order)
    entry = sanction.entry
    page.goto(f"{base}/directory/{entry.pk}/")
    assert "暂停" in page.locator("main").inner_text()
    screenshot(page, "oversight-06-directory-suspended")

    # Lifted: active again, the history shows both.
    page.goto(f"{base}/supervision/sanctions/{sanction.pk}/")
    page.locator("#id_reason").fill("复查合格，整改到位。")
    page.get_by_role("button", name="解除暂停").click()
    page.goto(f"{base}/supervision/agencies/{entry.pk}/")
    screenshot(page, "oversight-07-chain")
    page.goto(f"{base}/directory/{entry.pk}/")
    entry.refresh_from_db()
    assert entry.status == "active"
    screenshot(page, "oversight-08-directory-lifted")

    # The complainant reads the state with the code, typed in lower case.
    page.context.clear_cookies()
    page.goto(f"{base}/complaints/track/")
    page.locator("#code").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    assert page.locator("#result").count() == 1

    # The public page of the demo's random draw.
    page.goto(f"{base}/inspections/draws/")
    page.locator("table a").first.click()
    screenshot(page, "oversight-09-draw-public")
