"""Scoped reads of reports, and the ONE computation of a report's numbers.

``report_content(region=, period=)`` computes every section of the Shaanxi 四（四） report for a jurisdiction (a
city or the province: every region whose path starts with it) and a period, in a constant number of queries
whatever the data size. The home dashboard (``home_panel``) calls the same function for the current quarter,
so a dashboard number and the report's number for the same period and jurisdiction are the same number.

Two kinds of figure: *stock* figures (agencies by directory status, applications by stage, overdue counts and
working days elapsed) are as of the day of generation — the tables keep no past states; *flow* figures
(filed, received, visited, decided, issued …) count what happened within the period. Each section says which.
A section without data shows zeros and says so; nothing here raises for missing data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import DirectoryEntry, Level, Organisation
from certificates.models import Candidate, Certificate
from filings.models import Application, State
from portal.lib.workdays import Calendar
from portal.models import Region, Role, User
from portal.routers import replica_reads
from publicity.models import Notice, Objection
from reports.models import Report
from reports.periods import Period
from supervision.models import Complaint, CrossRegionReport, Inspection, Plan, Sanction

# Stages that no longer move: no working days elapsed, never overdue.
SETTLED = {
    State.DRAFT,
    State.WITHDRAWN,
    State.NOT_RECOMMENDED,
    State.REFUSED,
    State.NOT_SELECTED,
    State.OBJECTION_UPHELD,
    State.MINISTRY_REJECTED,
    State.FILED,
}
REPORT_ROLES = (Role.CENTRE, Role.CITY_HR, Role.POLICE)


def _day_range(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _rows(counts: dict, choices, *, columns: int = 1) -> list[dict]:
    """One row per choice, in the choices' order, zero where nothing was counted."""
    return [
        {"key": str(value), "label": str(label), "values": list(counts.get(value, [0] * columns))}
        for value, label in choices
    ]


def _section(key: str, title: str, columns: list[str], rows: list[dict], *, kind: str, note: str = "") -> dict:
    empty = not any(any(v for v in row["values"] if isinstance(v, int | float)) for row in rows)
    if empty and not note:
        note = _("No records in this period and jurisdiction: the figures are zero.")
    return {"key": key, "title": title, "columns": columns, "rows": rows, "kind": kind, "note": note, "empty": empty}


@replica_reads()
def report_content(
    *, region: Region, period: Period, today: dt.date | None = None, organisation: Organisation | None = None
) -> dict:
    """Every section of the report for ``region``'s jurisdiction and ``period``, as JSON-ready data; with
    ``organisation``, the same sections for that agency's own work (its home dashboard; the notices it published)."""
    today = today or timezone.localdate()
    path = region.path

    def where(region_lookup: str, organisation_lookup: str | None) -> Q:
        if organisation is None:
            return Q(**{f"{region_lookup}__path__startswith": path})
        if organisation_lookup is None:
            return Q(pk__in=[])
        return Q(**{f"{organisation_lookup}_id": organisation.pk})

    start, end = _day_range(period)
    days = (period.start, period.end)
    calendar = Calendar()
    sections = []

    # 1. Agencies by directory status (stock) and filed in the period (flow).
    entries = DirectoryEntry.objects.filter(where("region", "organisation"))
    by_status = {
        row["status"]: [row["n"], row["filed"]]
        for row in entries.values("status").annotate(n=Count("pk"), filed=Count("pk", filter=Q(filed_on__range=days)))
    }
    sections.append(
        _section(
            "agencies",
            _("Filed agencies by directory status"),
            [_("Directory status"), _("Agencies now"), _("Filed in the period")],
            _rows(by_status, DirectoryEntry.Status.choices, columns=2),
            kind="stock",
        )
    )

    # 2. Applications by stage: how many, how many overdue, mean working days elapsed in the stage (stock).
    # Drafts are the agency's own until submitted: no department counts them.
    applications = Application.objects.filter(where("region", "organisation")).exclude(state=State.DRAFT)
    counts = {
        row["state"]: [row["n"], row["overdue"], row["submitted"]]
        for row in applications.values("state").annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(state__in=SETTLED)),
            submitted=Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
        )
    }
    # Working days elapsed, by stage: rows grouped by the day their stage started (a few hundred distinct days
    # whatever the number of applications), each day's working days counted once on the holiday calendar.
    elapsed: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # state → [sum of working days, applications]
    for row in (
        applications.exclude(state__in=SETTLED)
        .annotate(day=TruncDate("stage_started_at"))
        .values("state", "day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        elapsed[row["state"]][0] += calendar.workdays_between(row["day"], today) * row["n"]
        elapsed[row["state"]][1] += row["n"]
    rows = []
    for value, label in State.choices:
        if value == State.DRAFT:
            continue
        n, overdue, submitted = counts.get(value, [0, 0, 0])
        total, waiting = elapsed.get(value, (0, 0))
        mean = round(total / waiting, 1) if waiting else 0.0
        rows.append({"key": value, "label": str(label), "values": [n, overdue, mean, submitted]})
    sections.append(
        _section(
            "applications",
            _("Filing applications by stage"),
            [
                _("Stage"),
                _("Applications now"),
                _("Overdue"),
                _("Mean working days in the stage"),
                _("Submitted in the period"),
            ],
            rows,
            kind="stock",
        )
    )

    # 3. Notices published in the period, objections raised in it by how they were handled. An agency's are the
    # notices it published itself (its results notices, drafted and published by its accounts).
    notices = Notice.objects.filter(
        where("region", "published_by__organisation"), published_at__gte=start, published_at__lt=end
    )
    objections = {
        row["status"]: [row["n"]]
        for row in Objection.objects.filter(
            where("notice__region", "notice__published_by__organisation"), created__gte=start, created__lt=end
        )
        .values("status")
        .annotate(n=Count("pk"))
    }
    rows = [{"key": "notices", "label": str(_("Notices published")), "values": [notices.count()]}]
    rows += [
        {"key": f"objection_{value}", "label": str(_("Objections: %(status)s") % {"status": label}), "values": v}
        for value, label, v in ((val, lab, objections.get(val, [0])) for val, lab in Objection.Status.choices)
    ]
    sections.append(_section("notices", _("Public notices and objections"), [_("Item"), _("Count")], rows, kind="flow"))

    # 4. Evaluation plans whose first exam day falls in the period, by status; cross-region reports by what
    # happened to them in the period: consented or refused in it (answered), or reported in it and still awaiting
    # an answer. A report is answered weeks before its plan's exam day, often in the quarter before: counted by
    # the plan's first day, a report consented this quarter was missing from it.
    plans = Plan.objects.filter(where("city", "entry__organisation"), first_day__range=days)
    plan_counts = {row["status"]: [row["n"]] for row in plans.values("status").annotate(n=Count("pk"))}
    pending = CrossRegionReport.Status.PENDING
    cross_counts = CrossRegionReport.objects.filter(where("plan__city", "plan__entry__organisation")).aggregate(
        **{
            status: Count(
                "pk",
                filter=Q(status=status, submitted_at__gte=start, submitted_at__lt=end)
                if status == pending
                else Q(status=status, decided_at__gte=start, decided_at__lt=end),
            )
            for status in CrossRegionReport.Status.values
        }
    )
    cross = {status: [n] for status, n in cross_counts.items()}
    rows = _rows(plan_counts, Plan.Status.choices)
    rows += [
        {"key": f"cross_{value}", "label": str(_("Cross-region reports: %(status)s") % {"status": label}), "values": v}
        for value, label, v in ((val, lab, cross.get(val, [0])) for val, lab in CrossRegionReport.Status.choices)
    ]
    sections.append(
        _section("plans", _("Evaluation plans and cross-region reports"), [_("Status"), _("Count")], rows, kind="flow")
    )

    # 5. Oversight: inspections visited, complaints received (handled, overdue, working days to reply), sanctions.
    inspections = {
        row["status"]: row["n"]
        for row in Inspection.objects.filter(where("entry__region", "entry__organisation"), visited_on__range=days)
        .values("status")
        .annotate(n=Count("pk"))
    }
    complaints = Complaint.objects.filter(
        where("entry__region", "entry__organisation"), created__gte=start, created__lt=end
    )
    handled = (Complaint.Status.REPLIED, Complaint.Status.DECLINED)
    totals = complaints.aggregate(
        received=Count("pk"),
        handled=Count("pk", filter=Q(status__in=handled)),
        overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(status__in=handled)),
    )
    replies = [0, 0]  # [sum of working days, complaints replied]
    for row in (
        complaints.filter(replied_at__isnull=False)
        .annotate(received=TruncDate("created"), answered=TruncDate("replied_at"))
        .values("received", "answered")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        replies[0] += calendar.workdays_between(row["received"], row["answered"]) * row["n"]
        replies[1] += row["n"]
    sanctions = {
        row["kind"]: row["n"]
        for row in Sanction.objects.filter(where("entry__region", "entry__organisation"), decided_on__range=days)
        .values("kind")
        .annotate(n=Count("pk"))
    }
    rows = [
        {
            "key": f"inspection_{value}",
            "label": str(_("Inspections: %(status)s") % {"status": label}),
            "values": [inspections.get(value, 0)],
        }
        for value, label in Inspection.Status.choices
    ]
    rows += [
        {"key": "complaints_received", "label": str(_("Complaints received")), "values": [totals["received"]]},
        {"key": "complaints_handled", "label": str(_("Complaints handled")), "values": [totals["handled"]]},
        {"key": "complaints_overdue", "label": str(_("Complaints overdue")), "values": [totals["overdue"]]},
        {
            "key": "complaints_reply_days",
            "label": str(_("Mean working days to reply")),
            "values": [round(replies[0] / replies[1], 1) if replies[1] else 0.0],
        },
    ]
    rows += [
        {
            "key": f"sanction_{value}",
            "label": str(_("Sanctions: %(kind)s") % {"kind": label}),
            "values": [sanctions.get(value, 0)],
        }
        for value, label in Sanction.Kind.choices
    ]
    sections.append(
        _section("oversight", _("Inspections, complaints and sanctions"), [_("Item"), _("Count")], rows, kind="flow")
    )

    # 6. Evaluations held (announced plans whose last exam day is in the period), candidates and pass rates.
    held = plans.model.objects.filter(
        where("city", "entry__organisation"), last_day__range=days, status=Plan.Status.ANNOUNCED
    ).count()
    by_level = {
        row["level"]: [row["n"], row["passed"]]
        for row in Candidate.objects.filter(
            where("session__plan__city", "session__plan__entry__organisation"), session__plan__last_day__range=days
        )
        .values("level")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    }
    # Counted in evaluations, not candidates: one value, shown beside the table, never under its columns.
    rows = [{"key": "evaluations", "label": str(_("Evaluations held")), "values": [held]}]
    for value, label in Level.choices:
        n, passed = by_level.get(value, [0, 0])
        # No candidate, no rate: shown "—" (a rate of 0.0 would read as everyone failing).
        rate = round(100 * passed / n, 1) if n else None
        rows.append({"key": f"level_{value}", "label": str(label), "values": [n, passed, rate]})
    sections.append(
        _section(
            "evaluations",
            _("Evaluations, candidates and pass rates"),
            [_("Level"), _("Candidates"), _("Passed"), _("Pass rate (%)")],
            rows,
            kind="flow",
        )
    )

    # 7. Certificates issued in the period by occupation and level (revoked ones counted apart).
    certificates = (
        Certificate.objects.filter(where("entry__region", "entry__organisation"), issued_on__range=days)
        .values("occupation__name", "level")
        .annotate(n=Count("pk"), revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)))
        .order_by("occupation__name", "-level")
    )
    labels = dict(Level.choices)
    rows = [
        {
            "key": f"{row['occupation__name']}:{row['level']}",
            "label": f"{row['occupation__name']} · {labels.get(row['level'], row['level'])}",
            "values": [row["n"], row["revoked"]],
        }
        for row in certificates
    ]
    sections.append(
        _section(
            "certificates",
            _("Certificates issued by occupation and level"),
            [_("Occupation and level"), _("Issued"), _("Of which revoked")],
            rows,
            kind="flow",
        )
    )

    # 8. Certificates obtained by staff of key security units (治安保卫重点单位; 陕公通字〔2023〕64号 四（二）): the
    # certificates issued in the period whose candidate the agency's results workbook names as employed by one,
    # and how many people they are; revoked ones counted apart.
    key_units = Certificate.objects.filter(
        where("entry__region", "entry__organisation"), issued_on__range=days, candidate__key_unit=True
    ).aggregate(
        issued=Count("pk"),
        holders=Count("id_hash", distinct=True),
        revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)),
    )
    sections.append(
        _section(
            "key_units",
            _("Certificates held by staff of key security units"),
            [_("Item"), _("Count")],
            [
                {
                    "key": "key_units",
                    "label": str(_("Certificates issued to staff of key security units")),
                    "values": [key_units["issued"]],
                },
                {
                    "key": "key_units_holders",
                    "label": str(_("Staff of key security units certified")),
                    "values": [key_units["holders"]],
                },
                {"key": "key_units_revoked", "label": str(_("Of which revoked")), "values": [key_units["revoked"]]},
            ],
            kind="flow",
        )
    )

    return {
        "region": organisation.name if organisation is not None else region.name,
        "region_code": region.code,
        "period": period.code,
        "period_label": str(period.label),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": today.isoformat(),
        "sections": sections,
    }


# Rows counted in another unit than the section's columns: the evaluations held are plans, not candidates. They
# stand neither as a bar on the candidates' axis nor under the Candidates column of the table: the table's
# pages (dashboard, report, PDF, Excel) give them a line of their own beside it (``table_parts``).
OTHER_UNIT_ROWS = {("evaluations", "evaluations")}


def table_parts(section: dict) -> dict:
    """The section as its table shows it: ``rows`` under the columns, ``aside`` the rows of another unit (label and
    one value, printed beside the table). Reports stored before the split (their held evaluations written
    ``[n, 0, 0]``) read the same way: an aside row's first value is its figure."""
    aside = [row for row in section["rows"] if (section["key"], row["key"]) in OTHER_UNIT_ROWS]
    rows = [row for row in section["rows"] if (section["key"], row["key"]) not in OTHER_UNIT_ROWS]
    return {**section, "rows": rows, "aside": [{**row, "value": row["values"][0]} for row in aside if row["values"]]}


def chart_rows(section: dict) -> list[dict]:
    """The rows a chart of the section draws: counts of the unit of its axis only (a mean in working days, or the
    number of evaluations held beside candidates, is not a bar beside them)."""
    return [
        row
        for row in section["rows"]
        if not row["key"].endswith("_days") and (section["key"], row["key"]) not in OTHER_UNIT_ROWS
    ]


def figures(content: dict) -> dict[str, object]:
    """Every number of a content as ``section.row.column`` → value: what the dashboard = report test compares."""
    return {
        f"{section['key']}.{row['key']}.{i}": value
        for section in content["sections"]
        for row in section["rows"]
        for i, value in enumerate(row["values"])
    }


def report_region_of(user: User) -> Region | None:
    """The jurisdiction a user reports for: a department's region (a city or the province); else None."""
    if not user.is_authenticated or user.role not in REPORT_ROLES:
        return None
    return user.jurisdiction


def reports_visible_to(user: User) -> QuerySet[Report]:
    """A department reads the reports of its jurisdiction and of the regions below it (the province's centre
    reads the cities' reports submitted upward and drafts alike); an admin all; anyone else none."""
    reports = Report.objects.select_related("region", "submitted_by")
    if not user.is_authenticated:
        return reports.none()
    if user.role == Role.ADMIN:
        return reports
    region = report_region_of(user)
    if region is None:
        return reports.none()
    return reports.filter(region__path__startswith=region.path)


def home_panel(user: User) -> dict:
    """The dashboard of an official's home page: the current quarter's report figures for the jurisdiction."""
    organisation = user.organisation if user.is_authenticated and user.role == Role.AGENCY else None
    if organisation is not None and not organisation.directory_entries.exists():
        # An agency not yet filed has no evaluations, certificates or supervision to count: tables of zeros only
        # (its home shows the way to the filing instead, ``filings.progress``).
        return {}
    region = organisation.region if organisation is not None else report_region_of(user)
    if region is None:
        return {}
    period = Period.quarter_of(timezone.localdate())
    # The same computation as the report, kept for a few minutes: over a province's million certificates it takes
    # about a second, which every home page view must not pay (bench/reports.py). The page says as of when.
    scope = f"org{organisation.pk}" if organisation is not None else f"region{region.pk}"
    # Titles, row labels and column headings are words of the reader's language, computed with the figures: one
    # cached content per language, or an English reader would be served the Chinese one computed before.
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"reports:dashboard:{scope}:{period.code}:{timezone.localdate().isoformat()}:{language}"
    content = cache.get(key)
    if content is None:
        content = report_content(region=region, period=period, organisation=organisation)
        content = {**content, "computed_at": timezone.now().isoformat()}
        cache.set(key, content, settings.REPORT_DASHBOARD_SECONDS)
    charts = []
    for section in content["sections"]:
        rows = chart_rows(section)
        charts.append(
            {
                "section": table_parts(section),
                "id": f"chart-{section['key']}",
                "data": {
                    # The value axis is named by the column it draws (translated like the rest of the content).
                    "axis": str(section["columns"][1]) if len(section["columns"]) > 1 else "",
                    "labels": [row["label"] for row in rows],
                    "values": [row["values"][0] if row["values"] else 0 for row in rows],
                    "links": [_drill_down(section["key"], row["key"], agency=organisation is not None) for row in rows],
                },
            }
        )
    computed = dt.datetime.fromisoformat(content["computed_at"])
    return {"report_panel": content, "report_charts": charts, "report_period": period, "report_computed": computed}


def _drill_down(section: str, row: str, *, agency: bool = False) -> str:
    """The filtered list behind a bar of the dashboard, where the portal has one ("" otherwise)."""
    if agency:
        return reverse("filings:application_list") if section == "applications" else ""
    if section == "applications" and row != State.DRAFT:
        return f"{reverse('filings:queue')}?state={row}"
    if section == "oversight" and row == "complaints_overdue":
        return f"{reverse('supervision:complaints')}?overdue=on"
    if section == "oversight" and row.startswith("complaints_"):
        return reverse("supervision:complaints")
    if section == "agencies":
        return reverse("supervision:workspace")
    return ""
