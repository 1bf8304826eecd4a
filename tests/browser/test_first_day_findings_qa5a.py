"""The first-day findings of qa5 (filing and public side) in the browser, on the demo data (screenshots under
screenshots/qa5a-*): anonymous / is the public front page and a call opens without sign-in; the police's and a
city bureau's to-do lists name their pending supervision work; in English at 1366 px the top bar's menu takes at
most two lines; a confirmation heading's full-width "？" is as wide as a Chinese character."""

from __future__ import annotations

import pytest

from agencies.models import Call
from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU_LINES = """() => new Set([...document.querySelectorAll('.portal-header .navbar-nav > li')]
  .map(li => Math.round(li.getBoundingClientRect().top))).size"""

WIDTHS = """() => {
  const h = document.querySelector('h1');
  const width = text => { const s = document.createElement('span'); s.textContent = text; h.appendChild(s);
    const w = s.getBoundingClientRect().width; s.remove(); return w; };
  return [width('？'), width('中'), width('?')];
}"""


def test_the_public_side_and_the_to_do_lists_on_the_demo(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()

    # 5. Anyone: the front page offers the public pages; a call opens without signing in.
    page.goto(f"{base}/")
    assert page.url == f"{base}/"
    for name in ("机构征集", "公示公告", "公开目录", "登录"):
        assert page.locator("main").get_by_role("link", name=name).first.is_visible(), name
    screenshot(page, "qa5a-5-landing")
    page.locator("main").get_by_role("link", name="机构征集").click()
    page.wait_for_url(f"{base}/calls/")
    screenshot(page, "qa5a-5-calls")
    call = Call.objects.get(code="gx-security-manager-2026")
    page.goto(f"{base}/agencies/calls/{call.pk}/")
    page.wait_for_url(f"{base}/calls/{call.pk}/")
    assert page.locator("main a[href^='/agencies/'], main a[href^='/filings/']").count() == 0
    screenshot(page, "qa5a-5-call-public")

    # 1. The police of 柳州: a registration awaiting them is on the to-do list.
    sign_in(page, base, "police_liuzhou")
    todo = page.locator("#todo")
    assert "待确认的报备登记" in todo.inner_text()
    screenshot(page, "qa5a-1-police-liuzhou-home")
    # 柳州's bureau: its cross-region report and its complaints.
    sign_in(page, base, "city_liuzhou")
    text = page.locator("#todo").inner_text()
    assert "待答复的异地报备" in text and "待办理的投诉举报" in text
    screenshot(page, "qa5a-1-city-liuzhou-home")

    # 9. In English at 1366 px the centre's menu (the longest) takes at most two lines.
    sign_in(page, base, "centre")
    host = base.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    page.goto(f"{base}/")
    assert page.evaluate(MENU_LINES) <= 2
    screenshot(page, "qa5a-9-centre-home-en")
    # A heading's full-width question mark is as wide as a Chinese character, wider than the Latin one.
    page.goto(f"{base}/agencies/calls/{call.pk}/")
    full, chinese, latin = page.evaluate(WIDTHS)
    assert abs(full - chinese) < 0.5 and full > latin
