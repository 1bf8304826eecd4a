"""A refused results upload's errors are in the language of the page that sent it: an agency on the English
interface read them in Chinese, the check being made in the portal's language whoever sent the workbook (first-day
tester, item 5). The marked workbook's comments follow."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import ImportAttempt
from tests.certificates.factories import ID_B, filed_entry, row, session_of, workbook


@pytest.fixture
def session(people):
    return session_of(filed_entry(people.org_nanning), people.agency_nanning)


def _upload(client, session, language: str) -> ImportAttempt:
    client.cookies["django_language"] = language
    page = client.get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    bad = workbook(session, [row(), row(name="李四", id_number=ID_B, gender="女", skill_score=155)])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("certificates:session_import", args=[session.pk]),
            {"token": token, "workbook": SimpleUploadedFile("成绩.xlsx", bad)},
        )
    attempt = ImportAttempt.objects.get(session=session, token=token)
    assert attempt.status == ImportAttempt.Status.REFUSED
    return attempt


@pytest.mark.parametrize(
    ("language", "message", "column"),
    [("en", "Enter a score from 0 to 100.", "Skill"), ("zh-hans", "请填写0至100的成绩。", "操作技能")],
)
def test_the_errors_are_in_the_language_of_the_page_that_sent_the_workbook(
    session, people, client_for, language, message, column
):
    client = client_for(people.agency_nanning)
    attempt = _upload(client, session, language)
    assert attempt.errors == [{"row": 3, "column": column, "message": message}]
    page = client.get(reverse("certificates:session_detail", args=[session.pk])).content.decode()
    assert message in page
    marked = load_workbook(BytesIO(bytes(attempt.marked))).worksheets[0]
    assert marked["L3"].comment.text == message
