"""Scoped reads of filing applications: the one place that decides who sees which application, and the reads
that hang off one (attachments, versions, the panel, the receipt)."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Organisation
from agencies.selectors import approved_occupations
from filings.models import (
    Application,
    ApplicationUserObjectPermission,
    ApplicationVersion,
    Attachment,
    PanelMember,
    RankingTally,
    Receipt,
    ReviewRecord,
    State,
)
from filings.progress import filing_progress
from portal.lib.lookups import InArray
from portal.lib.todo import Todo
from portal.models import Department, Region, Role, User

# What a row of the officials' queue, the applications list and the home panels shows: names, dates, the state
# and the call's title. Reading only these (two joins and 13 columns instead of four joins and 70 columns, the form
# data and the call's rules never decoded) took 6 of the 8 ms of building a page's 50 rows (issue 16 item 4).
ROW_FIELDS = (
    "id",
    "organisation_id",
    "region_id",
    "call_id",
    "call_version_id",
    "reference",
    "state",
    "submitted_at",
    "stage_started_at",
    "deadline",
    "updated",
    "organisation__name",
    "call_version__title",
)


def application_rows(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` as the rows of a queue or list: ``ROW_FIELDS`` only, the organisation's name and the call's
    title joined and nothing else of theirs (a row that shows more adds its field to ``ROW_FIELDS``)."""
    return applications.select_related(None).select_related("organisation", "call_version").only(*ROW_FIELDS)


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
        # By region ids, not a join on the region's path: the (state, region) index then serves the queues' counts.
        regions = Region.objects.filter(path__startswith=user.jurisdiction.path).values("pk")
        return submitted.filter(region__in=regions)
    if user.role == Role.EXPERT:
        # What guardian's get_objects_for_user(accept_global_perms=False) answers, as one subquery on the
        # direct-FK grant table and without its two permission look-ups on every request. A role-wide
        # (global) permission never opens an application.
        grants = ApplicationUserObjectPermission.objects.filter(
            user=user, permission__codename="assess_application", permission__content_type__app_label="filings"
        )
        return submitted.filter(pk__in=grants.values("content_object_id"))
    return applications.none()


def ranking_tallies_visible_to(user: User) -> QuerySet[RankingTally]:
    """The counts of submitted applications by call, region, state and score (``RankingTally``) over the regions
    whose applications the user sees, as ``applications_visible_to`` decides for officials of a jurisdiction and
    an admin; nobody else reads them (an agency's or an expert's applications are not counted by region)."""
    if not user.is_authenticated:
        return RankingTally.objects.none()
    if user.role == Role.ADMIN:
        return RankingTally.objects.all()
    if user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE) and user.jurisdiction is not None:
        regions = Region.objects.filter(path__startswith=user.jurisdiction.path).values("pk")
        return RankingTally.objects.filter(region__in=regions)
    return RankingTally.objects.none()


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
    """The applications of the user's jurisdiction that wait for the user's role to act. For the police also
    those in the technical assessment whose opinion (``POLICE_ASSESSMENT`` record) their department has not yet
    given: the record they may add then (``record_add``), which the queue's state alone does not show."""
    return waiting_for(user, applications_visible_to(user))


def waiting_for(user: User, applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` narrowed to those waiting for ``user`` (see ``awaiting``): the home's count, its to-do
    and the queue's ``state=mine`` share this one definition."""
    waiting = Q(state__in=awaiting_states(user))
    if user.role == Role.POLICE:
        waiting |= Q(state=State.ASSESSMENT) & ~Exists(police_opinions_of(user).filter(application=OuterRef("pk")))
    return applications.filter(waiting)


def police_opinions_of(user: User) -> QuerySet[ReviewRecord]:
    """The opinions in the technical assessment given by the user's department (the user's own without one)."""
    opinions = ReviewRecord.objects.filter(kind=ReviewRecord.Kind.POLICE_ASSESSMENT)
    if user.department_id:
        return opinions.filter(author__department_id=user.department_id)
    return opinions.filter(author=user)


def police_of(application: Application) -> QuerySet[User]:
    """The police whose jurisdiction holds the application: their opinion is asked in the technical assessment."""
    codes = [code for code in application.region.path.split("/") if code]
    return User.objects.filter(
        is_active=True,
        role=Role.POLICE,
        department__kind=Department.Kind.PUBLIC_SECURITY,
        department__region__code__in=codes,
    ).select_related("department")


def police_colleagues(user: User) -> QuerySet[User]:
    """Whoever gives the opinion with ``user``: the police of the user's department (the user alone without one)."""
    if user.department_id:
        return User.objects.filter(role=Role.POLICE, department_id=user.department_id)
    return User.objects.filter(pk=user.pk)


def versions_of(application: Application) -> QuerySet[ApplicationVersion]:
    return application.versions.select_related("submitted_by").order_by("number")


REVIEWER_OF_STATE = {
    State.CITY_REVIEW: (Role.CITY_HR, Department.Kind.HR_BUREAU),
    State.POLICE_REVIEW: (Role.POLICE, Department.Kind.PUBLIC_SECURITY),
    State.ACCEPTANCE: (Role.CENTRE, Department.Kind.APPRAISAL_CENTRE),
    State.ASSESSMENT: (Role.CENTRE, Department.Kind.APPRAISAL_CENTRE),
    # Assessed: the centre ranks and selects it on its call's selection page (no statutory time limit).
    State.ASSESSED: (Role.CENTRE, Department.Kind.APPRAISAL_CENTRE),
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


# ---------------------------------------------------------------- receipt verification


def receipt_verify(
    *, token: str | None = None, number: str | None = None, agency_name: str | None = None
) -> Receipt | None:
    """The ready filing receipt that matches, or None: by the token of its QR code, or by its number together
    with the agency's full name (the number alone would let anyone walk through the receipts). Nothing partial.
    The number is read as people type it (lower case, full-width characters from a Chinese input method,
    spaces around it); the name and the token exactly. The agency's directory entry and its approvals come
    with it."""
    receipts = Receipt.objects.filter(status=Receipt.Status.READY).select_related(
        "application__organisation", "application__directory_entry", "application__institution_code"
    )
    token, agency_name = (token or "").strip(), (agency_name or "").strip()
    number = unicodedata.normalize("NFKC", number or "").strip().upper()
    if token:
        receipts = receipts.filter(token=token)
    elif number and agency_name:
        receipts = receipts.filter(number=number, application__organisation__name=agency_name)
    else:
        return None
    receipt = receipts.first()
    if receipt is not None and receipt.application.directory_entry is not None:
        prefetch_related_objects([receipt.application.directory_entry], approved_occupations())
    return receipt


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


def current_attachments(application: Application) -> dict[str, list[Attachment]]:
    grouped: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.all():
        if not attachment.removed:
            grouped.setdefault(attachment.material, []).append(attachment)
    return grouped


# ---------------------------------------------------------------- the expert panel


def conflict_reason(expert: User, application: Application) -> str:
    """Why an expert may not assess this application, or an empty string."""
    profile = getattr(expert, "expert_profile", None)
    if profile is not None and profile.employer_id == application.organisation_id:
        return _("employed by the applicant")
    if profile is not None and profile.employer_name and profile.employer_name == application.organisation.name:
        return _("employed by the applicant")
    if PanelMember.objects.filter(application=application, expert=expert, has_conflict=True).exists():
        return _("declared a conflict of interest")
    return ""


def expert_assignments(expert: User, applications: QuerySet[Application]) -> QuerySet[Application]:
    """The expert's assigned ``applications`` in the order they deal with them: first what awaits them — the panel
    still open and their scores not handed in — nearest deadline first (none last); then what is done, the most
    recently finished first (handed in, or else assigned; a panel concluded without their scores counts as done).
    Each row carries ``assignment_done``."""
    member = PanelMember.objects.filter(application=OuterRef("pk"), expert=expert)
    rows = applications.annotate(
        handed_in=Subquery(member.values("scores_submitted_at")[:1]),
        assigned=Subquery(member.values("assigned_at")[:1]),
    ).annotate(
        assignment_done=Case(
            When(Q(handed_in__isnull=False) | ~Q(state=State.ASSESSMENT), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    return rows.order_by(
        "assignment_done",
        Case(When(assignment_done=False, then=F("deadline"))).asc(nulls_last=True),
        Case(When(assignment_done=True, then=Coalesce("handed_in", "assigned"))).desc(nulls_last=True),
        "-pk",
    )


def draw_occupation_codes(application: Application) -> list[str]:
    """The occupation codes a draw by specialty limits the pool to: the application's, each once, ascending."""
    return sorted(set(application.occupation_rows.values_list("occupation__code", flat=True)))


def draw_pool_sizes(application: Application) -> dict[str, int]:
    """How many experts a draw could take now: of the application's occupations (the draw's default) and of any
    specialty — the numbers the panel page gives beside the draw's count."""
    return {
        "by_specialty": len(eligible_experts(application, draw_occupation_codes(application) or None)),
        "any": len(eligible_experts(application)),
    }


def eligible_experts(application: Application, occupation_codes: list[str] | None = None):
    """The pool's experts who may join the application's panel: of the call's province (Guangxi's panels are
    Guangxi's experts), of its occupations when given, not yet on the panel, without a conflict."""
    experts = User.objects.filter(
        role=Role.EXPERT,
        is_active=True,
        expert_profile__active=True,
        expert_profile__province_id=application.call.province_id,
    ).select_related("expert_profile")
    if occupation_codes:
        experts = experts.filter(expert_profile__occupations__code__in=occupation_codes).distinct()
    taken = set(application.panel.values_list("expert_id", flat=True))
    return [e for e in experts if e.pk not in taken and not conflict_reason(e, application)]


def panel_summary(application: Application) -> dict:
    """Each expert's total, the mean and the spread (max − min) of the submitted totals."""
    members = list(application.panel.select_related("expert", "assigned_by__department", "draw"))
    totals = [m.total for m in members if m.total is not None and m.has_conflict is False]
    if not totals:
        return {"members": members, "mean": None, "spread": None, "count": 0}
    mean = (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"members": members, "mean": mean, "spread": max(totals) - min(totals), "count": len(totals)}


def home_panel(user: User) -> dict:
    """The applications of the user's home page: an agency's latest, an expert's assignments, an official's
    queue (what waits for their role). Each row carries its state's label (``state_label``: the labels looked up
    once, where ``get_state_display`` hashes every choice on each call)."""
    if user.role == Role.AGENCY:
        own = applications_visible_to(user)
        return {
            "applications": _labelled(application_rows(own).order_by("-updated")[:10]),
            # Until the agency is filed: the way to the filing, where it stands, and what to do next.
            "filing_progress": filing_progress(user, own),
        }
    if user.role == Role.EXPERT:
        return {"assigned": _labelled(expert_assignments(user, application_rows(applications_visible_to(user)))[:10])}
    if user.role in (Role.CITY_HR, Role.CENTRE, Role.POLICE):
        queue = awaiting(user)
        count = queue.count()
        label = {
            Role.CENTRE: _("Applications waiting for me"),
            Role.POLICE: _("Applications awaiting my opinion"),
        }.get(user.role, _("Applications awaiting review"))
        # The oldest first, walked along the stage_started_at index (a sort over every waiting row was 190 ms for
        # the centre at 100,000 applications).
        return {
            "queue_count": count,
            "queue": _labelled(application_rows(queue).order_by("stage_started_at")[:10]),
            "todo": [Todo(label=label, count=count, url=reverse("filings:queue") + "?state=mine", icon="bi-inbox")],
        }
    return {}


def _labelled(applications: QuerySet[Application]) -> list[Application]:
    labels = dict(State.choices)
    rows = list(applications)
    for application in rows:
        application.state_label = labels.get(application.state, application.state)
    return rows


SEARCH_MAX_LENGTH = 100


def applications_matching(applications: QuerySet[Application], text: str) -> QuerySet[Application]:
    """The applications whose organisation's name, reference number or unified social credit code contains
    ``text`` as people type it (any case, full-width characters, spaces around it); all of them for no text."""
    typed = unicodedata.normalize("NFKC", text).strip()[:SEARCH_MAX_LENGTH]
    if not typed:
        return applications
    upper = typed.upper()
    # The organisations first (5,000 rows at province scale, then the applications by their organisation index):
    # an OR across the join scanned every application (150 ms at 100,000, issue 16). A reference number (BA45…)
    # is ASCII: text with a Chinese character cannot be in one and skips its test (a trigram index serves the
    # others on PostgreSQL).
    named = Q(name__icontains=typed)
    if typed == upper == typed.lower():
        # Text without a letter that has a case (Chinese, digits): ``UPPER(name) LIKE UPPER(…)`` finds exactly what
        # ``name LIKE …`` finds, without upper-casing every organisation's name (the lookup's 6 ms at 5,000, a
        # third of the text search's SQL for a city, issue 16 item 4).
        named = Q(name__contains=typed)
    # A credit code is ASCII too (18 of ``USCC_CHARSET``): Chinese text skips its test, which was three quarters of
    # the organisations' scan (UPPER() of every code against a multibyte pattern: 6 of 8 ms at 5,000 of them).
    organisations = Organisation.objects.filter(named | Q(uscc__icontains=upper) if upper.isascii() else named)
    # Their ids as a list (one query more, always one): a subquery ORed with the reference's test stops PostgreSQL
    # from combining the two indexes (organisation, trigram) and it scanned every application again. The list is
    # one array parameter on PostgreSQL (``InArray``), not one placeholder per organisation.
    found = list(organisations.order_by().values_list("pk", flat=True))
    matching = Q(InArray(F("organisation_id"), found))
    if upper.isascii():
        matching |= Q(reference__icontains=upper)
    return applications.filter(matching)
