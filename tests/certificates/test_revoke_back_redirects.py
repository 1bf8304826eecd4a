"""返回修改 from a revocation's confirmation goes back to the session's page by GET (post-redirect-get): the
address bar shows the page, not the address the confirmation posted to, and the reason typed is still in its
form; a reload shows the page as usual (first-day finding qa5 item 9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificates_issue
from tests.certificates.factories import approved_session, filed_entry

pytestmark = pytest.mark.django_db
REASON = "考试作弊，经查实撤销。"


def test_back_from_the_confirmation_redirects_to_the_page_with_the_reason_kept(people, client_for):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = approved_session(entry, people.agency_nanning, 1)
    (certificate,) = certificates_issue(session=session, by=people.agency_nanning)
    client = client_for(people.agency_nanning)
    url = reverse("certificates:revoke", args=[session.pk, certificate.pk])
    response = client.post(url, {"reason": REASON, "confirmed": "back"})
    page_url = reverse("certificates:session_detail", args=[session.pk])
    assert response.status_code == 302 and response["Location"] == f"{page_url}#reason-{certificate.pk}"
    page = client.get(page_url).content.decode()
    assert REASON in page and '<details class="d-inline" open>' in page
    assert REASON not in client.get(page_url).content.decode()  # shown once: a later visit is the page as usual
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
