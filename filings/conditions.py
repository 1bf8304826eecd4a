"""Automatic condition checks: every rule of a call's profile evaluated against an application.

Rules are data (``ConditionProfile.rules``, copied into each ``CallVersion``)::

    {"kind": "examiners_per_occupation", "clause": "每个职业（工种）考评人员不少于3名",
     "source": "附件1 一（二）", "params": {"min": 3}}

``params`` values may depend on the scope: ``{"min": {"national": 6, "region": 5, "city": 3}}``; a rule whose
value is missing for the application's scope is not applicable. The kinds are the evaluators below; a new
threshold is a data change, a new kind of rule is a new evaluator here.

No condition blocks submission: a failed check is shown to the agency and to every reviewer, with the clause
and the figure found, and the reviewers weigh it (structural gaps — a required section or material missing —
do block, see ``filings.services``). The seeds state most conditions "in principle" (原则上), which the design
says must not be hard blocks. The exclusions of 附件1 三 are stated as hard ("不能设立"), but the portal only has
the agency's word for them (declarations) and what the reviewers verify from the credit report and the
registration: a refusal at submission would only teach an applicant to tick "yes"; a "no" shown to the city
bureau, which refuses with reasons on the record, is the honest path. So they are weighed like the others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Level, Occupation

PASSED, FAILED, NOT_APPLICABLE = "passed", "failed", "not_applicable"


@dataclass
class CheckResult:
    kind: str
    clause: str
    source: str
    status: str
    found: str

    def as_dict(self) -> dict:
        return asdict(self)


def _int(value) -> int:
    """A count as the rules read it: what is not a whole non-negative number counts as 0."""
    try:
        return max(int(str(value).strip()), 0)
    except (TypeError, ValueError):
        return 0


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


class Facts:
    """The application data as the rules read it: tolerant of drafts, where anything may still be blank."""

    def __init__(self, data: dict, *, organisation_name: str, materials: set[str], today: dt.date):
        self.data = data
        self.organisation_name = organisation_name
        self.materials = materials
        self.today = today
        codes = [row.get("occupation", "") for row in self.rows("occupations")]
        names = dict(Occupation.objects.filter(code__in=codes).values_list("code", "name"))
        self.occupations = [
            {**row, "name": names.get(row.get("occupation", ""), "")}
            for row in self.rows("occupations")
            if row.get("occupation")
        ]

    def rows(self, section: str) -> list[dict]:
        return [row for row in self.data.get(section, []) if any(str(v).strip() for v in row.values())]

    def one(self, section: str) -> dict:
        return self.data.get(section, {}) or {}

    @property
    def scope(self) -> str:
        return self.one("basic").get("scope", "")

    def occupation_names(self) -> list[str]:
        return list(dict.fromkeys(row["name"] for row in self.occupations))


Evaluator = Callable[[Facts, dict], tuple[str, str]]
EVALUATORS: dict[str, Evaluator] = {}


def evaluator(kind: str) -> Callable[[Evaluator], Evaluator]:
    def register(function: Evaluator) -> Evaluator:
        EVALUATORS[kind] = function
        return function

    return register


def _count_per_occupation(facts: Facts, section: str, *, own_only: bool = False) -> Counter:
    counts: Counter = Counter()
    for row in facts.rows(section):
        if own_only and row.get("employer", "").strip() != facts.organisation_name:
            continue
        counts[row.get("occupation", "").strip()] += 1
    return counts


def _per_occupation(facts: Facts, counts: Counter, minimum: int, unit: str) -> tuple[str, str]:
    names = facts.occupation_names()
    if not names:
        return FAILED, _("no occupation entered")
    found = "；".join(f"{name}：{counts.get(name, 0)}{unit}" for name in names)
    return (PASSED if all(counts.get(name, 0) >= minimum for name in names) else FAILED), found


@evaluator("examiners_per_occupation")
def examiners_per_occupation(facts: Facts, params: dict) -> tuple[str, str]:
    return _per_occupation(facts, _count_per_occupation(facts, "examiners"), params["min"], _("persons"))


@evaluator("own_examiners_per_occupation")
def own_examiners_per_occupation(facts: Facts, params: dict) -> tuple[str, str]:
    counts = _count_per_occupation(facts, "examiners", own_only=True)
    return _per_occupation(facts, counts, params["min"], _("of its own"))


@evaluator("staff_count")
def staff_count(facts: Facts, params: dict) -> tuple[str, str]:
    count = len(facts.rows(params["section"]))
    return (PASSED if count >= params["min"] else FAILED), _("%(count)d persons") % {"count": count}


@evaluator("history_years")
def history_years(facts: Facts, params: dict) -> tuple[str, str]:
    starts = [d for d in (_date(row.get("start_date")) for row in facts.occupations) if d]
    if not starts:
        return FAILED, _("no start date entered")
    earliest = min(starts)
    years = facts.today.year - earliest.year - ((facts.today.month, facts.today.day) < (earliest.month, earliest.day))
    found = _("since %(date)s, %(years)d full years") % {"date": earliest.isoformat(), "years": years}
    return (PASSED if years >= params["min"] else FAILED), found


@evaluator("total_person_times")
def total_person_times(facts: Facts, params: dict) -> tuple[str, str]:
    total = sum(_int(row.get("person_times")) for row in facts.occupations)
    return (PASSED if total >= params["min"] else FAILED), _("%(total)s person-times") % {"total": f"{total:,}"}


@evaluator("person_times_per_occupation")
def person_times_per_occupation(facts: Facts, params: dict) -> tuple[str, str]:
    counts: Counter = Counter()
    for row in facts.occupations:
        counts[row["name"]] += _int(row.get("person_times"))
    return _per_occupation(facts, counts, params["min"], _(" person-times"))


@evaluator("max_level")
def max_level(facts: Facts, params: dict) -> tuple[str, str]:
    levels = sorted({_int(row.get("level")) for row in facts.occupations if _int(row.get("level"))})
    if not levels:
        return FAILED, _("no level entered")
    found = "、".join(str(Level(level).label) for level in levels if level in Level.values)
    return (PASSED if min(levels) >= params["max"] else FAILED), found


@evaluator("theory_rooms")
def theory_rooms(facts: Facts, params: dict) -> tuple[str, str]:
    site = facts.one("site")
    # ``standard_only``: the norm asks for a desk-style standard room (Wuxi), which a smart room does not replace.
    kinds = ("standard",) if params.get("standard_only") else ("standard", "smart")
    rooms = sum(_int(site.get(f"{kind}_rooms")) for kind in kinds)
    seats = sum(_int(site.get(f"{kind}_seats")) for kind in kinds)
    ok = rooms >= params.get("min_rooms", 1) and seats >= params.get("min_seats", 0)
    found = _("%(rooms)d rooms, %(seats)d seats") % {"rooms": rooms, "seats": seats}
    # ``min_seats_in_one_room``: one room must hold them all (Wuxi: "不少于一个能容纳30人的…考场"); seats summed
    # over several rooms do not make such a room.
    one_room = params.get("min_seats_in_one_room")
    if one_room:
        largest = _int(site.get("largest_room_seats"))
        ok = ok and largest >= one_room
        found += _(", %(seats)d in the largest") % {"seats": largest}
    return (PASSED if ok else FAILED), found


@evaluator("desk_spacing")
def desk_spacing(facts: Facts, params: dict) -> tuple[str, str]:
    value = _int(facts.one("site").get("desk_spacing_cm"))
    found = _("%(value)d cm (more than %(limit)d cm required)") % {"value": value, "limit": params["more_than"]}
    return (PASSED if value > params["more_than"] else FAILED), found


@evaluator("rooms_present")
def rooms_present(facts: Facts, params: dict) -> tuple[str, str]:
    from filings.forms import ROOMS

    site = facts.one("site")
    missing = [str(ROOMS[code]) for code in params["rooms"] if site.get(code) != "yes"]
    if missing:
        return FAILED, _("missing: %(names)s") % {"names": "、".join(missing)}
    return PASSED, _("all present")


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@evaluator("head_of_agency")
def head_of_agency(facts: Facts, params: dict) -> tuple[str, str]:
    """Age at most ``max_age`` in full years; an accepted education; an accepted title or skill level; at least
    ``min_years`` of experience."""
    from filings.forms import EDUCATION_CHOICES, HEAD_QUALIFICATIONS

    head = facts.one("management")
    born = _date(head.get("head_birth_date"))
    if born is None:
        return FAILED, _("no date of birth entered")
    age, years = _age(born, facts.today), _int(head.get("head_years"))
    education, qualification = head.get("head_education", ""), head.get("head_qualification", "")
    ok = (
        age <= params["max_age"]
        and education in params["education"]
        and qualification in params["qualifications"]
        and years >= params["min_years"]
    )
    found = _("aged %(age)d, %(education)s, %(qualification)s, %(years)d years") % {
        "age": age,
        "education": dict(EDUCATION_CHOICES).get(education) or _("education not entered"),
        "qualification": dict(HEAD_QUALIFICATIONS).get(qualification) or _("title not entered"),
        "years": years,
    }
    return (PASSED if ok else FAILED), found


@evaluator("finance_staff")
def finance_staff(facts: Facts, params: dict) -> tuple[str, str]:
    count = _int(facts.one("management").get("finance_staff"))
    return (PASSED if count >= params["min"] else FAILED), _("%(count)d persons") % {"count": count}


@evaluator("declaration")
def declaration(facts: Facts, params: dict) -> tuple[str, str]:
    return _declaration(facts.one("declarations"), facts.one("basic").get("nature", ""), params)


def _declaration(answers: dict, nature: str, params: dict) -> tuple[str, str]:
    """A statement the agency declares true (yes) or not; a statement that asks for a detail needs it too.

    What was found is the declaration in words: the exclusions of 附件1 三 are phrased as the bad case ("不能设立:
    政府及其所属事业单位…"), so a bare "yes" next to the clause reads as if the agency owned up to it."""
    if params.get("natures") and nature not in params["natures"]:
        return NOT_APPLICABLE, _("not asked of this kind of organisation")
    statement = params["statement"]
    answer = answers.get(params["key"], "")
    if answer == "no":
        return FAILED, _("the applicant answered “no” to: %(statement)s") % {"statement": statement}
    if answer != "yes":
        return FAILED, _("the applicant has not answered: %(statement)s") % {"statement": statement}
    found = _("the applicant declares: %(statement)s") % {"statement": statement}
    if params.get("detail"):
        detail = str(answers.get(f"{params['key']}_detail", "")).strip()
        if not detail:
            return FAILED, _("%(declared)s, but %(detail)s is not given") % {
                "declared": found,
                "detail": params["detail"],
            }
        return PASSED, _("%(declared)s; %(detail)s: %(text)s") % {
            "declared": found,
            "detail": params["detail"],
            "text": detail,
        }
    return PASSED, found


@evaluator("skill_stations")
def skill_stations(facts: Facts, params: dict) -> tuple[str, str]:
    counts: Counter = Counter()
    for row in facts.rows("stations"):
        counts[row.get("occupation", "").strip()] += _int(row.get("stations"))
    return _per_occupation(facts, counts, params.get("min", 1), _(" stations"))


@evaluator("site_ownership")
def site_ownership(facts: Facts, params: dict) -> tuple[str, str]:
    site = facts.one("site")
    ownership = site.get("ownership", "")
    if ownership == "owned":
        return PASSED, _("owned")
    if ownership == "leased":
        has_contract = params.get("lease_material", "lease_contract") in facts.materials
        years = _int(site.get("lease_years"))
        found = _("leased for %(years)d years, lease contract %(state)s") % {
            "years": years,
            "state": _("attached") if has_contract else _("missing"),
        }
        return (PASSED if has_contract and years >= params.get("min_lease_years", 0) else FAILED), found
    return FAILED, _("not owned or leased") if ownership else _("not entered")


@evaluator("video_surveillance")
def video_surveillance(facts: Facts, params: dict) -> tuple[str, str]:
    value = facts.one("site").get("video_surveillance", "")
    return (PASSED if value == "yes" else FAILED), (_("yes") if value == "yes" else _("no"))


@evaluator("area")
def area(facts: Facts, params: dict) -> tuple[str, str]:
    value = _int(facts.one("site").get(params["field"]))
    minimum = params["min"] + params.get("per_extra_occupation", 0) * max(len(facts.occupation_names()) - 1, 0)
    found = _("%(value)d m² (%(minimum)d m² required)") % {"value": value, "minimum": minimum}
    return (PASSED if value >= minimum else FAILED), found


@evaluator("question_bank")
def question_bank(facts: Facts, params: dict) -> tuple[str, str]:
    if not facts.occupations:
        return FAILED, _("no occupation entered")
    parts, ok = [], True
    for row in facts.occupations:
        theory, skill = _int(row.get("theory_items")), _int(row.get("skill_items"))
        ok = ok and theory >= params["theory"] and skill >= params["skill"]
        level = Level(_int(row.get("level"))).label if _int(row.get("level")) in Level.values else ""
        parts.append(
            _("%(name)s %(level)s: theory %(theory)d, skill %(skill)d")
            % {"name": row["name"], "level": level, "theory": theory, "skill": skill}
        )
    return (PASSED if ok else FAILED), "；".join(parts)


@evaluator("management_systems")
def management_systems(facts: Facts, params: dict) -> tuple[str, str]:
    from filings.forms import MANAGEMENT_SYSTEMS

    systems = facts.one("systems")
    labels = {**dict(MANAGEMENT_SYSTEMS), **dict(params.get("catalogue", []))}
    # ``required_for_nature``: systems only some kinds of organisation need (Wuxi 三（八）: technical schools).
    nature = facts.one("basic").get("nature", "")
    required = [*params["required"], *params.get("required_for_nature", {}).get(nature, [])]
    missing = [str(labels[code]) for code in required if systems.get(f"{code}_established") != "yes"]
    if missing:
        return FAILED, _("not established: %(names)s") % {"names": "、".join(missing)}
    return PASSED, _("all established")


def checks_as_shown(checks: list[dict], *, rules: list[dict], data: dict) -> list[dict]:
    """A submitted version's frozen checks as the pages show them. Versions frozen before declarations were worded
    say "声明：是" beside an exclusion clause; each declaration is worded again from the version's own frozen
    answers and the call version's rule (the same clause), its status as recorded. The version is not changed."""
    by_clause = {rule["clause"]: rule for rule in rules if rule.get("kind") == "declaration"}
    answers, nature = (data.get("declarations") or {}), (data.get("basic") or {}).get("nature", "")
    shown = []
    for check in checks:
        rule = by_clause.get(check.get("clause"))
        if check.get("kind") == "declaration" and rule and check.get("status") != NOT_APPLICABLE:
            check = {**check, "found": _declaration(answers, nature, rule.get("params", {}))[1]}
        shown.append(check)
    return shown


def _param_for_scope(params: dict, scope: str) -> dict | None:
    """Resolve scope-dependent parameters; None when the rule does not apply to this scope."""
    resolved = {}
    for key, value in params.items():
        if isinstance(value, dict) and set(value) <= {"national", "region", "city", "county"}:
            if scope not in value:
                return None
            resolved[key] = value[scope]
        else:
            resolved[key] = value
    return resolved


def evaluate(
    rules: list[dict],
    data: dict,
    *,
    organisation_name: str,
    materials: set[str],
    today: dt.date | None = None,
) -> list[CheckResult]:
    facts = Facts(data, organisation_name=organisation_name, materials=materials, today=today or timezone.localdate())
    results = []
    for rule in rules:
        scopes = rule.get("scopes")
        params = _param_for_scope(rule.get("params", {}), facts.scope)
        if params is None or (scopes and facts.scope not in scopes):
            status, found = NOT_APPLICABLE, _("not required for this scope")
        else:
            status, found = EVALUATORS[rule["kind"]](facts, params)
        results.append(CheckResult(rule["kind"], rule["clause"], rule.get("source", ""), status, found))
    return results
