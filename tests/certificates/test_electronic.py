"""Electronic certificates: one A4 PDF each with the QR code to verification, rendered after issue by the
Celery task, a zip per session; revocation re-renders the certificate marked revoked."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest

from certificates.models import Certificate, Session
from certificates.pdf import verify_url
from certificates.services import certificate_revoke, certificates_issue
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of


@pytest.fixture
def issued(people, django_capture_on_commit_callbacks):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        certificates_issue(session=session, by=people.agency_nanning)
    return session


def _text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_issuing_renders_one_a4_pdf_per_certificate(issued, tmp_path):
    certificates = list(Certificate.objects.filter(candidate__session=issued).order_by("number"))
    assert len(certificates) == 2 and all(c.pdf for c in certificates)
    pdf = certificates[0].pdf.read()
    assert pdf.startswith(b"%PDF")
    text = _text(pdf, tmp_path)
    info = subprocess.run(["pdfinfo", str(tmp_path / "c.pdf")], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info and re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert "职业技能等级证书" in text and certificates[0].number in text and "张小三" in text
    assert "4501**********1238" in text and ID_A not in text


def test_the_qr_code_leads_to_the_verification_page_with_the_number(issued, client):
    certificate = Certificate.objects.filter(candidate__session=issued).first()
    url = verify_url(certificate)
    assert url.endswith(f"/certificates/verify/?number={certificate.number}")
    page = client.get(url.split("8000", 1)[-1] if "8000" in url else url)
    assert f'value="{certificate.number}"' in page.content.decode()


def test_the_zip_holds_every_certificate_of_the_session(issued, people, client_for):
    response = client_for(people.agency_nanning).get(f"/certificates/sessions/{issued.pk}/certificates.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    numbers = sorted(Certificate.objects.filter(candidate__session=issued).values_list("number", flat=True))
    assert sorted(archive.namelist()) == [f"{number}.pdf" for number in numbers]
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def test_a_revoked_certificate_is_rendered_again_marked_revoked(
    issued, people, tmp_path, django_capture_on_commit_callbacks
):
    certificate = Certificate.objects.filter(candidate__session=issued).first()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="证书信息有误。")
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_reason == "证书信息有误。"
    assert "本证书已撤销" in _text(certificate.pdf.read(), tmp_path)


def test_a_revocation_needs_a_reason(issued, people):
    from django.core.exceptions import ValidationError

    certificate = Certificate.objects.filter(candidate__session=issued).first()
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, by=people.agency_nanning, reason="  ")
    certificate.refresh_from_db()
    assert certificate.status == "valid"
