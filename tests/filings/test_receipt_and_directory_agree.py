"""The public receipt check and the public directory say the same true thing about an agency's institution code
and its scope (first-day finding qa8b item 2): the receipt said "临时" while the directory showed the same code as
final, and "全区" beside "全省（区）". Guangxi is an autonomous region (全区), Shaanxi a province (全省)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import DirectoryEntry, Occupation
from agencies.services import directory_enter
from filings.models import Receipt
from filings.services.filing import provisional_code_next
from tests.agencies.factories import OrganisationFactory
from tests.filings.test_receipts import _eager_tasks_and_private_media, filed  # noqa: F401
from tests.portal.factories import region

pytestmark = pytest.mark.django_db

PROVISIONAL = "临时编码"
REPLACED = "待人力资源社会保障部统一赋码后更换"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _pages(client, application) -> tuple[str, str]:
    receipt = Receipt.objects.get(application=application)
    verify = client.get(reverse("public:receipt_verify", args=[receipt.token])).content.decode()
    entry = DirectoryEntry.objects.get(organisation=application.organisation)
    directory = client.get(reverse("directory:entry", args=[entry.pk])).content.decode()
    return _text(verify), _text(directory)


def test_a_provisional_code_is_called_provisional_on_the_receipt_and_in_the_directory(people, client):
    application = filed(people)
    code = application.institution_code.code
    assert application.institution_code.provisional
    verify, directory = _pages(client, application)
    for page in (verify, directory):
        assert f"{code} {PROVISIONAL}" in page
        assert REPLACED in page
    listing = _text(client.get(reverse("directory:search")).content.decode())
    assert f"{code} {PROVISIONAL}" in listing


def test_a_ministry_code_is_called_provisional_nowhere(people, client):
    application = filed(people, code="GX-0451")
    verify, directory = _pages(client, application)
    for page in (verify, directory):
        assert "GX-0451" in page
        assert PROVISIONAL not in page and REPLACED not in page


def test_guangxi_scope_is_the_whole_region_on_both_pages(people, client):
    application = filed(people)
    assert application.scope == "region"
    verify, directory = _pages(client, application)
    for page in (verify, directory):
        assert "评价范围 全区" in page
        assert "全省" not in page


def test_a_shaanxi_agency_filed_province_wide_is_listed_as_whole_province(people, client):
    organisation = OrganisationFactory(region=region("610100"), name="西安市某职业技能培训学校")
    entry = directory_enter(
        organisation=organisation,
        region=region("610100"),
        scope="region",
        institution_code="S61202600001",
        approvals=[(Occupation.objects.get(code="3-02-02-00").pk, 3)],
        by=people.centre,
    )
    page = _text(client.get(reverse("directory:entry", args=[entry.pk])).content.decode())
    assert "评价范围 全省" in page
    assert "全省（区）" not in page and "全区" not in page


def test_a_code_entered_outside_a_filing_takes_the_next_number_and_a_filing_skips_it(people):
    year = f"{timezone.localdate().year % 100:02d}"
    guangxi = region("450000")
    assert provisional_code_next(guangxi) == f"S000045{year}0001"
    organisation = OrganisationFactory(region=region("450100"))
    directory_enter(
        organisation=organisation,
        region=region("450100"),
        scope="city",
        institution_code=provisional_code_next(guangxi),
        code_provisional=True,
        approvals=[],
        by=people.centre,
    )
    application = filed(people)
    assert application.institution_code.code == f"S000045{year}0002"
    assert provisional_code_next(guangxi) == f"S000045{year}0003"
