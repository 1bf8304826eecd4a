"""The public results notice (认定结果公示, 桂人社函〔2020〕203号 三（五）) lists the candidates proposed as qualified
(拟认定合格人员名单), masked, and says how many took part: who failed is personal data and is not published. The
objection form offers the listed candidates (first-day tester)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from certificates.models import Candidate, Session
from certificates.services import results_decide, results_publicise, results_report, results_resubmit
from portal.lib.errors import WorkflowError
from publicity.models import Notice
from publicity.services import notice_close
from tests.certificates.factories import ID_A, ID_B, ID_C, candidates, filed_entry, session_of
from tests.supervision.factories import today_is

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
MONDAY = dt.date(2026, 11, 2)


@pytest.fixture
def session(people):
    session = session_of(filed_entry(people.org_nanning, institution_code="S000045000001"), people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    candidates(session, [("王五", ID_C)], passed=False)
    return session


def _publicise(session, people):
    with today_is(MONDAY):
        return results_publicise(session=session, by=people.agency_nanning, window_days=5)


def test_the_public_notice_lists_those_who_passed_and_counts_who_took_part(session, people, client):
    notice = _publicise(session, people).notice
    with today_is(dt.date(2026, 11, 3)):
        page = client.get(reverse("notices:notice_detail", args=[notice.pk]), **ZH).content.decode()
    table = page.split('id="entries"', 1)[1].split("</table>", 1)[0]
    assert "拟认定合格人员名单" in table
    assert "张*三（4501**********1238）" in table and "李*（6101**********2342）" in table
    assert "王*" not in page and "1100**********002X" not in page and "不合格" not in page
    assert "共有 3 人参加，拟认定合格 2 人" in page
    # The objection form offers the listed candidates, and only them.
    form = page.split('id="o-item"', 1)[1].split("</select>", 1)[0]
    assert form.count('<option value="') == 3  # "— choose —" and the two listed
    assert "张*三" in form and "王*" not in form


def test_the_notice_items_are_the_passed_candidates(session, people):
    notice = _publicise(session, people).notice
    assert sorted(notice.items.values_list("label", flat=True)) == [
        "张*三（4501**********1238）",
        "李*（6101**********2342）",
    ]


@pytest.fixture
def returned(session, people):
    session = _publicise(session, people)
    notice_close(notice=Notice.objects.get(pk=session.notice_id), by=people.agency_nanning, today=dt.date(2026, 11, 9))
    session.refresh_from_db()
    session = results_report(session=session, by=people.agency_nanning)
    return results_decide(session=session, by=people.city_nanning, approve=False, reasons="成绩有误。")


def test_a_corrected_publicity_lists_the_corrected_who_pass_and_counts_the_corrected(returned, people, client):
    Candidate.objects.filter(name__in=["王五", "李丽"]).update(corrected=True)
    Candidate.objects.filter(name="王五").update(passed=True)
    Candidate.objects.filter(name="李丽").update(passed=False)
    with today_is(dt.date(2026, 11, 16)):
        notice = results_publicise(session=returned, by=people.agency_nanning, window_days=5).notice
    assert list(notice.items.values_list("label", flat=True)) == ["王*（1101**********002X）"]
    assert "2 名考生的成绩已更正，其中拟认定合格 1 人" in notice.body


def test_corrections_that_all_fail_are_reported_again_without_a_notice(returned, people, client_for):
    Candidate.objects.filter(name="李丽").update(corrected=True, passed=False)
    with pytest.raises(WorkflowError), today_is(dt.date(2026, 11, 16)):
        results_publicise(session=returned, by=people.agency_nanning, window_days=5)
    page = (
        client_for(people.agency_nanning)
        .get(reverse("certificates:session_detail", args=[returned.pk]), **ZH)
        .content.decode()
    )
    assert reverse("certificates:session_resubmit", args=[returned.pk]) in page
    assert reverse("certificates:session_publicise", args=[returned.pk]) not in page
    session = results_resubmit(session=returned, by=people.agency_nanning, answer="李丽成绩更正为不合格，无需公示。")
    assert session.status == Session.Status.REPORTED


def test_a_corrected_pass_still_needs_its_publicity(returned, people):
    Candidate.objects.filter(name="王五").update(corrected=True, passed=True)
    with pytest.raises(WorkflowError):
        results_resubmit(session=returned, by=people.agency_nanning, answer="已更正。")


@pytest.mark.parametrize(
    ("language", "label", "wrong"),
    [("en", "Candidate you object to", "Agency you object to"), ("zh-hans", "异议所涉考生", "异议对象")],
)
def test_the_objection_form_of_a_results_notice_asks_for_a_candidate(session, people, client, language, label, wrong):
    notice = _publicise(session, people).notice
    client.cookies["django_language"] = language
    with today_is(dt.date(2026, 11, 3)):
        page = client.get(reverse("notices:notice_detail", args=[notice.pk])).content.decode()
    assert f'<label class="form-label" for="o-item">{label}</label>' in page
    assert wrong not in page
