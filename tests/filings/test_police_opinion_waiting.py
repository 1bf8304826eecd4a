"""Issue qa6 item 1: the police's opinion in the technical assessment is work waiting for them. The home's
count (待出具意见申请), its to-do (我的待办) and the queue's "mine" hold every application of their city under
assessment whose opinion their department has not given yet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.examples import sample_application_data, sample_pdf
from filings.selectors import home_panel
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    attachment_add,
)
from portal.models import Region, Role
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import GX_MATERIALS, make_call
from tests.portal.factories import UserFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _in_assessment(people, name: str, city: str, bureau):
    """A submitted application of a new organisation of ``city``, recommended by ``bureau`` and accepted."""
    organisation = OrganisationFactory(name=name, region=Region.objects.get(code=city))
    agency = UserFactory(role=Role.AGENCY, organisation=organisation)
    application = application_create(organisation=organisation, call=make_call(f"qa6-{name}"), by=agency)
    data = sample_application_data(organisation, occupations=[("3-02-02-00", "保卫管理员", 3)])
    application_save_draft(application=application, data=data, by=agency)
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    legal = data["basic"]["legal_representative"]
    application_submit(application=application, by=agency, commitment_name=legal, consent=True)
    application_transition(application=application, by=bureau, name="recommend", text="同意推荐。")
    application_transition(application=application, by=people.centre, name="accept")
    return application


@pytest.fixture
def assessments(people):
    """Two applications of 南宁 and one of 柳州 under technical assessment, no police opinion yet."""
    return [
        _in_assessment(people, "南宁市甲职业技能培训学校", "450100", people.city_nanning),
        _in_assessment(people, "南宁市乙职业技能培训学校", "450100", people.city_nanning),
        _in_assessment(people, "柳州市丙职业技能培训学校", "450200", people.city_liuzhou),
    ]


def _todo_count(user) -> int:
    return sum(item.count for item in home_panel(user)["todo"])


def test_the_police_count_every_assessment_of_their_city_without_their_opinion(people, client_for, assessments):
    first, second, liuzhou = assessments
    panel = home_panel(people.police_nanning)
    assert panel["queue_count"] == 2
    assert {a.pk for a in panel["queue"]} == {first.pk, second.pk}
    assert _todo_count(people.police_nanning) == 2
    assert home_panel(people.police_nanning)["todo"][0].url == reverse("filings:queue") + "?state=mine"
    # 柳州's police: their own application only, none of 南宁's.
    liuzhou_panel = home_panel(people.police_liuzhou)
    assert [a.pk for a in liuzhou_panel["queue"]] == [liuzhou.pk]
    assert not {first.pk, second.pk} & {a.pk for a in liuzhou_panel["queue"]}
    # The home page shows the number with its link, the to-do, and the queue lists the two.
    client = client_for(people.police_nanning)
    home = client.get(reverse("home")).content.decode()
    assert "data-queue-count>2</a>" in home and "Nothing is waiting for you." not in home
    queue = client.get(reverse("filings:queue") + "?state=mine").content.decode()
    assert "南宁市甲职业技能培训学校" in queue and "南宁市乙职业技能培训学校" in queue
    assert "柳州市丙职业技能培训学校" not in queue


def test_the_count_drops_once_the_opinion_is_given(people, client_for, assessments):
    first, second, _liuzhou = assessments
    response = client_for(people.police_nanning).post(
        reverse("filings:record_add", args=[first.pk]), {"kind": "police_assessment", "notes": "技防设施符合要求。"}
    )
    assert response.status_code == 302
    panel = home_panel(people.police_nanning)
    assert panel["queue_count"] == 1 and [a.pk for a in panel["queue"]] == [second.pk]
    assert _todo_count(people.police_nanning) == 1
    # A colleague of the same department finds it done too; the centre's queue is unchanged.
    colleague = UserFactory(role=Role.POLICE, department=people.police_nanning.department)
    assert home_panel(colleague)["queue_count"] == 1
    assert home_panel(people.centre)["queue_count"] == 3
