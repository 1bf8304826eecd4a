"""Scoped reads of filing applications: the one place that decides who sees which application."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects

from agencies.models import Occupation
from filings.models import (
    Application,
    ApplicationUserObjectPermission,
    ApplicationVersion,
    Attachment,
    DirectoryEntry,
    DirectoryOccupation,
    DirectoryStatusChange,
    Notice,
    PanelMember,
    Receipt,
    State,
)
from portal.models import Department, Region, Role, User


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
        # What guardian's get_objects_for_user(accept_global_perms=False) answers, as one subquery on the
        # direct-FK grant table and without its two permission look-ups on every request. A role-wide
        # (global) permission never opens an application.
        grants = ApplicationUserObjectPermission.objects.filter(
            user=user, permission__codename="assess_application", permission__content_type__app_label="filings"
        )
        return submitted.filter(pk__in=grants.values("content_object_id"))
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


def reviewers_for(application: Application, *, state: str | None = None) -> QuerySet[User]:
    """The officials whose turn it is: the right role, in a department whose jurisdiction holds it."""
    state = state or application.state
    if state not in REVIEWER_OF_STATE:
        return User.objects.none()
    role, kind = REVIEWER_OF_STATE[state]
    codes = [code for code in application.region.path.split("/") if code]
    return User.objects.filter(
        is_active=True, role=role, department__kind=kind, department__region__code__in=codes
    ).select_related("department")


# ---------------------------------------------------------------- the public directory and receipt verification


def _approved_occupations() -> Prefetch:
    return Prefetch(
        "occupations",
        queryset=DirectoryOccupation.objects.select_related("occupation").order_by("occupation__code", "-level"),
    )


def directory_search(
    *,
    city: Region | str | None = None,
    occupation: Occupation | str | None = None,
    level: int | None = None,
    scope: str | None = None,
    status: str | None = None,
    q: str = "",
) -> QuerySet[DirectoryEntry]:
    """The public directory (目录), for anyone. ``city`` is a region or its code and takes in every region under
    it (a city, its counties); ``occupation`` (or its code) and ``level`` are one approval when both are given;
    ``status`` None means active agencies only and "all" every status, a removed agency staying listed as removed;
    ``q`` matches part of the name or of the institution code, or the whole credit code.

    Rows come with their organisation, region and approved occupations, so a page costs the same number of
    queries whatever its size."""
    entries = DirectoryEntry.objects.select_related("organisation", "region").prefetch_related(_approved_occupations())
    if city:
        if not isinstance(city, Region):
            city = Region.objects.filter(code=city).first()
            if city is None:
                return entries.none()
        entries = entries.filter(region__path__startswith=city.path)
    if occupation or level:
        # EXISTS rather than a join: an agency approved at several levels of the occupation is listed once.
        approved = DirectoryOccupation.objects.filter(entry=OuterRef("pk"))
        if isinstance(occupation, Occupation):
            approved = approved.filter(occupation=occupation)
        elif occupation:
            approved = approved.filter(occupation__code=occupation)
        if level:
            approved = approved.filter(level=level)
        entries = entries.filter(Exists(approved))
    if scope:
        entries = entries.filter(scope=scope)
    if not status:
        entries = entries.filter(status=DirectoryEntry.Status.ACTIVE)
    elif status != "all":
        entries = entries.filter(status=status)
    q = q.strip()
    if q:
        entries = entries.filter(
            Q(organisation__name__icontains=q) | Q(institution_code__icontains=q) | Q(organisation__uscc__iexact=q)
        )
    return entries.order_by("region__code", "organisation__name", "pk")


def directory_entry_public(pk: int) -> DirectoryEntry | None:
    """One agency of the directory, whatever its status, with its approvals and its status history."""
    return (
        DirectoryEntry.objects.select_related("organisation", "region__parent__parent")
        .prefetch_related(
            _approved_occupations(),
            Prefetch("history", queryset=DirectoryStatusChange.objects.order_by("changed_on", "pk")),
        )
        .filter(pk=pk)
        .first()
    )


def receipt_verify(
    *, token: str | None = None, number: str | None = None, agency_name: str | None = None
) -> Receipt | None:
    """The ready filing receipt that matches exactly, or None: by the token of its QR code, or by its number
    together with the agency's full name (the number alone would let anyone walk through the receipts).
    Nothing partial, no case folding. The agency's directory entry and its approvals come with it."""
    receipts = Receipt.objects.filter(status=Receipt.Status.READY).select_related(
        "application__organisation", "application__directory_entry", "application__institution_code"
    )
    token, number, agency_name = (token or "").strip(), (number or "").strip(), (agency_name or "").strip()
    if token:
        receipts = receipts.filter(token=token)
    elif number and agency_name:
        receipts = receipts.filter(number=number, application__organisation__name=agency_name)
    else:
        return None
    receipt = receipts.first()
    if receipt is not None and hasattr(receipt.application, "directory_entry"):
        prefetch_related_objects([receipt.application.directory_entry], _approved_occupations())
    return receipt


def notices_visible_to(user: User) -> QuerySet[Notice]:
    """The notices an official manages: those of the calls they can see (the centre's province)."""
    from agencies.selectors import calls_visible_to

    return Notice.objects.filter(call__in=calls_visible_to(user)).select_related("call__province")


def notices_public() -> QuerySet[Notice]:
    """What anyone may read: published notices, and closed ones for the record."""
    return Notice.objects.filter(status__in=(Notice.Status.PUBLISHED, Notice.Status.CLOSED)).select_related(
        "call__province"
    )


def attachments_readable_by(user: User, application: Application) -> QuerySet[Attachment]:
    """The attachments of an application (already visible to ``user``) that the user may download.

    Reviewers read what was submitted: the files listed in a version. The agency reads those and its
    current working files; a file it removed from a draft was never submitted and stays out of reach.
    """
    submitted = {pk for version in application.versions.all() for ids in version.attachments.values() for pk in ids}
    attachments = Attachment.objects.filter(application=application)
    if user.role == Role.AGENCY:
        return attachments.filter(Q(pk__in=submitted) | Q(removed=False))
    return attachments.filter(Q(pk__in=submitted) | Q(material="signed_scan", removed=False))
