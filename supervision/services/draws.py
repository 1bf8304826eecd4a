"""Random inspection draws (双随机一公开).

An HR official (city bureau or centre) defines a draw in their jurisdiction: the agency pool (filters: city,
occupation, directory status, evaluations announced in a period), the inspector pool (active officials of the
HR bureaus, the centre and the police in the jurisdiction, or in one city), N and M, and the public source of the
seed, fixed before the draw (e.g. "the 福彩3D numbers of 2026-12-15"). Conflicts are excluded: an inspector who
has already inspected an agency is not drawn for it again. The inputs are published at once; when the source
has produced its value, the official enters it and the portal draws with ``portal.lib.randomdraw`` — the same
stand-alone script anyone downloads — and opens one inspection per drawn agency, led by its first inspector.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry, Occupation
from portal.lib import randomdraw
from portal.lib.errors import WorkflowError
from portal.models import Region, Role, User
from portal.services import audit_record, audit_text, notify
from supervision.models import Draw, Inspection, Plan

INSPECTOR_ROLES = (Role.CITY_HR, Role.CENTRE, Role.POLICE)
MAX_N, MAX_M = 200, 5


def agency_pool(
    *,
    region: Region,
    city: Region | None = None,
    occupation: Occupation | None = None,
    status: str = DirectoryEntry.Status.ACTIVE,
    period: tuple[dt.date, dt.date] | None = None,
) -> QuerySet[DirectoryEntry]:
    entries = DirectoryEntry.objects.filter(region__path__startswith=(city or region).path)
    removed = DirectoryEntry.Status.REMOVED
    entries = entries.filter(status=status) if status else entries.exclude(status=removed)
    if occupation is not None:
        entries = entries.filter(occupations__occupation=occupation)
    if period is not None:
        announced = Plan.objects.filter(
            status=Plan.Status.ANNOUNCED, first_day__lte=period[1], last_day__gte=period[0]
        ).values("entry")
        entries = entries.filter(pk__in=announced)
    return entries.distinct()


def inspector_pool(*, region: Region, city: Region | None = None) -> QuerySet[User]:
    return User.objects.filter(
        role__in=INSPECTOR_ROLES, is_active=True, department__region__path__startswith=(city or region).path
    )


def conflicts_between(agency_ids: list[int], inspector_ids: list[int]) -> list[list[int]]:
    """[inspector, agency] pairs that may not go together: the inspector has inspected the agency before."""
    pairs = Inspection.objects.filter(entry_id__in=agency_ids, inspector_id__in=inspector_ids).values_list(
        "inspector_id", "entry_id"
    )
    return sorted({(inspector, agency) for inspector, agency in pairs})


def draw_define(
    *,
    by: User,
    title: str,
    n: int | None,
    m: int | None,
    seed_source: str,
    seed_published_on: dt.date | None = None,
    city: Region | None = None,
    occupation: Occupation | None = None,
    status: str = DirectoryEntry.Status.ACTIVE,
    period: tuple[dt.date, dt.date] | None = None,
    request=None,
) -> Draw:
    if by.role not in (Role.CITY_HR, Role.CENTRE) or by.jurisdiction is None:
        raise PermissionDenied
    region = by.jurisdiction
    errors: dict[str, list[str]] = {}
    if city is not None and not city.path.startswith(region.path):
        errors["city"] = [_("Choose a city of your jurisdiction.")]
        city = None
    agency_ids = sorted(
        agency_pool(region=region, city=city, occupation=occupation, status=status, period=period).values_list(
            "pk", flat=True
        )
    )
    inspector_ids = sorted(inspector_pool(region=region, city=city).values_list("pk", flat=True))
    conflicts = conflicts_between(agency_ids, inspector_ids)
    if not title.strip():
        errors["title"] = [_("Give the draw a title.")]
    if not seed_source.strip():
        errors["seed_source"] = [_("Name the public value the seed will come from, before the draw.")]
    if seed_published_on is None:
        # The form asks it; the service too (issue sup9 item 6): without it nothing stops a draw before the seed
        # source has published its value (``draw_perform`` refuses one only against this day).
        errors["seed_published_on"] = [_("Give the day the seed source publishes its value (today or later).")]
    elif seed_published_on < timezone.localdate():
        errors["seed_published_on"] = [_("The seed value is published today or later, not in the past.")]
    if not agency_ids:
        errors["n"] = [_("No agency matches these filters.")]
    elif n is None or not 1 <= n <= min(len(agency_ids), MAX_N):
        errors["n"] = [_("Between 1 and %(max)d (the agencies in the pool).") % {"max": min(len(agency_ids), MAX_N)}]
    if m is None or not 1 <= m <= MAX_M:
        errors["m"] = [_("Between 1 and %(max)d.") % {"max": MAX_M}]
    elif agency_ids:
        conflicted: dict[int, int] = {}
        for _inspector, agency in conflicts:
            conflicted[agency] = conflicted.get(agency, 0) + 1
        short = [a for a in agency_ids if len(inspector_ids) - conflicted.get(a, 0) < m]
        if short:
            errors["m"] = [
                _("%(count)d agencies of the pool have fewer than M inspectors without a conflict.")
                % {"count": len(short)}
            ]
    if errors:
        raise ValidationError(errors)
    filters = {
        "city": city.code if city else "",
        "occupation": occupation.code if occupation else "",
        "status": status,
        "period": [period[0].isoformat(), period[1].isoformat()] if period else [],
    }
    with transaction.atomic():
        draw = Draw.objects.create(
            title=title.strip(),
            region=region,
            department=by.department,
            created_by=by,
            filters=filters,
            agency_ids=agency_ids,
            inspector_ids=inspector_ids,
            conflicts=[list(pair) for pair in conflicts],
            n=n,
            m=m,
            seed_source=seed_source.strip(),
            seed_published_on=seed_published_on,
        )
        audit_record(
            action="draw_define",
            request=request,
            actor=by,
            obj=draw,
            detail=audit_text(gettext_lazy("%(n)s agencies and %(m)s inspectors to draw"), n=n, m=m),
        )
    return draw


def may_run(user: User, draw: Draw) -> bool:
    return user.role in (Role.CITY_HR, Role.CENTRE) and user.department_id == draw.department_id


def draw_perform(*, draw: Draw, by: User, seed_value: str, request=None) -> Draw:
    """Enter the seed source's value and draw; one inspection per drawn agency, led by its first inspector."""
    if not may_run(by, draw):
        raise PermissionDenied
    seed_value = seed_value.strip()
    if not seed_value:
        raise ValidationError({"seed_value": [_("Enter the value the seed source produced.")]})
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if draw.status != Draw.Status.DEFINED:
            raise WorkflowError(_("This draw has already been made."))
        if draw.seed_pending(timezone.localdate()):
            raise ValidationError(
                {
                    "seed_value": [
                        _("The seed source publishes its value on %(date)s: draw on that day or later.")
                        % {"date": f"{draw.seed_published_on:%Y-%m-%d}"}
                    ]
                }
            )
        draw.seed_value = seed_value
        draw.picks = randomdraw.draw(draw.inputs())
        draw.status, draw.drawn_at, draw.drawn_by = Draw.Status.DRAWN, timezone.now(), by
        draw.save(update_fields=["seed_value", "picks", "status", "drawn_at", "drawn_by"])
        users = {u.pk: u for u in User.objects.filter(pk__in=draw.inspector_ids).select_related("department")}
        entries = {e.pk: e for e in DirectoryEntry.objects.filter(pk__in=draw.agency_ids)}
        for picked in draw.picks:
            lead = users[picked["inspectors"][0]]
            inspection = Inspection.objects.create(
                entry=entries[picked["agency"]],
                draw=draw,
                source=Inspection.Source.RANDOM,
                inspector=lead,
                department=lead.department,
                visited_on=timezone.localdate(),
            )
            inspection.team.set([users[pk] for pk in picked["inspectors"]])
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Drawn for a random inspection: %(name)s") % {
                    "name": entries[picked["agency"]].organisation.name
                }
                notify(
                    users=[users[pk] for pk in picked["inspectors"]],
                    subject=subject,
                    body=subject + "\n" + _("Visit the agency, fill in the checklist and record the findings."),
                    link=reverse("supervision:inspection_detail", args=[inspection.pk]),
                    todo=True,
                )
        audit_record(
            action="draw_perform",
            request=request,
            actor=by,
            obj=draw,
            detail=audit_text(gettext_lazy("Seed value: %(seed)s"), seed=seed_value[:200]),
        )
    return draw
