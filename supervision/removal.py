"""What removing an agency from the directory (移出目录) does to its work under way, in numbers, for the page that
asks the centre to confirm the removal.

The Guangxi 2020 pilot notice, 四（一）: 对违规失信、恶意竞争、管理失序的试点机构，移出目录，取消试点资格. An agency
removed loses the right to evaluate: ``supervision.services.sanctions.sanction_decide`` withdraws its evaluations
not begun (announced or not), so the public list of evaluations no longer invites candidates to them. Evaluations
already begun stay as they are. What happens to results and certificates is the ``certificates`` app's to say: it
sits above ``supervision`` (import-linter's layers) and registers, in its ``AppConfig.ready``, a function giving
its lines for an agency (``agencies.links`` works the same way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import ngettext

from supervision.models import Plan

if TYPE_CHECKING:
    from agencies.models import DirectoryEntry

RemovalConsequences = Callable[["DirectoryEntry"], Iterable[str]]

_sources: list[RemovalConsequences] = []

# The plans a removal withdraws: not begun, and still alive (a refused or withdrawn plan stays as it is).
NOT_WITHDRAWN_BY_REMOVAL = (Plan.Status.WITHDRAWN, Plan.Status.REFUSED)


def register_removal_consequences(source: RemovalConsequences) -> None:
    """``source(entry)`` gives the lines saying what a removal does to the agency's work (idempotent)."""
    if source not in _sources:
        _sources.append(source)


def plans_withdrawn_by_removal(entry: DirectoryEntry, today: dt.date):
    """The agency's evaluations that have not begun: a removal withdraws them."""
    return entry.plans.filter(first_day__gt=today).exclude(status__in=NOT_WITHDRAWN_BY_REMOVAL)


def plan_consequences(entry: DirectoryEntry, today: dt.date | None = None) -> list[str]:
    """The evaluations: those announced and not begun (withdrawn, off the public list), the other plans not begun
    (withdrawn too), those under way (left as they are)."""
    today = today or timezone.localdate()
    counts = plans_withdrawn_by_removal(entry, today).aggregate(
        announced=Count("pk", filter=Q(status=Plan.Status.ANNOUNCED)),
        other=Count("pk", filter=~Q(status=Plan.Status.ANNOUNCED)),
    )
    under_way = entry.plans.filter(status=Plan.Status.ANNOUNCED, first_day__lte=today, last_day__gte=today).count()
    return [
        ngettext(
            "%(count)d evaluation announced and not begun: it is withdrawn and leaves the public list of evaluations; "
            "tell its candidates.",
            "%(count)d evaluations announced and not begun: they are withdrawn and leave the public list of "
            "evaluations; tell their candidates.",
            counts["announced"],
        )
        % {"count": counts["announced"]},
        ngettext(
            "%(count)d plan not announced yet (draft, awaiting consent or ready): it is withdrawn.",
            "%(count)d plans not announced yet (drafts, awaiting consent or ready): they are withdrawn.",
            counts["other"],
        )
        % {"count": counts["other"]},
        ngettext(
            "%(count)d evaluation under way today: it is left as it is (its results can still be entered).",
            "%(count)d evaluations under way today: they are left as they are (their results can still be entered).",
            under_way,
        )
        % {"count": under_way},
    ]


def removal_consequences(entry: DirectoryEntry) -> list[str]:
    """Every line: the evaluations (this app's), then those of the apps above (results, certificates)."""
    return [*plan_consequences(entry), *(line for source in _sources for line in source(entry))]
