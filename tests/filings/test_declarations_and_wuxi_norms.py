"""附件1 三 (who cannot be an evaluation organisation) and 一（五） asked as declarations, and the Wuxi norms that
were not checkable: each on, below and above its threshold.

The clauses and figures are typed from the seeds (guangxi-security-manager-agency-call.txt 附件1 三 and
一（五）; wuxi-2021-evaluation-agency-norms.txt 三, 四（一）, 四（二）, 六（一）1–2), never read from
``agencies.profiles``: the constants below and the parameters of each test.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from agencies.models import ConditionProfile
from filings.conditions import FAILED, NOT_APPLICABLE, PASSED, evaluate
from filings.examples import sample_application_data
from filings.services import application_checks, application_create, application_save_draft, application_submit
from tests.filings.factories import make_call

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
GX, SX, PILOT, WUXI = "guangxi-security-manager", "shaanxi-security-manager", "guangxi-2020-pilot", "wuxi-county-norms"

EXCLUSIONS = {
    "三（一）": "政府及其所属事业单位、未与政府部门脱钩的社会团体",
    "三（二）": "申请机构及法定代表人在培训评价领域有违法违规及失信行为",
    "三（三）": "社会团体、民营非企业等3年内民政部门年审不合格或在民政部门非法社会组织名单内",
    "三（四）": "企业3年内在市场监管部门公布的企业经营异常目录内",
    "三（五）": "机构在人才培训和评价领域有不良记录",
}
MAIN_DUTY = {
    "training_main_duty": "以人才培训培养为主要工作职责",
    "business_scope": "具备登记或批准的培训或评价相关业务范围",
}


def declarations(profile: str) -> list[dict]:
    return [r for r in ConditionProfile.objects.get(code=profile).rules if r["kind"] == "declaration"]


def one_rule(profile: str, kind: str) -> dict:
    [rule] = [r for r in ConditionProfile.objects.get(code=profile).rules if r["kind"] == kind]
    return rule


def status(rule: dict, data: dict, *, today=TODAY) -> str:
    [result] = evaluate([rule], data, organisation_name="机构", materials={"lease_contract"}, today=today)
    return result.status


@pytest.fixture
def data(people):
    return sample_application_data(people.org_nanning, occupations=[("3-02-02-00", "保卫管理员", 3)])


# ---------------------------------------------------------------- declarations (附件1 三, 一（五）)


@pytest.mark.parametrize("profile", [GX, SX])
def test_each_exclusion_and_the_main_duty_clauses_are_quoted_as_declarations(profile):
    clauses = [rule["clause"] for rule in declarations(profile)]
    for text in EXCLUSIONS.values():
        assert sum(text in clause for clause in clauses) == 1, text
    for text in MAIN_DUTY.values():
        assert sum(text in clause for clause in clauses) == 1, text
    if profile == GX:
        sources = {rule["source"] for rule in declarations(profile)}
        assert {f"附件1 {number}" for number in EXCLUSIONS} | {"附件1 一（五）"} == sources


@pytest.mark.parametrize(("answer", "expected"), [("yes", PASSED), ("no", FAILED), ("", FAILED)])
@pytest.mark.parametrize("clause", ["三（一）", "三（二）", "三（五）", "一（五）主要工作职责"])
def test_a_declaration_passes_only_when_declared_true(data, clause, answer, expected):
    text = EXCLUSIONS.get(clause) or MAIN_DUTY["training_main_duty"]
    [rule] = [r for r in declarations(GX) if text in r["clause"]]
    data["declarations"][rule["params"]["key"]] = answer
    assert status(rule, data) == expected


@pytest.mark.parametrize(
    ("clause", "nature", "expected"),
    [
        ("三（三）", "association", FAILED),
        ("三（三）", "private_non_enterprise", FAILED),
        ("三（三）", "enterprise", NOT_APPLICABLE),
        ("三（四）", "enterprise", FAILED),
        ("三（四）", "association", NOT_APPLICABLE),
    ],
)
def test_the_civil_affairs_and_market_exclusions_concern_their_kind_of_organisation(data, clause, nature, expected):
    [rule] = [r for r in declarations(GX) if EXCLUSIONS[clause] in r["clause"]]
    data["basic"]["nature"] = nature
    data["declarations"][rule["params"]["key"]] = "no"
    assert status(rule, data) == expected


def test_the_business_scope_is_declared_with_the_registered_scope_written_out(data):
    [rule] = [r for r in declarations(GX) if MAIN_DUTY["business_scope"] in r["clause"]]
    data["declarations"]["business_scope"] = "yes"
    data["declarations"]["business_scope_detail"] = ""
    assert status(rule, data) == FAILED
    data["declarations"]["business_scope_detail"] = "职业技能培训"
    assert status(rule, data) == PASSED


def test_the_agency_answers_the_declarations_on_its_form_and_the_checks_quote_the_clause(people, client_for):
    application = application_create(organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    client = client_for(people.agency_nanning)
    url = reverse("filings:application_edit", args=[application.pk])
    page = client.get(url).content.decode()
    assert 'id="section-declarations"' in page
    assert "本机构不是政府及其所属事业单位" in page
    client.post(url, {"declarations-not_government_body": "no", "declarations-no_bad_record": "yes"})
    application.refresh_from_db()
    checks = {c.source: c for c in application_checks(application) if c.kind == "declaration"}
    assert checks["附件1 三（一）"].status == FAILED
    assert checks["附件1 三（五）"].status == PASSED
    assert EXCLUSIONS["三（一）"] in checks["附件1 三（一）"].clause


def test_a_call_without_declarations_does_not_show_the_section(people, client_for):
    call = make_call("pilot", profile=PILOT, scopes=("city", "region", "national"))
    application = application_create(organisation=people.org_nanning, call=call, by=people.agency_nanning)
    page = client_for(people.agency_nanning).get(reverse("filings:application_edit", args=[application.pk]))
    assert 'id="section-declarations"' not in page.content.decode()
    assert 'id="section-management"' not in page.content.decode()


# ---------------------------------------------------------------- Wuxi 四（一）、四（二）


@pytest.mark.parametrize("missing", ["exam_office", "paper_vault", "archive_room"])
def test_wuxi_office_needs_the_exam_office_the_paper_vault_and_the_archive_room(data, missing):
    rule = one_rule(WUXI, "rooms_present")
    assert status(rule, data) == PASSED
    data["site"][missing] = "no"
    assert status(rule, data) == FAILED


@pytest.mark.parametrize(("spacing", "expected"), [(79, FAILED), (80, FAILED), (81, PASSED)])
def test_wuxi_seats_are_more_than_eighty_centimetres_apart(data, spacing, expected):
    data["site"]["desk_spacing_cm"] = str(spacing)
    assert status(one_rule(WUXI, "desk_spacing"), data) == expected


def test_the_wuxi_form_asks_for_the_largest_room_the_spacing_and_the_rooms_and_guangxi_does_not(people, client_for):
    client = client_for(people.agency_nanning)
    wuxi = application_create(
        organisation=people.org_nanning, call=make_call("wx", profile=WUXI), by=people.agency_nanning
    )
    guangxi = application_create(organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    fields = ("site-largest_room_seats", "site-desk_spacing_cm", "site-exam_office", "management-head_birth_date")
    wuxi_page = client.get(reverse("filings:application_edit", args=[wuxi.pk])).content.decode()
    guangxi_page = client.get(reverse("filings:application_edit", args=[guangxi.pk])).content.decode()
    for name in fields:
        assert f'name="{name}"' in wuxi_page
        assert f'name="{name}"' not in guangxi_page


# ---------------------------------------------------------------- Wuxi 六（一）: head of the agency, finance staff


def born_aged(age: int, *, days_after_birthday: int = 0) -> str:
    """A date of birth making the head ``age`` full years old on TODAY."""
    return (TODAY.replace(year=TODAY.year - age) - dt.timedelta(days=days_after_birthday)).isoformat()


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (born_aged(64), PASSED),
        (born_aged(65), PASSED),  # 65 today: "不超过65周岁"
        (born_aged(65, days_after_birthday=364), PASSED),
        (born_aged(66), FAILED),
    ],
)
def test_wuxi_head_is_at_most_sixty_five(data, birth, expected):
    data["management"]["head_birth_date"] = birth
    assert status(one_rule(WUXI, "head_of_agency"), data) == expected


@pytest.mark.parametrize(
    ("education", "expected"),
    [("大学专科", FAILED), ("大学本科", PASSED), ("硕士研究生", PASSED), ("博士研究生", PASSED), ("", FAILED)],
)
def test_wuxi_head_holds_a_bachelor_degree_or_higher(data, education, expected):
    data["management"]["head_education"] = education
    assert status(one_rule(WUXI, "head_of_agency"), data) == expected


@pytest.mark.parametrize(
    ("qualification", "expected"),
    [
        ("junior_title", FAILED),
        ("intermediate_title", PASSED),
        ("senior_title", PASSED),
        ("level_3", FAILED),
        ("level_2", PASSED),
        ("level_1", PASSED),
        ("none", FAILED),
    ],
)
def test_wuxi_head_has_a_mid_level_title_or_skill_level_two(data, qualification, expected):
    data["management"]["head_qualification"] = qualification
    assert status(one_rule(WUXI, "head_of_agency"), data) == expected


@pytest.mark.parametrize(("years", "expected"), [(2, FAILED), (3, PASSED), (4, PASSED)])
def test_wuxi_head_has_three_years_in_training_or_evaluation(data, years, expected):
    data["management"]["head_years"] = str(years)
    assert status(one_rule(WUXI, "head_of_agency"), data) == expected


@pytest.mark.parametrize(("count", "expected"), [(1, FAILED), (2, PASSED), (3, PASSED)])
def test_wuxi_has_at_least_two_finance_staff(data, count, expected):
    data["management"]["finance_staff"] = str(count)
    assert status(one_rule(WUXI, "finance_staff"), data) == expected


# ---------------------------------------------------------------- Wuxi 三: its own eight management systems


WUXI_SYSTEM_NAMES = [
    "行政管理制度",
    "财务管理制度",
    "安全管理制度",
    "工作人员管理制度",
    "档案管理制度",
    "职业技能等级认定组织实施管理制度",
    "技能人才培养激励制度",
    "教学与评价衔接制度",
]


def wuxi_systems_rule() -> dict:
    [rule] = [r for r in ConditionProfile.objects.get(code=WUXI).rules if r["kind"] == "management_systems"]
    return rule


def test_wuxi_lists_its_eight_systems_by_their_names():
    assert [name for _code, name in wuxi_systems_rule()["params"]["catalogue"]] == WUXI_SYSTEM_NAMES


@pytest.mark.parametrize("name", WUXI_SYSTEM_NAMES[:6])
def test_a_third_party_agency_in_wuxi_needs_each_of_the_first_six_systems(data, name):
    rule = wuxi_systems_rule()
    code = dict((n, c) for c, n in rule["params"]["catalogue"])[name]
    assert status(rule, data) == PASSED
    data["systems"][f"{code}_established"] = "no"
    assert status(rule, data) == FAILED
    assert name in evaluate([rule], data, organisation_name="机构", materials=set(), today=TODAY)[0].found


def test_the_incentive_and_teaching_systems_concern_employers_and_schools(data):
    rule = wuxi_systems_rule()
    codes = dict((n, c) for c, n in rule["params"]["catalogue"])
    data["systems"][f"{codes['技能人才培养激励制度']}_established"] = "no"
    data["systems"][f"{codes['教学与评价衔接制度']}_established"] = "no"
    data["basic"]["nature"] = "private_non_enterprise"
    assert status(rule, data) == PASSED
    data["basic"]["nature"] = "school"
    assert status(rule, data) == FAILED


def test_the_wuxi_form_asks_about_the_eight_systems(people, client_for):
    wuxi = application_create(
        organisation=people.org_nanning, call=make_call("wx", profile=WUXI), by=people.agency_nanning
    )
    page = client_for(people.agency_nanning).get(reverse("filings:application_edit", args=[wuxi.pk])).content.decode()
    systems = page.split('id="section-systems"')[1].split("</fieldset>")[0]
    for name in WUXI_SYSTEM_NAMES:
        assert name in systems
    assert len(re.findall(r'name="systems-[a-z_]+_established"', systems)) == 9 + 8


def test_every_reviewer_reads_the_declaration_in_words_not_a_bare_yes(complete_draft, people, client_for):
    """The exclusions are phrased as the bad case ("不能设立：政府及其所属事业单位…"): "实际情况：声明：是" next to
    them read as if the agency owned up to it. The page says what the applicant declared, in words."""
    application = complete_draft
    data = {"declarations": {**application.data["declarations"], "no_violations": "no"}}
    data["declarations"].pop("no_bad_record", None)
    application_save_draft(application=application, data=data, by=people.agency_nanning)
    items = {}
    page = client_for(people.agency_nanning).get(reverse("filings:application_edit", args=[application.pk]))
    checks = page.content.decode().split('class="list-group list-group-flush checks"')[1].split("</ul>")[0]
    for item in checks.split("<li")[1:]:
        for key, clause in EXCLUSIONS.items():
            if clause in item:
                items[key] = re.sub(r"\s+", " ", item)
    assert "符合" in items["三（一）"] and "不符合" not in items["三（一）"]
    assert "申请人声明：本机构不是政府及其所属事业单位" in items["三（一）"]
    assert "不符合" in items["三（二）"]
    assert "申请人对以下声明答“否”：本机构及其法定代表人在培训评价领域没有违法违规及失信行为" in items["三（二）"]
    assert "申请人尚未对以下声明作答：本机构在人才培训和评价领域没有不良记录" in items["三（五）"]
    for item in items.values():
        assert "实际情况" not in item and "声明：是" not in item and "声明：否" not in item


def test_a_version_frozen_with_the_old_wording_shows_the_declaration_in_words(complete_draft, people, client_for):
    """Versions submitted before the wording changed hold "声明：是" in their frozen checks: the pages word each
    declaration again from the version's own answers; the version itself is not changed."""
    from filings.models import ApplicationVersion

    application = complete_draft
    legal = application.data["basic"]["legal_representative"]
    application_submit(application=application, by=people.agency_nanning, commitment_name=legal, consent=True)
    version = application.versions.get()
    old = [
        {**check, "found": "声明：是"} if check["kind"] == "declaration" and check["status"] == PASSED else check
        for check in version.checks
    ]
    ApplicationVersion.objects.filter(pk=version.pk).update(checks=old)
    client = client_for(people.city_nanning)
    for url in (
        reverse("filings:application_detail", args=[application.pk]),
        reverse("filings:version_detail", args=[application.pk, 1]),
    ):
        page = client.get(url).content.decode()
        checks = page.split('class="list-group list-group-flush checks"')[1].split("</ul>")[0]
        assert "声明：是" not in checks, url
        assert "申请人声明：本机构不是政府及其所属事业单位" in checks, url
    assert ApplicationVersion.objects.get(pk=version.pk).checks == old
