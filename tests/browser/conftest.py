"""Playwright driving Debian's Chromium against pytest-django's live server.

Browser tests need /usr/bin/chromium. On a laptop without it they are skipped with a message; in CI
(CI=true) a missing browser fails the run instead, so the journeys are never silently untested.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make around it are
# ordinary synchronous code, so Django's async-safety guard is relaxed for the browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser):
    contexts = []

    def make(*, mobile: bool = False):
        viewport = {"width": 390, "height": 844} if mobile else {"width": 1366, "height": 900}
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        # The user answers yes to every confirmation an irreversible step asks for; what was asked is kept.
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.accept()))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return take


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Browser tests run against a live server, so their database is transactional and flushed after each."""
