"""Reads of the portal core."""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce

from django.conf import settings
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy

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
    # What the list counts in all (the centre's 待我办理 tile: its objections and complaints too, not only its
    # applications).
    context["todo_total"] = sum(item.count for item in context["todo"])
    if user.role == Role.ADMIN:
        context["years_missing_schedule"] = years_missing_schedule(timezone.localdate())
        context["user_count"] = User.objects.filter(is_active=True).count()
        context["recent_events"] = list(AuditEvent.objects.select_related("actor")[:10])
        context["failed_today"] = AuditEvent.objects.filter(
            result=AuditEvent.Result.FAILURE, time__date=timezone.localdate()
        ).count()
    return context


# The kinds of work a message is about, by the page it links to (first match wins: notices live under /filings/).
INBOX_KINDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("notices", ("/filings/notices/",), gettext_lazy("Public notices and objections")),
    ("filings", ("/filings/",), gettext_lazy("Filing applications")),
    ("results", ("/certificates/",), gettext_lazy("Results and certificates")),
    ("complaints", ("/supervision/complaints/",), gettext_lazy("Complaints")),
    (
        "inspections",
        ("/supervision/inspections/", "/supervision/rectifications/"),
        gettext_lazy("Inspections and rectification"),
    ),
    ("sanctions", ("/supervision/sanctions/",), gettext_lazy("Sanctions")),
    (
        "registrations",
        ("/supervision/registrations/", "/supervision/plans/"),
        gettext_lazy("Police registrations and evaluation plans"),
    ),
    ("reports", ("/reports/",), gettext_lazy("Statistical reports")),
)
INBOX_OTHER = ("other", gettext_lazy("Other messages"))
INBOX_KIND_LABELS = {code: label for code, _prefixes, label in INBOX_KINDS} | {INBOX_OTHER[0]: INBOX_OTHER[1]}


# What waits in the inbox's to-do tab: a to-do until its work is done (opening it only marks it read), any other
# message until it is read. The rest is under “read”.
WAITING = Q(todo=True, done_at=None) | Q(todo=False, read_at=None)


def inbox_waiting_count(user) -> int:
    return user.notifications.filter(WAITING).count()


def inbox_messages(user, *, unread: bool, kind: str = "") -> QuerySet:
    """The user's messages, waiting (``unread``: see ``WAITING``) or not, each annotated with its ``kind`` (a code
    of ``INBOX_KINDS``), newest first; only those of ``kind`` when given. The related manager is the scope: only
    what was sent to the user."""
    messages = user.notifications.filter(WAITING if unread else ~WAITING).annotate(
        kind=Case(
            *(
                When(reduce(operator.or_, (Q(link__startswith=prefix) for prefix in prefixes)), then=Value(code))
                for code, prefixes, _label in INBOX_KINDS
            ),
            default=Value(INBOX_OTHER[0]),
            output_field=CharField(),
        )
    )
    return messages.filter(kind=kind) if kind else messages


def inbox_kind_counts(user, *, unread: bool) -> list[tuple[str, str, int]]:
    """(code, label, number of messages) of each kind the user has messages of, in the order of ``INBOX_KINDS``."""
    counts = dict(inbox_messages(user, unread=unread).values_list("kind").annotate(n=Count("id")).order_by())
    return [(code, label, counts[code]) for code, label in INBOX_KIND_LABELS.items() if counts.get(code)]
