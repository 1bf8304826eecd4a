"""Every condition evaluator on its threshold, just below and just above, with the seeded profile rules.

The expected figures are literals copied from the source documents (DESIGN.md section 4 and the seeds), never
read from ``agencies.profiles``: a wrong number in the profile data fails here.

- 广西保卫管理员 附件1 (also adopted by Shaanxi, 陕公通字〔2023〕64号, "按职业技能等级认定通知规定标准条件"):
  examiners ≥ 3 per occupation; experts, examiners and internal quality supervisors; theory rooms (standard or
  smart) and skill sites; video surveillance; owned site or a long-term lease contract; the management systems of
  附件2; ≥ 3 consecutive years and ≥ 5,000 person-times.
- 桂人社函〔2020〕203号 二（一）5: national ≥ 6 years / 50,000 / 10,000 per occupation; region ≥ 5 / 20,000 / 5,000;
  city ≥ 3 / 5,000 / 1,000; 一（二）: city scope level 3 (高级工) and below.
- 溪人社发〔2021〕62号: ≥ 5 years, ≥ 5,000, ≥ 500 per occupation; lease ≥ 5 years; office ≥ 200 m²; one standard
  room for 30; skill site ≥ 200 m² + 100 m² per extra occupation; video surveillance; examiners ≥ 3 per occupation,
  ≥ 1 the agency's own; ≥ 2 internal quality supervisors; per occupation and level ≥ 800 theory and ≥ 30 skill items.

"以上" and "不少于" include the figure itself (the figure passes).
"""

import datetime as dt

import pytest

from agencies.models import ConditionProfile
from filings.conditions import FAILED, NOT_APPLICABLE, PASSED, evaluate
from filings.examples import sample_application_data
from filings.services import application_checks, application_create, application_save_draft
from tests.filings.factories import make_call

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)

GX = "guangxi-security-manager"
SX = "shaanxi-security-manager"
PILOT = "guangxi-2020-pilot"
WUXI = "wuxi-county-norms"

SECURITY_MANAGER = ("3-02-02-00", "保卫管理员")
SECURITY_GUARD = ("4-07-05-01", "保安员")

EXTERNAL_EMPLOYER = "广西警察学院"

# The management systems of 附件2 (管理制度建立情况), by the form's codes.
DOCUMENTED_SYSTEMS = {
    "exam_affairs": "考务管理办法",
    "examiners": "考评人员管理办法",
    "quality_supervision": "内部质量督导管理办法",
    "question_bank_certificates": "题库、证书管理办法",
    "job_duties": "各岗位职责",
    "exam_rules": "理论考试、操作考核规则",
    "archives_finance": "档案、财务管理制度",
    "equipment": "设备、设施管理制度",
}


def rule(profile: str, kind: str, **params) -> dict:
    """The one seeded rule of ``kind`` in the profile whose params contain ``params`` (to tell rules apart)."""
    matches = [
        r
        for r in ConditionProfile.objects.get(code=profile).rules
        if r["kind"] == kind and all(r["params"].get(key) == value for key, value in params.items())
    ]
    assert len(matches) == 1, (profile, kind, params, matches)
    return matches[0]


def status(rules: dict, data: dict, *, organisation: str, materials=("lease_contract",), today=TODAY) -> str:
    [result] = evaluate([rules], data, organisation_name=organisation, materials=set(materials), today=today)
    return result.status


def years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years)


@pytest.fixture
def org(people):
    return people.org_nanning


@pytest.fixture
def application_data(org):
    """A complete application for the given (code, name, level) rows, in the given scope."""

    def make(*occupations, scope: str = "region") -> dict:
        rows = list(occupations) or [(*SECURITY_MANAGER, 3)]
        return sample_application_data(org, occupations=rows, scope=scope)

    return make


def examiner_rows(occupation: str, count: int, *, own: int, organisation: str) -> list[dict]:
    return [
        {
            "name": f"考评员{occupation}{i}",
            "gender": "男",
            "education": "大学本科",
            "title": "一级/高级技师",
            "employer": organisation if i < own else EXTERNAL_EMPLOYER,
            "occupation": occupation,
            "examiner_number": f"45012019{i:04d}",
        }
        for i in range(count)
    ]


def person_rows(count: int) -> list[dict]:
    return [
        {"name": f"人员{i}", "gender": "女", "education": "大学本科", "title": "高级工程师", "employer": "某单位"}
        for i in range(count)
    ]


# ---------------------------------------------------------------- examiners


@pytest.mark.parametrize("profile", [GX, SX, WUXI])
@pytest.mark.parametrize(("count", "expected"), [(2, FAILED), (3, PASSED), (4, PASSED)])
def test_examiners_per_occupation_need_at_least_three(application_data, org, profile, count, expected):
    data = application_data()
    data["examiners"] = examiner_rows("保卫管理员", count, own=1, organisation=org.name)
    assert status(rule(profile, "examiners_per_occupation"), data, organisation=org.name) == expected


def test_examiners_must_reach_three_in_every_occupation_not_only_in_one(application_data, org):
    data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_GUARD, 3))
    data["examiners"] = examiner_rows("保卫管理员", 3, own=1, organisation=org.name) + examiner_rows(
        "保安员", 2, own=1, organisation=org.name
    )
    assert status(rule(GX, "examiners_per_occupation"), data, organisation=org.name) == FAILED
    data["examiners"] += examiner_rows("保安员", 1, own=0, organisation=org.name)
    assert status(rule(GX, "examiners_per_occupation"), data, organisation=org.name) == PASSED


def test_examiners_of_another_occupation_do_not_count(application_data, org):
    data = application_data()
    data["examiners"] = examiner_rows("保安员", 5, own=1, organisation=org.name)
    assert status(rule(GX, "examiners_per_occupation"), data, organisation=org.name) == FAILED


@pytest.mark.parametrize(("own", "expected"), [(0, FAILED), (1, PASSED), (2, PASSED)])
def test_wuxi_needs_at_least_one_own_examiner_per_occupation(application_data, org, own, expected):
    data = application_data()
    data["examiners"] = examiner_rows("保卫管理员", 4, own=own, organisation=org.name)
    assert status(rule(WUXI, "own_examiners_per_occupation"), data, organisation=org.name) == expected


# ---------------------------------------------------------------- staff


@pytest.mark.parametrize(
    ("profile", "section", "minimum"),
    [
        (GX, "experts", 1),  # 附件1 一（二）专（兼）职专家队伍
        (GX, "supervisors", 1),  # 附件1 一（二）内部质量督导员
        (SX, "experts", 1),
        (SX, "supervisors", 1),
        (PILOT, "experts", 1),  # 二（一）2 专家团队
        (PILOT, "supervisors", 1),  # 二（一）2 质量督导人员
        (WUXI, "supervisors", 2),  # 六（二）2 内部质量督导人员不少于2名
    ],
)
def test_staff_counts_pass_from_their_minimum_on(application_data, org, profile, section, minimum):
    staff = rule(profile, "staff_count", section=section)
    for count, expected in ((minimum - 1, FAILED), (minimum, PASSED), (minimum + 1, PASSED)):
        data = application_data()
        data[section] = person_rows(count)
        assert status(staff, data, organisation=org.name) == expected, (section, count)


# ---------------------------------------------------------------- history, person-times, levels


@pytest.mark.parametrize(
    ("profile", "scope", "years"),
    [
        (GX, "region", 3),
        (GX, "city", 3),
        (SX, "city", 3),
        (PILOT, "national", 6),
        (PILOT, "region", 5),
        (PILOT, "city", 3),
        (WUXI, "county", 5),
    ],
)
def test_history_counts_full_years_up_to_the_day(application_data, org, profile, scope, years):
    history = rule(profile, "history_years")
    anniversary = years_before(TODAY, years)
    cases = [
        (anniversary + dt.timedelta(days=1), FAILED),  # one day short of the full years
        (anniversary, PASSED),  # exactly the full years today
        (anniversary - dt.timedelta(days=1), PASSED),
        (years_before(TODAY, years - 1), FAILED),
        (years_before(TODAY, years + 1), PASSED),
    ]
    for start, expected in cases:
        data = application_data(scope=scope)
        for row in data["occupations"]:
            row["start_date"] = start.isoformat()
        assert status(history, data, organisation=org.name) == expected, (scope, start)


def test_history_without_a_start_date_fails(application_data, org):
    data = application_data()
    data["occupations"][0]["start_date"] = ""
    assert status(rule(GX, "history_years"), data, organisation=org.name) == FAILED


@pytest.mark.parametrize(
    ("profile", "scope", "minimum"),
    [
        (GX, "region", 5000),
        (SX, "city", 5000),
        (PILOT, "national", 50000),
        (PILOT, "region", 20000),
        (PILOT, "city", 5000),
        (WUXI, "county", 5000),
    ],
)
def test_total_person_times_add_up_every_row_against_the_minimum(application_data, org, profile, scope, minimum):
    totals = rule(profile, "total_person_times")
    for total, expected in ((minimum - 1, FAILED), (minimum, PASSED), (minimum + 1, PASSED)):
        data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_GUARD, 3), scope=scope)
        data["occupations"][0]["person_times"] = str(total // 2)
        data["occupations"][1]["person_times"] = str(total - total // 2)
        assert status(totals, data, organisation=org.name) == expected, (scope, total)


@pytest.mark.parametrize(
    ("profile", "scope", "minimum"),
    [
        (PILOT, "national", 10000),
        (PILOT, "region", 5000),
        (PILOT, "city", 1000),
        (WUXI, "county", 500),
    ],
)
def test_person_times_per_occupation_pass_from_the_minimum_on(application_data, org, profile, scope, minimum):
    per_occupation = rule(profile, "person_times_per_occupation")
    for count, expected in ((minimum - 1, FAILED), (minimum, PASSED), (minimum + 1, PASSED)):
        data = application_data(scope=scope)
        data["occupations"][0]["person_times"] = str(count)
        assert status(per_occupation, data, organisation=org.name) == expected, (scope, count)


@pytest.mark.parametrize(("profile", "scope", "minimum"), [(PILOT, "city", 1000), (WUXI, "county", 500)])
def test_person_times_per_occupation_hold_for_every_occupation(application_data, org, profile, scope, minimum):
    per_occupation = rule(profile, "person_times_per_occupation")
    data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_GUARD, 3), scope=scope)
    data["occupations"][0]["person_times"] = str(minimum * 10)
    data["occupations"][1]["person_times"] = str(minimum - 1)
    assert status(per_occupation, data, organisation=org.name) == FAILED
    data["occupations"][1]["person_times"] = str(minimum)
    assert status(per_occupation, data, organisation=org.name) == PASSED


def test_person_times_of_one_occupation_at_several_levels_add_up(application_data, org):
    per_occupation = rule(PILOT, "person_times_per_occupation")
    data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_MANAGER, 2), scope="region")
    data["occupations"][0]["person_times"] = "2500"
    data["occupations"][1]["person_times"] = "2499"
    assert status(per_occupation, data, organisation=org.name) == FAILED
    data["occupations"][1]["person_times"] = "2500"
    assert status(per_occupation, data, organisation=org.name) == PASSED


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([(*SECURITY_MANAGER, 3)], PASSED),  # on the boundary: 三级/高级工
        ([(*SECURITY_GUARD, 4)], PASSED),  # below it
        ([(*SECURITY_MANAGER, 2)], FAILED),  # one level above it: 二级/技师
        ([(*SECURITY_MANAGER, 1)], FAILED),
        ([(*SECURITY_GUARD, 4), (*SECURITY_GUARD, 3), (*SECURITY_MANAGER, 2)], FAILED),
    ],
)
def test_city_scope_of_the_pilot_allows_level_three_and_below(application_data, org, levels, expected):
    data = application_data(*levels, scope="city")
    assert status(rule(PILOT, "max_level"), data, organisation=org.name) == expected


@pytest.mark.parametrize("scope", ["region", "national"])
def test_the_level_ceiling_does_not_apply_beyond_city_scope(application_data, org, scope):
    data = application_data((*SECURITY_MANAGER, 1), scope=scope)
    assert status(rule(PILOT, "max_level"), data, organisation=org.name) == NOT_APPLICABLE


# ---------------------------------------------------------------- scope-dependent figures


def test_the_same_history_passes_for_one_scope_and_fails_for_a_wider_one(application_data, org):
    history = rule(PILOT, "history_years")
    expected = {
        3: {"city": PASSED, "region": FAILED, "national": FAILED},
        5: {"city": PASSED, "region": PASSED, "national": FAILED},
        6: {"city": PASSED, "region": PASSED, "national": PASSED},
    }
    for years, by_scope in expected.items():
        for scope, outcome in by_scope.items():
            data = application_data(scope=scope)
            data["occupations"][0]["start_date"] = years_before(TODAY, years).isoformat()
            assert status(history, data, organisation=org.name) == outcome, (years, scope)


def test_the_same_person_times_pass_for_one_scope_and_fail_for_a_wider_one(application_data, org):
    expected = {
        # person-times of one occupation: (total rule, per-occupation rule) per scope
        5000: {"city": (PASSED, PASSED), "region": (FAILED, PASSED), "national": (FAILED, FAILED)},
        20000: {"city": (PASSED, PASSED), "region": (PASSED, PASSED), "national": (FAILED, PASSED)},
        50000: {"city": (PASSED, PASSED), "region": (PASSED, PASSED), "national": (PASSED, PASSED)},
        1000: {"city": (FAILED, PASSED), "region": (FAILED, FAILED), "national": (FAILED, FAILED)},
    }
    total, per_occupation = rule(PILOT, "total_person_times"), rule(PILOT, "person_times_per_occupation")
    for count, by_scope in expected.items():
        for scope, outcome in by_scope.items():
            data = application_data(scope=scope)
            data["occupations"][0]["person_times"] = str(count)
            found = (status(total, data, organisation=org.name), status(per_occupation, data, organisation=org.name))
            assert found == outcome, (count, scope)


@pytest.mark.parametrize("kind", ["history_years", "total_person_times", "person_times_per_occupation"])
def test_pilot_figures_do_not_apply_to_a_scope_the_pilot_does_not_know(application_data, org, kind):
    assert status(rule(PILOT, kind), application_data(scope="county"), organisation=org.name) == NOT_APPLICABLE


@pytest.mark.parametrize(("scope", "expected"), [("city", PASSED), ("region", FAILED), ("national", FAILED)])
def test_the_checks_of_an_application_use_the_scope_it_applies_for(people, scope, expected):
    call = make_call(f"pilot-{scope}", profile=PILOT, scopes=("national", "region", "city"), workflow="by_scope")
    draft = application_create(organisation=people.org_nanning, call=call, by=people.agency_nanning)
    data = sample_application_data(people.org_nanning, occupations=[(*SECURITY_MANAGER, 3)], scope=scope)
    data["occupations"][0]["person_times"] = "5000"
    application_save_draft(application=draft, data=data, by=people.agency_nanning)
    draft.refresh_from_db()
    assert draft.scope == scope
    [total] = [check for check in application_checks(draft) if check.kind == "total_person_times"]
    assert total.status == expected


# ---------------------------------------------------------------- sites and equipment


def site(data: dict, **values) -> dict:
    data["site"] = {**data["site"], **{key: str(value) for key, value in values.items()}}
    return data


@pytest.mark.parametrize("profile", [GX, SX])
@pytest.mark.parametrize(
    ("rooms", "expected"),
    [
        ({"standard_rooms": 0, "smart_rooms": 0}, FAILED),
        ({"standard_rooms": 1, "smart_rooms": 0}, PASSED),
        ({"standard_rooms": 0, "smart_rooms": 1}, PASSED),  # 标准考场、智能化考场: either kind
        ({"standard_rooms": 2, "smart_rooms": 0}, PASSED),
    ],
)
def test_guangxi_needs_at_least_one_theory_room_of_either_kind(application_data, org, profile, rooms, expected):
    data = site(application_data(), **rooms)
    assert status(rule(profile, "theory_rooms"), data, organisation=org.name) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"standard_rooms": 1, "standard_seats": 29, "largest_room_seats": 29}, FAILED),
        ({"standard_rooms": 1, "standard_seats": 30, "largest_room_seats": 30}, PASSED),
        ({"standard_rooms": 1, "standard_seats": 31, "largest_room_seats": 31}, PASSED),
        ({"standard_rooms": 0, "standard_seats": 30, "largest_room_seats": 30}, FAILED),
        # Two rooms of 15 are not "一个能容纳30人的…考场".
        ({"standard_rooms": 2, "standard_seats": 30, "largest_room_seats": 15}, FAILED),
    ],
)
def test_wuxi_needs_a_standard_theory_room_for_thirty(application_data, org, values, expected):
    data = site(application_data(), smart_rooms=0, smart_seats=0, **values)
    assert status(rule(WUXI, "theory_rooms"), data, organisation=org.name) == expected


def test_wuxi_does_not_count_a_smart_room_as_its_standard_room_for_thirty(application_data, org):
    """溪人社发〔2021〕62号 四（二）: "不少于一个能容纳30人的课桌式标准化考场" — a desk-style standard room."""
    data = site(application_data(), standard_rooms=0, standard_seats=0, smart_rooms=1, smart_seats=40)
    assert status(rule(WUXI, "theory_rooms"), data, organisation=org.name) == FAILED


@pytest.mark.parametrize("profile", [GX, SX])
@pytest.mark.parametrize(("stations", "expected"), [(0, FAILED), (1, PASSED), (2, PASSED)])
def test_guangxi_needs_a_skill_station_for_each_occupation(application_data, org, profile, stations, expected):
    data = application_data()
    data["stations"] = [{"occupation": "保卫管理员", "stations": str(stations), "note": ""}]
    assert status(rule(profile, "skill_stations"), data, organisation=org.name) == expected


def test_skill_stations_of_one_occupation_do_not_cover_another(application_data, org):
    data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_GUARD, 3))
    data["stations"] = [{"occupation": "保卫管理员", "stations": "20", "note": ""}]
    assert status(rule(GX, "skill_stations"), data, organisation=org.name) == FAILED


@pytest.mark.parametrize("profile", [GX, SX, PILOT, WUXI])
@pytest.mark.parametrize(("value", "expected"), [("yes", PASSED), ("no", FAILED), ("", FAILED), (None, FAILED)])
def test_video_surveillance_passes_only_when_present(application_data, org, profile, value, expected):
    data = application_data()
    if value is None:
        data["site"].pop("video_surveillance")
    else:
        data["site"]["video_surveillance"] = value
    assert status(rule(profile, "video_surveillance"), data, organisation=org.name) == expected


@pytest.mark.parametrize("profile", [GX, SX])
@pytest.mark.parametrize(
    ("ownership", "materials", "expected"),
    [
        ("owned", (), PASSED),
        ("leased", ("lease_contract",), PASSED),
        ("leased", (), FAILED),  # 非自有的需提供长期租用协议或合同
        ("other", ("lease_contract",), FAILED),
        ("", ("lease_contract",), FAILED),
    ],
)
def test_guangxi_site_is_owned_or_leased_under_a_contract(
    application_data, org, profile, ownership, materials, expected
):
    data = site(application_data(), ownership=ownership)
    assert status(rule(profile, "site_ownership"), data, organisation=org.name, materials=materials) == expected


@pytest.mark.parametrize(("years", "expected"), [(4, FAILED), (5, PASSED), (6, PASSED)])
def test_wuxi_lease_runs_at_least_five_years(application_data, org, years, expected):
    data = site(application_data(), ownership="leased", lease_years=years)
    assert status(rule(WUXI, "site_ownership"), data, organisation=org.name) == expected


def test_wuxi_five_year_lease_still_needs_the_contract(application_data, org):
    data = site(application_data(), ownership="leased", lease_years=5)
    assert status(rule(WUXI, "site_ownership"), data, organisation=org.name, materials=()) == FAILED
    data = site(application_data(), ownership="owned", lease_years=0)
    assert status(rule(WUXI, "site_ownership"), data, organisation=org.name, materials=()) == PASSED


@pytest.mark.parametrize(("area", "expected"), [(199, FAILED), (200, PASSED), (201, PASSED)])
def test_wuxi_office_is_at_least_two_hundred_square_metres(application_data, org, area, expected):
    data = site(application_data(), office_area=area)
    assert status(rule(WUXI, "area", field="office_area"), data, organisation=org.name) == expected


@pytest.mark.parametrize(
    ("occupations", "required"),
    [
        ([(*SECURITY_MANAGER, 3)], 200),
        ([(*SECURITY_MANAGER, 3), (*SECURITY_MANAGER, 2)], 200),  # one occupation at two levels
        ([(*SECURITY_MANAGER, 3), (*SECURITY_GUARD, 3)], 300),
        ([(*SECURITY_MANAGER, 3), (*SECURITY_GUARD, 3), ("4-07-05-02", "安检员", 3)], 400),
    ],
)
def test_wuxi_skill_site_grows_by_a_hundred_square_metres_per_extra_occupation(
    application_data, org, occupations, required
):
    skill_site = rule(WUXI, "area", field="skill_site_area")
    for area, expected in ((required - 1, FAILED), (required, PASSED), (required + 1, PASSED)):
        data = site(application_data(*occupations), skill_site_area=area)
        assert status(skill_site, data, organisation=org.name) == expected, (len(occupations), area)


# ---------------------------------------------------------------- question bank and management systems


@pytest.mark.parametrize(
    ("theory", "skill", "expected"),
    [
        (799, 30, FAILED),
        (800, 30, PASSED),
        (801, 31, PASSED),
        (800, 29, FAILED),
        (801, 29, FAILED),
    ],
)
def test_wuxi_question_bank_needs_eight_hundred_theory_and_thirty_skill_items(
    application_data, org, theory, skill, expected
):
    data = application_data()
    data["occupations"][0].update(theory_items=str(theory), skill_items=str(skill))
    assert status(rule(WUXI, "question_bank"), data, organisation=org.name) == expected


def test_wuxi_question_bank_counts_for_each_level_of_an_occupation(application_data, org):
    data = application_data((*SECURITY_MANAGER, 3), (*SECURITY_MANAGER, 2))
    data["occupations"][0].update(theory_items="800", skill_items="30")
    data["occupations"][1].update(theory_items="799", skill_items="30")
    assert status(rule(WUXI, "question_bank"), data, organisation=org.name) == FAILED


@pytest.mark.parametrize("profile", [GX, SX])
def test_guangxi_management_systems_pass_when_all_eight_are_established(application_data, org, profile):
    data = application_data()
    data["systems"] = {f"{code}_established": "yes" for code in DOCUMENTED_SYSTEMS}
    assert status(rule(profile, "management_systems"), data, organisation=org.name) == PASSED


@pytest.mark.parametrize(("code", "label"), list(DOCUMENTED_SYSTEMS.items()))
def test_guangxi_management_systems_fail_without_any_one_of_the_eight(application_data, org, code, label):
    data = application_data()
    data["systems"] = {f"{other}_established": "yes" for other in DOCUMENTED_SYSTEMS if other != code}
    [result] = evaluate(
        [rule(GX, "management_systems")], data, organisation_name=org.name, materials=set(), today=TODAY
    )
    assert result.status == FAILED
    assert label in result.found
