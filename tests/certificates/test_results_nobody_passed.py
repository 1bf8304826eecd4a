"""A session where nobody passed is publicised like any other (桂人社函〔2020〕203号 三（五）:
认定结果进行不少于5个工作日公示; the publicity is what lets a candidate object to their result): the
public notice says plainly that nobody is proposed as qualified and how many took part, names nobody,
and takes objections to the results in the same window of working days; after it the agency reports,
the HR bureau approves or returns, and no certificate is issued: the page says so instead of offering
an empty batch. A session with one pass is unchanged: its notice lists that one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates.models import Candidate, Certificate, Session
from certificates.services import certificates_issue, results_decide, results_publicise, results_report
from portal.lib.errors import WorkflowError
from portal.models import Notification
from publicity.models import Notice, Objection
from publicity.services import notice_close
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, session_of
from tests.conftest import captcha_on, captcha_solved
from tests.supervision.factories import today_is

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
MONDAY = dt.date(2026, 11, 2)
NOBODY = "本次评价无拟认定合格人员"


@pytest.fixture
def entry(people):
    return filed_entry(people.org_nanning, institution_code="S000045000001")


@pytest.fixture
def nobody(entry, people):
    """Two candidates took part; neither passed."""
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("王五", ID_C), ("李丽", ID_B)], passed=False)
    return session


@pytest.fixture
def one(entry, people):
    """Two candidates took part; one passed."""
    session = session_of(entry, people.agency_nanning, code="3-02-02-00", level=3)
    candidates(session, [("张小三", ID_A)])
    candidates(session, [("王五", ID_C)], passed=False)
    Candidate.objects.filter(session=session, name="王五").update(row=3)
    return session


def _publicise(session, people, days=5):
    with today_is(MONDAY):
        return results_publicise(session=session, by=people.agency_nanning, window_days=days)


def _public_page(client, notice, day=dt.date(2026, 11, 3)) -> str:
    with today_is(day):
        return client.get(reverse("notices:notice_detail", args=[notice.pk]), **ZH).content.decode()


def _object(client, notice, page: str | None, item: str, day=dt.date(2026, 11, 4)):
    """The public objection form sent, the picture answered as read off ``page`` (or a new one)."""
    data = {"item": item, "name": "王五", "contact": "13977212345", "content": "我的技能成绩登记有误，应为合格。"}
    answer = captcha_on(page) if page else captcha_solved()
    with today_is(day):
        return client.post(reverse("notices:objection_create", args=[notice.pk]), {**data, **answer})


def _session_page(client, session) -> str:
    return client.get(reverse("certificates:session_detail", args=[session.pk]), **ZH).content.decode()


def test_the_agency_is_told_before_publishing_that_the_notice_will_say_nobody_passed(nobody, people, client_for):
    agency = client_for(people.agency_nanning)
    page = _session_page(agency, nobody)
    assert reverse("certificates:session_publicise", args=[nobody.pk]) in page
    assert "本次评价无人合格：公示写明无拟认定合格人员及参加人数" in page
    confirm = agency.post(
        reverse("certificates:session_publicise", args=[nobody.pk]), {"window_days": "5"}, **ZH
    ).content.decode()
    assert "本次评价无人合格：公示将立即在公众网站发布，写明无拟认定合格人员及参加人数，不公布任何姓名。" in confirm
    assert "拟认定合格人员名单（姓名、身份证号码隐去部分）" not in confirm
    assert not Notice.objects.exists()  # the confirmation publishes nothing


def test_the_notice_of_a_session_where_nobody_passed_says_so_with_the_number_who_took_part(nobody, people, client):
    with pytest.raises(ValidationError):  # at least 5 working days, as for any results
        _publicise(nobody, people, days=4)
    assert not Notice.objects.exists()
    session = _publicise(nobody, people)
    assert session.status == Session.Status.PUBLICITY
    notice = Notice.objects.get(pk=session.notice_id)
    # The same window as any results notice: 5 working days from Monday 2 November, to Friday 6 November.
    assert (notice.status, notice.window_days, notice.opens_on, notice.closes_on) == (
        Notice.Status.PUBLISHED,
        5,
        MONDAY,
        dt.date(2026, 11, 6),
    )
    page = _public_page(client, notice)
    assert "共有 2 人参加，本次评价无拟认定合格人员。" in page
    table = page.split('id="entries"', 1)[1].split("</table>", 1)[0]
    assert "拟认定合格人员名单" in table and f"{NOBODY}。" in table
    assert '<td class="text-center"' not in table  # no row: nobody is listed
    assert "王*" not in page and "李*" not in page and "1101**********002X" not in page
    # The objection form is open and offers the results as a whole, and nothing else.
    form = page.split('id="o-item"', 1)[1].split("</select>", 1)[0]
    assert form.count('<option value="') == 2  # "— choose —" and the results
    assert "本次评价结果（共 2 人参加）" in form
    assert '<label class="form-label" for="o-item">异议所涉评价结果</label>' in page
    # The list of notices counts nobody on it either.
    with today_is(dt.date(2026, 11, 3)):
        listed = client.get(reverse("notices:notice_list"), **ZH).content.decode()
    assert "0 条 · 公示期 2026-11-02 至 2026-11-06" in listed


def test_an_objection_to_the_results_reaches_the_centre_and_the_agency(nobody, people, client, client_for):
    notice = _publicise(nobody, people).notice
    page = _public_page(client, notice)
    item = notice.items.get()
    response = _object(client, notice, page, str(item.pk))
    assert response.status_code == 302 and response["Location"] == reverse("notices:objection_received")
    objection = Objection.objects.get()
    assert (objection.item, objection.status) == (item, Objection.Status.PENDING)
    told = Notification.objects.filter(recipient=people.agency_nanning).values_list("subject", flat=True)
    assert any("认定结果异议" in subject for subject in told)
    agency_page = _session_page(client_for(people.agency_nanning), nobody)
    assert "本次评价结果（共 2 人参加）" in agency_page and "data-pending-objections" in agency_page
    assert "本次评价无人合格：异议成立不涉及暂缓颁发证书" in agency_page
    # The window closed, no objection is taken any more.
    late = _public_page(client, notice, day=dt.date(2026, 11, 9))
    assert 'id="o-item"' not in late
    assert _object(client, notice, None, str(item.pk), day=dt.date(2026, 11, 9)).status_code == 302
    assert Objection.objects.count() == 1


def _answer(client, notice, objection, decision: str):
    with today_is(dt.date(2026, 11, 5)):
        return client.post(
            reverse("publicity:notice_detail", args=[notice.pk]),
            {"action": "handle", "objection": objection.pk, "decision": decision, "reply": "经核查，成绩登记无误。"},
            follow=True,
            **ZH,
        )


def test_an_upheld_objection_withholds_nothing_and_tells_the_agency_to_check(nobody, people, client, client_for):
    notice = _publicise(nobody, people).notice
    _object(client, notice, _public_page(client, notice), str(notice.items.get().pk))
    centre = client_for(people.centre)
    page = centre.get(reverse("publicity:notice_detail", args=[notice.pk]), **ZH).content.decode()
    assert "本次评价无人合格，不涉及暂缓颁发证书" in page and "该考生的认定结果将暂缓颁发证书" not in page
    done = _answer(centre, notice, Objection.objects.get(), "uphold").content.decode()
    assert "异议成立：本次评价结果（共 2 人参加）；已通知机构核查成绩。" in done
    assert Objection.objects.get().status == Objection.Status.UPHELD
    assert not Candidate.objects.filter(withheld=True).exists()
    body = Notification.objects.get(recipient=people.agency_nanning, subject__startswith="异议成立").body
    assert "本次评价无人合格，不涉及暂缓颁发证书" in body and "经核查，成绩登记无误。" in body


def test_after_the_notice_the_results_are_reported_approved_and_no_certificate_is_issued(
    nobody, people, client, client_for
):
    notice = _publicise(nobody, people).notice
    _object(client, notice, _public_page(client, notice), str(notice.items.get().pk))
    centre = client_for(people.centre)
    _answer(centre, notice, Objection.objects.get(), "dismiss")
    notice_close(notice=Notice.objects.get(pk=notice.pk), by=people.agency_nanning, today=dt.date(2026, 11, 9))
    session = Session.objects.get(pk=nobody.pk)
    assert (session.status, session.publicised_on) == (Session.Status.PUBLICISED, dt.date(2026, 11, 6))

    agency = client_for(people.agency_nanning)
    assert reverse("certificates:session_report", args=[session.pk]) in _session_page(agency, session)
    agency.post(reverse("certificates:session_report", args=[session.pk]))
    assert Session.objects.get(pk=session.pk).status == Session.Status.REPORTED

    bureau = client_for(people.city_nanning)
    bureau.post(reverse("certificates:session_decide", args=[session.pk]), {"decision": "approve"})
    session = Session.objects.get(pk=session.pk)
    assert session.status == Session.Status.APPROVED
    approved = Notification.objects.get(recipient=people.agency_nanning, subject__startswith="认定结果审核通过")
    assert "不颁发证书" in approved.body and not approved.todo

    page = _session_page(agency, session)
    assert "本次评价无应颁发证书的人员，不颁发证书；审核通过即办结。" in page
    assert reverse("certificates:session_issue", args=[session.pk]) not in page
    agency.post(reverse("certificates:session_issue", args=[session.pk]))
    with pytest.raises(WorkflowError):
        certificates_issue(session=session, by=people.agency_nanning)
    assert not Certificate.objects.exists()
    assert Session.objects.get(pk=session.pk).status == Session.Status.APPROVED


def test_the_bureau_may_return_the_results_of_a_session_where_nobody_passed(nobody, people):
    session = _publicise(nobody, people)
    notice_close(notice=Notice.objects.get(pk=session.notice_id), by=people.agency_nanning, today=dt.date(2026, 11, 9))
    session = results_report(session=Session.objects.get(pk=session.pk), by=people.agency_nanning)
    session = results_decide(session=session, by=people.city_nanning, approve=False, reasons="技能成绩需复核。")
    assert session.status == Session.Status.RETURNED


def test_a_session_with_one_pass_still_lists_that_one_and_issues_its_certificate(one, people, client, client_for):
    notice = _publicise(one, people).notice
    assert list(notice.items.values_list("label", flat=True)) == ["张*三（4501**********1238）"]
    page = _public_page(client, notice)
    assert "共有 2 人参加，拟认定合格 1 人" in page and NOBODY not in page
    table = page.split('id="entries"', 1)[1].split("</table>", 1)[0]
    assert "张*三（4501**********1238）" in table and "王*" not in page
    assert '<label class="form-label" for="o-item">异议所涉考生</label>' in page
    with today_is(dt.date(2026, 11, 3)):
        assert (
            "1 条 · 公示期 2026-11-02 至 2026-11-06"
            in client.get(reverse("notices:notice_list"), **ZH).content.decode()
        )
    notice_close(notice=Notice.objects.get(pk=notice.pk), by=people.agency_nanning, today=dt.date(2026, 11, 9))
    session = results_report(session=Session.objects.get(pk=one.pk), by=people.agency_nanning)
    session = results_decide(session=session, by=people.city_nanning, approve=True)
    approved = Notification.objects.get(recipient=people.agency_nanning, subject__startswith="认定结果审核通过")
    assert approved.body == "现可颁发证书。" and approved.todo
    agency = client_for(people.agency_nanning)
    page = _session_page(agency, session)
    assert reverse("certificates:session_issue", args=[session.pk]) in page and "本次评价无应颁发证书的人员" not in page
    agency.post(reverse("certificates:session_issue", args=[session.pk]))
    assert list(Certificate.objects.values_list("holder_name", flat=True)) == ["张小三"]
