"""Revoking a certificate takes a second step: the first POST (with its reason) answers a page that says what
will happen and changes nothing; only its button (``confirmed=yes``) revokes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificates_issue
from portal.models import AuditEvent
from tests.certificates.factories import approved_session, filed_entry

pytestmark = pytest.mark.django_db
REASON = "考试作弊，经查实撤销。"


@pytest.fixture
def certificate(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = approved_session(entry, people.agency_nanning, 1)
    (issued,) = certificates_issue(session=session, by=people.agency_nanning)
    return issued


def _url(certificate) -> str:
    return reverse("certificates:revoke", args=[certificate.candidate.session_id, certificate.pk])


def test_the_first_post_asks_and_revokes_nothing(certificate, people, client_for):
    response = client_for(people.agency_nanning).post(_url(certificate), {"reason": REASON})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"确认撤销证书 {certificate.number}？" in body
    assert REASON in body and "考生0" in body and "撤销后不可恢复" in body
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID and certificate.revoked_reason == ""
    assert not AuditEvent.objects.filter(action="certificate_revoke").exists()


def test_confirmed_it_is_revoked_with_the_reason(certificate, people, client_for):
    response = client_for(people.agency_nanning).post(_url(certificate), {"reason": REASON, "confirmed": "yes"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revoked_reason == REASON


def test_without_a_reason_there_is_no_confirmation_but_the_refusal(certificate, people, client_for):
    client = client_for(people.agency_nanning)
    response = client.post(_url(certificate), {"reason": "  "}, follow=True)
    assert "确认撤销证书" not in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
