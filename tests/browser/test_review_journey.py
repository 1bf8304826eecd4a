"""The whole review path in the browser: the city asks for a correction, the agency fixes only the flagged
section, the city recommends, the centre accepts and forms a panel, two experts score, the panel concludes."""

import pytest

from filings.models import Application, State
from portal.models import User
from tests.browser.signin import sign_in
from tests.conftest import DEMO_PASSWORD, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def state_of(application: Application) -> str:
    application.refresh_from_db()
    return application.state


def test_correction_recommendation_acceptance_panel_and_conclusion(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    application = Application.objects.get(organisation__name="南宁市安邦职业技能培训学校")
    assert application.state == State.CITY_REVIEW
    agency = User.objects.get(organisation=application.organisation)
    agency.set_password(DEMO_PASSWORD)
    agency.save()
    detail = f"{base}/filings/{application.pk}/"
    page = page_factory()

    # The city bureau flags one section for correction.
    sign_in(page, base, "city_nanning")
    page.goto(f"{base}/filings/queue/")
    page.get_by_role("link", name="南宁市安邦职业技能培训学校").click()
    page.get_by_label("考核场地", exact=True).check()
    page.get_by_placeholder("补正要求").nth(7).fill("租赁场地请写明租赁期限。")
    screenshot(page, "review-1-city-requests-correction")
    page.get_by_role("button", name="要求补正").last.click()
    assert page.get_by_text("租赁场地请写明租赁期限。").first.is_visible()
    assert state_of(application) == State.CORRECTION

    # The agency sees the request, can edit only the flagged section, and submits version 2.
    sign_in(page, base, agency.username)
    page.goto(f"{base}/filings/{application.pk}/edit/")
    assert page.get_by_text("考核场地：租赁场地请写明租赁期限。").is_visible()
    assert page.locator("#id_basic-name").is_disabled()
    assert page.locator("#id_site-lease_years").is_enabled()
    page.locator("#id_site-lease_years").fill("12")
    screenshot(page, "review-2-agency-corrects-flagged-section")
    page.get_by_role("button", name="核查并提交").click()
    page.get_by_label("法定代表人姓名", exact=False).fill(application.data["basic"]["legal_representative"])
    page.locator("#consent").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(detail)
    assert state_of(application) == State.CITY_REVIEW
    assert application.versions.count() == 2

    # The city sees what changed and recommends with its opinion.
    sign_in(page, base, "city_nanning")
    page.goto(f"{base}/filings/{application.pk}/compare/")
    assert page.get_by_text("12").first.is_visible()
    screenshot(page, "review-3-city-sees-what-changed")
    page.goto(detail)
    page.get_by_role("tab", name="推荐", exact=True).click()
    page.locator("#text-recommend").fill("经审核，材料齐全，同意推荐。")
    page.get_by_role("button", name="推荐", exact=True).click()
    page.wait_for_url(detail)
    assert state_of(application) == State.ACCEPTANCE
    assert page.dialogs[-1].startswith("确认向省级职业技能鉴定中心推荐")  # an irreversible step asks first

    # The centre accepts and assigns two experts.
    sign_in(page, base, "centre")
    page.goto(detail)
    page.get_by_role("tab", name="受理", exact=True).click()
    page.get_by_role("button", name="受理", exact=True).click()
    assert state_of(application) == State.ASSESSMENT
    page.goto(f"{base}/filings/{application.pk}/panel/")
    for expert in ("expert1", "expert2"):
        pk = User.objects.get(username=expert).pk
        page.locator(f'input[name="experts"][value="{pk}"]').check()
    page.get_by_role("button", name="分配所勾选的专家").click()
    screenshot(page, "review-4-centre-panel-assigned")

    # Two experts declare no conflict and hand in their scores.
    for expert, points in (("expert1", 0.9), ("expert2", 0.8)):
        sign_in(page, base, expert)
        page.goto(f"{base}/filings/assessments/")
        page.get_by_role("link", name="南宁市安邦职业技能培训学校").first.click()
        page.locator("#conflict-no").check()
        page.get_by_role("button", name="确认声明").click()
        for criterion in application.call_version.scoring:
            page.locator(f"#score-{criterion['code']}").fill(str(int(criterion["max"] * points)))
        page.locator("#score-comment").fill("场地与人员符合要求。")
        page.get_by_role("button", name="提交评分").click()
        screenshot(page, f"review-5-{expert}-scored")

    # The centre sees both totals, the mean and the spread, and records the conclusion.
    sign_in(page, base, "centre")
    page.goto(f"{base}/filings/{application.pk}/panel/")
    page.locator("#conclusion").fill("专家组综合评估，同意通过技术评估。")
    screenshot(page, "review-6-centre-concludes")
    page.get_by_role("button", name="录入结论").click()
    assert state_of(application) == State.ASSESSED
    application.refresh_from_db()
    assert application.panel_score is not None
    page.goto(detail)
    assert page.get_by_text("专家组综合评估，同意通过技术评估。").first.is_visible()
    screenshot(page, "review-7-assessed")
