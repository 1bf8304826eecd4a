"""The last first-day tester's findings in the browser, on the demo data (screenshots under screenshots/qa4-*):
the call's page leads to its selection and notice, the organisation's page to its supervision file, the removal
confirmation names the decision's number, the centre's queue and 南宁's complaints page (共 N 条), the dashboard's
evaluations table in both languages, and the revoke confirmation's way back keeps the reason."""

from __future__ import annotations

import re

import pytest

from agencies.models import Call, DirectoryEntry
from certificates.models import Certificate
from supervision.models import Sanction
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.browser.conftest import SCREENSHOTS
from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "证书持有人身份信息登记错误，经核实予以撤销。"


def test_the_fixed_screens_on_the_demo(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()
    call = Call.objects.get(code="gx-security-manager-2026")

    # 4. 南宁's complaints first (the demo's long lists), then its organisation's page and its dashboard.
    sign_in(page, base, "city_nanning")
    yongcheng = DirectoryEntry.objects.get(organisation__name="南宁市邕城职业技能培训学校")
    page.goto(f"{base}/supervision/complaints/")
    total = page.locator("[data-list-total]").inner_text()
    assert int(re.search(r"\d+", total).group()) > 25, total
    screenshot(page, "qa4-4-complaints-page-1")

    # 2. An organisation's page leads to its supervision file.
    page.goto(f"{base}/agencies/{yongcheng.organisation_id}/")
    file_link = page.get_by_role("link", name=re.compile("监管档案"))
    assert file_link.is_visible()
    screenshot(page, "qa4-2-organisation-city")
    file_link.click()
    page.wait_for_url(f"{base}/supervision/agencies/{yongcheng.pk}/")
    screenshot(page, "qa4-2-supervision-file")

    # 5. The dashboard's evaluations table, in Chinese and in English.
    page.goto(f"{base}/")
    table = page.locator('table[data-section="evaluations"]')
    assert "已组织认定" not in table.inner_text()
    table.scroll_into_view_if_needed()
    screenshot(page, "qa4-5-dashboard-zh")
    card = page.locator(".card", has=page.locator('table[data-section="evaluations"]'))
    card.screenshot(path=str(SCREENSHOTS / "qa4-5-evaluations-card-zh.png"))
    host = base.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    page.goto(f"{base}/")
    table = page.locator('table[data-section="evaluations"]')
    assert "Evaluations held" not in table.inner_text()
    assert page.locator('[data-section-aside="evaluations"]').inner_text().startswith("Evaluations held")
    screenshot(page, "qa4-5-dashboard-en")
    card = page.locator(".card", has=page.locator('table[data-section="evaluations"]'))
    card.screenshot(path=str(SCREENSHOTS / "qa4-5-evaluations-card-en.png"))
    page.context.clear_cookies()

    # 1. The call's page: the centre's ranking and selection, the selection notice for everyone.
    sign_in(page, base, "centre")
    page.goto(f"{base}/agencies/calls/{call.pk}/")
    links = page.get_by_role("navigation", name="遴选与公示")
    assert links.get_by_role("link", name="排名与遴选").is_visible()
    screenshot(page, "qa4-1-call-centre")
    links.get_by_role("link", name="排名与遴选").click()
    page.wait_for_url(f"{base}/filings/calls/{call.pk}/selection/")
    screenshot(page, "qa4-1-selection")

    # 4. The centre's acceptance queue pages: 共 N 条 and a second page.
    page.goto(f"{base}/filings/queue/")
    total = page.locator("[data-list-total]").inner_text()
    assert int(re.search(r"\d+", total).group()) > 50, total
    screenshot(page, "qa4-4-centre-queue-page-1")
    page.get_by_role("link", name="下一页").first.click()
    page.wait_for_url(re.compile(r".*page=2.*"))
    assert page.locator("tbody tr").count() >= 1
    screenshot(page, "qa4-4-centre-queue-page-2")

    # 3. The removal confirmation names the decision document and its number (nothing removed by asking).
    page.goto(f"{base}/supervision/agencies/{yongcheng.pk}/sanctions/new/")
    page.locator("select[name=kind]").select_option("removal")
    page.locator("textarea[name=facts]").fill("2026年10月12日现场督导发现该机构伪造考试记录，经约谈仍未整改。")
    page.locator("textarea[name=basis]").fill(PILOT_EXIT_CLAUSE)  # starts empty: the official quotes the clause
    page.get_by_role("button", name="作出决定").click()
    page.wait_for_selector("#confirm-consequences")
    text = page.locator("#confirm-consequences").inner_text()
    assert "编号的处理决定" not in text and "处理决定书（文号：" in text and "督〔" in text
    screenshot(page, "qa4-3-removal-confirmation")
    assert not Sanction.objects.filter(entry=yongcheng, kind="removal").exists()

    # 1. An agency reads the call and finds its selection notice.
    sign_in(page, base, "agency_liuzhou")
    page.goto(f"{base}/agencies/calls/{call.pk}/")
    assert page.get_by_role("link", name=re.compile("遴选公示：")).first.is_visible()
    assert page.get_by_role("link", name="排名与遴选").count() == 0
    screenshot(page, "qa4-1-call-agency")

    # 6. Revoke: confirm page, back to the form, the reason as typed.
    certificate = (
        Certificate.objects.filter(
            candidate__session__plan__entry__organisation__name="广西卫安保安服务有限公司",
            status=Certificate.Status.VALID,
        )
        .select_related("candidate")
        .first()
    )
    sign_in(page, base, "agency_weian")
    page.goto(f"{base}/certificates/sessions/{certificate.candidate.session_id}/")
    row = page.locator("tr", has=page.locator(f"#reason-{certificate.pk}"))
    row.locator("summary", has_text="撤销").click()
    page.locator(f"#reason-{certificate.pk}").fill(REASON)
    row.get_by_role("button", name="撤销证书").click()
    page.wait_for_selector("#confirm-consequences")
    screenshot(page, "qa4-6-revoke-confirmation")
    page.get_by_role("button", name=re.compile("返回修改")).click()
    page.wait_for_selector(f"#reason-{certificate.pk}")
    assert page.locator(f"#reason-{certificate.pk}").input_value() == REASON
    assert page.locator(f"#reason-{certificate.pk}").is_visible()
    page.locator(f"#reason-{certificate.pk}").scroll_into_view_if_needed()
    screenshot(page, "qa4-6-revoke-back")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
