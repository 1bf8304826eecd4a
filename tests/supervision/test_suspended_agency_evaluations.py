"""A suspended or removed agency's evaluations say so where they are shown (first-day tester, round 9 pub item 1):
the public list and announcement (which no longer invites candidates to sign up), the police's upcoming
evaluations and the cross-region consent page. An active agency's pages carry no such notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Sanction
from supervision.services import plan_submit, sanction_decide
from supervision.services.sanctions import PILOT_EXIT_CLAUSE
from tests.certificates.factories import announced_plan
from tests.supervision.factories import liuzhou_venue, new_plan, today_is

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
FACTS = "2026年11月督导检查发现该机构考场视频监控未开启，经约谈仍未整改。"
SIGN_UP = "符合条件的人员可向本机构报名"
NOTES = f"定于下月开展保卫管理员职业技能等级认定，{SIGN_UP}。"


def _sanction(entry, by, kind=Sanction.Kind.SUSPENSION, days=60):
    until = timezone.localdate() + dt.timedelta(days=days) if kind == Sanction.Kind.SUSPENSION else None
    return sanction_decide(entry=entry, kind=kind, facts=FACTS, basis=PILOT_EXIT_CLAUSE, by=by, until=until)


@pytest.fixture
def plan(people, nanning_entry):
    plan = announced_plan(nanning_entry, people.agency_nanning, days_ago=-20)
    plan.notes = NOTES
    plan.save(update_fields=["notes"])
    return plan


def _public(client_for, plan) -> tuple[str, str]:
    client = client_for(None)
    listing = client.get(reverse("evaluations:list"), **ZH).content.decode()
    detail = client.get(reverse("evaluations:detail", args=[plan.pk]), **ZH).content.decode()
    return listing, detail


def test_an_active_agency_s_announcement_is_shown_whole_and_without_a_notice(people, plan, client_for):
    listing, detail = _public(client_for, plan)
    assert SIGN_UP in detail
    assert "data-agency-status" not in listing and "data-agency-status" not in detail


def test_a_suspended_agency_s_evaluations_say_so_and_invite_no_sign_up(people, nanning_entry, plan, client_for):
    until = _sanction(nanning_entry, people.city_nanning).until
    listing, detail = _public(client_for, plan)
    notice = f"该机构已被暂停评价活动（至 {until:%Y-%m-%d}），暂停期间不得组织评价、颁发证书。"
    assert notice in listing and notice in detail
    assert SIGN_UP not in detail
    assert "定于下月开展保卫管理员职业技能等级认定。" in detail  # the rest of the announcement stays


def test_a_removed_agency_s_begun_evaluation_says_it_was_removed(people, nanning_entry, client_for):
    plan = announced_plan(nanning_entry, people.agency_nanning, days_ago=1)
    plan.last_day = timezone.localdate() + dt.timedelta(days=1)
    plan.notes = NOTES
    plan.save(update_fields=["last_day", "notes"])
    _sanction(nanning_entry, people.centre, kind=Sanction.Kind.REMOVAL)
    listing, detail = _public(client_for, plan)
    notice = f"该机构已于 {timezone.localdate():%Y-%m-%d} 被移出目录，不得组织评价、颁发证书。"
    assert notice in listing and notice in detail
    assert SIGN_UP not in detail


def test_the_police_see_the_suspension_beside_the_upcoming_evaluation(people, nanning_entry, plan, client_for):
    url = reverse("supervision:workspace") + "?tab=upcoming"
    before = client_for(people.police_nanning).get(url, **ZH).content.decode()
    assert plan.entry.organisation.name in before and "该机构已被暂停" not in before
    until = _sanction(nanning_entry, people.city_nanning).until
    after = client_for(people.police_nanning).get(url, **ZH).content.decode()
    assert f"该机构已被暂停评价活动（至 {until:%Y-%m-%d}）" in after


def test_the_consent_page_of_another_city_flags_the_suspension(people, nanning_entry, client_for):
    monday = dt.date(2026, 3, 2)
    with today_is(monday):
        days = {"first_day": dt.date(2026, 3, 23), "last_day": dt.date(2026, 3, 24)}
        plan = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue(**days))
        plan_submit(plan=plan, by=people.agency_nanning)
        url = reverse("supervision:plan_detail", args=[plan.pk])
        before = client_for(people.city_liuzhou).get(url, **ZH).content.decode()
        assert "该机构已被暂停" not in before
        until = _sanction(nanning_entry, people.city_nanning).until
        after = client_for(people.city_liuzhou).get(url, **ZH).content.decode()
    assert f"该机构已被暂停评价活动（至 {until:%Y-%m-%d}），暂停期间不得组织评价、颁发证书。" in after
