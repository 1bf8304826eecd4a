"""Who is told what when an application moves. Called after the transaction commits; each message goes to the
inbox and by e-mail (``portal.services.notify``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.models import Application, State
from filings.selectors import police_of, reviewers_for
from filings.workflow import STAGE_DEADLINES
from portal.models import Role, User
from portal.services import notifications_done, notify

# What the reviewers of the state an application is submitted to are asked to do (the city bureau recommends, the
# police give their opinion, the centre accepts): each is told its own steps, not another department's.
SUBMITTED_NEXT = {
    State.CITY_REVIEW: gettext_lazy(
        "What to do next: review it in the portal; recommend it, ask for corrections or decline."
    ),
    State.POLICE_REVIEW: gettext_lazy(
        "What to do next: assess it in the portal; give the public security's filing opinion or ask for corrections."
    ),
    State.ACCEPTANCE: gettext_lazy(
        "What to do next: decide in the portal within 10 working days whether to accept it; accept it, ask for "
        "corrections or refuse it."
    ),
}


def notify_submitted(application_id: int, version: int, state: str = "") -> None:
    """The reviewers of the state the application was submitted to (``state``; its state now when not given)
    learn of the new version — unless it has already left that state (a step taken in the same transaction):
    their work is done. The agency learns where it now is."""
    application = Application.objects.select_related("organisation", "region").get(pk=application_id)
    state = state or application.state
    reviewers = list(reviewers_for(application, state=state)) if application.state == state else []
    link = reverse("filings:application_detail", args=[application.pk])
    with translation.override(settings.LANGUAGE_CODE):
        departments = "、".join(sorted({user.department.name for user in reviewers})) or _("the reviewing department")
        params = {
            "name": application.organisation.name,
            "version": version,
            "reference": application.reference,
            "department": departments,
        }
        notify(
            users=reviewers,
            subject=_("New filing application to review: %(name)s") % params,
            body=_("%(name)s has submitted version %(version)d of its filing application %(reference)s.") % params
            + "\n"
            + str(SUBMITTED_NEXT.get(state, SUBMITTED_NEXT[State.CITY_REVIEW])),
            link=link,
            todo=True,
        )
        notify(
            users=application.organisation.users.filter(role=Role.AGENCY),
            subject=_("Filing application %(reference)s received (version %(version)d)") % params,
            body=_(
                "We received version %(version)d of your filing application %(reference)s; "
                "it is now with %(department)s.\n"
                "What to do next: nothing for now. You will be told here and by e-mail when it has been reviewed; "
                "until a reviewer acts on it you may still withdraw it."
            )
            % params,
            link=link,
        )


# What the agency is told after each transition, and what it should do next.
AGENCY_MESSAGES = {
    "request_correction": (
        gettext_lazy("Corrections requested for %(reference)s"),
        gettext_lazy(
            "%(department)s asks you to correct your filing application %(reference)s:\n%(comment)s\n"
            "What to do next: open the application, correct the flagged sections and submit it again."
        ),
    ),
    "recommend": (
        gettext_lazy("%(reference)s recommended to the provincial centre"),
        gettext_lazy(
            "%(department)s has recommended your filing application %(reference)s.\n"
            "What to do next: nothing; the provincial skill-appraisal centre decides on acceptance within "
            "10 working days."
        ),
    ),
    "not_recommend": (
        gettext_lazy("%(reference)s not recommended"),
        gettext_lazy(
            "%(department)s has decided not to recommend your filing application %(reference)s. Reasons:\n%(comment)s"
        ),
    ),
    "give_opinion": (
        gettext_lazy("Public security opinion given on %(reference)s"),
        gettext_lazy(
            "%(department)s has given its filing opinion on %(reference)s; the application is now with the "
            "HR and social security department.\nWhat to do next: nothing for now."
        ),
    ),
    "accept": (
        gettext_lazy("%(reference)s accepted"),
        gettext_lazy(
            "The provincial skill-appraisal centre has accepted your filing application %(reference)s. "
            "A panel of experts will assess it, with a site visit, a document review and interviews.\n"
            "What to do next: keep your staff, sites and documents ready for the experts."
        ),
    ),
    "refuse": (
        gettext_lazy("%(reference)s not accepted"),
        gettext_lazy(
            "The provincial skill-appraisal centre has not accepted your filing application %(reference)s. "
            "Reasons:\n%(comment)s"
        ),
    ),
    "conclude": (
        gettext_lazy("Technical assessment of %(reference)s concluded"),
        gettext_lazy(
            "The expert panel has concluded the technical assessment of %(reference)s.\n"
            "What to do next: nothing; the centre selects the agencies to publish for public notice."
        ),
    ),
}

REVIEWER_MESSAGE = (
    gettext_lazy("%(name)s: filing application %(reference)s waits for you"),
    gettext_lazy(
        "%(department)s has moved the filing application %(reference)s of %(name)s to “%(state)s”.\n"
        "What to do next: review it in the portal within %(days)s working days (by %(deadline)s)."
    ),
)

# The police of the jurisdiction give their opinion during the technical assessment (a record on the application).
POLICE_OPINION_MESSAGE = (
    gettext_lazy("%(name)s: your opinion on filing application %(reference)s is needed"),
    gettext_lazy(
        "The provincial skill-appraisal centre has accepted the filing application %(reference)s of %(name)s, an "
        "agency of your jurisdiction, for the technical assessment.\n"
        "What to do next: open the application and record the public security organ's opinion (the agency reads "
        "it) while the assessment lasts."
    ),
)

# Assessed: the centre selects it (or not) on the call's ranking and selection page; no working-day time limit.
SELECTION_MESSAGE = (
    gettext_lazy("%(name)s: filing application %(reference)s waits for selection"),
    gettext_lazy(
        "The technical assessment of the filing application %(reference)s of %(name)s is concluded.\n"
        "What to do next: open the application and go to its call's ranking and selection page; select it or not."
    ),
)


@dataclass(frozen=True)
class Moment:
    """What a transition produced, captured when it was taken."""

    application_id: int
    name: str
    actor_id: int
    state: str
    deadline: dt.date | None
    comment: str
    # The state the step left: its reviewers' to-dos about the application are done.
    from_state: str = ""


def notify_transition(moment: Moment) -> None:
    """Tell the agency what happened and what to do next, and the next reviewers that it is their turn."""
    application = Application.objects.select_related("organisation", "region").get(pk=moment.application_id)
    actor = User.objects.select_related("department").get(pk=moment.actor_id)
    link = reverse("filings:application_detail", args=[application.pk])
    if moment.from_state:
        # Whoever's turn it was has had it (the actor or a colleague): their messages about it are no longer to-dos.
        notifications_done(users=reviewers_for(application, state=moment.from_state), link=link)
    if moment.from_state == State.ASSESSMENT and moment.state != State.ASSESSMENT:
        # The assessment is over: the police can no longer give their opinion, so it waits for nobody; nor can an
        # expert of the panel who never handed in the scores score any more.
        notifications_done(users=police_of(application), link=link)
        notifications_done(
            users=User.objects.filter(panels__application=application),
            link=reverse("filings:assess", args=[application.pk]),
        )
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "name": application.organisation.name,
            "reference": application.reference,
            "department": actor.department.name if actor.department_id else actor.display_name,
            "comment": moment.comment,
            "state": State(moment.state).label,
            "deadline": moment.deadline.isoformat() if moment.deadline else "—",
            "days": STAGE_DEADLINES.get(moment.state) or "—",
        }
        if moment.name in AGENCY_MESSAGES:
            subject, body = AGENCY_MESSAGES[moment.name]
            notify(
                users=application.organisation.users.filter(role=Role.AGENCY),
                subject=str(subject) % params,
                body=str(body) % params,
                link=link,
            )
        # The actor knows what they just did; but the centre that concluded the assessment still has to select.
        reviewers = [
            user
            for user in reviewers_for(application, state=moment.state)
            if user.pk != actor.pk or moment.state == State.ASSESSED
        ]
        if reviewers:
            subject, body = SELECTION_MESSAGE if moment.state == State.ASSESSED else REVIEWER_MESSAGE
            notify(
                users=reviewers,
                subject=str(subject) % params,
                body=str(body) % params,
                link=link,
                todo=True,
            )
        if moment.state == State.ASSESSMENT and moment.from_state != State.ASSESSMENT:
            notify(
                users=police_of(application),
                subject=str(POLICE_OPINION_MESSAGE[0]) % params,
                body=str(POLICE_OPINION_MESSAGE[1]) % params,
                link=link,
                todo=True,
            )


def notify_assigned(application_id: int, expert_ids: list[int]) -> None:
    application = Application.objects.select_related("organisation").get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        params = {"name": application.organisation.name, "reference": application.reference}
        notify(
            users=User.objects.filter(pk__in=expert_ids),
            subject=_("You have been assigned to assess %(name)s") % params,
            body=_(
                "The provincial skill-appraisal centre has assigned you to the technical assessment of the filing "
                "application %(reference)s of %(name)s.\nWhat to do next: declare whether you have a conflict of "
                "interest, then record the site visit, document review and interviews and hand in your scores."
            )
            % params,
            link=reverse("filings:assess", args=[application.pk]),
            todo=True,
        )


def notify_removed(application_id: int, expert_id: int) -> None:
    """The expert taken off a panel learns it (their to-do about it is gone): no visit or scoring is awaited."""
    application = Application.objects.select_related("organisation").get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        params = {"name": application.organisation.name, "reference": application.reference}
        notify(
            users=User.objects.filter(pk=expert_id),
            subject=_("You no longer assess %(name)s") % params,
            body=_(
                "The provincial skill-appraisal centre has taken you off the expert panel of the filing application "
                "%(reference)s of %(name)s. Nothing more is expected of you for it."
            )
            % params,
        )


def notify_conflict(application_id: int, expert_id: int) -> None:
    application = Application.objects.select_related("organisation", "region").get(pk=application_id)
    expert = User.objects.get(pk=expert_id)
    centre = User.objects.filter(
        role=Role.CENTRE, is_active=True, department__region__code__in=application.region.path.split("/")
    )
    with translation.override(settings.LANGUAGE_CODE):
        params = {"expert": expert.display_name, "reference": application.reference}
        notify(
            users=centre,
            subject=_("%(expert)s declared a conflict of interest on %(reference)s") % params,
            body=_("What to do next: assign another expert to the panel of %(reference)s.") % params,
            link=reverse("filings:panel", args=[application.pk]),
            todo=True,
        )


def notify_overdue(application_id: int) -> None:
    application = Application.objects.select_related("organisation", "region").get(pk=application_id)
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "name": application.organisation.name,
            "reference": application.reference,
            "state": application.get_state_display(),
            "deadline": application.deadline.isoformat() if application.deadline else "—",
        }
        notify(
            users=reviewers_for(application),
            subject=_("Overdue: %(reference)s (%(name)s)") % params,
            body=_(
                "The filing application %(reference)s of %(name)s has been “%(state)s” past its deadline of "
                "%(deadline)s.\nWhat to do next: decide on it, or record why it is delayed."
            )
            % params,
            link=reverse("filings:application_detail", args=[application.pk]),
            todo=True,
        )
