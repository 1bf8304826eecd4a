"""Importing results again replaces the ones imported before: the page says so next to the upload, says after
the import how many it replaced, and a new upload's error is not shown under the earlier import's success
(a first-day tester's findings). The correction upload's button says that it applies the correction."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from certificates.models import Candidate
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, row, session_of, workbook

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def session(people):
    return session_of(filed_entry(people.org_nanning), people.agency_nanning)


@pytest.fixture
def agency(people, client_for):
    return client_for(people.agency_nanning)


def _page(agency, session) -> str:
    return agency.get(reverse("certificates:session_detail", args=[session.pk]), **ZH).content.decode()


def _post(agency, session, data: bytes | None):
    page = _page(agency, session)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    fields = {"token": token}
    if data is not None:
        fields["workbook"] = SimpleUploadedFile("成绩.xlsx", data, content_type="application/octet-stream")
    with TestCase.captureOnCommitCallbacks(execute=True):
        return agency.post(reverse("certificates:session_import", args=[session.pk]), fields, **ZH)


def test_a_first_import_warns_of_nothing(session, agency):
    assert "将替换已导入的" not in _page(agency, session)


@pytest.mark.parametrize("count", [1, 2])
def test_the_upload_warns_of_the_results_it_replaces(session, agency, count):
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)][:count])
    assert f"将替换已导入的 {count} 条结果" in _page(agency, session)


def test_a_reimport_says_how_many_results_it_replaced(session, agency):
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    response = _post(agency, session, workbook(session, [row(name="王五", id_number=ID_C, gender="")]))
    assert response.status_code == 302
    page = _page(agency, session)
    assert "“成绩.xlsx”已导入：1 名考生。" in page
    assert "已替换此前导入的 2 条结果。" in page
    assert list(Candidate.objects.filter(session=session).values_list("name", flat=True)) == ["王五"]


def test_a_new_upload_refused_at_the_form_shows_no_earlier_success(session, agency):
    assert _post(agency, session, workbook(session, [row()])).status_code == 302
    assert "“成绩.xlsx”已导入" in _page(agency, session)
    response = _post(agency, session, None)  # no file chosen
    page = response.content.decode()
    assert response.status_code == 400
    assert "“成绩.xlsx”已导入" not in page and "已导入：" not in page
    assert "请选择成绩表。" in page and "这个字段是必须的" not in page  # the error beside the field
    assert list(Candidate.objects.filter(session=session).values_list("name", flat=True)) == ["张小三"]


def test_the_correction_button_says_it_applies_the_correction(session, agency):
    session.status = "returned"
    session.save(update_fields=["status"])
    page = _page(agency, session)
    assert "校验并更正" in page and "校验更正" not in page


def test_the_audit_log_of_a_reimport_counts_the_results_replaced_not_the_rows_imported(session, agency):
    from portal.models import AuditEvent

    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    response = _post(agency, session, workbook(session, [row(name="王五", id_number=ID_C, gender="")]))
    assert response.status_code == 302
    details = list(AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_IMPORT).values_list("detail", flat=True))
    assert details == ["1 名考生，替换此前的 2 条结果"]
