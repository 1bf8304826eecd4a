"""The way to being filed, as an agency's home page shows it until the agency is filed: the steps in order, where
its application stands and the one thing to do next.

The steps group the review workflow's states (``filings.workflow``); which steps an agency passes and in what order
is the workflow's own path from a draft to the filing (``workflow.path_to_filing``), so a Shaanxi agency sees the
police's step and a province-wide agency of the 2020 pilot none of the city's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Scope, Workflow
from agencies.selectors import calls_visible_to, open_calls_for
from filings import workflow
from filings.models import Application, State
from portal.models import Role, User


@dataclass(frozen=True)
class Step:
    key: str
    label: Promise
    states: tuple[State, ...]


STEPS: tuple[Step, ...] = (
    Step("apply", _("Fill in the filing application"), (State.DRAFT,)),
    Step("police", _("Public security assessment"), (State.POLICE_REVIEW,)),
    Step("city", _("City HR bureau review and recommendation"), (State.CITY_REVIEW,)),
    Step(
        "centre",
        _("Provincial centre acceptance and expert assessment"),
        (State.ACCEPTANCE, State.ASSESSMENT, State.ASSESSED, State.SELECTED),
    ),
    Step("notice", _("Public notice"), (State.PUBLICITY, State.PUBLICISED)),
    Step("receipt", _("Filing receipt"), (State.MINISTRY_REVIEW,)),
    Step("directory", _("Entered in the directory"), (State.FILED,)),
)
STEP_OF_STATE: dict[State, Step] = {state: step for step in STEPS for state in step.states}

# The steps' names on a route whose wording differs from Guangxi's (the labels above). Shaanxi, police first
# (陕公通字〔2023〕64号 三（一）): the agency applies to the local public-security organ, which assesses it
# (审核备案材料、现场考察) and sends its filing opinion to the same-level HR department; that department re-checks
# the materials (复核备案材料) — it does not recommend — and the provincial HR department (陕西省人力资源和社会保障厅;
# there is no separate appraisal centre) accepts and files.
ROUTE_LABELS: dict[str, dict[str, Promise]] = {
    Workflow.POLICE_FIRST: {
        "police": _("Public security assessment and filing opinion"),
        "city": _("HR department re-check of the filing materials"),
        "centre": _("Provincial HR department acceptance and expert assessment"),
    },
}
# Who takes the steps, as an application's page names them (its opinions and its history), where the route's
# departments are not the portal's usual names for the roles (``portal.models.Role``).
ROUTE_ROLE_NAMES: dict[str, dict[str, Promise]] = {
    Workflow.POLICE_FIRST: {Role.CENTRE: _("Provincial HR department")},
}


def step_label(step: Step, workflow_code: str) -> Promise:
    """The step's name on the route of ``workflow_code``."""
    return ROUTE_LABELS.get(workflow_code, {}).get(step.key, step.label)


def role_names(workflow_code: str) -> dict[str, Promise]:
    """Each role's name on the route of ``workflow_code``: role code → label."""
    return {role.value: role.label for role in Role} | ROUTE_ROLE_NAMES.get(workflow_code, {})


# Where an application stands, as the panel names it.
NOT_STARTED, DRAFT, WAITING, RETURNED, ENDED = "not_started", "draft", "waiting", "returned", "ended"
STANDING_LABELS = {
    NOT_STARTED: _("Not started"),
    DRAFT: _("Draft saved, not submitted yet"),
    WAITING: _("Submitted, waiting for the review"),
    RETURNED: _("Returned for changes"),
    ENDED: _("Ended"),
}


@dataclass
class Progress:
    standing: str
    steps: list[dict]
    application: Application | None = None
    # The next action: a link, or a form posting ``call`` to start an application (``post_call``).
    action_label: Promise | str = ""
    action_url: str = ""
    post_call: int | None = None
    note: Promise | str = ""
    since: dt.datetime | None = None

    @property
    def standing_label(self):
        return STANDING_LABELS[self.standing]


def steps_for(workflow_code: str, scope: str) -> list[Step]:
    """The steps an application of this workflow and scope passes, in their order."""
    ordered: list[Step] = []
    for state in workflow.path_to_filing(workflow_code, scope or Scope.CITY):
        step = STEP_OF_STATE[state]
        if step not in ordered:
            ordered.append(step)
    return ordered


# The states an application stops in short of the filing: the transitions' targets that lead nowhere further.
ENDED_STATES = frozenset(
    transition.target
    for table in workflow.TABLES.values()
    for transition in table
    if transition.target is not None
    and transition.target != State.FILED
    and not any(transition.target in other.sources for other in table)
)


def _latest(applications) -> Application | None:
    """The application the panel follows: the latest one still under way, or else the latest that ended."""
    rows = list(applications.order_by("-updated", "-pk"))
    live = [a for a in rows if a.state not in ENDED_STATES]
    return (live or rows or [None])[0]


def _stopped_at(application: Application) -> State:
    """The state an ended application left: where its way stopped."""
    last = application.history.filter(to_state=application.state).order_by("-pk").first()
    return State(last.from_state) if last else State.DRAFT


def _workflow_of(user: User, today: dt.date) -> str:
    """The workflow a first application of the agency would follow: its open call's, else its province's latest
    call's."""
    calls = open_calls_for(user.organisation, today)
    version = calls[0].current_version if calls else None
    if version is None:
        call = calls_visible_to(user).order_by("-pk").first()
        version = call.current_version if call else None
    return version.workflow if version else Workflow.CITY_FIRST


def filing_progress(user: User, applications) -> Progress | None:
    """The panel of an agency not yet filed (None once filed: its home is the usual one). ``applications``: the
    agency's own (``selectors.applications_visible_to``)."""
    organisation = user.organisation
    if organisation is None or organisation.directory_entries.exists():
        return None
    application = _latest(applications)
    if application is not None and application.state == State.FILED:
        return None
    today = timezone.localdate()
    if application is None:
        calls = open_calls_for(organisation, today)
        route = _workflow_of(user, today)
        progress = Progress(
            standing=NOT_STARTED,
            steps=_marked(steps_for(route, Scope.CITY), STEPS[0], route),
            action_url=reverse("filings:application_list"),
        )
        if len(calls) == 1:
            progress.action_label, progress.post_call = _("Start the filing application"), calls[0].pk
            progress.note = calls[0].current_version.title
        elif calls:
            progress.action_label = _("Choose a call and start the application")
        else:
            progress.action_label = _("See the calls for applications")
            progress.action_url = reverse("public_calls:list")  # the calls themselves, past and to come
            progress.note = _("No call for applications is open for your organisation at the moment.")
        return progress
    route = application.call_version.workflow
    steps = steps_for(route, application.scope)
    edit = reverse("filings:application_edit", args=[application.pk])
    detail = reverse("filings:application_detail", args=[application.pk])
    state = State(application.state)
    if state == State.DRAFT:
        return Progress(
            standing=DRAFT,
            steps=_marked(steps, STEP_OF_STATE[state], route),
            application=application,
            action_label=_("Continue the draft"),
            action_url=edit,
            since=application.updated,
        )
    if state == State.CORRECTION:
        returned_by = STEP_OF_STATE.get(State(application.return_state or State.CITY_REVIEW), STEPS[0])
        return Progress(
            standing=RETURNED,
            steps=_marked(steps, returned_by, route, flag="returned"),
            application=application,
            action_label=_("See the reasons and correct"),
            action_url=edit,
            note=_("Correct the sections the reviewer flagged, then submit the application again."),
            since=application.stage_started_at,
        )
    if state in ENDED_STATES:
        return Progress(
            standing=ENDED,
            steps=_marked(steps, STEP_OF_STATE.get(_stopped_at(application), STEPS[0]), route, flag="ended"),
            application=application,
            action_label=_("See why"),
            action_url=detail,
            note=application.get_state_display(),
            since=application.stage_started_at,
        )
    return Progress(
        standing=WAITING,
        steps=_marked(steps, STEP_OF_STATE[state], route),
        application=application,
        action_label=_("View the application"),
        action_url=detail,
        note=application.get_state_display(),
        since=application.submitted_at,
    )


def _marked(steps: list[Step], current: Step, workflow_code: str, *, flag: str = "current") -> list[dict]:
    """Each step with its place: done before the current one, ``flag`` at it, to come after it; named as the route
    of ``workflow_code`` names it."""
    index = steps.index(current) if current in steps else 0
    return [
        {
            "number": number,
            "key": step.key,
            "label": step_label(step, workflow_code),
            "status": "done" if number - 1 < index else flag if number - 1 == index else "todo",
        }
        for number, step in enumerate(steps, start=1)
    ]
