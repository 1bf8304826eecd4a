"""Accessibility (issue 15, GB/T 37668-2019 / WCAG 2.1 AA) and the Content-Security-Policy (issue 14) in the
browser: axe-core finds no critical and no serious violation on every public page and on the home, list, detail
and form pages of each role, and no page breaks the policy (no inline script blocked, nothing refused)."""

import pytest

from tests.browser.audit import Audit, csp_violations, watch_csp
from tests.browser.pages import ROLE_ACCOUNTS, public_pages, role_pages
from tests.browser.signin import sign_in
from tests.conftest import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def walk(page, base: str, group: str, pages: dict[str, str], screenshot) -> tuple[Audit, dict[str, list[str]]]:
    audit = Audit(group)
    refused: dict[str, list[str]] = {}
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response.status == 200, f"{path}: {response.status}"
        audit.run(page, name)
        screenshot(page, f"axe/{group}-{name}")
        if violations := csp_violations(page):
            refused[name] = violations
        page.csp_violations.clear()
    audit.save()
    return audit, refused


def test_public_pages_pass_axe_and_keep_to_the_content_security_policy(live_server, page_factory, screenshot):
    seed_demo()
    page = page_factory()
    watch_csp(page)
    audit, refused = walk(page, live_server.url, "public", public_pages(), screenshot)

    # The API's Swagger UI is ninja's own bundle from static/: it still draws the operations under the policy.
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert csp_violations(page) == []
    screenshot(page, "axe/public-api-docs")

    assert refused == {}
    assert audit.serious == {}


@pytest.mark.parametrize("role", sorted(ROLE_ACCOUNTS))
def test_each_roles_pages_pass_axe_and_keep_to_the_content_security_policy(role, live_server, page_factory, screenshot):
    seed_demo()
    pages = role_pages(role)
    page = page_factory()
    watch_csp(page)
    sign_in(page, live_server.url, ROLE_ACCOUNTS[role])
    audit, refused = walk(page, live_server.url, role, pages, screenshot)
    assert refused == {}
    assert audit.serious == {}
