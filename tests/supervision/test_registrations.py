"""Police registration (报备登记) of filed agencies, and who sees what of supervision.

Source: 陕公通字〔2023〕64号 三（一）: 已备案开展保卫管理员的评价机构需向属地公安部门报备登记 — the police of the
agency's own city (属地), and of each city where it evaluates; they confirm it or return it with reasons.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.lib.errors import WorkflowError
from portal.models import Department, Role
from supervision.models import PoliceRegistration, RegistrationEvent
from supervision.selectors import (
    agencies_in_jurisdiction,
    plans_visible_to,
    registrations_visible_to,
    unregistered_agencies,
)
from supervision.services import (
    registration_confirm,
    registration_resubmit,
    registration_return,
    registration_submit,
)
from tests.portal.factories import region
from tests.supervision.factories import (
    LIUZHOU,
    NANNING,
    liuzhou_venue,
    new_plan,
    official,
    provincial_police,
    today_is,
)

pytestmark = pytest.mark.django_db

DETAILS = {
    "responsible": "黄建华",
    "phone": "13877112345",
    "sites": "南宁市青秀区民族大道136号 安盾职业技能培训学校理论考场、实操考场",
}


def register(entry, by, city_code: str = NANNING, **overrides) -> PoliceRegistration:
    return registration_submit(entry=entry, city=region(city_code), by=by, **{**DETAILS, **overrides})


def actions(registration) -> list[str]:
    return list(registration.events.values_list("action", flat=True))


# ---------------------------------------------------------------- submit, confirm, return, answer


def test_an_agency_registers_with_the_police_of_its_city_and_they_confirm(people, nanning_entry):
    registration = register(nanning_entry, people.agency_nanning)
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.SUBMITTED
    assert registration.home is True
    assert registration.city.code == NANNING
    assert actions(registration) == [RegistrationEvent.Action.SUBMIT]

    registration_confirm(registration=registration, by=people.police_nanning)
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.CONFIRMED
    assert registration.decided_by == people.police_nanning
    assert registration.decided_at is not None
    assert actions(registration) == [RegistrationEvent.Action.SUBMIT, RegistrationEvent.Action.CONFIRM]


def test_the_police_of_another_city_can_neither_confirm_nor_return_and_nothing_changes(people, nanning_entry):
    registration = register(nanning_entry, people.agency_nanning)
    for outsider in (people.police_liuzhou, people.city_nanning, people.agency_nanning):
        with pytest.raises(PermissionDenied):
            registration_confirm(registration=registration, by=outsider)
        with pytest.raises(PermissionDenied):
            registration_return(registration=registration, by=outsider, reasons="材料不全。")
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.SUBMITTED
    assert registration.decided_by is None
    assert registration.reasons == ""
    assert actions(registration) == [RegistrationEvent.Action.SUBMIT]


def test_returning_a_registration_needs_reasons(people, nanning_entry):
    registration = register(nanning_entry, people.agency_nanning)
    with pytest.raises(ValidationError) as excinfo:
        registration_return(registration=registration, by=people.police_nanning, reasons=" ")
    assert list(excinfo.value.message_dict) == ["reasons"]
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.SUBMITTED
    assert actions(registration) == [RegistrationEvent.Action.SUBMIT]


def test_a_returned_registration_is_answered_and_sent_again_then_confirmed(people, nanning_entry):
    registration = register(nanning_entry, people.agency_nanning)
    registration_return(registration=registration, by=people.police_nanning, reasons="请补充实操考场的详细地址。")
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.RETURNED
    assert registration.reasons == "请补充实操考场的详细地址。"
    with pytest.raises(WorkflowError):
        registration_confirm(registration=registration, by=people.police_nanning)

    with pytest.raises(ValidationError) as excinfo:
        registration_resubmit(registration=registration, by=people.agency_nanning, answer="", **DETAILS)
    assert list(excinfo.value.message_dict) == ["answer"]

    sites = "理论考场：南宁市青秀区民族大道136号3楼；实操考场：南宁市青秀区民族大道136号1楼实训中心"
    registration_resubmit(
        registration=registration,
        by=people.agency_nanning,
        answer="已补充实操考场地址。",
        responsible="韦海燕",
        phone="0771-5832198",
        sites=sites,
    )
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.SUBMITTED
    assert (registration.responsible, registration.phone, registration.sites) == ("韦海燕", "0771-5832198", sites)
    assert actions(registration) == [
        RegistrationEvent.Action.SUBMIT,
        RegistrationEvent.Action.RETURN,
        RegistrationEvent.Action.RESUBMIT,
    ]
    assert registration.events.get(action=RegistrationEvent.Action.RESUBMIT).text == "已补充实操考场地址。"

    registration_confirm(registration=registration, by=people.police_nanning)
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.CONFIRMED


def test_only_a_returned_registration_can_be_answered(people, nanning_entry):
    registration = register(nanning_entry, people.agency_nanning)
    with pytest.raises(WorkflowError):
        registration_resubmit(registration=registration, by=people.agency_nanning, answer="无。", **DETAILS)
    assert actions(registration) == [RegistrationEvent.Action.SUBMIT]


def test_a_second_registration_for_the_same_city_is_refused_on_the_city_field(people, nanning_entry):
    first = register(nanning_entry, people.agency_nanning)
    with pytest.raises(ValidationError) as excinfo:
        register(nanning_entry, people.agency_nanning, responsible="韦海燕")
    assert list(excinfo.value.message_dict) == ["city"]
    assert "南宁市" in excinfo.value.message_dict["city"][0]
    assert list(PoliceRegistration.objects.all()) == [first]
    assert RegistrationEvent.objects.count() == 1


def test_a_registration_with_the_police_of_another_city_where_it_evaluates(people, nanning_entry):
    registration = register(nanning_entry, people.agency_nanning, LIUZHOU, sites="柳州市城中区文昌路19号")
    assert registration.home is False
    with pytest.raises(PermissionDenied):
        registration_confirm(registration=registration, by=people.police_nanning)
    registration_confirm(registration=registration, by=people.police_liuzhou)
    registration.refresh_from_db()
    assert registration.status == PoliceRegistration.Status.CONFIRMED


@pytest.mark.parametrize("phone", ["12345", "0771-58", "138771123456", "电话"])
def test_an_invalid_telephone_number_is_refused(people, nanning_entry, phone):
    with pytest.raises(ValidationError) as excinfo:
        register(nanning_entry, people.agency_nanning, phone=phone)
    assert list(excinfo.value.message_dict) == ["phone"]
    assert not PoliceRegistration.objects.exists()


@pytest.mark.parametrize("phone", ["13877112345", "0771-5832198"])
def test_a_mobile_or_landline_number_is_accepted(people, nanning_entry, phone):
    assert register(nanning_entry, people.agency_nanning, phone=phone).phone == phone


def test_the_person_responsible_and_the_sites_are_required(people, nanning_entry):
    with pytest.raises(ValidationError) as excinfo:
        register(nanning_entry, people.agency_nanning, responsible="", sites=" ")
    assert set(excinfo.value.message_dict) == {"responsible", "sites"}


def test_a_province_is_not_a_city_to_register_with(people, nanning_entry):
    with pytest.raises(ValidationError) as excinfo:
        register(nanning_entry, people.agency_nanning, "450000")
    assert list(excinfo.value.message_dict) == ["city"]


def test_another_agency_cannot_register_for_the_entry(people, nanning_entry):
    with pytest.raises(PermissionDenied):
        register(nanning_entry, people.agency_liuzhou)
    assert not PoliceRegistration.objects.exists()


def test_a_removed_agency_can_no_longer_register(people, nanning_entry):
    nanning_entry.status = "removed"
    nanning_entry.save(update_fields=["status"])
    with pytest.raises(WorkflowError):
        register(nanning_entry, people.agency_nanning)
    assert not PoliceRegistration.objects.exists()


# ---------------------------------------------------------------- the unregistered-agency alert


def test_the_police_see_the_filed_agency_of_their_city_that_has_not_registered_until_it_does(
    people, nanning_entry, liuzhou_entry
):
    assert list(unregistered_agencies(people.police_nanning)) == [nanning_entry]
    assert list(unregistered_agencies(people.police_liuzhou)) == [liuzhou_entry]

    registration = register(nanning_entry, people.agency_nanning)
    assert not unregistered_agencies(people.police_nanning).exists()
    assert list(unregistered_agencies(people.police_liuzhou)) == [liuzhou_entry]

    # Returned, it counts as not registered again until it is answered.
    registration_return(registration=registration, by=people.police_nanning, reasons="联系电话无法接通。")
    assert list(unregistered_agencies(people.police_nanning)) == [nanning_entry]


def test_registering_in_another_city_does_not_register_the_agency_in_its_own(people, nanning_entry):
    register(nanning_entry, people.agency_nanning, LIUZHOU, sites="柳州市职工培训中心：柳州市城中区公园路12号")
    assert list(unregistered_agencies(people.police_nanning)) == [nanning_entry]


def test_a_removed_agency_is_not_listed_as_unregistered(people, nanning_entry):
    nanning_entry.status = "removed"
    nanning_entry.save(update_fields=["status"])
    assert not unregistered_agencies(people.police_nanning).exists()


# ---------------------------------------------------------------- jurisdiction of the reads

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def activity(people, nanning_entry, liuzhou_entry):
    """Each agency registered at home with plans at home; 柳州's agency also registered and planning in 南宁."""
    with today_is(MONDAY):
        rows = {
            "reg_nanning": register(nanning_entry, people.agency_nanning),
            "reg_liuzhou": register(
                liuzhou_entry, people.agency_liuzhou, LIUZHOU, sites="柳州市城中区文昌路19号 护航保安职业培训中心"
            ),
            "reg_liuzhou_in_nanning": register(liuzhou_entry, people.agency_liuzhou, NANNING),
            "plan_nanning": new_plan(nanning_entry, people.agency_nanning),
            "plan_liuzhou": new_plan(liuzhou_entry, people.agency_liuzhou, **liuzhou_venue()),
            # Two days after its 柳州 session: its examiners examine in one place a day (issue sup9 item 1).
            "plan_liuzhou_in_nanning": new_plan(
                liuzhou_entry, people.agency_liuzhou, first_day=dt.date(2026, 3, 18), last_day=dt.date(2026, 3, 19)
            ),
        }
    return rows


def test_the_police_of_nanning_see_what_is_registered_or_evaluated_in_nanning_only(people, activity):
    police = people.police_nanning
    assert set(registrations_visible_to(police)) == {activity["reg_nanning"], activity["reg_liuzhou_in_nanning"]}
    assert set(plans_visible_to(police)) == {activity["plan_nanning"], activity["plan_liuzhou_in_nanning"]}


def test_the_police_of_liuzhou_see_liuzhou_and_their_agency_evaluating_in_nanning(people, activity):
    police = people.police_liuzhou
    assert set(registrations_visible_to(police)) == {activity["reg_liuzhou"]}
    # Plans of agencies registered in 柳州 wherever they evaluate, plans evaluating in 柳州.
    assert set(plans_visible_to(police)) == {activity["plan_liuzhou"], activity["plan_liuzhou_in_nanning"]}


def test_agencies_in_the_jurisdiction_of_nanning_include_the_one_evaluating_there(
    people, activity, nanning_entry, liuzhou_entry
):
    assert set(agencies_in_jurisdiction(people.police_nanning)) == {nanning_entry, liuzhou_entry}
    assert set(agencies_in_jurisdiction(people.police_liuzhou)) == {liuzhou_entry}


def test_provincial_officials_see_both_cities(people, activity):
    everything_registered = {activity["reg_nanning"], activity["reg_liuzhou"], activity["reg_liuzhou_in_nanning"]}
    everything_planned = {activity["plan_nanning"], activity["plan_liuzhou"], activity["plan_liuzhou_in_nanning"]}
    for officer in (provincial_police(), people.centre):
        assert set(registrations_visible_to(officer)) == everything_registered
        assert set(plans_visible_to(officer)) == everything_planned


def test_an_official_of_another_province_sees_nothing_of_guangxi(people, activity):
    officer = official("police_xian", Role.POLICE, "西安市公安局", Department.Kind.PUBLIC_SECURITY, "610100")
    assert not registrations_visible_to(officer).exists()
    assert not plans_visible_to(officer).exists()


def test_an_agency_sees_only_its_own(people, activity):
    assert set(registrations_visible_to(people.agency_nanning)) == {activity["reg_nanning"]}
    assert set(plans_visible_to(people.agency_nanning)) == {activity["plan_nanning"]}
    assert set(registrations_visible_to(people.agency_liuzhou)) == {
        activity["reg_liuzhou"],
        activity["reg_liuzhou_in_nanning"],
    }
    assert set(plans_visible_to(people.agency_liuzhou)) == {
        activity["plan_liuzhou"],
        activity["plan_liuzhou_in_nanning"],
    }


def test_experts_see_no_registration_nor_plan(people, activity):
    assert not registrations_visible_to(people.expert_assigned).exists()
    assert not plans_visible_to(people.expert_assigned).exists()


def test_the_agency_does_not_learn_which_officer_confirmed_or_returned_its_registration(
    people, nanning_entry, client_for
):
    from django.urls import reverse

    people.police_nanning.last_name, people.police_nanning.first_name = "覃", "警官"
    people.police_nanning.save()
    registration = register(nanning_entry, people.agency_nanning)
    registration_return(registration=registration, by=people.police_nanning, reasons="场地地址不完整。")
    url = reverse("supervision:registration_detail", args=[registration.pk])
    agency_page = client_for(people.agency_nanning).get(url).content.decode()
    assert "场地地址不完整。" in agency_page and "覃警官" not in agency_page
    assert "覃警官" in client_for(people.police_nanning).get(url).content.decode()
