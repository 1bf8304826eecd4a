"""Scoped reads of filing applications: the one place that decides who sees which application."""

from __future__ import annotations

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from filings.models import Application, ApplicationVersion, PanelMember, State
from portal.models import Department, Role, User


def applications_visible_to(user: User) -> QuerySet[Application]:
    """An agency sees its own applications; officials those of their jurisdiction once submitted; an admin all
    submitted ones; an expert only those assigned (the django-guardian grant ``filings.assess_application``,
    which a declared conflict or removal from the panel takes away). Drafts are the agency's alone."""
    applications = Application.objects.select_related("organisation", "region", "call", "call_version")
    if not user.is_authenticated:
        return applications.none()
    if user.role == Role.AGENCY:
        return applications.filter(organisation_id=user.organisation_id)
    submitted = applications.exclude(state=State.DRAFT).exclude(submitted_at=None)
    if user.role == Role.ADMIN:
        return submitted
    if user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE) and user.jurisdiction is not None:
        return submitted.filter(region__path__startswith=user.jurisdiction.path)
    if user.role == Role.EXPERT:
        # One subquery on the direct-FK grant table; role-wide (global) permissions never count.
        return get_objects_for_user(
            user, "filings.assess_application", klass=submitted, accept_global_perms=False, with_superuser=False
        )
    return applications.none()


def panel_member_for(user: User, application: Application) -> PanelMember | None:
    """The user's seat on the application's panel, if any (a declared conflict keeps the seat, not the access)."""
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(application=application, expert=user).first()


def application_editable_by(user: User) -> QuerySet[Application]:
    """Applications the user may edit: the agency's own (the state is checked by the services)."""
    if not user.is_authenticated or user.role != Role.AGENCY:
        return Application.objects.none()
    return Application.objects.select_related("organisation", "call_version", "call").filter(
        organisation_id=user.organisation_id
    )


def awaiting_states(user: User) -> list[State]:
    return [state for state, (role, _kind) in REVIEWER_OF_STATE.items() if role == user.role]


def awaiting(user: User) -> QuerySet[Application]:
    """The applications of the user's jurisdiction that wait for the user's role to act."""
    return applications_visible_to(user).filter(state__in=awaiting_states(user))


def versions_of(application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.select_related("submitted_by").order_by("number")


REVIEWER_OF_STATE = {
    State.CITY_REVIEW: (Role.CITY_HR, Department.Kind.HR_BUREAU),
    State.POLICE_REVIEW: (Role.POLICE, Department.Kind.PUBLIC_SECURITY),
    State.ACCEPTANCE: (Role.CENTRE, Department.Kind.APPRAISAL_CENTRE),
    State.ASSESSMENT: (Role.CENTRE, Department.Kind.APPRAISAL_CENTRE),
}


def reviewers_for(application: Application) -> QuerySet[User]:
    """The officials whose turn it is: the right role, in a department whose jurisdiction holds it."""
    if application.state not in REVIEWER_OF_STATE:
        return User.objects.none()
    role, kind = REVIEWER_OF_STATE[application.state]
    codes = [code for code in application.region.path.split("/") if code]
    return User.objects.filter(
        is_active=True, role=role, department__kind=kind, department__region__code__in=codes
    ).select_related("department")
