"""Reads of the portal core."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

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
    """What the home page shows each role: the portal's own figures, and what each app adds for the user
    through its selectors (``settings.DASHBOARD_SOURCES``, read by name, so the core imports no feature app)."""
    from portal.lib.workdays import years_missing_schedule
    from portal.models import Role, User

    context: dict = {"role": user.role}
    todo: list = []
    for path in settings.DASHBOARD_SOURCES:
        panel = dict(import_string(path)(user))
        todo.extend(panel.pop("todo", ()))
        context.update(panel)
    # 我的待办: every kind of pending work from every app, those with something waiting (``portal.lib.todo``).
    context["todo"] = [item for item in todo if item.count]
    if user.role == Role.ADMIN:
        context["years_missing_schedule"] = years_missing_schedule(timezone.localdate())
        context["user_count"] = User.objects.filter(is_active=True).count()
        context["recent_events"] = list(AuditEvent.objects.select_related("actor")[:10])
        context["failed_today"] = AuditEvent.objects.filter(
            result=AuditEvent.Result.FAILURE, time__date=timezone.localdate()
        ).count()
    return context
