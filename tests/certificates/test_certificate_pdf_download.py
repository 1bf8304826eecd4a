"""One certificate's PDF from the session's list, for the agency that issued it and the HR bureau of its
jurisdiction, not only the zip of the whole session; others get a 404. A revoked certificate's PDF is the copy
rendered again after the revocation, saying 本证书已撤销: an office keeps and may need to show what was revoked, and
the copy cannot pass for a valid one (first-day tester)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from certificates.models import Certificate, Session
from certificates.services import certificate_revoke, certificates_issue
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def issued(people, django_capture_on_commit_callbacks):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        certificates_issue(session=session, by=people.agency_nanning)
    return session


def _url(certificate) -> str:
    return reverse("certificates:certificate_pdf", args=[certificate.candidate.session_id, certificate.pk])


def _text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("who", ["agency_nanning", "city_nanning"])
def test_the_agency_and_the_bureau_download_one_certificate_from_the_list(issued, people, client_for, who, tmp_path):
    client = client_for(people.get(who))
    page = client.get(reverse("certificates:session_detail", args=[issued.pk]), **ZH).content.decode()
    li = Certificate.objects.get(holder_name="李丽")
    assert _url(li) in page and f'data-certificate-pdf="{li.pk}"' in page
    response = client.get(_url(li))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{li.number}.pdf"' in response["Content-Disposition"]
    text = _text(b"".join(response.streaming_content), tmp_path)
    assert "李丽" in text and li.number in text and "张小三" not in text and "已撤销" not in text


@pytest.mark.parametrize("who", ["agency_liuzhou", "city_liuzhou"])
def test_outsiders_get_a_404(issued, people, client_for, who):
    certificate = Certificate.objects.first()
    assert client_for(people.get(who)).get(_url(certificate)).status_code == 404


def test_a_certificate_of_another_session_is_not_found_through_this_one(issued, people, client_for):
    other = session_of(issued.plan.entry, people.agency_nanning, days_ago=20)
    certificate = Certificate.objects.first()
    url = reverse("certificates:certificate_pdf", args=[other.pk, certificate.pk])
    assert client_for(people.agency_nanning).get(url).status_code == 404


def test_a_revoked_certificate_s_pdf_says_revoked(
    issued, people, client_for, tmp_path, django_capture_on_commit_callbacks
):
    certificate = Certificate.objects.get(holder_name="张小三")
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="考评记录不实。")
    client = client_for(people.agency_nanning)
    page = client.get(reverse("certificates:session_detail", args=[issued.pk]), **ZH).content.decode()
    assert "PDF（标注已撤销）" in page
    response = client.get(_url(certificate))
    assert response.status_code == 200
    assert "本证书已撤销" in _text(b"".join(response.streaming_content), tmp_path)


def test_while_the_revoked_copy_is_not_rendered_no_pdf_is_offered(issued, people, client_for):
    certificate = Certificate.objects.get(holder_name="张小三")
    certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="考评记录不实。")  # render not run
    client = client_for(people.agency_nanning)
    page = client.get(reverse("certificates:session_detail", args=[issued.pk]), **ZH).content.decode()
    assert f'data-certificate-pdf="{certificate.pk}"' not in page
    assert client.get(_url(certificate)).status_code == 404
