"""Public verification, shared by the page and the API: the per-address limit, the log of every look-up, and
what a found certificate shows (the holder's name and ID number masked)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from certificates.idnumbers import mask_name
from certificates.models import Certificate, Verification
from portal.lib.http import client_ip
from portal.lib.ratelimit import Limit, exceeded, hit

SCOPE = "certificate-verify"


def verify_limit() -> Limit:
    return Limit(settings.CERTIFICATE_VERIFY_LIMIT, settings.CERTIFICATE_VERIFY_WINDOW_SECONDS)


def limit_reached(request: HttpRequest) -> Limit | None:
    """The limit this address has reached, or None after counting this look-up against it."""
    limits = [verify_limit()]
    client = client_ip(request)
    reached = exceeded(SCOPE, client, limits)
    if reached is None:
        hit(SCOPE, client, limits)
    return reached


def log_verification(
    request: HttpRequest,
    *,
    channel: str,
    number: str = "",
    by_id_number: bool = False,
    certificate: Certificate | None = None,
    limited: bool = False,
) -> None:
    Verification.objects.create(
        ip=client_ip(request),
        channel=channel,
        number=number.strip()[:40],
        by_id_number=by_id_number,
        found=certificate is not None,
        certificate=certificate,
        limited=limited,
    )


def certificate_data(certificate: Certificate) -> dict:
    """What a verification shows: never the holder's name or ID number in full."""
    return {
        "number": certificate.number,
        "holder_name": mask_name(certificate.holder_name),
        "id_number": certificate.id_masked,
        "occupation": certificate.occupation.name,
        "occupation_code": certificate.occupation.code,
        "work_type": certificate.work_type,
        "level": certificate.level,
        "level_label": certificate.level_label,
        "agency": certificate.entry.organisation.name,
        "issued_on": certificate.issued_on,
        "status": certificate.status,
        "status_label": str(certificate.get_status_display()),
        "revoked_on": certificate.revoked_at.date() if certificate.revoked_at else None,
    }
