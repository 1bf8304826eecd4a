"""The filing journey with the keyboard alone (issue 15 item 2): a new agency fills the whole 附件2 form, uploads its
materials and submits; the city bureau finds it in its queue and recommends it. Only Tab, Shift+Tab, the arrow
keys, Enter, Space and typing move through the pages: no click, no fill, no goto after signing in (the one way
browser tests sign in is tests/browser/signin.py). The system's file dialog is answered with the file, as a
keyboard user does in it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from agencies.models import Organisation
from filings.examples import sample_pdf
from filings.models import Application, State
from tests.browser.signin import sign_in
from tests.browser.test_application_journey import (
    ADVANTAGES,
    BASIC,
    CALL_TITLE,
    DECLARATIONS,
    EQUIPMENT,
    EXAMINERS,
    EXPERTS,
    LEGAL_REPRESENTATIVE,
    MANAGERS,
    MATERIALS,
    OCCUPATIONS,
    ORGANISATION,
    PASSWORD,
    SITE,
    STATIONS,
    SUPERVISORS,
    SYSTEMS,
    USERNAME,
    new_agency_in_nanning,
)
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = {
    "occupations": OCCUPATIONS,
    "managers": MANAGERS,
    "examiners": EXAMINERS,
    "experts": EXPERTS,
    "supervisors": SUPERVISORS,
    "stations": STATIONS,
    "equipment": EQUIPMENT,
}

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {};
  return {
    tag: el.tagName, type: el.type || '', name: el.name || '', id: el.id || '', value: el.value ?? '',
    readonly: el.readOnly === true, role: el.getAttribute('role') || '', text: (el.textContent || '').trim(),
    label: el.getAttribute('aria-label') || '', prefix: el.dataset.prefix || '',
    item: (el.closest('.list-group-item') || {}).textContent || '',
    material: (el.closest('[id^="material-"]') || {}).id || '',
    selected: el.getAttribute('aria-selected') || '',
  };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, wanted, *, limit: int = 400, key: str = "Tab") -> dict:
    """Press Tab until the focused element is the one wanted (a predicate on `focused`)."""
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused(page)
        if info and wanted(info):
            return info
    raise AssertionError(f"never reached the element with {key} (last: {focused(page)})")


def choose(page: Page, value: str) -> None:
    """In the focused select, move with the arrow keys to the option whose value is given."""
    values = page.evaluate("() => Array.from(document.activeElement.options).map(o => o.value)")
    for _ in range(len(values) * 2):
        current = page.evaluate("() => document.activeElement.value")
        if current == value:
            return
        page.keyboard.press("ArrowDown" if values.index(value) > values.index(current) else "ArrowUp")
    raise AssertionError(f"option {value} could not be reached with the arrow keys")


def type_into(page: Page, info: dict, value: str) -> None:
    """Type a value into the focused control as a keyboard user does (select: arrows; date: its three parts)."""
    if info["tag"] == "SELECT":
        choose(page, value)
    elif info["type"] == "date":
        # Chromium draws a date field in its own interface language, here mm/dd/yyyy; two digits complete a
        # month or a day and move on to the next part.
        year, month, day = value.split("-")
        page.keyboard.type(month + day + year)
    else:
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(value)
    assert page.evaluate("() => document.activeElement.value") == value, (info["name"], value)


def open_file_dialog(page: Page):
    """Open the system's file dialog from the focused file field (Space, or Enter if Space was not taken)."""
    for key in ("Space", "Enter", "Space"):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press(key)
            return chooser.value
        except PlaywrightTimeout:
            continue
    raise AssertionError("the file field did not open the file dialog from the keyboard")


def wanted_values() -> dict[str, str]:
    values = {f"basic-{name}": value for name, value in BASIC.items()}
    values["advantages-text"] = ADVANTAGES
    for key, rows in ROWS.items():
        for index, row in enumerate(rows):
            values.update({f"{key}-{index}-{name}": value for name, value in row.items()})
    values.update({f"site-{name}": value for name, value in SITE.items()})
    values.update({f"systems-{name}": value for name, value in SYSTEMS.items()})
    values.update({f"declarations-{name}": value for name, value in DECLARATIONS.items()})
    return values


def fill_the_form_with_the_keyboard(page: Page, tmp_path) -> None:
    """Walk the tab order once from the top of the form to 核查并提交: type each value where its field comes,
    add rows with 添加一行 (Enter) while a section needs more, upload each material through its file field."""
    values = wanted_values()
    done: set[str] = set()
    uploaded: set[str] = set()
    page.keyboard.press("Tab")
    for _ in range(3000):
        info = focused(page)
        name = info.get("name", "")
        if name in values and name not in done:
            if not info["readonly"]:
                type_into(page, info, values[name])
            else:
                assert info["value"] == values[name]
            done.add(name)
        elif info.get("prefix") in ROWS and "add-row" in page.evaluate("() => document.activeElement.className"):
            prefix = info["prefix"]
            rows = page.locator(f'table[data-prefix="{prefix}"] tbody tr.form-row').count()
            if rows < len(ROWS[prefix]):
                page.keyboard.press("Enter")  # the new row's first field takes the focus
                continue
        elif info.get("type") == "file" and info["material"] not in uploaded:
            code = info["material"].removeprefix("material-")
            path = tmp_path / f"{MATERIALS[code]}.pdf"
            path.write_bytes(sample_pdf(MATERIALS[code]).read())
            open_file_dialog(page).set_files(path)
            tab_to(page, lambda i: i["text"] == "上传", limit=3)
            page.keyboard.press("Enter")
            expect(page.locator(f"#material-{code}").get_by_role("link", name=path.name)).to_be_visible()
            uploaded.add(info["material"])
        elif info.get("text") == "核查并提交":
            break
        page.keyboard.press("Tab")
    assert sorted(set(values) - done) == []
    assert uploaded == {f"material-{code}" for code in MATERIALS}


def test_the_filing_journey_can_be_done_with_the_keyboard_alone(live_server, page_factory, screenshot, tmp_path):
    seed_demo()
    new_agency_in_nanning()
    base = live_server.url
    page = page_factory()

    # The agency: menu → its applications → 申请 on the call → the form, filled and submitted.
    sign_in(page, base, USERNAME, PASSWORD)
    tab_to(page, lambda i: i["text"] == "我的备案申请")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/filings/")
    tab_to(page, lambda i: i["text"] == "申请" and CALL_TITLE in i["item"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/filings/\d+/edit/$"))
    assert Organisation.objects.get(name=ORGANISATION).uscc == page.locator("#id_basic-uscc").input_value()

    fill_the_form_with_the_keyboard(page, tmp_path)
    screenshot(page, "keyboard-1-form-filled")
    page.keyboard.press("Enter")  # 核查并提交: saves, then the submit page
    page.wait_for_url(re.compile(r"/filings/\d+/submit/(#.*)?$"))
    expect(page.locator("#problems")).to_have_count(0)
    tab_to(page, lambda i: i["id"] == "commitment_name")
    page.keyboard.type(LEGAL_REPRESENTATIVE)
    tab_to(page, lambda i: i["id"] == "consent", limit=3)
    page.keyboard.press("Space")
    tab_to(page, lambda i: i["text"] == "提交申请", limit=5)
    screenshot(page, "keyboard-2-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/filings/\d+/(#.*)?$"))
    application = Application.objects.get(organisation__name=ORGANISATION)
    assert application.state == State.CITY_REVIEW

    # The city bureau: its queue → the application → the 推荐 tab (arrow keys) → its opinion → 推荐.
    sign_in(page, base, "city_nanning")
    tab_to(page, lambda i: i["text"] == "待审核列表")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/filings/queue/")
    tab_to(page, lambda i: i["text"] == ORGANISATION)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/filings/{application.pk}/")
    tab_to(page, lambda i: i["role"] == "tab")
    tab_to(page, lambda i: i["text"] == "推荐" and i["role"] == "tab", limit=6, key="ArrowRight")
    assert focused(page)["selected"] == "true"  # the arrow key showed the tab, as a tab list does
    tab_to(page, lambda i: i["id"] == "text-recommend", limit=3)
    page.keyboard.type("经审核，材料齐全，同意推荐。")
    tab_to(page, lambda i: i["text"] == "推荐" and i["type"] == "submit", limit=3)
    screenshot(page, "keyboard-3-city-recommends")
    with page.expect_navigation():  # back to the same page, with the new state
        page.keyboard.press("Enter")
    expect(page.locator(".badge", has_text="待受理")).to_be_visible()
    assert page.dialogs[-1].startswith("确认向省级职业技能鉴定中心推荐")
    application.refresh_from_db()
    assert application.state == State.ACCEPTANCE
