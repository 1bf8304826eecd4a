"""Condition checks on the edges a draft reaches: blank or missing sections, rows lacking keys, unparseable
counts, rules limited to some scopes, per-scope figures for all four scopes, and the texts a reviewer reads.

Figures are literals from the seeds (DESIGN.md section 4): 广西保卫管理员 附件1 (examiners ≥ 3 per occupation,
experts, video surveillance, ≥ 3 years, ≥ 5,000 person-times); 桂人社函〔2020〕203号 (national ≥ 6 years,
region ≥ 5, city ≥ 3); 溪人社发〔2021〕62号 (county: ≥ 5 years, examiners ≥ 3 per occupation with ≥ 1 the
agency's own, ≥ 800 theory and ≥ 30 skill items per occupation and level).

Written against the mutants a mutmut run left alive (bench/README.md). Those left are equivalent, defaults no
input reaches: the occupation-code defaults of ``Facts.__init__`` (rows without an occupation are filtered
first, and ``code__in`` drops ``None``), ``one``'s ``None or {}``, the employer default of
``_count_per_occupation`` (a row without an employer is not the agency's own either way), and a missing rule
source as ``None`` (the checks template shows a source only when there is one).
"""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from agencies.models import ConditionProfile
from filings.conditions import EVALUATORS, FAILED, NOT_APPLICABLE, PASSED, evaluate, evaluator
from filings.examples import sample_application_data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)

GX = "guangxi-security-manager"
WUXI = "wuxi-county-norms"

SECURITY_MANAGER = ("3-02-02-00", "保卫管理员")
SECURITY_GUARD = ("4-07-05-01", "保安员")
EXTERNAL_EMPLOYER = "广西警察学院"

NOT_REQUIRED = "该评价范围不作要求"  # "not required for this scope"


def rule(profile: str, kind: str, **params) -> dict:
    matches = [
        r
        for r in ConditionProfile.objects.get(code=profile).rules
        if r["kind"] == kind and all(r["params"].get(key) == value for key, value in params.items())
    ]
    assert len(matches) == 1, (profile, kind, params, matches)
    return matches[0]


@pytest.fixture
def org(people):
    return people.org_nanning


@pytest.fixture
def application_data(org):
    def make(*occupations, scope: str = "region") -> dict:
        rows = list(occupations) or [(*SECURITY_MANAGER, 3)]
        return sample_application_data(org, occupations=rows, scope=scope)

    return make


@pytest.fixture
def check(org):
    def run(rule: dict, data: dict, *, materials=("lease_contract",)):
        [result] = evaluate([rule], data, organisation_name=org.name, materials=set(materials), today=TODAY)
        return result

    return run


def examiner(occupation: str, employer: str, i: int = 0) -> dict:
    return {
        "name": f"考评员{i}",
        "gender": "男",
        "education": "大学本科",
        "title": "一级/高级技师",
        "employer": employer,
        "occupation": occupation,
        "examiner_number": f"45012019{i:04d}",
    }


# ---------------------------------------------------------------- what the reviewer reads


def test_no_occupation_entered_is_what_the_reviewer_reads(application_data, check):
    data = application_data()
    # The form's empty occupation row, as a draft saves it.
    data["occupations"] = [{"occupation": "", "work_type": "", "level": "", "person_times": "", "start_date": ""}]
    result = check(rule(GX, "examiners_per_occupation"), data)
    assert (result.status, result.found) == (FAILED, "未填写职业")


def test_per_occupation_figures_name_every_occupation_including_one_with_none(application_data, check, org):
    data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_GUARD, 3))
    data["examiners"] = [examiner("保卫管理员", org.name, i) for i in range(3)]
    result = check(rule(GX, "examiners_per_occupation"), data)
    assert (result.status, result.found) == (FAILED, "保卫管理员：3人；保安员：0人")


def test_the_clause_comes_with_its_source(application_data, check):
    result = check(rule(GX, "video_surveillance"), application_data())
    assert (result.clause, result.source) == ("具备视频监控设备", "附件1 一（三）")
    assert (result.status, result.found) == (PASSED, "是")


def test_the_checks_list_cites_the_source_only_when_the_rule_has_one(application_data, check):
    sourced = check(rule(GX, "video_surveillance"), application_data()).as_dict()
    bare = {"kind": "video_surveillance", "clause": "场地有监控", "params": {}}
    unsourced = check(bare, application_data()).as_dict()
    html = render_to_string("filings/_checks.html", {"checks": [sourced, unsourced]})
    assert "具备视频监控设备 <span" in html and "（附件1 一（三））" in html
    assert "场地有监控</div>" in html  # nothing cited after the clause


def test_an_occupation_missing_from_the_catalogue_shows_no_placeholder_name(application_data, check):
    data = application_data(("9-99-99-99", "已停用职业", 3))
    result = check(rule(WUXI, "question_bank"), data)
    assert result.status == PASSED  # 1,200 theory ≥ 800, 45 skill ≥ 30
    assert result.found.strip() == "三级/高级工：理论 1200 题，技能 45 题"


# ---------------------------------------------------------------- scopes


@pytest.mark.parametrize(
    ("scope", "expected"), [("city", PASSED), ("region", NOT_APPLICABLE), ("national", NOT_APPLICABLE)]
)
def test_a_rule_limited_to_some_scopes_is_not_applicable_to_the_others(application_data, check, scope, expected):
    city_only = {**rule(GX, "history_years"), "scopes": ["city"]}
    data = application_data(scope=scope)  # activity since 2019-03-01: seven full years, ≥ 3
    result = check(city_only, data)
    assert result.status == expected
    if expected == NOT_APPLICABLE:
        assert result.found == NOT_REQUIRED


def test_a_rule_limited_to_a_scope_is_evaluated_there_and_can_fail(application_data, check):
    city_only = {**rule(GX, "history_years"), "scopes": ["city"]}
    data = application_data(scope="city")
    for row in data["occupations"]:
        row["start_date"] = "2024-01-01"  # two full years by 23 November 2026, < 3
    assert check(city_only, data).status == FAILED
    data["basic"]["scope"] = "region"
    assert (check(city_only, data).status, check(city_only, data).found) == (NOT_APPLICABLE, NOT_REQUIRED)


def test_a_figure_missing_for_the_scope_reads_not_required(application_data, check):
    result = check(rule("guangxi-2020-pilot", "max_level"), application_data(scope="region"))
    assert (result.status, result.found) == (NOT_APPLICABLE, NOT_REQUIRED)


# Pilot figures for national, region and city, the Wuxi county norm for county.
ALL_SCOPES_YEARS = {"national": 6, "region": 5, "city": 3, "county": 5}


@pytest.mark.parametrize(("scope", "minimum"), ALL_SCOPES_YEARS.items())
def test_per_scope_figures_naming_all_four_scopes_are_resolved(application_data, check, scope, minimum):
    history = {
        "kind": "history_years",
        "clause": "原则上需具有连续相关培训评价经历",
        "source": "二（一）5",
        "params": {"min": ALL_SCOPES_YEARS},
    }
    data = application_data(scope=scope)
    since = TODAY.replace(year=TODAY.year - minimum)
    for row in data["occupations"]:
        row["start_date"] = since.isoformat()
    result = check(history, data)
    assert (result.status, result.found) == (PASSED, f"自 {since.isoformat()} 起，满 {minimum} 年")
    since += dt.timedelta(days=1)  # one day short of the minimum
    for row in data["occupations"]:
        row["start_date"] = since.isoformat()
    result = check(history, data)
    assert (result.status, result.found) == (FAILED, f"自 {since.isoformat()} 起，满 {minimum - 1} 年")


def test_a_rule_without_params_is_evaluated(application_data, check):
    bare = {"kind": "video_surveillance", "clause": "具备视频监控设备"}
    result = check(bare, application_data())
    assert (result.status, result.found) == (PASSED, "是")
    data = application_data()
    data["site"]["video_surveillance"] = "no"
    assert (check(bare, data).status, check(bare, data).found) == (FAILED, "否")


# ---------------------------------------------------------------- drafts: blank, missing, unparseable


def test_unparseable_person_times_count_as_nothing(application_data, check):
    totals = rule(GX, "total_person_times")  # ≥ 5,000
    data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_MANAGER, 2))
    data["occupations"][0]["person_times"] = "4999"
    data["occupations"][1]["person_times"] = "若干"
    result = check(totals, data)
    assert (result.status, result.found) == (FAILED, "4,999 人次")
    data["occupations"][0]["person_times"] = "5000"
    result = check(totals, data)
    assert (result.status, result.found) == (PASSED, "5,000 人次")


def test_blank_rows_of_a_draft_do_not_count_as_people(application_data, check):
    experts = rule(GX, "staff_count", section="experts")  # at least one expert
    data = application_data()
    data["experts"] = [{"name": "", "gender": "", "education": "", "title": "", "employer": "", "specialty": " "}]
    result = check(experts, data)
    assert (result.status, result.found) == (FAILED, "0 人")


def test_a_draft_missing_its_sections_is_evaluated_against_every_rule(application_data, org):
    data = application_data()
    data = {"basic": data["basic"], "occupations": data["occupations"]}
    results = evaluate(
        ConditionProfile.objects.get(code=GX).rules,
        data,
        organisation_name=org.name,
        materials=set(),
        today=TODAY,
    )
    by_kind = {(r.kind, r.clause): (r.status, r.found) for r in results}
    assert by_kind[("examiners_per_occupation", "考评人员应具有拟开展评价每个职业（工种）不少于3名")] == (
        FAILED,
        "保卫管理员：0人",
    )
    assert by_kind[("staff_count", "有专（兼）职专家队伍")] == (FAILED, "0 人")
    assert by_kind[("staff_count", "有内部质量督导员")] == (FAILED, "0 人")
    assert by_kind[("skill_stations", "评价场地应包含技能操作考核场地")] == (FAILED, "保卫管理员：0个工位")
    assert by_kind[("video_surveillance", "具备视频监控设备")] == (FAILED, "否")
    # The occupation rows are there: seven full years since 2019-03-01 (≥ 3), 2,600 person-times (< 5,000).
    assert by_kind[("history_years", "原则上需具有连续3年以上相关培训（评价）经历")][0] == PASSED
    assert by_kind[("total_person_times", "累计5000人次以上的相关培训评价规模")] == (FAILED, "2,600 人次")


def test_examiner_rows_lacking_an_employer_are_not_the_agencys_own(application_data, check, org):
    own = rule(WUXI, "own_examiners_per_occupation")  # ≥ 1 of its own
    data = application_data()
    keyless = {k: v for k, v in examiner("保卫管理员", "", 1).items() if k != "employer"}
    data["examiners"] = [keyless, keyless, examiner("保卫管理员", EXTERNAL_EMPLOYER, 2)]
    result = check(own, data)
    assert result.status == FAILED and result.found.startswith("保卫管理员：0")
    data["examiners"].append(examiner("保卫管理员", org.name, 3))
    result = check(own, data)
    assert result.status == PASSED and result.found.startswith("保卫管理员：1")


def test_an_external_examiner_listed_first_does_not_hide_the_agencys_own(application_data, check, org):
    own = rule(WUXI, "own_examiners_per_occupation")
    data = application_data()
    data["examiners"] = [examiner("保卫管理员", EXTERNAL_EMPLOYER, i) for i in range(2)] + [
        examiner("保卫管理员", org.name, 2)
    ]
    result = check(own, data)
    assert result.status == PASSED and result.found.startswith("保卫管理员：1")


def test_examiner_rows_lacking_an_occupation_count_for_no_occupation(application_data, check, org):
    examiners = rule(GX, "examiners_per_occupation")  # ≥ 3
    data = application_data()
    keyless = {k: v for k, v in examiner("", org.name, 9).items() if k != "occupation"}
    data["examiners"] = [examiner("保卫管理员", org.name, i) for i in range(2)] + [keyless]
    result = check(examiners, data)
    assert (result.status, result.found) == (FAILED, "保卫管理员：2人")
    data["examiners"].append(examiner("保卫管理员", EXTERNAL_EMPLOYER, 3))
    result = check(examiners, data)
    assert (result.status, result.found) == (PASSED, "保卫管理员：3人")


# ---------------------------------------------------------------- a new kind of rule


def test_a_new_kind_of_rule_is_a_new_evaluator(application_data, check):
    def always_passes(facts, params):
        return PASSED, params["note"]

    try:
        assert evaluator("test_edge_kind")(always_passes) is always_passes
        result = check({"kind": "test_edge_kind", "clause": "测试条款", "params": {"note": "说明"}}, application_data())
        assert (result.status, result.found) == (PASSED, "说明")
    finally:
        EVALUATORS.pop("test_edge_kind", None)
