"""First-day finding: a plan in a city whose HR bureau has no account on the portal was "reported to 桂林市人社部门"
and then waited for ever for a consent nobody could give. Its submission is now refused with the reason, and the
plan stays a draft the agency can move; a city whose bureau is on the portal is reported as before."""

from __future__ import annotations

from django.urls import reverse

from supervision.models import CrossRegionReport, Plan
from tests.portal.factories import region
from tests.supervision.factories import GUILIN, liuzhou_venue, new_plan, today_is
from tests.supervision.test_plans import OCT_20, SEPT_23, days


def _submit(client, plan):
    return client.post(reverse("supervision:plan_act", args=[plan.pk, "submit"]), follow=True)


def test_a_plan_in_a_city_without_a_bureau_on_the_portal_is_refused_with_the_reason(people, nanning_entry, client_for):
    venue = liuzhou_venue(**days(OCT_20), venue="桂林市职业技能实训基地", venue_address="桂林市七星区")
    venue["city"] = region(GUILIN)
    with today_is(SEPT_23):
        plan = new_plan(nanning_entry, people.agency_nanning, **venue)
        page = _submit(client_for(people.agency_nanning), plan).content.decode()
    assert "桂林市人社部门尚未在本平台开通账号" in page
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert not CrossRegionReport.objects.filter(plan=plan).exists()


def test_a_plan_in_a_city_whose_bureau_is_on_the_portal_is_reported(people, nanning_entry, client_for):
    with today_is(SEPT_23):
        plan = new_plan(nanning_entry, people.agency_nanning, **liuzhou_venue(**days(OCT_20)))
        page = _submit(client_for(people.agency_nanning), plan).content.decode()
    assert "尚未在本平台开通账号" not in page
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AWAITING_CONSENT
