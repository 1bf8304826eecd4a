"""A certificate's number begins with its agency's institution code as the filing receipt shows it (the national
22-character rule: S/Y + 4-digit agency code + 2-digit province + 6-digit sequence — the ministry's 13-character
institution code, 统一赋机构编码 — + 2-digit year + level + 6-digit serial). The first-day tester found the demo
certificates' agency segment unlike the receipt's code: a provisional code (S45202600001) was not in the ministry's
layout, so the number fell back to the directory id. Provisional codes now take that layout."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.urls import reverse

from agencies.models import DirectoryEntry
from certificates.models import Session
from certificates.services import certificates_issue
from filings.models import Receipt
from tests.certificates.factories import ID_A, ID_B, announced_plan, candidates
from tests.filings.test_receipts import _eager_tasks_and_private_media, filed  # noqa: F401

pytestmark = pytest.mark.django_db


def _receipt_code(client, application) -> str:
    """The institution code as the public check of the filing receipt shows it."""
    receipt = Receipt.objects.get(application=application)
    page = client.get(reverse("public:receipt_verify", args=[receipt.token])).content.decode()
    codes = set(re.findall(r"\b[SY]\d{12}\b", re.sub(r"<[^>]+>", " ", page)))
    assert len(codes) == 1, codes
    return codes.pop()


@pytest.mark.parametrize("ministry_code", ["", "S000045000123"])
def test_the_certificate_number_is_the_receipt_code_then_year_level_and_serial(people, client, ministry_code):
    application = filed(people, code=ministry_code)
    code = _receipt_code(client, application)
    assert code == (ministry_code or application.institution_code.code)
    entry = DirectoryEntry.objects.get(organisation=application.organisation)
    plan = announced_plan(entry, people.agency_nanning, code="3-02-02-00", level=3)
    session = Session.objects.create(plan=plan, created_by=people.agency_nanning, status=Session.Status.APPROVED)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2027, 3, 1)):
        issued = certificates_issue(session=session, by=people.agency_nanning)
    assert sorted(c.number for c in issued) == [f"{code}273000001", f"{code}273000002"]
    assert all(len(c.number) == 22 for c in issued)
