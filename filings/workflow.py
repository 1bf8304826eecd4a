"""The review workflows as tables: states, transitions, who may take each, and each stage's deadline.

One table per variant of ``agencies.models.Workflow``. Services (``filings.services``) look transitions up
here; nothing else decides whether a move is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from agencies.models import Scope, Workflow
from filings.models import State
from portal.models import Role


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[State, ...]
    target: State
    role: Role


# Working days each waiting state may last before it is overdue (None: no deadline, the agency's turn).
STAGE_DEADLINES: dict[State, int | None] = {
    State.POLICE_REVIEW: 20,
    State.CITY_REVIEW: 20,
    State.ACCEPTANCE: 10,  # 桂人社函〔2020〕203号 三（二）: answer within 10 working days
    State.ASSESSMENT: 30,
    State.CORRECTION: None,
}

_AGENCY = (
    Transition("withdraw", (State.CITY_REVIEW, State.POLICE_REVIEW, State.ACCEPTANCE), State.WITHDRAWN, Role.AGENCY),
)
_CENTRE = (
    Transition("request_correction", (State.ACCEPTANCE,), State.CORRECTION, Role.CENTRE),
    Transition("accept", (State.ACCEPTANCE,), State.ASSESSMENT, Role.CENTRE),
    Transition("refuse", (State.ACCEPTANCE,), State.REFUSED, Role.CENTRE),
    Transition("conclude", (State.ASSESSMENT,), State.ASSESSED, Role.CENTRE),
)
_CITY = (
    Transition("request_correction", (State.CITY_REVIEW,), State.CORRECTION, Role.CITY_HR),
    Transition("recommend", (State.CITY_REVIEW,), State.ACCEPTANCE, Role.CITY_HR),
    Transition("not_recommend", (State.CITY_REVIEW,), State.NOT_RECOMMENDED, Role.CITY_HR),
)
_POLICE = (
    Transition("request_correction", (State.POLICE_REVIEW,), State.CORRECTION, Role.POLICE),
    Transition("give_opinion", (State.POLICE_REVIEW,), State.CITY_REVIEW, Role.POLICE),
)

TABLES: dict[Workflow, tuple[Transition, ...]] = {
    # Guangxi: the agency submits to its city HR bureau, which recommends to the provincial centre.
    Workflow.CITY_FIRST: (
        Transition("submit", (State.DRAFT,), State.CITY_REVIEW, Role.AGENCY),
        *_AGENCY,
        *_CITY,
        *_CENTRE,
    ),
    # Shaanxi: local public security assesses first and sends its opinion to the same-level HR bureau.
    Workflow.POLICE_FIRST: (
        Transition("submit", (State.DRAFT,), State.POLICE_REVIEW, Role.AGENCY),
        *_AGENCY,
        *_POLICE,
        *_CITY,
        *_CENTRE,
    ),
    # 2020 pilot: city scope through the city; province-wide and national scope straight to the centre.
    Workflow.BY_SCOPE: (
        Transition("submit", (State.DRAFT,), State.CITY_REVIEW, Role.AGENCY),
        Transition("submit_to_centre", (State.DRAFT,), State.ACCEPTANCE, Role.AGENCY),
        *_AGENCY,
        *_CITY,
        *_CENTRE,
    ),
}


def submit_transition(workflow: str, scope: str) -> Transition:
    """The first transition of an application: where it goes when the agency submits it."""
    name = "submit_to_centre" if workflow == Workflow.BY_SCOPE and scope != Scope.CITY else "submit"
    return next(t for t in TABLES[Workflow(workflow)] if t.name == name)


def find(workflow: str, name: str, state: str) -> Transition | None:
    return next((t for t in TABLES[Workflow(workflow)] if t.name == name and state in t.sources), None)
