"""Certificate verification as JSON: a django-ninja router, mounted under /api/v1/certificates/ by ``portal.api``.

Contract (issue 12): ``POST /api/v1/certificates/verify/`` with form or JSON fields ``number`` and ``name`` (or
``id_number`` and ``name``) answers 200 ``{"found": true, "certificate": {...}}`` with the holder's name and ID
number masked, or exactly ``{"found": false}`` — the same whether the number is unknown or the name does not
match. Past ``CERTIFICATE_VERIFY_LIMIT`` look-ups per address in ``CERTIFICATE_VERIFY_WINDOW_SECONDS``, 429.
Every look-up is logged (``certificates.Verification``). POST, so that an ID number never sits in a URL, a
browser history or an access log.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import NinjaJSONEncoder, Status

from agencies.api import Error
from certificates.forms import VerifyForm, verify_given_plainly
from certificates.models import Certificate as CertificateModel
from certificates.models import Verification
from certificates.selectors import holder_certificates
from certificates.verification import certificate_data, limit_reached, log_verification, verify_counted
from portal.api import error_detail, request_data
from portal.lib.apijson import json_answer

router = Router(tags=["certificates"])


class Certificate(Schema):
    number: str = Field(examples=["S000045000001265000001"])
    holder_name: str = Field(description="The holder's name, masked.", examples=["张*三"])
    id_number: str = Field(description="The holder's ID number, masked.", examples=["4501**********1238"])
    occupation: str = Field(examples=["保安员"])
    occupation_code: str = Field(examples=["4-07-05-01"])
    work_type: str
    level: int = Field(ge=1, le=5, description="Skill level, 1 (highest) to 5.")
    level_label: str
    agency: str = Field(description="The evaluation agency that issued it.")
    issued_on: dt.date
    status: Literal[tuple(CertificateModel.Status.values)]  # type: ignore[valid-type]
    status_label: str
    revoked_on: dt.date | None = None


class Found(Schema):
    found: Literal[True]
    certificate: Certificate
    certificates: list[Certificate] = Field(
        description="Every certificate of the holder, newest first (by ID number); by number, the one found."
    )


class NotFound(Schema):
    found: Literal[False]


FIELDS = {
    "number": {"type": "string", "maxLength": 40, "description": "The certificate number (with name)."},
    "id_number": {"type": "string", "maxLength": 20, "description": "The holder's ID number (with name)."},
    "name": {"type": "string", "maxLength": 50, "description": "The holder's full name, exactly."},
}
BODY = {"type": "object", "properties": FIELDS, "required": ["name"]}


def _given(request: HttpRequest) -> dict:
    return request_data(request, FIELDS)


@router.post(
    "/verify/",
    response={200: Found | NotFound, 400: Error, 415: Error, 429: Error},
    url_name="api_certificate_verify",
    operation_id="certificateVerify",
    summary="Verify a skill-level certificate",
    description=(
        "By certificate number and the holder's name, or by ID number and name (form or JSON body); given both "
        "the number and the ID number, both must match. A match "
        "answers the certificate with the holder's name and ID number masked, and its status (valid or revoked); "
        'anything else answers exactly {"found": false}, whichever field did not match. 400 when the name, or '
        "both the number and the ID number, are missing, or the body is not a JSON object; 415 for a body "
        "neither JSON nor a form; 429 past the per-address limit (Retry-After says when to try again)."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": BODY},
                "application/x-www-form-urlencoded": {"schema": BODY},
            },
        }
    },
)
def certificate_verify_view(request: HttpRequest):
    given = _given(request)
    data = verify_given_plainly(given)
    form = VerifyForm(given) if data is None else None
    if form is not None and not form.is_valid():
        limit = limit_reached(request)  # counted all the same
        if limit is not None:
            log_verification(request, channel=Verification.Channel.API, limited=True)
            return _too_many(limit)
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        labels = {name: str(field.label) for name, field in form.fields.items()}
        return Status(400, {"detail": error_detail(errors, labels), "errors": errors})
    data = form.cleaned_data if form is not None else data
    limit, found = verify_counted(
        request,
        channel=Verification.Channel.API,
        name=data["name"],
        number=data["number"],
        id_number=data["id_number"],
        as_json=True,
    )
    if limit is not None:
        return _too_many(limit)
    if found is None:
        return json_answer(NOT_FOUND)
    encoded = getattr(found, "encoded", b"")
    if data["number"] and encoded:  # by number: the card's bytes as they are (the same as encoded below)
        return json_answer(b'{"found": true, "certificate": %s, "certificates": [%s]}' % (encoded, encoded))
    every = (
        [found]
        if data["number"]
        else [certificate_data(c) for c in holder_certificates(name=data["name"], id_number=data["id_number"])]
    )
    # Encoded as the schema says (tests/certificates check the answer against ``Found``), without ninja's
    # validation of every answer: the fields come from ``certificate_data`` / the verification's one SELECT.
    document = {"found": True, "certificate": found, "certificates": every}
    return json_answer(json.dumps(document, cls=NinjaJSONEncoder, ensure_ascii=False).encode())


NOT_FOUND = b'{"found": false}'


def _too_many(limit) -> JsonResponse:
    message = _("Too many look-ups from your address. Please wait a minute and try again.")
    response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(limit.seconds)
    return response
