"""Verification of filing receipts as JSON: a django-ninja router, mounted under /api/v1/receipts/ by ``portal.api``.

Anyone may check a receipt, by the token of its QR code or by its number with the agency's full name; only exact
matches of an issued receipt are found (``filings.selectors.receipt_verify``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from agencies.api import Approval, Error, ScopeValue, StatusValue, occupations
from filings import models
from filings.selectors import receipt_verify
from portal.lib.apijson import json_answer, schema_json
from portal.lib.publiccache import cached_data, counts_public_lookup

router = Router(tags=["receipts"])


class Receipt(Schema):
    """What the receipt itself states (no contact data), and the agency's current directory status beside it: an
    authentic receipt of a suspended or removed agency files nothing today."""

    number: str
    agency_name: str
    uscc: str
    institution_code: str | None
    scope: ScopeValue
    occupations: list[Approval]
    issued_on: dt.date
    directory_id: int | None = Field(description="The agency's directory entry (/api/v1/directory/{id}/).")
    directory_status: StatusValue | None = Field(
        description="The agency's current directory status, not the receipt's: active, suspended or removed."
    )
    status_since: dt.date | None = Field(description="When the current directory status began (removal date).")
    suspended_until: dt.date | None = Field(description="The last day of a suspension in force.")


class ReceiptQuery(Schema):
    token: str = Field("", description="The token printed in the receipt's QR code.")
    number: str = Field("", description="The receipt number (with agency).")
    agency: str = Field("", description="The agency's full name, exactly as on the receipt (with number).")


def receipt_data(receipt: models.Receipt) -> dict:
    """What the receipt itself states, and the agency's current directory status (no contact data)."""
    application = receipt.application
    entry = application.directory_entry
    code = getattr(application, "institution_code", None)
    return {
        "number": receipt.number,
        "agency_name": application.organisation.name,
        "uscc": application.organisation.uscc,
        "institution_code": entry.institution_code if entry else (code.code if code else None),
        "scope": entry.scope if entry else application.scope,
        "occupations": occupations(entry) if entry else [],
        "issued_on": timezone.localdate(receipt.created),
        "directory_id": entry.pk if entry else None,
        "directory_status": entry.status if entry else None,
        "status_since": entry.status_changed_on if entry else None,
        "suspended_until": entry.suspended_until if entry and entry.status == entry.Status.SUSPENDED else None,
    }


@router.get(
    "/verify/",
    response={200: Receipt, 400: Error, 404: Error},
    url_name="api_receipt_verify",
    operation_id="receiptVerify",
    summary="Verify a filing receipt",
    description="By the token of the receipt's QR code, or by its number with the agency's full name. "
    "Only exact matches of an issued receipt are found; 400 when neither a token nor both number and agency "
    "are given, 404 when no issued receipt matches.",
)
@counts_public_lookup
def receipt_verify_view(request, given: Query[ReceiptQuery]):
    token, number, agency = given.token.strip(), given.number.strip(), given.agency.strip()
    if not token and not (number and agency):
        raise HttpError(400, _("Give the token, or both the number and the agency's full name."))

    def answer() -> bytes | None:
        receipt = receipt_verify(token=token or None, number=number or None, agency_name=agency or None)
        return schema_json(Receipt, receipt_data(receipt)) if receipt else None

    # Cached as the encoded answer (portal.lib.apijson): served as bytes, not validated again on every request.
    body = cached_data(("directory", "receipts"), f"api-json:{get_language()}:{token}|{number}|{agency}", answer)
    if body is None:
        raise HttpError(404, _("No issued receipt matches."))
    return json_answer(body)
