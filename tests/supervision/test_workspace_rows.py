"""What the police and the city see on the workspace's agencies tab, row by row: the agency linked to its
supervision file with its institution code, its city, its scope, its directory status (and since when), its
police registration here and its upcoming evaluations (issue 16 item 4 rebuilt how the rows are drawn, not what
they show). Labels typed from the zh-hans catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from supervision.models import PoliceRegistration
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import directory_entry
from tests.html_tables import body_rows
from tests.portal.factories import region
from tests.supervision.factories import NANNING

pytestmark = pytest.mark.django_db


def test_the_agencies_tab_rows_show_file_link_code_city_scope_status_and_registration(people, client_for):
    nanning = region(NANNING)
    confirmed = directory_entry(
        OrganisationFactory(name="甲培训学校", region=nanning), scope="city", institution_code="Y45010000001"
    )
    awaiting = directory_entry(
        OrganisationFactory(name="乙培训学校", region=nanning),
        status="suspended",
        status_changed_on=dt.date(2026, 10, 9),
        institution_code="Y45010000002",
    )
    unregistered = directory_entry(
        OrganisationFactory(name="丙培训学校", region=nanning), scope="national", institution_code="Y45010000003"
    )
    for entry, status in ((confirmed, "confirmed"), (awaiting, "submitted")):
        PoliceRegistration.objects.create(
            entry=entry, city=nanning, responsible="王五", phone="0771-5550000", sites="某某路1号", status=status
        )
    page = client_for(people.police_nanning).get(reverse("supervision:workspace")).content.decode()
    rows = {row[0].links[0]: [cell.text for cell in row] for row in body_rows(page)}
    file = lambda entry: reverse("supervision:agency_file", args=[entry.pk])  # noqa: E731
    assert rows == {
        file(confirmed): ["甲培训学校 Y45010000001", "南宁市", "全市", "正常", "已确认", "0"],
        file(awaiting): [
            "乙培训学校 Y45010000002",
            "南宁市",
            "全区",
            "已暂停 自 2026-10-09 起",
            "待公安机关确认",
            "0",
        ],
        file(unregistered): ["丙培训学校 Y45010000003", "南宁市", "全国", "正常", "未报备", "0"],
    }
    assert 'text-bg-warning">已暂停</span>' in page and 'text-bg-danger">未报备</span>' in page
