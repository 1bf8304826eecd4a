"""Filed agencies at work, under supervision: police registration (报备登记), evaluation plans with their public
announcements (认定计划 / 认定公告) and the cross-region reports (异地报备) a plan outside the agency's own city
needs before it may be announced.

Everything hangs off the agency's directory entry (``agencies.DirectoryEntry``): a filed agency is what is
supervised, whatever application filed it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import DirectoryEntry, Level, Occupation
from portal.models import Department, Region, User


class PoliceRegistration(models.Model):
    """A filed agency's registration with the public-security organ of one city (陕公通字〔2023〕64号 三（一）:
    已备案开展保卫管理员的评价机构需向属地公安部门报备登记): its registered city, and each other city where it
    will evaluate. Police confirm it or return it with reasons; the agency answers and sends it again."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting the police")
        CONFIRMED = "confirmed", _("Confirmed")
        RETURNED = "returned", _("Returned to the agency")

    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="police_registrations"
    )
    city = models.ForeignKey(Region, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    # The agency's registered city (属地), or a city where it will evaluate.
    home = models.BooleanField(_("registered city"), default=True)
    responsible = models.CharField(_("person responsible"), max_length=50)
    phone = models.CharField(_("telephone"), max_length=20)
    sites = models.TextField(_("evaluation sites in the city"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("reasons for returning it"), blank=True)

    class Meta:
        ordering = ["city__code", "entry__organisation__name"]
        constraints = [models.UniqueConstraint(fields=["entry", "city"], name="one_registration_per_city")]
        # The workspace asks which agencies are registered with the police of a jurisdiction's cities, and in which
        # state (issue 16 item 4): read from the index alone, where a scan of every registration was hashed.
        indexes = [models.Index(fields=["city", "entry", "status"], name="registration_city_entry")]
        verbose_name = _("police registration")
        verbose_name_plural = _("police registrations")

    def __str__(self) -> str:
        return f"{self.entry.organisation.name} · {self.city.name}"


class RegistrationEvent(models.Model):
    """The history of a registration: each submission, return, answer and confirmation."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Registration submitted")
        RETURN = "return", _("Returned")
        RESUBMIT = "resubmit", _("Answered and submitted again")
        CONFIRM = "confirm", _("Confirmed")

    registration = models.ForeignKey(PoliceRegistration, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    time = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["time", "pk"]

    def __str__(self) -> str:
        return f"{self.registration} {self.action}"


class Plan(models.Model):
    """An evaluation plan (认定计划) and its announcement (认定公告), published on the public site at least 10
    working days before the first exam day (桂人社函〔2020〕203号 三（五）)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_CONSENT = "awaiting_consent", _("Awaiting the local HR bureau's consent")
        REFUSED = "refused", _("Refused by the local HR bureau")
        READY = "ready", _("Ready to announce")
        ANNOUNCED = "announced", _("Announced")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    entry = models.ForeignKey(DirectoryEntry, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="plans")
    # Where the evaluation takes place: the city of the venue.
    city = models.ForeignKey(
        Region, verbose_name=_("city of the evaluation"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT)
    work_type = models.CharField(_("work type"), max_length=50, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    first_day = models.DateField(_("first exam day"))
    last_day = models.DateField(_("last exam day"))
    venue = models.CharField(_("venue"), max_length=100)
    venue_address = models.CharField(_("venue address"), max_length=200)
    expected_candidates = models.PositiveIntegerField(_("expected candidates"))
    # Names from the agency's filed roster (考评人员, 内部质量督导员) at the time the plan was made.
    examiners = models.JSONField(_("examiners"), default=list)
    supervisor = models.CharField(_("internal quality supervisor"), max_length=50)
    fee = models.DecimalField(_("fee per candidate (yuan)"), max_digits=8, decimal_places=2)
    notes = models.TextField(_("announcement text"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("created"), default=timezone.now)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)

    class Meta:
        ordering = ["-first_day", "-pk"]
        indexes = [
            models.Index(fields=["city", "first_day"], name="plan_city_day"),
            models.Index(fields=["status", "first_day"], name="plan_status_day"),
            models.Index(fields=["status", "last_day"], name="plan_status_last_day"),
            # Which agencies evaluate in a jurisdiction's cities (the workspace's agencies, issue 16 item 4): read
            # from the index alone instead of a scan of every plan.
            models.Index(fields=["city", "status", "entry"], name="plan_city_status_entry"),
        ]
        verbose_name = _("evaluation plan")
        verbose_name_plural = _("evaluation plans")

    def __str__(self) -> str:
        return f"{self.entry.organisation.name} · {self.occupation.name} · {self.first_day}"

    @property
    def label(self) -> str:
        """The plan as its own agency names it in a message: first exam day · occupation · city (the agency has
        many plans; its own name tells it nothing)."""
        return f"{self.first_day:%Y-%m-%d} · {self.occupation.name} · {self.city.name}"

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level in Level.values else str(self.level)

    @property
    def cross_region(self) -> bool:
        return self.city_id != self.entry.region_id

    def evaluation_begun(self, today=None) -> bool:
        """Announced and its first exam day reached: the evaluation has begun and can no longer be withdrawn."""
        today = today or timezone.localdate()
        return self.status == self.Status.ANNOUNCED and self.first_day <= today

    def never_submitted(self) -> bool:
        """A draft never submitted: nobody but the agency has seen it (no report to another city's HR bureau, which
        a refused plan saved again as a draft keeps). It is deleted, not withdrawn (``plan_delete``)."""
        return self.status == self.Status.DRAFT and not CrossRegionReport.objects.filter(plan_id=self.pk).exists()

    def withdrawable(self, today=None) -> bool:
        """One rule for the button and the service (``plan_withdraw``)."""
        return self.status != self.Status.WITHDRAWN and not self.evaluation_begun(today)


class CrossRegionReport(models.Model):
    """The report of a plan outside the agency's registered city to that city's HR bureau (桂人社函〔2023〕316号
    transmitted in the security-manager call, 二: 经同意后可开展评价活动并主动接受属地监管), which consents or refuses
    with reasons within a number of working days. Without consent the plan cannot be announced."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        CONSENTED = "consented", _("Consented")
        REFUSED = "refused", _("Refused")

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="cross_region_report")
    department = models.ForeignKey(
        Department, verbose_name=_("HR bureau"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("reported"), default=timezone.now)
    deadline = models.DateField(_("answer due"))
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("cross-region report")
        verbose_name_plural = _("cross-region reports")

    def __str__(self) -> str:
        return f"{self.plan} → {self.plan.city.name}"


class PlanChange(models.Model):
    """A change to an announced plan before its first exam day (issue sup9 item 3): its venue or its examiners,
    never its days, occupation or level. Who changed what, when, from what to what. A new venue of a plan outside
    the agency's registered city waits for that city's HR bureau to consent again (the plan's cross-region report
    is asked again); until then the announced venue stands."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        AWAITING_CONSENT = "awaiting_consent", _("Awaiting the local HR bureau's consent")
        CONSENTED = "consented", _("Consented and applied")
        REFUSED = "refused", _("Refused: not applied")
        CANCELLED = "cancelled", _("Cancelled: the plan was withdrawn")

    # The fields an announced plan may change.
    FIELDS = ("venue", "venue_address", "examiners")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(User, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("changed"), default=timezone.now)
    # [{"field": "venue", "before": "…", "after": "…"}]; examiners as lists of names.
    changes = models.JSONField(_("changes"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change to an announced plan")
        verbose_name_plural = _("changes to announced plans")

    def __str__(self) -> str:
        return f"{self.plan} · {self.at:%Y-%m-%d %H:%M}"

    def rows(self) -> list[dict]:
        """Each change with its field's label, and lists of names joined."""

        def shown(value) -> str:
            return "、".join(value) if isinstance(value, list) else str(value)

        return [
            {
                "label": Plan._meta.get_field(row["field"]).verbose_name,
                "before": shown(row["before"]),
                "after": shown(row["after"]),
            }
            for row in self.changes
        ]
