"""Reads of the portal core."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from portal.models import AuditEvent


def audit_events_filtered(
    *,
    action: str = "",
    result: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log as an admin filters it. Only admins reach this (gated in the view)."""
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if result:
        events = events.filter(result=result)
    if username:
        events = events.filter(username__icontains=username)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(time__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to and date_to < dt.date.max:
        events = events.filter(time__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return events


def dashboard_for(user) -> dict:
    """What the home page shows each role: its own work, scoped through the apps' selectors."""
    from agencies.selectors import organisations_visible_to
    from filings.selectors import applications_visible_to, awaiting
    from portal.lib.workdays import years_missing_schedule
    from portal.models import Role, User

    context: dict = {"role": user.role}
    if user.role == Role.AGENCY:
        context["organisation"] = user.organisation
        context["applications"] = list(applications_visible_to(user).order_by("-updated")[:10])
    if user.role == Role.EXPERT:
        context["assigned"] = list(applications_visible_to(user).order_by("deadline", "-updated")[:10])
    if user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE):
        queue = awaiting(user)
        context["queue_count"] = queue.count()
        context["queue"] = list(queue.order_by("stage_started_at")[:10])
    if user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        organisations = organisations_visible_to(user)
        context["organisation_count"] = organisations.count()
        context["recent_organisations"] = list(organisations.order_by("-created")[:8])
    if user.role == Role.CITY_HR:
        # Self-registered organisations of the city; those whose code awaits the bureau's confirmation first.
        since = timezone.now() - dt.timedelta(days=30)
        context["new_organisations"] = list(
            organisations.filter(created__gte=since).order_by("-uscc_needs_confirmation", "-created")
        )
    if user.role == Role.ADMIN:
        context["years_missing_schedule"] = years_missing_schedule(timezone.localdate())
        context["user_count"] = User.objects.filter(is_active=True).count()
        context["recent_events"] = list(AuditEvent.objects.select_related("actor")[:10])
        context["failed_today"] = AuditEvent.objects.filter(
            result=AuditEvent.Result.FAILURE, time__date=timezone.localdate()
        ).count()
    return context
