"""Results publicity (≥ 5 working days, masked), the report within 10 working days after it (overdue flagged),
the HR bureau's approval or return, and an upheld objection withholding a certificate.
桂人社函〔2020〕203号 三（五）: 认定结果进行不少于5个工作日公示，经公示无异议的，10个工作日内 … 上报 … 审核."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from certificates.models import Certificate, Session
from certificates.services import (
    certificates_issue,
    results_decide,
    results_publicise,
    results_report,
)
from portal.lib.errors import WorkflowError
from portal.models import Notification
from publicity.models import Notice
from publicity.services import notice_close, objection_handle, objection_raise
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of
from tests.supervision.factories import today_is

MONDAY = dt.date(2026, 11, 2)  # an ordinary fortnight: no holiday until December
FRIDAY = dt.date(2026, 11, 6)  # the fifth working day from Monday
REPORT_DUE = dt.date(2026, 11, 20)  # ten working days after that Friday


@pytest.fixture
def session(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    return session


@pytest.fixture
def publicised(session, people):
    with today_is(MONDAY):
        return results_publicise(session=session, by=people.agency_nanning, window_days=5)


def closed(session, people, *, on=dt.date(2026, 11, 9)) -> Session:
    notice = Notice.objects.get(pk=session.notice_id)
    notice_close(notice=notice, by=people.agency_nanning, today=on)
    session.refresh_from_db()
    return session


@pytest.mark.parametrize(("days", "accepted"), [(4, False), (5, True), (6, True)])
def test_results_are_publicised_at_least_five_working_days(session, people, days, accepted):
    with today_is(MONDAY):
        if accepted:
            results_publicise(session=session, by=people.agency_nanning, window_days=days)
        else:
            with pytest.raises(ValidationError) as excinfo:
                results_publicise(session=session, by=people.agency_nanning, window_days=days)
            assert "window_days" in excinfo.value.message_dict
    session.refresh_from_db()
    assert (session.status == Session.Status.PUBLICITY) is accepted
    assert Notice.objects.exists() is accepted


def test_the_notice_runs_five_working_days_and_lists_every_candidate_masked(publicised, client):
    notice = publicised.notice
    assert (notice.opens_on, notice.closes_on) == (MONDAY, FRIDAY)
    assert sorted(notice.items.values_list("label", flat=True)) == [
        "张*三（4501**********1238）",
        "李*（6101**********2342）",
    ]
    with today_is(dt.date(2026, 11, 3)):
        page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert "张*三" in page and "4501**********1238" in page
    assert "张小三" not in page and "李丽" not in page and ID_A not in page and ID_B not in page


def test_the_notice_pdf_is_masked_too(publicised, client, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(b"".join(client.get(reverse("notices:notice_pdf", args=[publicised.notice_id])).streaming_content))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "张*三" in text and "张小三" not in text and ID_A not in text


def test_closing_the_notice_sets_the_report_due_ten_working_days_after(publicised, people):
    session = closed(publicised, people)
    assert session.status == Session.Status.PUBLICISED
    assert (session.publicised_on, session.report_due) == (FRIDAY, REPORT_DUE)


@pytest.mark.parametrize(
    ("today", "overdue"), [(dt.date(2026, 11, 19), False), (REPORT_DUE, False), (dt.date(2026, 11, 23), True)]
)
def test_a_report_past_its_due_day_is_flagged(publicised, people, today, overdue):
    assert closed(publicised, people).report_overdue(today) is overdue


def test_results_on_notice_cannot_be_reported_yet(publicised, people):
    with pytest.raises(WorkflowError):
        results_report(session=publicised, by=people.agency_nanning)


def test_the_report_reaches_the_hr_bureau_of_the_agency_which_approves(publicised, people):
    session = results_report(session=closed(publicised, people), by=people.agency_nanning)
    assert session.status == Session.Status.REPORTED
    assert Notification.objects.filter(recipient=people.city_nanning).exists()
    assert not Notification.objects.filter(recipient=people.city_liuzhou).exists()
    with pytest.raises(PermissionDenied):
        results_decide(session=session, by=people.city_liuzhou, approve=True)
    assert results_decide(session=session, by=people.city_nanning, approve=True).status == Session.Status.APPROVED


def test_a_return_needs_reasons_and_sends_the_results_back(publicised, people):
    session = results_report(session=closed(publicised, people), by=people.agency_nanning)
    with pytest.raises(ValidationError):
        results_decide(session=session, by=people.city_nanning, approve=False, reasons=" ")
    session = results_decide(session=session, by=people.city_nanning, approve=False, reasons="技能成绩缺考评员签字。")
    assert session.status == Session.Status.RETURNED and session.return_reasons == "技能成绩缺考评员签字。"
    with pytest.raises(WorkflowError):
        certificates_issue(session=session, by=people.agency_nanning)


def test_an_upheld_objection_withholds_that_candidates_certificate(publicised, people):
    notice = publicised.notice
    item = notice.items.get(label__startswith="张*三")
    with today_is(dt.date(2026, 11, 4)):
        objection = objection_raise(
            notice=notice, item=item, name="王五", contact="13977212345", content="该考生由他人代考。", files=[]
        )
    objection_handle(objection=objection, by=people.centre, upheld=True, reply="经查属实，暂缓发证。")
    session = results_report(session=closed(publicised, people), by=people.agency_nanning)
    results_decide(session=session, by=people.city_nanning, approve=True)
    issued = certificates_issue(session=session, by=people.agency_nanning)
    assert [c.holder_name for c in issued] == ["李丽"]
    assert Certificate.objects.count() == 1
