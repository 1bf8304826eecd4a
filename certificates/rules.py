"""The pass rules applied: what a candidate must sit and what passes, from the ``PassRule`` of the occupation and
level (data seeded from the sources, never an ``if`` on an occupation here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from certificates.models import PassRule

# The parts of an evaluation: (score field, minimum field).
PARTS = (
    ("theory_score", "theory_min"),
    ("skill_score", "skill_min"),
    ("review_score", "review_min"),
    ("defence_score", "defence_min"),
)


@dataclass
class Scores:
    theory_score: Decimal | None = None
    skill_score: Decimal | None = None
    review_score: Decimal | None = None
    defence_score: Decimal | None = None
    guard_card_number: str = ""
    guard_card_date: dt.date | None = None


@dataclass
class Outcome:
    passed: bool
    theory_exempt: bool
    # The score fields below their minimum, or missing though the level examines them.
    failed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def theory_exempt(rule: PassRule, scores: Scores, exam_day: dt.date) -> bool:
    """A 保安员证 issued within the rule's years before the exam day (that day itself counts as within)."""
    years = rule.guard_card_exemption_years
    if not years or not scores.guard_card_number.strip() or scores.guard_card_date is None:
        return False
    return years_before(exam_day, years) <= scores.guard_card_date <= exam_day


def required_parts(rule: PassRule, *, exempt: bool) -> list[str]:
    return [
        score
        for score, minimum in PARTS
        if getattr(rule, minimum) is not None and not (exempt and score == "theory_score")
    ]


def evaluate(rule: PassRule, scores: Scores, exam_day: dt.date) -> Outcome:
    exempt = theory_exempt(rule, scores, exam_day)
    outcome = Outcome(passed=True, theory_exempt=exempt)
    minima = dict(PARTS)
    for score in required_parts(rule, exempt=exempt):
        value = getattr(scores, score)
        if value is None:
            outcome.missing.append(score)
        elif Decimal(value) < getattr(rule, minima[score]):
            outcome.failed.append(score)
    outcome.passed = not outcome.failed and not outcome.missing
    return outcome
