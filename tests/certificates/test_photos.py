"""The optional candidate photo: uploaded by the agency, checked by content (portal.lib.uploads) and size (at most
2 MB), printed on the A4 certificate in its place; without a photo the certificate keeps its layout."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from certificates.models import Candidate, Certificate, Session
from certificates.pdf import certificate_pdf
from certificates.services import PHOTO_MAX_BYTES, certificates_issue
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of

MB = 1024 * 1024


def png(size: int | None = None) -> bytes:
    """A small portrait PNG; padded after its end to ``size`` bytes when given (still a readable PNG)."""
    buffer = io.BytesIO()
    Image.new("RGB", (132, 192), (70, 110, 170)).save(buffer, format="PNG")
    data = buffer.getvalue()
    return data if size is None else data + b"\0" * (size - len(data))


@pytest.fixture
def session(people):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    return session


def post_photo(client, session, candidate, data: bytes, name: str = "photo.png"):
    url = reverse("certificates:candidate_photo_upload", args=[session.pk, candidate.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"photo": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("size", "accepted"), [(PHOTO_MAX_BYTES - 1, True), (PHOTO_MAX_BYTES, True), (2 * MB + 1, False)]
)
def test_a_photo_is_at_most_two_megabytes(session, people, client_for, size, accepted):
    candidate = session.candidates.get(name="张小三")
    response = post_photo(client_for(people.agency_nanning), session, candidate, png(size))
    candidate.refresh_from_db()
    assert bool(candidate.photo) is accepted
    assert response.status_code == (302 if accepted else 400)
    if not accepted:
        assert "照片不能超过 2 MB" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 a scan, not a photo", "photo.pdf", "不是完整的 PDF 文档"),
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "“photo.jpg”"),  # uploads.py's message
        # A PNG signature with no image behind it (portal.lib.uploads parses what it accepts).
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "photo.png", "不是完整的图片"),
    ],
)
def test_anything_but_a_readable_jpeg_or_png_is_refused_beside_the_field(
    session, people, client_for, data, name, message
):
    candidate = session.candidates.get(name="张小三")
    response = post_photo(client_for(people.agency_nanning), session, candidate, data, name)
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert not candidate.photo
    page = response.content.decode()
    field = page.split('name="photo"')[1].split("</form>")[0]  # the message sits beside the field
    assert message in field


def test_another_agency_cannot_give_a_photo(session, people, client_for):
    candidate = session.candidates.get(name="张小三")
    response = post_photo(client_for(people.agency_liuzhou), session, candidate, png())
    assert response.status_code == 404
    candidate.refresh_from_db()
    assert not candidate.photo


def test_the_agency_sees_the_photo_it_gave(session, people, client_for):
    candidate = session.candidates.get(name="张小三")
    client = client_for(people.agency_nanning)
    post_photo(client, session, candidate, png())
    response = client.get(reverse("certificates:candidate_photo", args=[session.pk, candidate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()


def _images(pdf: bytes, tmp_path) -> int:
    if not shutil.which("pdfimages"):
        pytest.skip("pdfimages (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return len(listing.strip().splitlines()) - 2  # two header lines


def test_the_certificate_prints_the_photo_and_keeps_its_layout_without_one(session, people, client_for, tmp_path):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    certificates_issue(session=session, by=people.agency_nanning)
    post_photo(client_for(people.agency_nanning), session, session.candidates.get(name="张小三"), png())
    with_photo = Certificate.objects.get(holder_name="张小三")
    without = Certificate.objects.get(holder_name="李丽")
    assert _images(certificate_pdf(with_photo), tmp_path) == 2  # the QR code and the photo
    assert _images(certificate_pdf(without), tmp_path) == 1  # the QR code only


def test_a_photo_given_after_issue_renders_the_certificate_again(session, people, client_for):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.APPROVED)
    session.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificates_issue(session=session, by=people.agency_nanning)
    certificate = Certificate.objects.get(holder_name="张小三")
    before = certificate.pdf.name
    assert before
    post_photo(client_for(people.agency_nanning), session, Candidate.objects.get(name="张小三"), png())
    certificate.refresh_from_db()
    assert certificate.pdf.name and certificate.pdf.name != before
