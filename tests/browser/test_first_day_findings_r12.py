"""A first-day tester's findings of round 12, in the browser (screenshots under screenshots/): a wrong picture
answer on the registration form is shown beside the picture together with the other fields' errors (the message
was in the page but hidden), and a refused conflict-of-interest declaration keeps the choice, with the message
beside the explanation box."""

from __future__ import annotations

import pytest

from filings.services import panel_assign
from tests.agencies.test_registration import GOOD_USCC
from tests.browser.session import signed_in
from tests.filings.test_panel import in_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wrong_picture_answer_and_a_bad_user_name_are_both_shown_beside_their_fields(
    live_server, page_factory, screenshot
):
    page = page_factory()
    page.goto(f"{live_server.url}/register/")
    page.fill("#id_name", "柳州市青盾职业技能培训学校")
    page.fill("#id_uscc", GOOD_USCC)
    page.select_option("#id_region", index=1)
    page.select_option("#id_nature", index=1)
    page.fill("#id_legal_representative", "韦青")
    page.fill("#id_contact_name", "黄丽")
    page.fill("#id_contact_phone", "13877112345")
    page.fill("#id_email", "qingdun@example.cn")
    page.fill("#id_username", "青盾 admin")
    page.fill("#id_full_name", "黄丽")
    page.fill("#id_password1", "Lantern-2026-river")
    page.fill("#id_password2", "Lantern-2026-river")
    page.fill("#id_captcha_1", "zzzzz")
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state()

    picture = page.locator("#id_captcha_error")
    assert picture.is_visible() and picture.inner_text().strip() == "输入的字母与图片不符。请输入新图片中的字母。"
    assert "is-invalid" in page.locator("#id_captcha_1").get_attribute("class")
    assert page.locator("#div_id_username .invalid-feedback").is_visible()
    assert "只能包含英文字母" in page.locator("#div_id_username .invalid-feedback").inner_text()
    assert page.input_value("#id_username") == "青盾 admin"
    picture.scroll_into_view_if_needed()
    screenshot(page, "r12-register-wrong-picture-and-user-name")


def test_a_refused_conflict_declaration_keeps_the_choice_and_says_why_beside_the_box(
    live_server, page_factory, screenshot, people
):
    application = in_assessment(people)
    panel_assign(application=application, experts=[people.expert_assigned], by=people.centre)
    page = page_factory()
    signed_in(page, live_server.url, people.expert_assigned)
    page.goto(f"{live_server.url}/filings/{application.pk}/assess/")
    page.check("#conflict-yes")
    page.get_by_role("button", name="确认声明").click()
    page.wait_for_load_state()

    assert page.is_checked("#conflict-yes")
    message = page.locator("#declaration-error")
    assert message.is_visible() and message.inner_text().strip() == "请说明利益冲突情况。"
    box, said = (page.locator(s).bounding_box() for s in ("#declaration-text", "#declaration-error"))
    assert 0 <= said["y"] - (box["y"] + box["height"]) < 40  # right under the explanation box
    screenshot(page, "r12-conflict-declaration-empty")
