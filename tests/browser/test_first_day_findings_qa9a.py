"""A first-day tester's findings on the results notice, in the browser (screenshots under screenshots/): after a
refused upload the page offers no publish button but says why; otherwise the button leads to a confirmation that
says what is published, and only its button publishes."""

from __future__ import annotations

import pytest

from certificates.models import ImportAttempt, Session
from tests.browser.session import signed_in
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, session_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_upload_hides_the_publish_button_and_a_publish_is_confirmed(
    live_server, page_factory, screenshot, people
):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    candidates(session, [("王五", ID_C)], passed=False)
    refused = ImportAttempt.objects.create(
        session=session,
        uploaded_by=people.agency_nanning,
        filename="G_scores.xlsx",
        status=ImportAttempt.Status.REFUSED,
        errors=[{"row": 2, "column": "理论知识", "message": "请填写0至100的成绩。"}],
        error_count=1,
    )
    page = page_factory()
    base = live_server.url
    signed_in(page, base, people.agency_nanning)
    page.goto(f"{base}/certificates/sessions/{session.pk}/")
    assert page.get_by_role("button", name="发布成绩公示").count() == 0
    assert page.locator("#publicity-blocked").is_visible()
    screenshot(page, "qa9a-refused-upload-no-publish")

    refused.delete()
    page.goto(f"{base}/certificates/sessions/{session.pk}/")
    page.get_by_role("button", name="发布成绩公示").click()
    page.wait_for_selector("text=公示一经发布，不能撤回。")
    screenshot(page, "qa9a-publish-confirmation")
    session.refresh_from_db()
    assert session.status == Session.Status.RESULTS
    page.get_by_role("button", name="发布成绩公示").click()
    page.wait_for_selector("text=成绩公示:")
    session.refresh_from_db()
    assert session.status == Session.Status.PUBLICITY


def test_a_plan_and_its_results_session_link_to_each_other(live_server, page_factory, screenshot, people):
    from tests.certificates.factories import announced_plan

    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    plan = announced_plan(entry, people.agency_nanning)
    page = page_factory()
    base = live_server.url
    signed_in(page, base, people.agency_nanning)
    page.goto(f"{base}/supervision/plans/{plan.pk}/")
    screenshot(page, "qa9a-plan-offers-results-session")
    page.get_by_role("button", name="创建成绩场次").click()
    page.wait_for_selector("#session-plan")
    session = Session.objects.get(plan=plan)
    screenshot(page, "qa9a-session-links-plan")
    page.locator("#session-plan").click()
    page.wait_for_selector("#plan-results a")
    assert page.locator("#plan-results a").get_attribute("href") == f"/certificates/sessions/{session.pk}/"
    screenshot(page, "qa9a-plan-links-results-session")
