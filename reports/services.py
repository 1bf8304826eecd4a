"""Writes of reports: open or regenerate one (the job runs in Celery), compute it, fill the free text, submit it,
and the scheduled generation of every report due soon with its reminders."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.lib.errors import WorkflowError
from portal.lib.workdays import Calendar
from portal.models import Department, Region, User
from portal.services import audit_record, notifications_done, notify
from reports.models import Report, ReportVersion
from reports.periods import Period, due_periods
from reports.selectors import report_content
from reports.tasks import generate_report

FREE_TEXT_LIMIT = 5000
# A worker's claim on a report it computes, kept in the shared cache (Redis) this long at most: a request meanwhile
# joins the computation; a claim whose worker died (killed mid-computation) lapses, and the next request starts
# the report again. A province's report takes seconds (bench/reports.py).
CLAIM_SECONDS = 10 * 60


def _claim_key(report_id: int) -> str:
    return f"reports:computing:{report_id}"


def report_request(*, region: Region, period: Period, by: User | None, request=None) -> Report:
    """Open the report of ``region`` and ``period`` (or take the existing one) and queue its generation.
    A submitted report is not generated again: its numbers are what was sent upward."""
    with transaction.atomic():
        report, _created = Report.objects.select_for_update().get_or_create(
            region=region, year=period.year, quarter=period.quarter, defaults={"due_on": period.due()}
        )
        if report.status == Report.Status.SUBMITTED:
            raise WorkflowError(_("This report has been submitted; it is not generated again."))
        if by is not None:
            audit_record(action="report_generate", request=request, actor=by, obj=report)
        if report.status == Report.Status.PENDING and report.progress > 0 and cache.get(_claim_key(report.pk)):
            # A worker is computing it right now (it claimed it, report_compute): that computation answers this
            # request too. Reset to 0 % and queued again, a second worker would claim it as well and compute the
            # same numbers into a second version (issue 16: two instances asked at once). A report still at 0 %
            # is queued again: its first message may be lost, and only one delivery claims it; so is one whose
            # claim lapsed (its worker died).
            return report
        report.status = Report.Status.PENDING
        report.progress = 0
        report.save(update_fields=["status", "progress"])
        transaction.on_commit(
            partial(generate_report.apply_async, (report.pk, by.pk if by else None), queue=settings.REPORT_QUEUE)
        )
    return report


def report_compute(*, report_id: int, user_id: int | None = None) -> int:
    """Compute the numbers of a report into a new numbered version; returns the version number."""
    report = Report.objects.select_related("region").get(pk=report_id)
    # Claimed by one worker only: the request left it pending at 0 %; a second delivery of the same task (or a
    # second worker given it) finds it claimed or done and computes nothing (issue 16: no double work).
    # The claim is in the cache before it is in the row, so that a request never sees the row claimed without it.
    cache.set(_claim_key(report.pk), True, CLAIM_SECONDS)
    if not Report.objects.filter(pk=report.pk, status=Report.Status.PENDING, progress=0).update(progress=10):
        return report.latest.number if report.latest else 0
    try:
        with translation.override(settings.LANGUAGE_CODE):
            content = report_content(region=report.region, period=report.period)
    except BaseException:
        Report.objects.filter(pk=report.pk, status=Report.Status.PENDING).update(progress=0)  # a retry may claim it
        cache.delete(_claim_key(report.pk))
        raise
    Report.objects.filter(pk=report.pk).update(progress=90)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        ReportVersion.objects.create(
            report=report, number=number, generated_at=timezone.now(), generated_by_id=user_id, content=content
        )
        report.status = Report.Status.DRAFT
        report.progress = 100
        report.save(update_fields=["status", "progress"])
    cache.delete(_claim_key(report.pk))
    return number


def report_fill(*, report: Report, experience: str, difficulties: str, by: User, request=None) -> Report:
    """Save the free-text section (典型经验、困难问题) the department adds before submitting."""
    errors = {}
    for name, value in (("experience", experience), ("difficulties", difficulties)):
        if len(value) > FREE_TEXT_LIMIT:
            errors[name] = _("At most %(n)s characters.") % {"n": FREE_TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status == Report.Status.SUBMITTED:
            raise WorkflowError(_("This report has been submitted; it can no longer be changed."))
        report.experience = experience.strip()
        report.difficulties = difficulties.strip()
        report.save(update_fields=["experience", "difficulties"])
        audit_record(action="report_fill", request=request, actor=by, obj=report)
    return report


def report_submit(*, report: Report, by: User, request=None) -> Report:
    """Submit the report upward: its latest version and free text are final."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != Report.Status.DRAFT:
            raise WorkflowError(_("Only a generated report that is not yet submitted can be submitted."))
        if not (report.experience and report.difficulties):
            raise ValidationError(
                {
                    name: _("Fill this section before submitting.")
                    for name in ("experience", "difficulties")
                    if not getattr(report, name)
                }
            )
        report.status = Report.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = by
        report.save(update_fields=["status", "submitted_at", "submitted_by"])
        audit_record(action="report_submit", request=request, actor=by, obj=report)
        # Submitted: the departments' “report due, fill it in and submit it” is done.
        notifications_done(
            users=User.objects.filter(department__in=_responsible(report.region)),
            link=reverse("reports:detail", args=[report.pk]),
        )
        upward = _upward_departments(report.region)
        if upward:
            with translation.override(settings.LANGUAGE_CODE):
                notify(
                    users=User.objects.filter(department__in=upward),
                    subject=_("Report submitted: %(report)s") % {"report": report},
                    body=_("%(region)s has submitted its report for %(period)s.")
                    % {"region": report.region.name, "period": report.period.label},
                    link=reverse("reports:detail", args=[report.pk]),
                )
    return report


def _upward_departments(region: Region) -> list[Department]:
    """Who receives a city's report: the departments of its province (a province's report goes outside)."""
    if region.parent_id is None:
        return []
    return list(Department.objects.filter(region_id=region.parent_id))


def _responsible(region: Region):
    """The departments that make a jurisdiction's report: its HR bureau or centre, and its police."""
    return Department.objects.filter(region=region).exclude(user__isnull=True).distinct()


def reports_generate_due(today: dt.date | None = None) -> list[Report]:
    """Open and generate every report due within ``REPORT_LEAD_WORKDAYS`` working days, for every city and
    province that has a department, and remind the departments once (when the report is first opened)."""
    today = today or timezone.localdate()
    calendar = Calendar()
    periods = due_periods(today, lead_workdays=settings.REPORT_LEAD_WORKDAYS, calendar=calendar)
    regions = Region.objects.filter(level__in=(Region.Level.CITY, Region.Level.PROVINCE), department__isnull=False)
    opened = []
    for period in periods:
        for region in regions.distinct():
            due = period.due(calendar)
            with transaction.atomic():
                # Opened by one run only: two runs at once (a second beat, a catch-up run beside the schedule) both
                # try to create the report, the unique constraint lets one of them, and only the one that created
                # it queues its generation and reminds the departments (issue 16: no double work).
                report, created = Report.objects.get_or_create(
                    region=region, year=period.year, quarter=period.quarter, defaults={"due_on": due}
                )
                if not created:
                    continue
                transaction.on_commit(
                    partial(generate_report.apply_async, (report.pk, None), queue=settings.REPORT_QUEUE)
                )
                opened.append(report)
                with translation.override(settings.LANGUAGE_CODE):
                    notify(
                        users=User.objects.filter(department__in=_responsible(region), is_active=True),
                        subject=_("Report due %(date)s: %(report)s") % {"date": due.isoformat(), "report": report},
                        body=_(
                            "The report of %(region)s for %(period)s has been generated. Check its figures, fill in "
                            "the typical experience and the difficulties, and submit it by %(date)s."
                        )
                        % {"region": region.name, "period": period.label, "date": due.isoformat()},
                        link=reverse("reports:detail", args=[report.pk]),
                    )
    return opened
