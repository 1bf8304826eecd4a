"""The results import's progress in the browser: the page shows the queued check's progress bar, polls it from
the static script (no inline script) and shows the outcome when the worker is done, without a click.
Screenshots go to screenshots/."""

from __future__ import annotations

from unittest import mock

import pytest

from certificates.services import results_check, results_upload
from tests.browser.signin import sign_in
from tests.certificates.factories import ID_B, filed_entry, row, session_of, workbook
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_follows_the_check_and_shows_the_outcome(
    live_server, page_factory, screenshot, reference_data, people
):
    agency = people.agency_nanning
    agency.set_password(DEMO_PASSWORD)
    agency.save()
    session = session_of(filed_entry(people.org_nanning), agency)
    rows = [row(), row(name="李四", id_number=ID_B, gender="女")]
    with mock.patch("certificates.services.imports.check_results"):  # the worker is this test, below
        attempt = results_upload(session=session, data=workbook(session, rows), filename="成绩.xlsx", by=agency)
    page = page_factory()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "/progress/" in request.url else None)
    base = live_server.url
    sign_in(page, base, "agency_nanning")
    page.goto(f"{base}/certificates/sessions/{session.pk}/")
    page.wait_for_selector("[data-progress-job=import] .progress")
    assert "正在逐行校验" in page.content()
    screenshot(page, "certificates-import-progress")
    page.wait_for_timeout(1500)
    assert polls, "the page does not poll the job's progress"
    results_check(attempt_id=attempt.pk)
    page.wait_for_selector("text=已导入：2 名考生", timeout=15_000)
    assert page.locator("[data-progress-job=import]").count() == 0
    assert page.get_by_text("李四").count() == 1
    assert errors == [], errors
    screenshot(page, "certificates-import-done")
