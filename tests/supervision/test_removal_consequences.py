"""The removal's confirmation says what the removal does to the agency's work under way, with its counts, and the
removal does it (first-day tester, qa5b item 1).

Source: the Guangxi 2020 pilot notice 四（一）: 对违规失信、恶意竞争、管理失序的试点机构，移出目录，取消试点资格 —
a removed agency loses the right to evaluate, so its evaluations not begun are withdrawn (off the public list);
one under way is left; its results go on but it issues no certificate (``certificates_issue`` refuses an agency
not active); the certificates it issued stay valid (the sources revoke none: 谁评价、谁发证、谁负责).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import DirectoryEntry
from certificates.models import Certificate, Session
from certificates.services import certificates_issue
from supervision.models import Plan, Sanction
from supervision.selectors import plans_upcoming_public
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.certificates.factories import announced_plan, approved_session, candidates, id_number, session_of
from tests.supervision.factories import new_plan

pytestmark = pytest.mark.django_db
FACTS = "多次违规发放证书，经查属实。"


def _post(client, entry, **extra):
    data = {"kind": "removal", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, **extra}
    return client.post(reverse("supervision:sanction_new", args=[entry.pk]), data)


@pytest.fixture
def work(people, nanning_entry):
    """南宁's agency at work: two evaluations announced for tomorrow and in a week, one draft, one begun today,
    one that began yesterday and ends today, one held last month; a results session on notice (1 passed, 1
    failed), one approved with 3 passed, one issued with 2 certificates."""
    agency = people.agency_nanning
    tomorrow = announced_plan(nanning_entry, agency, days_ago=-1)
    next_week = announced_plan(nanning_entry, agency, days_ago=-7)
    in_a_month = timezone.localdate() + dt.timedelta(days=30)
    draft = new_plan(nanning_entry, agency, first_day=in_a_month, last_day=in_a_month)
    today = announced_plan(nanning_entry, agency, days_ago=0)
    ending = announced_plan(nanning_entry, agency, days_ago=1)
    Plan.objects.filter(pk=ending.pk).update(last_day=timezone.localdate())
    on_notice = session_of(nanning_entry, agency, days_ago=20)
    candidates(on_notice, [("甲考生", id_number(900))])
    candidates(on_notice, [("乙考生", id_number(901))], passed=False)
    Session.objects.filter(pk=on_notice.pk).update(status=Session.Status.PUBLICITY)
    approved_session(nanning_entry, agency, 3, first=100, days_ago=25)
    issued = approved_session(nanning_entry, agency, 2, first=200, days_ago=40)
    certificates_issue(session=issued, by=agency)
    return {"upcoming": [tomorrow, next_week], "draft": draft, "begun": [today, ending]}


def test_the_confirmation_counts_what_the_removal_does_to_evaluations_results_and_certificates(
    people, nanning_entry, client_for, work
):
    body = _post(client_for(people.centre), nanning_entry).content.decode()
    assert "已发布公告、尚未开考的认定 2 场：将被撤回，不再显示在公开的认定公告中" in body
    assert "尚未发布公告的认定计划 1 个" in body
    assert "今日正在进行的认定 2 场：保持不变" in body
    assert "成绩正在公示的批次 1 个" in body
    assert "其他尚未发证的成绩批次 1 个" in body  # the approved one (the issued one is not counted)
    # Who is affected and what happens to them, in plain words (qa8b item 4): 1 on notice + 3 approved.
    assert (
        "该机构有 4 名考生的成绩已合格、尚未发证：移出后该机构不能再为他们发证，"
        "平台也不会把他们的成绩转给其他机构发证。" in body
    )
    assert "上述批次" not in body
    assert "已颁发证书 2 本：继续有效" in body


def test_the_confirmation_changes_nothing(people, nanning_entry, client_for, work):
    before = dict(Plan.objects.values_list("pk", "status"))
    _post(client_for(people.centre), nanning_entry)
    assert dict(Plan.objects.values_list("pk", "status")) == before
    assert not Sanction.objects.exists()
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE


def test_the_removal_withdraws_the_evaluations_not_begun_and_leaves_the_rest(people, nanning_entry, client_for, work):
    assert _post(client_for(people.centre), nanning_entry, confirmed="yes").status_code == 302
    statuses = dict(Plan.objects.values_list("pk", "status"))
    for plan in [*work["upcoming"], work["draft"]]:
        assert statuses[plan.pk] == Plan.Status.WITHDRAWN, plan.first_day
    for plan in work["begun"]:  # first day today (on the threshold) and yesterday: under way, left
        assert statuses[plan.pk] == Plan.Status.ANNOUNCED
    public = list(plans_upcoming_public())
    assert {plan.pk for plan in public} == {plan.pk for plan in work["begun"]}
    assert Certificate.objects.filter(status=Certificate.Status.VALID).count() == 2


def test_an_agency_with_nothing_under_way_reads_zeros(people, nanning_entry, client_for):
    body = _post(client_for(people.centre), nanning_entry).content.decode()
    assert "已发布公告、尚未开考的认定 0 场" in body and "已颁发证书 0 本" in body
    assert "该机构没有成绩合格、尚未发证的考生。" in body and "0 名考生" not in body


def test_the_decision_number_and_the_suspension_date_are_kept_whole(people, nanning_entry, client_for):
    """A long 文号 broke inside its brackets and a date at its hyphen (qa8b items 4 and 7): each stays on one line;
    the issuer's name may wrap before it."""
    body = _post(client_for(people.centre), nanning_entry).content.decode()
    assert '广西壮族自治区职业技能鉴定中心<span class="text-nowrap">督〔' in body
    until = timezone.localdate() + dt.timedelta(days=30)
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    data = {"kind": "suspension", "facts": FACTS, "basis": PILOT_EXIT_CLAUSE, "until": until.isoformat()}
    page = client_for(people.centre).post(url, data).content.decode()
    heading = page.split('<h1 class="page-title">')[1].split("</h1>")[0]
    assert f'<span class="text-nowrap">{until.isoformat()}</span>' in heading
    assert f'<span class="text-nowrap">{until.isoformat()}</span>' in page.split('id="confirm-consequences"')[1]


def test_a_suspensions_last_day_stays_whole_in_the_directory(people, nanning_entry, client):
    """The directory's "至2027-02-02" broke at a hyphen on a phone (qa8b item 7): each such date is one unit."""
    from supervision.services import sanction_decide

    until = timezone.localdate() + dt.timedelta(days=30)
    sanction_decide(
        entry=nanning_entry, kind="suspension", facts=FACTS, basis=PILOT_EXIT_CLAUSE, until=until, by=people.centre
    )
    page = client.get(reverse("directory:entry", args=[nanning_entry.pk])).content.decode()
    wrapped = re.findall(r'<span class="text-nowrap">至\s*' + until.isoformat() + "</span>", page)
    assert len(wrapped) == 2  # the notice at the top and the status history
    assert page.count(f"至{until.isoformat()}") + page.count(f"至 {until.isoformat()}") == 2
