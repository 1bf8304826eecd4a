"""Scoped reads of supervision: the one place that decides who sees which registration, plan and report.

- An agency sees its own.
- Police see what lies in their jurisdiction: registrations with their city, plans evaluating in it, and the
  filed agencies registered in it or evaluating in it; provincial police the whole province.
- City HR bureaus read the same (and decide the cross-region reports of their city); the centre its province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import DirectoryEntry
from filings.models import Application
from portal.lib.todo import Todo, todo_counted
from portal.lib.tracking import TRACKING_CODE_LENGTH, normalise_tracking_code
from portal.models import Region, Role, User
from publicity.models import Objection
from supervision.models import (
    Complaint,
    CrossRegionReport,
    Draw,
    Inspection,
    Plan,
    PoliceRegistration,
    Rectification,
    Sanction,
)

OFFICIALS = (Role.POLICE, Role.CITY_HR, Role.CENTRE)


def _jurisdiction_path(user: User) -> str | None:
    if not user.is_authenticated:
        return None
    if user.role == Role.ADMIN:
        return ""
    if user.role in OFFICIALS and user.jurisdiction is not None:
        return user.jurisdiction.path
    return None


def _regions_under(path: str) -> QuerySet[Region]:
    """The ids of the regions of a jurisdiction (its materialised path), as a subquery: filters on a region id
    use its index, where an OR of path prefixes over two joined regions would not."""
    return Region.objects.filter(path__startswith=path).values("pk")


def entries_of_agency(user: User) -> QuerySet[DirectoryEntry]:
    """The agency user's own directory entries (a filed organisation has one per filing)."""
    if not user.is_authenticated or user.role != Role.AGENCY:
        return DirectoryEntry.objects.none()
    return DirectoryEntry.objects.filter(organisation_id=user.organisation_id).select_related("organisation", "region")


def registrations_visible_to(user: User) -> QuerySet[PoliceRegistration]:
    registrations = PoliceRegistration.objects.select_related("entry__organisation", "entry__region", "city")
    if user.is_authenticated and user.role == Role.AGENCY:
        return registrations.filter(entry__organisation_id=user.organisation_id)
    path = _jurisdiction_path(user)
    if path is None:
        return registrations.none()
    return registrations.filter(city__in=_regions_under(path))


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """Plans the user may read: an agency its own; officials those evaluating in their jurisdiction and those of
    agencies registered in it (an agency of 南宁 evaluating in 柳州 is seen by both cities)."""
    plans = Plan.objects.select_related("entry__organisation", "entry__region", "city", "occupation")
    if user.is_authenticated and user.role == Role.AGENCY:
        return plans.filter(entry__organisation_id=user.organisation_id)
    path = _jurisdiction_path(user)
    if path is None:
        return plans.none()
    regions = _regions_under(path)
    return plans.filter(
        Q(city__in=regions) | Q(entry__in=DirectoryEntry.objects.filter(region__in=regions).values("pk"))
    )


def plans_visible_where(user: User, to_plan: str) -> Q:
    """``plans_visible_to``'s rule as a condition on the plan reached through ``to_plan`` (e.g. ``session__plan``)
    from another model: the plans joined to the rows read, not a scan of every plan matched by id (the certificate
    statistics' 2,000 tallies and the results sessions list matched against the province's 10,000 plans: most of
    their query's time, issue 16 item 4). The same plans as ``plans_visible_to``."""
    if user.is_authenticated and user.role == Role.AGENCY:
        return Q(**{f"{to_plan}__entry__organisation_id": user.organisation_id})
    path = _jurisdiction_path(user)
    if path is None:
        return Q(pk__in=[])
    regions = _regions_under(path)
    return Q(**{f"{to_plan}__city__in": regions}) | Q(**{f"{to_plan}__entry__region__in": regions})


def reports_awaiting(user: User) -> QuerySet[CrossRegionReport]:
    """Cross-region reports waiting for this city HR bureau's answer."""
    if not user.is_authenticated or user.role != Role.CITY_HR or user.jurisdiction is None:
        return CrossRegionReport.objects.none()
    return CrossRegionReport.objects.filter(
        status=CrossRegionReport.Status.PENDING, plan__city__in=_regions_under(user.jurisdiction.path)
    ).select_related("plan__entry__organisation", "plan__city", "plan__occupation")


def plans_public() -> QuerySet[Plan]:
    """Announced evaluations, for anyone."""
    return Plan.objects.filter(status=Plan.Status.ANNOUNCED).select_related(
        "entry__organisation", "entry__region", "city", "occupation"
    )


def plans_upcoming_public(
    *, city=None, occupation=None, level: int | None = None, entry=None, today=None
) -> QuerySet[Plan]:
    """Announced evaluations whose last exam day has not passed, soonest first (of one agency's entry, if given)."""
    today = today or timezone.localdate()
    plans = plans_public().filter(last_day__gte=today)
    if entry is not None:
        plans = plans.filter(entry=entry)
    if city is not None:
        plans = plans.filter(city__path__startswith=city.path)
    if occupation is not None:
        plans = plans.filter(occupation=occupation)
    if level:
        plans = plans.filter(level=level)
    return plans.order_by("first_day", "pk")


# ---------------------------------------------------------------- the filed roster a plan draws from


def plan_roster(entry: DirectoryEntry) -> dict:
    """The examiners (by occupation name), internal quality supervisors and sites of the entry's filing, as
    the filed version lists them."""
    application = Application.objects.filter(directory_entry=entry).first()
    version = application.versions.order_by("-number").first() if application else None
    data = version.data if version else {}
    examiners: dict[str, list[str]] = {}
    for row in data.get("examiners") or []:
        name = (row.get("name") or "").strip()
        if name:
            examiners.setdefault((row.get("occupation") or "").strip(), []).append(name)
    supervisors = [(row.get("name") or "").strip() for row in data.get("supervisors") or [] if row.get("name")]
    basic = data.get("basic") or {}
    sites = []
    if basic.get("address"):
        sites.append({"name": entry.organisation.name, "address": basic["address"]})
    return {"examiners": examiners, "supervisors": supervisors, "sites": sites}


# ---------------------------------------------------------------- the police workspace


@dataclass
class Flags:
    unregistered: int
    awaiting_consent: int
    refused: int
    unregistered_evaluations: int
    # The flagged plans, counted, and their keys in the flagged tab's order (``FLAGGED_ORDER``): the tab pages these
    # keys instead of running the flagged scan a second time (issue 16 item 4).
    flagged: int = 0
    flagged_keys: list = field(default_factory=list)
    # The first of the unregistered agencies (the workspace's alert names up to ``FIRST_UNREGISTERED``).
    first_unregistered: list = field(default_factory=list)
    # The flagged plans' keys under each card of the workspace (``FLAGGED_FILTERS``), in the flagged tab's order.
    keys_by_card: dict = field(default_factory=dict)


FIRST_UNREGISTERED = 10


def _jurisdiction_marks(regions: QuerySet[Region], today: dt.date) -> dict:
    """The agencies tab's marks of each agency: its registration with the police of this jurisdiction and its
    upcoming evaluations here (correlated subqueries, asked for the rows shown)."""
    registered_here = PoliceRegistration.objects.filter(entry=OuterRef("pk"), city__in=regions)
    upcoming = (
        Plan.objects.filter(entry=OuterRef("pk"), status=Plan.Status.ANNOUNCED, last_day__gte=today, city__in=regions)
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        # With the police of this jurisdiction (its own city's, or a city where it evaluates).
        "registered_here": Exists(registered_here.exclude(status=PoliceRegistration.Status.RETURNED)),
        "confirmed_here": Exists(registered_here.filter(status=PoliceRegistration.Status.CONFIRMED)),
        "upcoming": Coalesce(Subquery(upcoming, output_field=IntegerField()), 0),
    }


def _in_jurisdiction(regions: QuerySet[Region]) -> Q:
    evaluating = Plan.objects.filter(entry=OuterRef("pk"), city__in=regions).exclude(status=Plan.Status.WITHDRAWN)
    registered_here = PoliceRegistration.objects.filter(entry=OuterRef("pk"), city__in=regions)
    return Q(region__in=regions) | Exists(evaluating) | Exists(registered_here)


# The agencies tab's order: city code, then name. The entry's own copies of both (``DirectoryEntry.region_code``
# and ``name``, kept equal to the region's code and the organisation's name) sort one table without a join.
AGENCY_ORDER = ("region_code", "name", "pk")


def agencies_in_jurisdiction(user: User) -> QuerySet[DirectoryEntry]:
    """Filed agencies registered in the user's jurisdiction, or evaluating there (a plan or a registration
    with one of its cities), with their home registration's state and their upcoming plans counted."""
    path = _jurisdiction_path(user)
    if path is None:
        return DirectoryEntry.objects.none()
    regions = _regions_under(path)
    return (
        DirectoryEntry.objects.filter(_in_jurisdiction(regions))
        .select_related("organisation", "region")
        .annotate(**_jurisdiction_marks(regions, timezone.localdate()))
        .order_by(*AGENCY_ORDER)
    )


def agency_keys_in_jurisdiction(user: User) -> QuerySet:
    """The keys of ``agencies_in_jurisdiction`` in its order, read from the entries alone (the page's keys)."""
    path = _jurisdiction_path(user)
    if path is None:
        return DirectoryEntry.objects.none().values_list("pk", flat=True)
    regions = _regions_under(path)
    return DirectoryEntry.objects.filter(_in_jurisdiction(regions)).order_by(*AGENCY_ORDER).values_list("pk", flat=True)


AGENCY_ROW_FIELDS = (
    "pk",
    "organisation__name",
    "institution_code",
    "region__name",
    "region_code",
    "scope",
    "status",
    "status_changed_on",
)


def agency_rows_in_jurisdiction(user: User, keys: list[int]) -> dict[int, dict]:
    """The agencies tab's columns of the entries ``keys`` (chosen by ``agency_keys_in_jurisdiction``), with their
    marks, by key: the marks' subqueries run for these rows only, not for every agency of the jurisdiction."""
    path = _jurisdiction_path(user)
    if path is None or not keys:
        return {}
    marks = _jurisdiction_marks(_regions_under(path), timezone.localdate())
    rows = DirectoryEntry.objects.filter(pk__in=keys).annotate(**marks).values(*AGENCY_ROW_FIELDS, *marks)
    return {row["pk"]: row for row in rows}


def unregistered_agencies(user: User) -> QuerySet[DirectoryEntry]:
    """Filed, not removed agencies registered in the jurisdiction with no registration (or only a returned one)
    with the police of their own city: the alert on the police workspace. (An agency of elsewhere evaluating
    here without registering is flagged by its plans, ``plans_flagged``.)"""
    path = _jurisdiction_path(user)
    if path is None:
        return DirectoryEntry.objects.none()
    home = PoliceRegistration.objects.filter(entry=OuterRef("pk"), city=OuterRef("region")).exclude(
        status=PoliceRegistration.Status.RETURNED
    )
    return (
        DirectoryEntry.objects.filter(region__in=_regions_under(path))
        .exclude(status=DirectoryEntry.Status.REMOVED)
        .exclude(Exists(home))
        .select_related("organisation", "region")
        .order_by(*AGENCY_ORDER)
    )


def plans_flagged(user: User) -> QuerySet[Plan]:
    """Plans in the jurisdiction that lack what they need: a cross-region report not consented (pending or
    refused), or an evaluation in a city whose police the agency has not registered with."""
    registered = PoliceRegistration.objects.filter(
        entry=OuterRef("entry"), city=OuterRef("city"), status=PoliceRegistration.Status.CONFIRMED
    )
    return (
        plans_visible_to(user)
        .exclude(status__in=(Plan.Status.WITHDRAWN, Plan.Status.DRAFT))
        .filter(last_day__gte=timezone.localdate())
        .annotate(police_registered=Exists(registered))
        .filter(Q(status__in=(Plan.Status.AWAITING_CONSENT, Plan.Status.REFUSED)) | Q(police_registered=False))
    )


# The flagged tab's order: the first exam day first.
FLAGGED_ORDER = ("first_day", "pk")


def workspace_flags(user: User) -> Flags:
    """The workspace's alerts: the flagged plans' keys, states and police registration read in one query and
    counted here (the keys, in the flagged tab's order, are that tab's list: one scan per request, not two), the
    unregistered agencies counted with the first of them in another (a window count beside each row; the alert
    shows their keys and names, read from the entries alone: ``DirectoryEntry.name`` is kept equal to the
    organisation's, so no join runs for every unregistered agency before the count)."""
    flagged = list(
        plans_flagged(user)
        .select_related(None)
        .order_by(*FLAGGED_ORDER)
        .values_list("pk", "status", "police_registered")
    )
    unregistered = unregistered_agencies(user).select_related(None).only("pk", "name")
    first = list(unregistered.annotate(total=Window(Count("pk")))[:FIRST_UNREGISTERED])
    return Flags(
        unregistered=first[0].total if first else 0,
        first_unregistered=first,
        flagged=len(flagged),
        flagged_keys=[pk for pk, _status, _registered in flagged],
        awaiting_consent=sum(1 for _pk, status, _registered in flagged if status == Plan.Status.AWAITING_CONSENT),
        refused=sum(1 for _pk, status, _registered in flagged if status == Plan.Status.REFUSED),
        unregistered_evaluations=sum(1 for _pk, _status, registered in flagged if not registered),
        keys_by_card={
            "awaiting_consent": [pk for pk, status, _registered in flagged if status == Plan.Status.AWAITING_CONSENT],
            "refused": [pk for pk, status, _registered in flagged if status == Plan.Status.REFUSED],
            "unregistered_evaluations": [pk for pk, _status, registered in flagged if not registered],
        },
    )


def plans_in_area(user: User, *, upcoming: bool, today: dt.date | None = None) -> QuerySet[Plan]:
    """Announced evaluations in the user's jurisdiction: upcoming (last day not passed) or past."""
    today = today or timezone.localdate()
    path = _jurisdiction_path(user)
    if path is None:
        return Plan.objects.none()
    plans = plans_public().filter(city__in=_regions_under(path))
    if upcoming:
        return plans.filter(last_day__gte=today).order_by("first_day", "pk")
    return plans.filter(last_day__lt=today).order_by("-first_day", "-pk")


PLAN_ROW_FIELDS = (
    "pk",
    "entry__organisation__name",
    "entry__region_id",
    "occupation__name",
    "level",
    "city_id",
    "city__name",
    "first_day",
    "last_day",
    "expected_candidates",
    "status",
    "entry__status",
    "entry__suspended_until",
    "entry__status_changed_on",
)
REGISTRATION_ROW_FIELDS = (
    "pk",
    "entry__organisation__name",
    "city__name",
    "home",
    "responsible",
    "phone",
    "status",
    "submitted_at",
)


def plan_rows(keys: list[int], *, flagged: bool = False) -> dict[int, dict]:
    """The plans tabs' columns of the plans ``keys`` (chosen by a scoped list's page), by key; for the flagged tab
    with whether the agency's registration with the police of the plan's city is confirmed."""
    plans = Plan.objects.filter(pk__in=keys)
    fields = PLAN_ROW_FIELDS
    if flagged:
        registered = PoliceRegistration.objects.filter(
            entry=OuterRef("entry"), city=OuterRef("city"), status=PoliceRegistration.Status.CONFIRMED
        )
        plans, fields = plans.annotate(police_registered=Exists(registered)), (*fields, "police_registered")
    return {row["pk"]: row for row in plans.values(*fields)} if keys else {}


def registration_rows(keys: list[int]) -> dict[int, dict]:
    """The registrations tab's columns of the registrations ``keys``, by key."""
    rows = PoliceRegistration.objects.filter(pk__in=keys).values(*REGISTRATION_ROW_FIELDS) if keys else []
    return {row["pk"]: row for row in rows}


# ---------------------------------------------------------------- credit record and sanctions


def entries_supervised_by(user: User) -> QuerySet[DirectoryEntry]:
    """The agencies whose file a user may read: an agency its own; officials those of their jurisdiction as the
    workspace lists them (registered there, evaluating there, or registered with its police); the administrator
    all."""
    entries = DirectoryEntry.objects.select_related("organisation", "region")
    if user.is_authenticated and user.role == Role.AGENCY:
        return entries.filter(organisation_id=user.organisation_id)
    path = _jurisdiction_path(user)
    if path is None:
        return entries.none()
    regions = _regions_under(path)
    evaluating = Plan.objects.filter(entry=OuterRef("pk"), city__in=regions).exclude(status=Plan.Status.WITHDRAWN)
    registered_here = PoliceRegistration.objects.filter(entry=OuterRef("pk"), city__in=regions)
    return entries.filter(Q(region__in=regions) | Exists(evaluating) | Exists(registered_here))


def suspension_in_force(entry: DirectoryEntry) -> Sanction | None:
    """The agency's suspension not yet lifted, if any: one at a time (``sanction_refused``)."""
    return entry.sanctions.filter(kind=Sanction.Kind.SUSPENSION, lifted_on=None).first()


def sanctions_visible_to(user: User) -> QuerySet[Sanction]:
    return Sanction.objects.filter(entry__in=entries_supervised_by(user).values("pk")).select_related(
        "entry__organisation", "entry__region", "department", "decided_by", "lifted_by", "complaint"
    )


def agency_file(entry: DirectoryEntry, user: User) -> dict:
    """Everything supervision holds on one agency, for its file page: the credit record, the sanctions, the
    directory history, and the traced chain — each complaint with the inspections opened on it, their findings,
    rectification orders and the sanctions that followed, then inspections and sanctions of their own. An
    agency's own file leaves the complaints out (the complainants are protected)."""
    sanctions = list(entry.sanctions.select_related("department", "decided_by", "lifted_by", "complaint"))
    inspections = list(
        inspections_visible_to(user)
        .filter(entry=entry)
        .select_related("inspector", "department", "plan__occupation")
        .prefetch_related("findings__rectification")
    )
    show_complaints = user.role != Role.AGENCY
    # An inspection's findings enter the credit record when recorded; the agency reads them once it is completed.
    credit_records = entry.credit_records.select_related("sanction", "complaint", "finding__inspection")
    if not show_complaints:
        credit_records = credit_records.exclude(finding__inspection__status=Inspection.Status.OPEN)
    complaints = list(entry.complaints.select_related("department").order_by("created")) if show_complaints else []
    # The whole chain is shown, but a complaint is linked only where the reader may open it: the HR bureau and
    # police of another city read a province-wide agency's file, not the complaints its home city handles.
    readable = (
        set(complaints_visible_to(user).filter(entry=entry).values_list("pk", flat=True)) if show_complaints else set()
    )

    def chain_of(inspection) -> dict:
        steps = []
        for finding in inspection.findings.all():
            rectification = getattr(finding, "rectification", None)
            steps.append(
                {
                    "finding": finding,
                    "rectification": rectification,
                    "sanctions": [s for s in sanctions if rectification and s.rectification_id == rectification.pk],
                }
            )
        return {"inspection": inspection, "findings": steps}

    chains = []
    for complaint in complaints:
        chains.append(
            {
                "complaint": complaint,
                "readable": complaint.pk in readable,
                "inspections": [chain_of(i) for i in inspections if i.complaint_id == complaint.pk],
                "sanctions": [s for s in sanctions if s.complaint_id == complaint.pk],
            }
        )
    linked = {s.pk for c in chains for s in c["sanctions"]}
    own_inspections = [chain_of(i) for i in inspections if not (show_complaints and i.complaint_id)]
    for chain in [c for complaint_chain in chains for c in complaint_chain["inspections"]] + own_inspections:
        for step in chain["findings"]:
            linked |= {s.pk for s in step["sanctions"]}
    return {
        "credit_records": list(credit_records),
        "objections": list(objections_upheld_against(entry)),
        "readable_complaints": readable,
        "sanctions": sanctions,
        "history": list(entry.history.all()),
        "chains": chains,
        "own_inspections": own_inspections,
        "other_sanctions": [s for s in sanctions if s.pk not in linked],
        "plans": list(entry.plans.filter(status="announced").select_related("occupation", "city")[:20]),
    }


def objections_upheld_against(entry: DirectoryEntry) -> QuerySet[Objection]:
    """The upheld objections to the agency's filing applications (publicity's notices): part of its credit
    record, read where they are kept rather than copied."""
    applications = Application.objects.filter(organisation_id=entry.organisation_id).values("pk")
    return Objection.objects.filter(
        status=Objection.Status.UPHELD,
        item__content_type=ContentType.objects.get_for_model(Application),
        item__object_id__in=applications,
    ).select_related("notice")


# ---------------------------------------------------------------- complaints


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints about the agencies registered in an official's jurisdiction: the city's HR bureau (which
    handles them) and police, the province's centre; the administrator all. Agencies do not see them (the
    complainant is protected); an upheld one reaches them through the credit record."""
    # The list shows the evaluation a complaint names with its occupation: joined here, not asked per row.
    complaints = Complaint.objects.select_related(
        "entry__organisation", "entry__region", "plan__occupation", "department"
    )
    path = _jurisdiction_path(user)
    if path is None:
        return complaints.none()
    # A complaint naming an evaluation held in the user's jurisdiction (a cross-region one) is theirs to read too.
    regions = _regions_under(path)
    return complaints.filter(Q(entry__region__in=regions) | Q(plan__city__in=regions))


def complaints_to_handle(user: User) -> QuerySet[Complaint]:
    """The open complaints routed to the user's department: the to-do's count and the list's ``?open=1``."""
    if not user.department_id:
        return Complaint.objects.none()
    return Complaint.objects.filter(department_id=user.department_id, status__in=COMPLAINTS_OPEN)


def complaint_search(text: str) -> Q:
    """The officials' search of their complaints: the complaint's number (as its page shows it, 投诉 12), or words
    of the agency's name or of what the complainant wrote."""
    text = text.strip()
    words = Q(entry__organisation__name__icontains=text) | Q(content__icontains=text)
    number = text.removeprefix("#")
    return words | Q(pk=int(number)) if number.isdigit() and len(number) < 10 else words


def complaint_tracked(code: str) -> Complaint | None:
    """The complaint with this tracking code (as typed: any case, hyphens, spaces), or None."""
    normalised = normalise_tracking_code(code)
    if len(normalised) != TRACKING_CODE_LENGTH:
        return None
    return (
        Complaint.objects.select_related("entry__organisation", "plan", "department")
        .prefetch_related("attachments")
        .filter(tracking_code=normalised)
        .first()
    )


def complaint_targets() -> QuerySet[DirectoryEntry]:
    """The agencies a complaint may be about: every filed agency of the directory, whatever its status."""
    return DirectoryEntry.objects.select_related("organisation", "region").order_by(
        "region__code", "organisation__name"
    )


def complaint_plans(entry: DirectoryEntry | None) -> QuerySet[Plan]:
    """The announced evaluations of an agency a complaint may name."""
    if entry is None:
        return Plan.objects.none()
    return Plan.objects.filter(entry=entry, status=Plan.Status.ANNOUNCED).select_related("occupation", "city")


# ---------------------------------------------------------------- inspections


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    """Inspections of the agencies whose file the user reads, and those of evaluations in an official's
    jurisdiction. An agency sees its own only once completed: its findings are issued to it then, and an
    unannounced check must not show while it is under way."""
    inspections = Inspection.objects.select_related(
        "entry__organisation", "entry__region", "plan__occupation", "plan__city", "inspector", "department", "complaint"
    )
    entries = entries_supervised_by(user).values("pk")
    if user.is_authenticated and user.role == Role.AGENCY:
        return inspections.filter(entry__in=entries, status=Inspection.Status.COMPLETED)
    path = _jurisdiction_path(user)
    if path is None:
        return inspections.filter(entry__in=entries)
    team = Inspection.team.through.objects.filter(user_id=user.pk).values("inspection_id")
    return inspections.filter(Q(entry__in=entries) | Q(plan__city__in=_regions_under(path)) | Q(pk__in=team))


def rectifications_visible_to(user: User) -> QuerySet[Rectification]:
    return Rectification.objects.filter(
        finding__inspection__in=inspections_visible_to(user).values("pk")
    ).select_related("finding__inspection__entry__organisation", "finding__inspection__entry__region", "ordered_by")


# ---------------------------------------------------------------- random inspection draws


def draws_visible_to(user: User) -> QuerySet[Draw]:
    """Officials see the draws of their jurisdiction and of the wider ones above it; the administrator all."""
    draws = Draw.objects.select_related("region", "department", "created_by")
    path = _jurisdiction_path(user)
    if path is None:
        return draws.none()
    if not path:
        return draws
    above = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
    return draws.filter(Q(region__path__startswith=path) | Q(region__path__in=above))


def draws_public() -> QuerySet[Draw]:
    """Every draw: its inputs are published as soon as it is defined, its picks once drawn."""
    return Draw.objects.select_related("region", "department")


def draw_pools(draw: Draw) -> dict:
    """The pools with their names, for the public page: agencies by id, inspectors by id (name, department)."""
    entries = DirectoryEntry.objects.filter(pk__in=draw.agency_ids).select_related("organisation", "region")
    users = User.objects.filter(pk__in=draw.inspector_ids).select_related("department")
    return {"agencies": {e.pk: e for e in entries}, "inspectors": {u.pk: u for u in users}}


# ---------------------------------------------------------------- the home page's to-do list (我的待办)

COMPLAINTS_OPEN = (
    Complaint.Status.RECEIVED,
    Complaint.Status.ACCEPTED,
    Complaint.Status.INVESTIGATING,
    Complaint.Status.CONCLUDED,
)


def _first_and_count(rows: QuerySet, order: str) -> tuple[int | None, int]:
    """The first row's key and how many rows there are, in one query (a window count beside the first row)."""
    first = (
        rows.select_related(None)
        .annotate(total=Window(Count("pk")))
        .order_by(order, "pk")
        .values_list("pk", "total")[:1]
    )
    return next(iter(first), (None, 0))


def _todo_one_or_list(label, rows: QuerySet, order: str, detail: str, fallback: str, icon: str) -> Todo:
    """A kind of work without a list of its own: it opens the oldest item (``detail``), or ``fallback`` when none."""
    pk, count = _first_and_count(rows, order)
    return Todo(label=label, count=count, url=reverse(detail, args=[pk]) if pk else reverse(fallback), icon=icon)


def escalations_to_decide(user: User) -> QuerySet[Rectification]:
    """Rectification orders escalated by an inspector (移交处理) on which no sanction has been decided yet: the
    work of the officials who may decide one (``sanction_deciders``: the agency's city HR bureau and the centre)."""
    if not user.is_authenticated or user.role not in (Role.CITY_HR, Role.CENTRE) or user.jurisdiction is None:
        return Rectification.objects.none()
    jurisdiction = user.jurisdiction
    return Rectification.objects.filter(
        status=Rectification.Status.ESCALATED,
        finding__inspection__entry__region__path__startswith=jurisdiction.path,
        sanctions__isnull=True,
    )


def rectifications_to_verify(user: User) -> QuerySet[Rectification]:
    """Answered rectification orders waiting for this official to close or escalate them: of the inspections they
    led, of their department's, or of those whose team they are on (not every order of a province's
    jurisdiction: the centre does not verify what a city's police ordered)."""
    if not user.is_authenticated or user.role not in OFFICIALS:
        return Rectification.objects.none()
    team = Inspection.team.through.objects.filter(user_id=user.pk).values("inspection_id")
    ours = Q(inspector_id=user.pk) | Q(pk__in=team)
    if user.department_id:
        ours |= Q(department_id=user.department_id)
    inspections = Inspection.objects.filter(ours).values("pk")
    return Rectification.objects.filter(status=Rectification.Status.ANSWERED, finding__inspection__in=inspections)


def home_panel(user: User) -> dict:
    """The user's pending supervision work for the home page's to-do list: police registrations to confirm,
    cross-region reports to answer, complaints of the department still open, rectifications to verify; an agency's
    rectification orders to answer and registrations the police returned.

    An official's home page also counts the agencies of the jurisdiction as the workspace's first tab lists them
    (``agency_keys_in_jurisdiction``: filed agencies registered there or evaluating there): one definition, one
    number in both places."""
    if not user.is_authenticated:
        return {}
    todo: list[Todo] = []
    if user.role == Role.AGENCY:
        orders = rectifications_visible_to(user).filter(status=Rectification.Status.OPEN)
        todo.append(
            _todo_one_or_list(
                _("Rectification orders to answer"),
                orders,
                "deadline",
                "supervision:rectification_detail",
                "supervision:agency_home",
                "bi-tools",
            )
        )
        todo.append(
            _todo_one_or_list(
                _("Orders to rectify to report on"),
                sanctions_visible_to(user).filter(
                    kind=Sanction.Kind.RECTIFICATION, report_status=Rectification.Status.OPEN
                ),
                "rectify_by",
                "supervision:sanction_detail",
                "supervision:agency_home",
                "bi-hammer",
            )
        )
        returned = registrations_visible_to(user).filter(status=PoliceRegistration.Status.RETURNED)
        todo.append(
            todo_counted(
                _("Police registrations returned to correct"),
                returned,
                reverse("supervision:agency_home"),
                "bi-shield-exclamation",
            )
        )
        return {"todo": todo}
    if user.role not in OFFICIALS:
        return {}
    if user.role == Role.POLICE:
        # One waiting: it opens that registration; several: the registrations tab showing those waiting only.
        waiting = registrations_visible_to(user).filter(status=PoliceRegistration.Status.SUBMITTED)
        pk, count = _first_and_count(waiting, "submitted_at")
        todo.append(
            Todo(
                label=_("Police registrations to confirm"),
                count=count,
                url=reverse("supervision:registration_detail", args=[pk])
                if count == 1
                else reverse("supervision:workspace")
                + f"?tab=registrations&show={PoliceRegistration.Status.SUBMITTED}",
                icon="bi-shield-check",
            )
        )
    if user.role == Role.CITY_HR:
        todo.append(
            todo_counted(
                _("Cross-region reports to answer"),
                reports_awaiting(user),
                reverse("supervision:reports"),
                "bi-signpost-split",
            )
        )
    if user.role in (Role.CITY_HR, Role.CENTRE) and user.department_id:
        # Those routed to the user's department (its handlers are told of them), not every one of the province.
        todo.append(
            todo_counted(
                _("Complaints to handle"),
                complaints_to_handle(user),
                reverse("supervision:complaints") + "?open=1",
                "bi-chat-square-text",
            )
        )
    if user.role in (Role.CITY_HR, Role.CENTRE):
        todo.append(
            _todo_one_or_list(
                _("Escalated rectifications, to decide a sanction"),
                escalations_to_decide(user),
                "decided_at",
                "supervision:rectification_detail",
                "supervision:workspace",
                "bi-exclamation-octagon",
            )
        )
    if user.role in (Role.CITY_HR, Role.CENTRE) and user.department_id:
        todo.append(
            _todo_one_or_list(
                _("Rectification reports on orders to rectify, to check"),
                Sanction.objects.filter(
                    department_id=user.department_id,
                    kind=Sanction.Kind.RECTIFICATION,
                    report_status=Rectification.Status.ANSWERED,
                ),
                "reported_at",
                "supervision:sanction_detail",
                "supervision:workspace",
                "bi-clipboard-check",
            )
        )
    todo.append(
        _todo_one_or_list(
            _("Rectifications answered, to verify"),
            rectifications_to_verify(user),
            "answered_at",
            "supervision:rectification_detail",
            "supervision:workspace",
            "bi-clipboard-check",
        )
    )
    return {"todo": todo, "jurisdiction_agency_count": agency_keys_in_jurisdiction(user).count()}
