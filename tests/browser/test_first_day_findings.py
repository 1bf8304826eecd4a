"""A first-day tester's findings, in the browser (screenshots under screenshots/): an empty reply to an objection is
sent to the server without the confirmation dialog and answered beside the field; on an issued session, the photo's
更换 control does not run over the certificate number, at 1280 and at 390 pixels wide."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.base import ContentFile

from certificates.models import Candidate, Session
from certificates.services import certificates_issue, results_publicise
from publicity.models import Objection
from publicity.services import objection_raise
from tests.browser.session import signed_in
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of
from tests.certificates.test_photos import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_empty_reply_is_answered_beside_the_field_before_any_confirmation(
    live_server, page_factory, screenshot, people
):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    notice = results_publicise(session=session, by=people.agency_nanning, window_days=5).notice
    item = notice.items.get(label__startswith="张*三")
    objection = objection_raise(
        notice=notice, item=item, name="王五", contact="13977212345", content="该考生由他人代考。", files=[]
    )
    page = page_factory()
    base = live_server.url
    signed_in(page, base, people.centre)
    page.goto(f"{base}/filings/notices/{notice.pk}/")
    page.get_by_role("button", name="异议成立").click()
    page.wait_for_selector(f"#reply-{objection.pk}.is-invalid")
    assert page.dialogs == []  # nothing asked about an answer that cannot be given
    assert page.locator(f"#reply-{objection.pk}-error").is_visible()
    screenshot(page, "objection-empty-reply-refused")
    objection.refresh_from_db()
    assert objection.status == Objection.Status.PENDING

    page.locator(f"#reply-{objection.pk}").fill("经查属实：该考生由他人代考，暂缓发证。")
    page.get_by_role("button", name="异议成立").click()
    page.wait_for_selector(f"#objection-{objection.pk}")
    assert len(page.dialogs) == 1  # the complete answer is confirmed first
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD


@pytest.mark.parametrize("width", [1280, 390])
def test_the_photo_controls_leave_the_certificate_number_alone(live_server, page_factory, screenshot, people, width):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("陆海涛", ID_A), ("李丽", ID_B)])
    for candidate in Candidate.objects.filter(session=session):
        candidate.photo.save("photo.png", ContentFile(png()), save=True)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    with mock.patch("certificates.services.issuing.render_certificates"):  # the PDFs are not what this looks at
        certificates_issue(session=session, by=people.agency_nanning)
    page = page_factory(mobile=width == 390)
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    signed_in(page, base, people.agency_nanning)
    page.goto(f"{base}/certificates/sessions/{session.pk}/")
    page.locator(".table-responsive").last.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    gaps = page.evaluate(
        """() => [...document.querySelectorAll('tbody tr')].map(row => {
             const controls = row.querySelector('.photo-controls').getBoundingClientRect();
             const number = row.querySelector('.certificate-number').getBoundingClientRect();
             return number.left - controls.right; })"""
    )
    assert len(gaps) == 2 and all(gap >= 8 for gap in gaps), gaps
    screenshot(page, f"certificates-issued-session-{width}")
