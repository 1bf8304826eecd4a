"""An upheld objection against a results notice speaks of the candidate's result, not of a filing selection: the
centre is asked and told that the result is withheld from certification, the agency is told why, and the agency's
session page shows that candidate's certificate as withheld with the centre's reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from certificates.models import Candidate
from certificates.services import results_publicise
from portal.models import Notification
from publicity.models import Objection
from publicity.services import objection_raise
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of
from tests.supervision.factories import today_is

MONDAY = dt.date(2026, 11, 2)
REASON = "经查属实：该考生由他人代考，暂缓发证。"


@pytest.fixture
def publicised(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    with today_is(MONDAY):
        return results_publicise(session=session, by=people.agency_nanning, window_days=5)


@pytest.fixture
def objection(publicised):
    notice = publicised.notice
    item = notice.items.get(label__startswith="张*三")
    with today_is(dt.date(2026, 11, 4)):
        return objection_raise(
            notice=notice, item=item, name="王五", contact="13977212345", content="该考生由他人代考。", files=[]
        )


def _uphold(client, notice, objection):
    detail = reverse("publicity:notice_detail", args=[notice.pk])
    with today_is(dt.date(2026, 11, 4)):
        return client.post(
            detail, {"action": "handle", "objection": objection.pk, "decision": "uphold", "reply": REASON}, follow=True
        )


def test_the_results_notice_asks_and_tells_about_withholding_the_result(publicised, objection, people, client_for):
    centre = client_for(people.centre)
    notice = publicised.notice
    with translation.override("zh-hans"):
        page = centre.get(reverse("publicity:notice_detail", args=[notice.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "移出遴选名单" not in text
    assert "暂缓" in text and "考生" in text

    done = _uphold(centre, notice, objection).content.decode()
    assert "移出遴选名单" not in done
    assert "张*三" in done and "暂缓" in done
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD
    assert Candidate.objects.get(name="张小三").withheld
    assert not Candidate.objects.get(name="李丽").withheld


def test_the_filing_notice_keeps_its_own_wording(people, client_for):
    from publicity.subjects import wording_for

    with translation.override("zh-hans"):
        assert str(wording_for("filing_selection").uphold_confirm) == "确认异议成立？该机构将被移出遴选名单。"
        assert "暂缓颁发" in str(wording_for("evaluation_results").uphold_confirm)


def test_the_agency_is_told_and_its_session_page_shows_the_certificate_withheld_with_the_reason(
    publicised, objection, people, client_for
):
    _uphold(client_for(people.centre), publicised.notice, objection)
    told = Notification.objects.filter(recipient=people.agency_nanning, subject__contains="张*三").exclude(
        subject__startswith="认定结果异议"
    )
    assert told.count() == 1
    assert REASON in told.get().body
    assert told.get().link == reverse("certificates:session_detail", args=[publicised.pk])

    page = client_for(people.agency_nanning).get(
        reverse("certificates:session_detail", args=[publicised.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    withheld = Candidate.objects.get(name="张小三")
    text = page.content.decode()
    marker = f'data-withheld="{withheld.pk}"'
    assert marker in text
    assert REASON in text.split(marker, 1)[1].split("</div>", 1)[0]
    other = Candidate.objects.get(name="李丽")
    assert f'data-withheld="{other.pk}"' not in text


def test_a_dismissed_objection_withholds_nothing_and_tells_the_agency_no_withholding(
    publicised, objection, people, client_for
):
    detail = reverse("publicity:notice_detail", args=[publicised.notice.pk])
    with today_is(dt.date(2026, 11, 4)):
        client_for(people.centre).post(
            detail, {"action": "handle", "objection": objection.pk, "decision": "dismiss", "reply": "经核查，不属实。"}
        )
    assert not Candidate.objects.filter(withheld=True).exists()
    told = Notification.objects.filter(recipient=people.agency_nanning, subject__contains="张*三")
    assert not told.filter(body__contains="暂缓").exists()
    assert told.filter(subject__contains="不成立").exists()
    page = client_for(people.agency_nanning).get(reverse("certificates:session_detail", args=[publicised.pk]))
    assert "data-withheld" not in page.content.decode()


def test_the_public_list_of_notices_counts_a_results_notice_in_entries_not_agencies(publicised, client):
    with today_is(dt.date(2026, 11, 4)):
        page = client.get(reverse("notices:notice_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "2 条 · 公示期 2026-11-02" in text  # two candidates on the notice
    assert "家机构" not in text
    assert "职业技能等级认定结果" in text  # the page says results are published here too


def test_an_upheld_objection_to_a_failed_result_shows_the_outcome_not_a_certificate_withheld(
    publicised, objection, people, client_for
):
    """A candidate who did not pass had no certificate due: the row says the objection was upheld, with the reason,
    and not "证书暂缓颁发" (the first-day tester's finding), nor the mark twice."""
    Candidate.objects.filter(name="张小三").update(passed=False, theory_score=40)
    _uphold(client_for(people.centre), publicised.notice, objection)
    page = client_for(people.agency_nanning).get(
        reverse("certificates:session_detail", args=[publicised.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = page.content.decode()
    failed = Candidate.objects.get(name="张小三")
    cell = text.split(f'data-withheld="{failed.pk}"', 1)[1].split("</div>", 1)[0]
    assert "异议成立" in cell and REASON in cell
    assert "证书暂缓颁发" not in text
    assert text.count("data-withheld=") == 1
    told = Notification.objects.get(
        recipient=people.agency_nanning, subject__contains="张*三", subject__startswith="异议成立"
    )
    assert told.subject.startswith("异议成立")
    assert REASON in told.body and "未合格" in told.body and "暂缓颁发" not in told.body
