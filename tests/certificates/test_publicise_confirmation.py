"""Publishing the results notice (a first-day tester's findings): while the latest upload is refused, the page
offers no publish button but says why, and a POST is refused, the session left unpublished; otherwise the first
POST answers a confirmation saying what is published (candidates, passed, period) and publishes nothing; only its
button (``confirmed=yes``) publishes."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from certificates.models import ImportAttempt, Session
from publicity.models import Notice
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, row, session_of, workbook

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
BUTTON = "发布成绩公示"


@pytest.fixture
def session(people):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    candidates(session, [("王五", ID_C)], passed=False)
    return session


@pytest.fixture
def agency(people, client_for):
    return client_for(people.agency_nanning)


def _page(agency, session) -> str:
    return agency.get(reverse("certificates:session_detail", args=[session.pk]), **ZH).content.decode()


def _upload(agency, session, data: bytes):
    token = re.search(r'name="token" value="([0-9a-f]{32})"', _page(agency, session)).group(1)
    fields = {"token": token, "workbook": SimpleUploadedFile("G_scores.xlsx", data)}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return agency.post(reverse("certificates:session_import", args=[session.pk]), fields, **ZH)


def _refused_upload(agency, session):
    _upload(agency, session, workbook(session, [row(name="王五", id_number=ID_C, gender="", theory_score=120)]))
    assert session.imports.first().status == ImportAttempt.Status.REFUSED


def _publicise(agency, session, **extra):
    url = reverse("certificates:session_publicise", args=[session.pk])
    return agency.post(url, {"window_days": "5", **extra}, **ZH)


def _unpublished(session) -> bool:
    session.refresh_from_db()
    return session.status == Session.Status.RESULTS and session.notice_id is None and not Notice.objects.exists()


def test_after_a_refused_upload_the_page_offers_no_publish_button_but_says_why(session, agency):
    assert BUTTON in _page(agency, session)  # above: the button is offered while nothing was refused
    _refused_upload(agency, session)
    page = _page(agency, session)
    assert BUTTON not in page
    assert "最近一次上传的“G_scores.xlsx”未通过校验，暂不能发布公示" in page
    assert "此前导入的 3 条结果仍然保留" in page


@pytest.mark.parametrize("confirmed", ["", "yes"])
def test_after_a_refused_upload_a_publish_post_is_refused(session, agency, confirmed):
    _refused_upload(agency, session)
    response = _publicise(agency, session, confirmed=confirmed)
    assert response.status_code == 302
    assert _unpublished(session)
    page = agency.get(response.url, **ZH).content.decode()
    assert "未通过校验：错误未改正前不能发布公示" in page


def test_a_good_upload_after_the_refused_one_may_be_published_again(session, agency):
    _refused_upload(agency, session)
    _upload(agency, session, workbook(session, [row(name="王五", id_number=ID_C, gender="")]))
    assert BUTTON in _page(agency, session)
    _publicise(agency, session, confirmed="yes")
    session.refresh_from_db()
    assert session.status == Session.Status.PUBLICITY and session.notice_id is not None


def test_while_the_upload_is_checked_a_publish_post_is_refused(session, agency, people):
    ImportAttempt.objects.create(
        session=session, uploaded_by=people.agency_nanning, filename="x.xlsx", status=ImportAttempt.Status.PENDING
    )
    _publicise(agency, session, confirmed="yes")
    assert _unpublished(session)


def test_the_first_post_asks_with_what_is_published_and_publishes_nothing(session, agency):
    response = _publicise(agency, session)
    body = response.content.decode()
    assert response.status_code == 200
    assert "确认发布" in body and "的成绩公示？" in body
    assert re.search(r"参加认定人数</dt>\s*<dd[^>]*>3</dd>", body), body
    assert re.search(r"公示拟认定合格人数</dt>\s*<dd[^>]*>2</dd>", body)
    assert "不合格人员不予公示" in body
    assert "公示一经发布，不能撤回。" in body
    assert 'name="confirmed" value="yes"' in body
    assert _unpublished(session)


def test_confirmed_it_is_published(session, agency):
    response = _publicise(agency, session, confirmed="yes")
    assert response.status_code == 302
    session.refresh_from_db()
    # The two who passed, not the one who failed (拟认定合格人员名单).
    assert session.status == Session.Status.PUBLICITY and session.notice.items.count() == 2


@pytest.mark.parametrize("days", ["4", ""])
def test_a_short_period_is_refused_at_once_without_a_confirmation(session, agency, days):
    response = _publicise(agency, session, window_days=days)
    assert response.status_code == 400
    assert "确认发布" not in response.content.decode()
    assert _unpublished(session)
