"""The pass rules, clause by clause, as the sources state them (values typed from the seeds, not from the code).

Jiangsu 《关于开展保安员职业技能鉴定工作的通知》 三: five levels; theory and skill each out of 100, pass at 60;
初级 candidates holding a 保安员证 skip theory within 3 years; 5–3 by computer, 2–1 written exam + thesis defence.
Shaanxi 陕公通字〔2023〕64号 三（二）: 保卫管理员 levels 3–1, the comprehensive review for 2–1.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from certificates.models import PassRule
from certificates.rules import Scores, evaluate

GUARD, MANAGER = "4-07-05-01", "3-02-02-00"
EXAM_DAY = dt.date(2026, 6, 15)
CARD_DATE = dt.date(2025, 1, 1)

pytestmark = pytest.mark.django_db


def rule(code: str, level: int) -> PassRule:
    return PassRule.objects.get(occupation__code=code, level=level)


def scores(**values) -> Scores:
    return Scores(**{k: (Decimal(str(v)) if k.endswith("_score") and v is not None else v) for k, v in values.items()})


def test_the_seeded_table_is_the_sources_table():
    expected = {
        # (code, level): (method, theory, skill, review, defence, exemption years)
        (GUARD, 5): ("computer", 60, 60, None, None, 3),
        (GUARD, 4): ("computer", 60, 60, None, None, None),
        (GUARD, 3): ("computer", 60, 60, None, None, None),
        (GUARD, 2): ("written_defence", 60, 60, None, 60, None),
        (GUARD, 1): ("written_defence", 60, 60, None, 60, None),
        (MANAGER, 3): ("exam", 60, 60, None, None, None),
        (MANAGER, 2): ("exam_review", 60, 60, 60, None, None),
        (MANAGER, 1): ("exam_review", 60, 60, 60, None, None),
    }
    got = {
        (r.occupation.code, r.level): (
            r.method,
            r.theory_min,
            r.skill_min,
            r.review_min,
            r.defence_min,
            r.guard_card_exemption_years,
        )
        for r in PassRule.objects.select_related("occupation")
    }
    assert got == expected


@pytest.mark.parametrize("level", [5, 4, 3, 2, 1])
@pytest.mark.parametrize(("theory", "passed"), [(59.9, False), (60, True), (60.5, True), (100, True), (0, False)])
def test_security_guard_theory_passes_at_sixty(level, theory, passed):
    outcome = evaluate(rule(GUARD, level), scores(theory_score=theory, skill_score=75, defence_score=75), EXAM_DAY)
    assert outcome.passed is passed
    assert outcome.failed == ([] if passed else ["theory_score"])


@pytest.mark.parametrize("level", [5, 4, 3, 2, 1])
@pytest.mark.parametrize(("skill", "passed"), [(59.5, False), (60, True), (61, True)])
def test_security_guard_skill_passes_at_sixty(level, skill, passed):
    outcome = evaluate(rule(GUARD, level), scores(theory_score=80, skill_score=skill, defence_score=80), EXAM_DAY)
    assert outcome.passed is passed


@pytest.mark.parametrize("level", [5, 4, 3])
def test_security_guard_levels_five_to_three_are_a_computer_exam_without_defence(level):
    assert rule(GUARD, level).method == "computer"
    assert evaluate(rule(GUARD, level), scores(theory_score=60, skill_score=60), EXAM_DAY).passed


@pytest.mark.parametrize("level", [2, 1])
@pytest.mark.parametrize(("defence", "passed"), [(None, False), (59.9, False), (60, True), (88, True)])
def test_security_guard_levels_two_and_one_need_the_thesis_defence(level, defence, passed):
    assert rule(GUARD, level).method == "written_defence"
    outcome = evaluate(rule(GUARD, level), scores(theory_score=70, skill_score=70, defence_score=defence), EXAM_DAY)
    assert outcome.passed is passed


@pytest.mark.parametrize(
    ("issued", "exempt"),
    [
        (dt.date(2023, 6, 15), True),  # exactly 3 years before the exam day: within 3 years
        (dt.date(2023, 6, 14), False),  # a day more than 3 years
        (dt.date(2023, 6, 16), True),  # a day less
        (dt.date(2026, 6, 15), True),  # issued on the exam day
        (dt.date(2026, 6, 16), False),  # issued after the exam: no evidence at the exam
    ],
)
def test_a_junior_guard_holding_a_card_issued_within_three_years_skips_theory(issued, exempt):
    outcome = evaluate(
        rule(GUARD, 5),
        scores(skill_score=70, guard_card_number="苏宁保20230001", guard_card_date=issued),
        EXAM_DAY,
    )
    assert outcome.theory_exempt is exempt
    assert outcome.passed is exempt  # no theory score was given
    assert outcome.missing == ([] if exempt else ["theory_score"])


def test_the_exemption_needs_the_card_number_as_well_as_its_date():
    outcome = evaluate(rule(GUARD, 5), scores(skill_score=70, guard_card_date=dt.date(2025, 1, 1)), EXAM_DAY)
    assert not outcome.theory_exempt and not outcome.passed


@pytest.mark.parametrize("level", [4, 3, 2, 1])
def test_only_the_junior_level_has_the_theory_exemption(level):
    outcome = evaluate(
        rule(GUARD, level),
        scores(skill_score=70, defence_score=70, guard_card_number="苏宁保20250001", guard_card_date=CARD_DATE),
        EXAM_DAY,
    )
    assert not outcome.theory_exempt
    assert outcome.missing == ["theory_score"]


def test_an_exempt_junior_guard_still_needs_the_skill_test():
    outcome = evaluate(
        rule(GUARD, 5),
        scores(skill_score=59, guard_card_number="苏宁保20250001", guard_card_date=dt.date(2025, 1, 1)),
        EXAM_DAY,
    )
    assert outcome.theory_exempt and not outcome.passed and outcome.failed == ["skill_score"]


def test_the_level_three_security_manager_has_no_comprehensive_review():
    assert evaluate(rule(MANAGER, 3), scores(theory_score=60, skill_score=60), EXAM_DAY).passed


@pytest.mark.parametrize("level", [2, 1])
@pytest.mark.parametrize(("review", "passed"), [(None, False), (59, False), (60, True), (61, True)])
def test_security_manager_levels_two_and_one_need_the_comprehensive_review(level, review, passed):
    outcome = evaluate(rule(MANAGER, level), scores(theory_score=80, skill_score=80, review_score=review), EXAM_DAY)
    assert outcome.passed is passed


@pytest.mark.parametrize(("theory", "skill", "passed"), [(59, 80, False), (80, 59, False), (60, 60, True)])
def test_security_manager_theory_and_skill_pass_at_sixty(theory, skill, passed):
    assert evaluate(rule(MANAGER, 3), scores(theory_score=theory, skill_score=skill), EXAM_DAY).passed is passed
