"""Each rule of the seed profiles, evaluated on crafted applications."""

import datetime as dt

import pytest

from agencies.models import ConditionProfile
from filings.conditions import FAILED, NOT_APPLICABLE, PASSED, evaluate
from filings.examples import sample_application_data
from tests.filings.conftest import SECURITY_MANAGER

TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


def rule(profile: str, kind: str, index: int = 0) -> dict:
    return [r for r in ConditionProfile.objects.get(code=profile).rules if r["kind"] == kind][index]


def check(rules, data, *, materials=("lease_contract",), name="南宁市安盾职业技能培训学校"):
    return evaluate(
        rules if isinstance(rules, list) else [rules],
        data,
        organisation_name=name,
        materials=set(materials),
        today=TODAY,
    )


@pytest.fixture
def data(people):
    return sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)


def test_examiners_per_occupation_quotes_the_clause_and_the_count(data):
    data["examiners"] = data["examiners"][:2]
    [result] = check(rule("guangxi-security-manager", "examiners_per_occupation"), data)
    assert result.status == FAILED
    assert result.clause == "考评人员应具有拟开展评价每个职业（工种）不少于3名"
    assert result.found.startswith("保卫管理员：2")


def test_examiners_per_occupation_passes_with_four(data):
    assert check(rule("guangxi-security-manager", "examiners_per_occupation"), data)[0].status == PASSED


def test_history_years_depend_on_the_scope(data):
    pilot = rule("guangxi-2020-pilot", "history_years")
    for row in data["occupations"]:
        row["start_date"] = "2021-06-01"  # five full years by 23 November 2026
    data["basic"]["scope"] = "region"
    assert check(pilot, data)[0].status == PASSED
    data["basic"]["scope"] = "national"
    result = check(pilot, data)[0]
    assert result.status == FAILED and "5" in result.found


def test_person_times_thresholds_per_scope(data):
    totals = rule("guangxi-2020-pilot", "total_person_times")
    data["basic"]["scope"] = "city"
    assert check(totals, data)[0].status == PASSED  # 2600 + 1900 + 1200 = 5700 ≥ 5000
    data["basic"]["scope"] = "region"
    assert check(totals, data)[0].status == FAILED  # < 20000


def test_a_rule_without_a_threshold_for_the_scope_is_not_applicable(data):
    data["basic"]["scope"] = "region"
    assert check(rule("guangxi-2020-pilot", "max_level"), data)[0].status == NOT_APPLICABLE


def test_city_scope_levels_above_three_fail_the_pilot_rule(data):
    data["basic"]["scope"] = "city"
    result = check(rule("guangxi-2020-pilot", "max_level"), data)[0]
    assert result.status == FAILED and "一级/高级技师" in result.found


def test_leased_sites_need_the_lease_contract(data):
    ownership = rule("guangxi-security-manager", "site_ownership")
    assert check(ownership, data)[0].status == PASSED
    assert check(ownership, data, materials=())[0].status == FAILED


def test_wuxi_lease_must_run_five_years(data):
    ownership = rule("wuxi-county-norms", "site_ownership")
    data["site"]["lease_years"] = "3"
    assert check(ownership, data)[0].status == FAILED


def test_wuxi_skill_site_area_grows_with_each_extra_occupation(data):
    area = rule("wuxi-county-norms", "area", 1)
    data["occupations"].append({**data["occupations"][0], "occupation": "4-07-05-01"})
    from agencies.models import Occupation

    assert Occupation.objects.filter(code="4-07-05-01").exists()
    data["site"]["skill_site_area"] = "250"
    result = check(area, data)[0]
    assert result.status == FAILED and "300" in result.found


def test_wuxi_own_examiners_and_question_bank(data):
    own = rule("wuxi-county-norms", "own_examiners_per_occupation")
    assert check(own, data)[0].status == PASSED
    assert check(own, data, name="别的机构")[0].status == FAILED
    bank = rule("wuxi-county-norms", "question_bank")
    data["occupations"][0]["theory_items"] = "500"
    assert check(bank, data)[0].status == FAILED


def test_management_systems_name_what_is_missing(data):
    systems = rule("guangxi-security-manager", "management_systems")
    data["systems"]["equipment_established"] = "no"
    result = check(systems, data)[0]
    assert result.status == FAILED and "设备、设施管理制度" in result.found


def test_every_seeded_rule_has_an_evaluator(db):
    from filings.conditions import EVALUATORS

    kinds = {r["kind"] for profile in ConditionProfile.objects.all() for r in profile.rules}
    assert kinds <= set(EVALUATORS)
