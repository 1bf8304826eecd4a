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
    # None: back to the state of the reviewer who asked for the correction.
    target: State | None
    role: Role
    # What the actor must give: an opinion, reasons, the sections to correct (checked by the service); or
    # the page the step is taken from (SERVICE_PAGES): a notice, the panel, the ministry's result.
    needs: str = ""


# Steps taken from their own pages and services, not from the generic decision form.
SERVICE_PAGES = {"selection", "notice", "ministry", "conclusion"}


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
    Transition("resubmit", (State.CORRECTION,), None, Role.AGENCY),
)
_CENTRE = (
    Transition("request_correction", (State.ACCEPTANCE,), State.CORRECTION, Role.CENTRE, needs="sections"),
    Transition("accept", (State.ACCEPTANCE,), State.ASSESSMENT, Role.CENTRE),
    Transition("refuse", (State.ACCEPTANCE,), State.REFUSED, Role.CENTRE, needs="reasons"),
    Transition("conclude", (State.ASSESSMENT,), State.ASSESSED, Role.CENTRE, needs="conclusion"),
)
_CITY = (
    Transition("request_correction", (State.CITY_REVIEW,), State.CORRECTION, Role.CITY_HR, needs="sections"),
    Transition("recommend", (State.CITY_REVIEW,), State.ACCEPTANCE, Role.CITY_HR, needs="opinion"),
    Transition("not_recommend", (State.CITY_REVIEW,), State.NOT_RECOMMENDED, Role.CITY_HR, needs="reasons"),
)
_POLICE = (
    Transition("request_correction", (State.POLICE_REVIEW,), State.CORRECTION, Role.POLICE, needs="sections"),
    Transition("give_opinion", (State.POLICE_REVIEW,), State.CITY_REVIEW, Role.POLICE, needs="opinion"),
)

# After the assessment every variant ends the same way: selection, public notice, the ministry, the filing.
_FILING = (
    Transition("select", (State.ASSESSED,), State.SELECTED, Role.CENTRE, needs="selection"),
    Transition("not_select", (State.ASSESSED,), State.NOT_SELECTED, Role.CENTRE, needs="selection"),
    Transition("publish_notice", (State.SELECTED,), State.PUBLICITY, Role.CENTRE, needs="notice"),
    Transition("uphold_objection", (State.PUBLICITY,), State.OBJECTION_UPHELD, Role.CENTRE, needs="notice"),
    Transition("close_notice", (State.PUBLICITY,), State.PUBLICISED, Role.CENTRE, needs="notice"),
    Transition("report_to_ministry", (State.PUBLICISED,), State.MINISTRY_REVIEW, Role.CENTRE, needs="ministry"),
    Transition("ministry_reject", (State.MINISTRY_REVIEW,), State.MINISTRY_REJECTED, Role.CENTRE, needs="ministry"),
    Transition("file", (State.MINISTRY_REVIEW,), State.FILED, Role.CENTRE, needs="ministry"),
)

TABLES: dict[Workflow, tuple[Transition, ...]] = {
    # Guangxi: the agency submits to its city HR bureau, which recommends to the provincial centre.
    Workflow.CITY_FIRST: (
        Transition("submit", (State.DRAFT,), State.CITY_REVIEW, Role.AGENCY),
        *_AGENCY,
        *_CITY,
        *_CENTRE,
        *_FILING,
    ),
    # Shaanxi: local public security assesses first and sends its opinion to the same-level HR bureau.
    Workflow.POLICE_FIRST: (
        Transition("submit", (State.DRAFT,), State.POLICE_REVIEW, Role.AGENCY),
        *_AGENCY,
        *_POLICE,
        *_CITY,
        *_CENTRE,
        *_FILING,
    ),
    # 2020 pilot: city scope through the city; province-wide and national scope straight to the centre.
    Workflow.BY_SCOPE: (
        Transition("submit", (State.DRAFT,), State.CITY_REVIEW, Role.AGENCY),
        Transition("submit_to_centre", (State.DRAFT,), State.ACCEPTANCE, Role.AGENCY),
        *_AGENCY,
        *_CITY,
        *_CENTRE,
        *_FILING,
    ),
}


def submit_transition(workflow: str, scope: str) -> Transition:
    """The first transition of an application: where it goes when the agency submits it."""
    name = "submit_to_centre" if workflow == Workflow.BY_SCOPE and scope != Scope.CITY else "submit"
    return next(t for t in TABLES[Workflow(workflow)] if t.name == name)


def find(workflow: str, name: str, state: str) -> Transition | None:
    return next((t for t in TABLES[Workflow(workflow)] if t.name == name and state in t.sources), None)


def available(workflow: str, state: str, role: str) -> list[Transition]:
    """The transitions the role may take from the state, in table order (the buttons a reviewer sees)."""
    return [t for t in TABLES[Workflow(workflow)] if state in t.sources and t.role == role]


def path_to_filing(workflow: str, scope: str) -> list[State]:
    """The states an application passes through from a draft to its filing when every step goes its way (no
    correction, refusal or objection), read off the workflow's table: the shortest chain of transitions from the
    draft's submission to ``State.FILED``."""
    first = submit_transition(workflow, scope)
    table = TABLES[Workflow(workflow)]
    routes: dict[State, list[State]] = {first.target: [State.DRAFT, first.target]}
    frontier = [first.target]
    while frontier and State.FILED not in routes:
        following = []
        for state in frontier:
            for transition in table:
                if state in transition.sources and transition.target is not None and transition.target not in routes:
                    routes[transition.target] = [*routes[state], transition.target]
                    following.append(transition.target)
        frontier = following
    return routes.get(State.FILED, [])
