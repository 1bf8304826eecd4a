"""校验并导入 sent twice (a double click, a reload that posts again): the second submission of the same form is
recognised by its one-time token and answered with the first one's result, never an error page nor a second
import; a new form is a new upload. The button is disabled on submit by static/js/submit-once.js."""

from __future__ import annotations

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from certificates.models import Candidate, ImportAttempt
from portal.models import AuditEvent
from tests.certificates.factories import ID_B, filed_entry, row, session_of, workbook

pytestmark = pytest.mark.django_db
ALREADY = "该成绩表已收到（表单被提交了两次），结果见下方。"


@pytest.fixture
def session(people):
    return session_of(filed_entry(people.org_nanning), people.agency_nanning)


@pytest.fixture
def agency(people, client_for):
    return client_for(people.agency_nanning)


def _token(agency, session) -> str:
    page = agency.get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    form = re.search(r"<form[^>]*/import/\"[^>]*>(.*?)</form>", page, re.S)
    assert "data-submit-once" in form.group(0)
    return re.search(r'name="token" value="([0-9a-f]{32})"', form.group(1)).group(1)


def _post(agency, session, token: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("成绩.xlsx", data, content_type="application/octet-stream")
    return agency.post(reverse("certificates:session_import", args=[session.pk]), {"token": token, "workbook": upload})


def _imports() -> int:
    return AuditEvent.objects.filter(action="results_import").count()


def test_the_same_form_sent_again_after_the_import_answers_with_the_first_result(session, agency):
    data = workbook(session, [row(), row(name="李四", id_number=ID_B, gender="女")])
    token = _token(agency, session)
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = _post(agency, session, token, data)
    assert first.status_code == 302
    rows_after_first = list(Candidate.objects.filter(session=session).values_list("pk", flat=True))
    assert len(rows_after_first) == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = _post(agency, session, token, data)
    assert second.status_code == 302
    assert second["Location"] == reverse("certificates:session_detail", args=[session.pk])
    page = agency.get(second["Location"]).content.decode()
    assert ALREADY in page and "已导入：2 名考生" in page
    assert ImportAttempt.objects.filter(session=session).count() == 1
    assert _imports() == 1
    assert list(Candidate.objects.filter(session=session).values_list("pk", flat=True)) == rows_after_first


def test_the_same_form_sent_while_the_first_is_being_checked_is_no_error(session, agency):
    data = workbook(session, [row()])
    token = _token(agency, session)
    with TestCase.captureOnCommitCallbacks(execute=False):  # the worker has not checked it yet
        assert _post(agency, session, token, data).status_code == 302
        second = _post(agency, session, token, data)
    assert second.status_code == 302
    page = agency.get(second["Location"]).content.decode()
    assert ALREADY in page
    assert ImportAttempt.objects.filter(session=session).get().status == ImportAttempt.Status.PENDING


def test_each_page_gives_its_form_a_new_token(session, agency):
    assert _token(agency, session) != _token(agency, session)


def test_a_new_form_after_the_import_is_a_new_upload(session, agency):
    with TestCase.captureOnCommitCallbacks(execute=True):
        _post(agency, session, _token(agency, session), workbook(session, [row()]))
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = _post(
            agency, session, _token(agency, session), workbook(session, [row(name="李四", id_number=ID_B, gender="女")])
        )
    assert again.status_code == 302
    assert ImportAttempt.objects.filter(session=session).count() == 2
    assert _imports() == 2
    assert list(Candidate.objects.filter(session=session).values_list("name", flat=True)) == ["李四"]


def test_another_agency_cannot_reuse_a_token_to_read_the_result(session, people, client_for, agency):
    token = _token(agency, session)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _post(agency, session, token, workbook(session, [row()]))
    other = client_for(people.agency_liuzhou)
    assert _post(other, session, token, workbook(session, [row()])).status_code == 404
    assert ImportAttempt.objects.count() == 1
