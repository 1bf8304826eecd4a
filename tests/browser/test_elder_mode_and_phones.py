"""The elder-friendly mode (适老化) and phones (issue 15 items 3 and 4), on the demo data.

Elder mode: switched on with the keyboard from the top bar, every main page comes in it from the server (large
text), stays usable (nothing sticks out of its card: wide tables scroll inside it) and keeps axe's contrast
rule; screenshots under screenshots/elder/. Phones: at 390 px the public pages and the inspectors' field pages
never scroll sideways; screenshots under screenshots/phone/.
"""

import re

import pytest

from tests.browser.audit import Audit
from tests.browser.pages import field_pages, public_pages, role_pages
from tests.browser.signin import sign_in
from tests.browser.test_layout import OVERFLOWS
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT_FONT = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
ELDER_SWITCH = re.compile(r"^长辈模式\s*（适老化：大字号、高对比度）$")
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"

ELDER_PAGES = {
    "public": ["notices", "notice-detail", "directory", "directory-entry", "complaint-form", "announcements"],
    "city": ["home", "list", "detail", "complaints"],
    "agency": ["home", "list", "form"],
}


def test_elder_mode_is_switched_on_from_the_top_bar_and_keeps_every_page_usable(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory()
    page.goto(f"{base}/notices/")
    assert page.evaluate(ROOT_FONT) == 16
    switch = page.get_by_role("button", name=ELDER_SWITCH)
    assert switch.get_attribute("aria-pressed") == "false"
    switch.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base}/notices/"
    assert page.evaluate(ROOT_FONT) == 20
    assert page.get_by_role("button", name=ELDER_SWITCH).get_attribute("aria-pressed") == "true"
    # The server draws the mode: the very first response of a new page already has it, with no script.
    assert 'class="elder"' in page.request.get(f"{base}/directory/").text()

    audit = Audit("elder")
    sticking_out: dict[str, list[str]] = {}
    low_contrast: dict[str, list[str]] = {}

    def look(group: str, pages: dict[str, str]) -> None:
        for name in ELDER_PAGES[group]:
            page.goto(base + pages[name])
            assert page.evaluate(ROOT_FONT) == 20, name
            if problems := page.evaluate(OVERFLOWS):
                sticking_out[f"{group} {name}"] = problems
            audit.run(page, f"{group}-{name}")
            screenshot(page, f"elder/{group}-{name}")

    look("public", public_pages())
    # The choice outlives a session: the browser keeps its cookie when someone signs in (the tests' sign-in helper
    # starts from an empty cookie jar, so the browser's cookie is put back as it was).
    elder_cookie = [c for c in page.context.cookies() if c["name"] == "portal_elder"]
    assert [c["value"] for c in elder_cookie] == ["1"]
    for role, username in (("city", "city_nanning"), ("agency", "agency_liuzhou")):
        sign_in(page, base, username)
        page.context.add_cookies(elder_cookie)
        page.reload()
        assert page.evaluate(ROOT_FONT) == 20
        look(role, role_pages(role))
    audit.save()
    for name, problems in audit.serious.items():
        low_contrast[name] = problems
    assert sticking_out == {}
    assert low_contrast == {}

    # Switched off again, from the keyboard, on the page where the user is.
    page.get_by_role("button", name=ELDER_SWITCH).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate(ROOT_FONT) == 16


def test_public_and_field_pages_fit_a_390_pixel_phone(live_server, page_factory, screenshot):
    seed_demo()
    base = live_server.url
    page = page_factory(mobile=True)
    sideways: dict[str, int] = {}

    def look(group: str, pages: dict[str, str]) -> None:
        for name, path in pages.items():
            page.goto(base + path)
            assert page.evaluate("window.innerWidth") == 390
            if (overflow := page.evaluate(SIDEWAYS)) > 0:
                sideways[f"{group} {name}"] = overflow
            screenshot(page, f"phone/{group}-{name}")

    look("public", public_pages())
    sign_in(page, base, "police_liuzhou")
    look("field", field_pages())
    # The same pages in elder mode stay within the phone's width too.
    page.context.add_cookies([{"name": "portal_elder", "value": "1", "url": base}])
    look("field-elder", field_pages())
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "portal_elder", "value": "1", "url": base}])
    look("public-elder", {name: public_pages()[name] for name in ("notices", "directory", "complaint-form")})
    assert sideways == {}
