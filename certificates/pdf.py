"""The electronic certificate (电子证书): one A4 page per certificate, CJK fonts, a QR code to the public
verification page with the number filled in (the holder's name is asked there, never carried in the code)."""

from __future__ import annotations

import base64
import tempfile
import zipfile
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from certificates.models import Certificate
from filings.services.filing import qr_data_uri
from portal.lib.pdf import chinese_date, render_pdf


def verify_url(certificate: Certificate) -> str:
    query = urlencode({"number": certificate.number})
    return f"{settings.PORTAL_BASE_URL}{reverse('certificate_check:verify')}?{query}"


PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def photo_data_uri(certificate: Certificate) -> str:
    """The holder's photo (optional, ``Candidate.photo``) as a data: URI, or "" for the layout without it."""
    photo = certificate.candidate.photo
    if not photo:
        return ""
    content_type = PHOTO_TYPES.get(photo.name.rsplit(".", 1)[-1].lower())
    if content_type is None:
        return ""
    with photo.open("rb") as handle:
        return f"data:{content_type};base64," + base64.b64encode(handle.read()).decode("ascii")


def certificate_pdf(certificate: Certificate) -> bytes:
    url = verify_url(certificate)
    context = {
        "photo": photo_data_uri(certificate),
        "certificate": certificate,
        "agency": certificate.entry.organisation.name,
        "issued_on": chinese_date(certificate.issued_on),
        "qr": qr_data_uri(url),
        "verify_url": url,
    }
    return render_pdf("certificates/pdf/certificate.html", context)


def session_zip(certificates) -> tempfile.SpooledTemporaryFile:
    """The rendered PDFs of ``certificates`` in one zip (spooled to disk past 20 MB), positioned at its start."""
    # Returned open: the response streams it and closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            if not certificate.pdf:
                continue
            with certificate.pdf.open("rb") as handle:
                archive.writestr(f"{certificate.number}.pdf", handle.read())
    spool.seek(0)
    return spool
