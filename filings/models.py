"""Filing applications (备案申请): their frozen versions, attachments, state history, expert panel and review
records, the ministry review, institution codes and the filing receipt."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agencies.models import Call, CallVersion, DirectoryEntry, Occupation, Organisation, Scope, scope_label
from portal.lib.uploads import attachment_upload_to
from portal.models import Department, Region, Role, StoredUpload, User, WrittenOnce


class State(models.TextChoices):
    """Application states; the transitions between them are tabled in ``filings.workflow``."""

    DRAFT = "draft", _("Draft")
    POLICE_REVIEW = "police_review", _("Under police assessment")
    CITY_REVIEW = "city_review", _("Under city review")
    CORRECTION = "correction", _("Correction requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    ACCEPTANCE = "acceptance", _("Awaiting acceptance")
    REFUSED = "refused", _("Not accepted")
    ASSESSMENT = "assessment", _("Technical assessment")
    ASSESSED = "assessed", _("Assessed")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    PUBLICITY = "publicity", _("Under public notice")
    OBJECTION_UPHELD = "objection_upheld", _("Objection upheld")
    PUBLICISED = "publicised", _("Public notice passed")
    MINISTRY_REVIEW = "ministry_review", _("Under ministry review")
    MINISTRY_REJECTED = "ministry_rejected", _("Not approved by the ministry")
    FILED = "filed", _("Filed")


class Application(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="applications"
    )
    # The jurisdiction the application belongs to (the organisation's region when it was created).
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    # A draft follows the call's current version; from its first submission on it keeps the version
    # it was filed under.
    call_version = models.ForeignKey(CallVersion, verbose_name=_("call version"), on_delete=models.PROTECT)
    reference = models.CharField(_("reference number"), max_length=30, unique=True, null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, blank=True)
    # The working copy, exactly as typed: {"basic": {...}, "occupations": [{...}, ...], ...}
    data = models.JSONField(_("form data"), default=dict)
    # Sections the reviewer flagged in a correction request: only these may be edited.
    flagged_sections = models.JSONField(_("sections to correct"), default=list, blank=True)
    # Where a corrected application goes back to: the state of the reviewer who asked for the correction.
    return_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    # {"section key": "what to correct"} of the last correction request.
    correction_notes = models.JSONField(_("correction notes"), default=dict, blank=True)
    # The reviewer's general remarks (总体意见) with the last correction request, shown to the agency.
    correction_remarks = models.TextField(_("general remarks on the correction"), blank=True)
    city_opinion = models.TextField(_("city HR bureau's opinion"), blank=True)
    police_opinion = models.TextField(_("public security opinion"), blank=True)
    centre_opinion = models.TextField(_("provincial centre's opinion"), blank=True)
    panel_conclusion = models.TextField(_("panel conclusion"), blank=True)
    panel_score = models.DecimalField(_("panel score"), max_digits=5, decimal_places=2, null=True, blank=True)
    selection_reason = models.TextField(_("selection reason"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last saved"), auto_now=True)
    created_by = models.ForeignKey(User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    stage_started_at = models.DateTimeField(_("stage started"), default=timezone.now)
    # The working-day deadline of the current stage (None: no deadline, e.g. the agency's turn).
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    overdue_notified_on = models.DateField(_("overdue notice sent"), null=True, blank=True)
    # The directory entry the filing made (set when the application is filed).
    directory_entry = models.OneToOneField(
        DirectoryEntry,
        verbose_name=_("directory entry"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("filing application")
        verbose_name_plural = _("filing applications")
        permissions = [("assess_application", "Can assess the application as an assigned expert")]
        indexes = [
            models.Index(fields=["state", "region"], name="application_queue"),
            # The queues' counts (state, jurisdiction, submitted) answered from the index alone (issue 16).
            models.Index(fields=["state", "region", "submitted_at"], name="application_queue_count"),
            # The lists' orders walked along an index instead of sorting every visible row (issue 16 item 4): the
            # applications list (latest saved first) and the officials' home (the oldest stage first).
            models.Index(fields=["-updated", "-id"], name="application_recent"),
            models.Index(fields=["stage_started_at", "id"], name="application_stage_started"),
            # The selection page's ranks, count and spread over the cities, and the notices page's counts per call,
            # from the index alone (an index-only scan).
            models.Index(
                fields=["call", "state", "region", "panel_score", "submitted_at", "organisation", "id"],
                name="application_call_ranking",
            ),
            # The officials' lists count and page only submitted applications (never a draft): their count over a
            # jurisdiction read from this smaller index alone (the centre's 87,000 rows: 6 ms instead of 16-25 ms),
            # and the queue's order (deadline first) walked along the second one instead of sorting (issue 16 item 4).
            models.Index(
                fields=["region", "state"],
                condition=models.Q(submitted_at__isnull=False) & ~models.Q(state="draft"),
                name="application_submitted",
            ),
            models.Index(
                fields=["deadline", "stage_started_at", "id"],
                condition=models.Q(submitted_at__isnull=False) & ~models.Q(state="draft"),
                name="application_queue_order",
            ),
            # The text search's count (the applications of the organisations whose name matches) from the index alone.
            models.Index(
                fields=["organisation", "region"],
                condition=models.Q(submitted_at__isnull=False) & ~models.Q(state="draft"),
                name="application_submitted_by_org",
            ),
        ]

    def __str__(self) -> str:
        draft = _("draft")  # outside the f-string, where makemessages finds it
        return self.reference or f"{self.organisation.name}（{draft}）"

    def get_scope_display(self) -> str:
        """全区 in an autonomous region, 全省 in a province (``agencies.models.scope_label``)."""
        return scope_label(self.scope, self.region.code) if self.scope else ""

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.CORRECTION)


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    """Per-object grants on applications (an expert's assignment), as a direct foreign key (guardian's
    "Performance" advice): joins stay on integer keys instead of generic (content type, text id) pairs."""

    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class RankingTally(models.Model):
    """How many submitted applications of a call a region has in a state with a panel score (``NO_SCORE``: none
    yet): the selection page's ranks, count and spread over the cities and the notices page's counts per call add
    up these few hundred rows instead of grouping the call's ranked applications on each request (19,000 at
    province scale, ~20 ms, issue 16 item 4).

    Written by the database itself, in the transaction that writes the application: a trigger on
    ``filings_application`` (migration ``filings.0012``; PostgreSQL and SQLite) moves one from the old group to the
    new one whenever an application is inserted, deleted or changes call, region, state, score or submission. Every
    path counts the same, a service's save, a ``QuerySet.update``, a bulk insert or the load harness's SQL; a refused
    service rolls back with its transaction. ``ranking_tallies_rebuild`` recounts them all."""

    NO_SCORE = -1

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices)
    score = models.DecimalField(max_digits=5, decimal_places=2, help_text="The panel score; -1: not scored.")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "region", "state", "score"], name="one_ranking_tally_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.region_id} {self.state} {self.score}: {self.n}"


class ApplicationVersion(WrittenOnce):
    """A submitted, frozen, numbered version of an application. Never changed after it is written."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    call_version = models.ForeignKey(CallVersion, verbose_name=_("call version"), on_delete=models.PROTECT)
    data = models.JSONField(_("form data"))
    # {"material code": [attachment id, ...]}
    attachments = models.JSONField(_("attachments"), default=dict)
    checks = models.JSONField(_("condition checks"), default=list)
    commitment_name = models.CharField(_("legal representative (commitment)"), max_length=50)
    commitment_at = models.DateTimeField(_("commitment signed"))
    commitment_ip = models.GenericIPAddressField(_("commitment IP address"), null=True, blank=True)
    submitted_by = models.ForeignKey(User, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["application", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="unique_application_version")]
        verbose_name = _("application version")
        verbose_name_plural = _("application versions")

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class ApplicationOccupation(models.Model):
    """The occupations and levels of the latest submitted version, as rows that queues can filter on."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="occupation_rows")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "occupation", "level"], name="unique_application_level")
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.level}"


class Attachment(models.Model):
    """An uploaded material, stored under a generated name through the storage API; served only by a view."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attachments"
    )
    material = models.CharField(_("material"), max_length=50)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Removed from the working copy; kept because earlier versions may refer to it.
    removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        ordering = ["material", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class StateChange(models.Model):
    """One row per transition: the application's history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    # "from"/"to" alone are ambiguous in the catalogue (a date range reads 至): the state change's own context.
    from_state = models.CharField(pgettext_lazy("state change", "from"), max_length=20, choices=State.choices)
    to_state = models.CharField(pgettext_lazy("state change", "to"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    time = models.DateTimeField(_("time"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    version_number = models.PositiveIntegerField(_("version"), null=True, blank=True)

    class Meta:
        ordering = ["time", "id"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class ExpertProfile(models.Model):
    """An expert of the assessment pool: specialties and the employer (for conflicts of interest)."""

    user = models.OneToOneField(User, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="expert_profile")
    specialty = models.CharField(_("specialty"), max_length=100)
    occupations = models.ManyToManyField(Occupation, verbose_name=_("occupations"), blank=True)
    employer = models.ForeignKey(
        Organisation, verbose_name=_("employer (agency)"), null=True, blank=True, on_delete=models.SET_NULL
    )
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    # The province whose pool the expert belongs to: a panel is drawn only from the call's province.
    province = models.ForeignKey(
        Region,
        verbose_name=_("province of the pool"),
        null=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.PROVINCE},
        related_name="+",
    )
    active = models.BooleanField(_("in the pool"), default=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return f"{self.user.display_name}（{self.specialty}）"


class PanelDraw(models.Model):
    """One random draw of a panel's experts: who drew, when, and what from — enough to check it afterwards.

    The draw is ``randomdraw.pick(randomdraw.Stream(seed), pool, count)`` over the pool's expert ids in ascending
    order (``portal.lib.randomdraw``, see ``filings.services.review.panel_draw``): with the stored pool and seed
    anyone can make it again and get the same experts. The seed is drawn from the system's random source at the
    moment of the draw."""

    # What the panel page offers to draw: a panel of three, the smallest whose totals have a middle and a spread.
    DEFAULT_COUNT = 3

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="draws")
    by = models.ForeignKey(User, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    time = models.DateTimeField(_("time"), default=timezone.now)
    count = models.PositiveSmallIntegerField(_("experts drawn"))
    by_specialty = models.BooleanField(_("only experts of the application's occupations"))
    # The occupation codes the pool was limited to (empty when the draw was not by specialty).
    occupation_codes = models.JSONField(_("occupations"), default=list, blank=True)
    # The ids of every expert who could be drawn, ascending: the candidates the sample was taken from.
    pool = models.JSONField(_("pool"), default=list)
    seed = models.CharField(_("seed"), max_length=64)
    # The ids drawn, in the order drawn: kept even if an expert later leaves the panel.
    drawn = models.JSONField(_("drawn"), default=list)

    class Meta:
        ordering = ["time", "id"]
        verbose_name = _("expert draw")
        verbose_name_plural = _("expert draws")

    def __str__(self) -> str:
        return f"{self.application} · {self.time:%Y-%m-%d %H:%M}"

    @property
    def pool_size(self) -> int:
        return len(self.pool)


class PanelMember(models.Model):
    """An expert assigned to assess one application (the access itself is a django-guardian grant)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(User, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="panels")
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    # The draw that picked the expert; empty when the centre ticked the expert by hand.
    draw = models.ForeignKey(
        PanelDraw, verbose_name=_("draw"), null=True, blank=True, on_delete=models.RESTRICT, related_name="members"
    )
    # None until the expert answers the conflict-of-interest declaration.
    has_conflict = models.BooleanField(_("declared a conflict"), null=True)
    declaration = models.TextField(_("declaration"), blank=True)
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    # {"criterion code": points}
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    scores_submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="unique_panel_member")]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}"

    @property
    def total(self) -> int | None:
        return sum(self.scores.values()) if self.scores_submitted_at else None


class ReviewRecord(models.Model):
    """A written record of a review step: police material review or site visit, expert site visit, document
    review, interview, police opinion in the assessment."""

    class Kind(models.TextChoices):
        POLICE_REVIEW = "police_review", _("Police material review")
        POLICE_SITE_VISIT = "police_site_visit", _("Police site visit")
        POLICE_ASSESSMENT = "police_assessment", _("Police opinion in the assessment")
        SITE_VISIT = "site_visit", _("Site visit")
        DOCUMENT_REVIEW = "document_review", _("Document review")
        INTERVIEW = "interview", _("Interview")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    author = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    notes = models.TextField(_("notes"))
    created = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("review record")
        verbose_name_plural = _("review records")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.application}"


class RecordPhoto(StoredUpload):
    record = models.ForeignKey(ReviewRecord, on_delete=models.CASCADE, related_name="photos")


# ---------------------------------------------------------------- ministry review, codes, receipts


class MinistryReview(models.Model):
    """The report to the ministry (人社部审核) and its result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Awaiting the ministry")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="ministry_review")
    reported_on = models.DateField(_("reported on"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.PENDING)
    result_on = models.DateField(_("result received"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ministry review")
        verbose_name_plural = _("ministry reviews")

    def __str__(self) -> str:
        return f"{self.application} {self.get_result_display()}"


class InstitutionCode(models.Model):
    """An institution code (机构编码): assigned by the ministry or generated provisionally. Never deleted, so a
    code once issued is never issued again."""

    code = models.CharField(_("institution code"), max_length=40, unique=True)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="institution_code")
    provisional = models.BooleanField(_("provisional"), default=False)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        verbose_name = _("institution code")
        verbose_name_plural = _("institution codes")

    def __str__(self) -> str:
        return self.code


class Receipt(models.Model):
    """The filing receipt (备案回执) of one application version, rendered to PDF by a Celery task.

    Created in the same transaction as the filing decision with status "pending" (the outbox): the task is
    queued after commit, and a periodic sweeper queues again any receipt still pending, so a receipt is never
    lost when the broker is down at the moment of approval. Unique per (application, version): a retry
    never makes a second one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being produced")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="receipts")
    version_number = models.PositiveIntegerField(_("version"))
    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(_("PDF"), upload_to="receipts/%Y/", max_length=200, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "version_number"], name="one_receipt_per_version")
        ]
        verbose_name = _("filing receipt")
        verbose_name_plural = _("filing receipts")

    def __str__(self) -> str:
        return self.number
