"""A filed agency's home says where it stands in the directory (first-day tester: a suspended agency filed before
the portal, with no application, was invited to apply as if new, its suspension shown only in a chart)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.filings.factories import directory_entry

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _home(client_for, user) -> str:
    response = client_for(user).get(reverse("home"), **ZH)
    assert response.status_code == 200
    return response.content.decode()


def _status(page: str) -> str | None:
    found = re.search(r"<div class=\"alert ([^\"]+)\"[^>]*data-directory-status>(.*?)</div>", page, re.S)
    return (found.group(1).split()[0], re.sub(r"<[^>]+>|\s+", "", found.group(2))) if found else None


def test_an_active_agency_reads_its_code_and_is_not_invited_to_apply(people, client_for):
    entry = directory_entry(people.org_nanning, institution_code="S000045260009", status_changed_on=dt.date(2026, 3, 2))
    page = _home(client_for, people.agency_nanning)
    kind, text = _status(page)
    assert kind == "alert-success"
    assert text.startswith("本机构已备案并列入目录：机构编码S000045260009，自2026-03-02起。")
    assert reverse("directory:entry", args=[entry.pk]) in page
    assert "查看征集并申请" not in page


def test_a_suspended_agency_reads_its_suspension_and_its_end_first(people, client_for):
    entry = directory_entry(people.org_nanning, status="suspended", status_changed_on=dt.date(2026, 11, 1))
    entry.suspended_until = dt.date(2027, 1, 31)
    entry.save(update_fields=["suspended_until"])
    kind, text = _status(_home(client_for, people.agency_nanning))
    assert kind == "alert-warning"
    assert f"本机构（机构编码{entry.institution_code}）自2026-11-01起在目录中暂停" in text
    assert "暂停至2027-01-31。" in text


def test_a_removed_agency_reads_its_removal(people, client_for):
    entry = directory_entry(people.org_nanning, status="removed", status_changed_on=dt.date(2026, 10, 8))
    kind, text = _status(_home(client_for, people.agency_nanning))
    removed = f"本机构（机构编码{entry.institution_code}）已于2026-10-08移出目录。"
    assert (kind, text) == ("alert-danger", removed + "查看本机构目录信息")


def test_an_agency_not_filed_has_no_directory_line_and_another_agencys_entry_is_not_its_own(people, client_for):
    directory_entry(people.org_liuzhou, institution_code="S000045260010")
    page = _home(client_for, people.agency_nanning)
    assert _status(page) is None and "S000045260010" not in page
