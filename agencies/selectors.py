"""Scoped reads of agencies: the one place that decides which organisations and calls a user may see."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Call, CallVersion, Occupation, Organisation
from portal.models import Role, User


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """An agency user sees their own organisation; an official, those registered in their jurisdiction;
    an admin, all; anyone else, none."""
    organisations = Organisation.objects.select_related("region")
    if not user.is_authenticated:
        return organisations.none()
    if user.role == Role.ADMIN:
        return organisations
    if user.role == Role.AGENCY:
        return organisations.filter(pk=user.organisation_id)
    if user.jurisdiction is not None:
        return organisations.filter(region__path__startswith=user.jurisdiction.path)
    return organisations.none()


def occupations_active() -> QuerySet[Occupation]:
    return Occupation.objects.filter(active=True)


def _ancestor_paths(path: str) -> list[str]:
    """The materialised paths of a region and of every region above it ("450000/450100/" → both)."""
    codes = [code for code in path.split("/") if code]
    return ["".join(f"{code}/" for code in codes[: i + 1]) for i in range(len(codes))]


def calls_visible_to(user: User) -> QuerySet[Call]:
    """The centre sees every call of its province, drafts included; an administrator, all calls. An agency
    sees the published calls of the province its organisation is registered in; other officials, the
    published calls of the province of their jurisdiction; anyone else, none."""
    calls = Call.objects.select_related("province").prefetch_related("versions__profile")
    if not user.is_authenticated:
        return calls.none()
    if user.role == Role.ADMIN:
        return calls
    if user.role == Role.AGENCY:
        region = user.organisation.region if user.organisation_id else None
    else:
        region = user.jurisdiction
    if region is None:
        return calls.none()
    calls = calls.filter(province__path__in=_ancestor_paths(region.path))
    if user.role == Role.CENTRE:
        return calls
    if user.role in (Role.AGENCY, Role.CITY_HR, Role.POLICE):
        published = CallVersion.objects.filter(call=OuterRef("pk"), published_at__isnull=False)
        return calls.filter(Exists(published))
    return calls.none()


def call_managed_by(user: User, call: Call) -> bool:
    """Whether the user may edit and publish the call (the centre of its province; the views also gate)."""
    return user.role == Role.CENTRE and calls_visible_to(user).filter(pk=call.pk).exists()


def open_calls_for(organisation: Organisation, today: dt.date) -> list[Call]:
    """The calls an organisation may apply to today: the current (latest published) version is open and the
    call's province contains the organisation's region. Ordered by closing date, soonest first."""
    calls = (
        Call.objects.filter(province__path__in=_ancestor_paths(organisation.region.path))
        .filter(
            Exists(
                CallVersion.objects.filter(
                    call=OuterRef("pk"), published_at__isnull=False, opens_on__lte=today, closes_on__gte=today
                )
            )
        )
        .select_related("province")
        .prefetch_related("versions")
    )
    open_calls = [call for call in calls if call.current_version.is_open(today)]
    return sorted(open_calls, key=lambda call: call.current_version.closes_on)


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not yet open")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed for applications")


def call_status(call: Call, today: dt.date) -> CallStatus:
    """The status applicants see: from the current (latest published) version; a call never published is a
    draft."""
    version = call.current_version
    if version is None:
        return CallStatus.DRAFT
    if today < version.opens_on:
        return CallStatus.UPCOMING
    if today > version.closes_on:
        return CallStatus.CLOSED
    return CallStatus.OPEN
