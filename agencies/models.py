"""Evaluation agencies (organisations) and the occupation catalogue."""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.models import Region


class Level(models.IntegerChoices):
    """National skill levels; level 1 is the highest."""

    ONE = 1, _("Level 1 / Senior technician")
    TWO = 2, _("Level 2 / Technician")
    THREE = 3, _("Level 3 / Senior worker")
    FOUR = 4, _("Level 4 / Intermediate worker")
    FIVE = 5, _("Level 5 / Junior worker")


class Occupation(models.Model):
    """An occupation (职业) of the national occupational classification, with the levels it certifies."""

    code = models.CharField(_("occupation code"), max_length=20, unique=True)
    name = models.CharField(_("occupation name"), max_length=50, unique=True)
    classification = models.CharField(_("classification edition"), max_length=20, default="2022")
    levels = models.JSONField(_("levels"), default=list, help_text=_("Skill levels offered, 1 (highest) to 5."))
    standard = models.CharField(_("national skill standard"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def level_labels(self) -> list[str]:
        return [str(Level(level).label) for level in sorted(self.levels)]


class Organisation(models.Model):
    """An evaluation agency: the organisation that applies to be filed."""

    class Nature(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Private non-enterprise unit")
        ASSOCIATION = "association", _("Industry association")
        SCHOOL = "school", _("School or college")

    name = models.CharField(_("full name"), max_length=100, unique=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    nature = models.CharField(_("nature"), max_length=30, choices=Nature.choices)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    created = models.DateTimeField(_("registered"), auto_now_add=True)
    # A few genuine codes fail the GB 32100-2015 check character, so such a code is accepted at registration
    # and left for the city HR bureau to compare with the certificate.
    uscc_needs_confirmation = models.BooleanField(_("code awaits confirmation"), default=False)
    uscc_confirmed_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("code confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uscc_confirmed_at = models.DateTimeField(_("code confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Scope(models.TextChoices):
    """The area an agency may evaluate in (评价范围)."""

    NATIONAL = "national", _("Nationwide")
    REGION = "region", _("Province-wide")
    CITY = "city", _("City-wide")
    COUNTY = "county", _("County-wide")


# GB/T 2260 province codes of the autonomous regions (自治区): their "whole province" scope is 全区, a province's
# is 全省 (the forms of the seeds: Guangxi's 附件2 prints 全区, Shaanxi's 全省). "全省（区）" fits neither.
AUTONOMOUS_REGIONS = frozenset({"15", "45", "54", "64", "65"})


def scope_label(scope: str, region_code: str) -> str:
    """评价范围 as the agency's own province words it: 全区 in an autonomous region, 全省 in a province."""
    if scope == Scope.REGION and region_code:
        return str(_("Whole autonomous region") if region_code[:2] in AUTONOMOUS_REGIONS else _("Whole province"))
    return str(Scope(scope).label) if scope in Scope.values else scope


class Workflow(models.TextChoices):
    """Who reviews an application first; the review issue's transition tables hang off these."""

    CITY_FIRST = "city_first", _("City HR bureau recommends, then the provincial centre (Guangxi)")
    POLICE_FIRST = "police_first", _("Local public security assesses, then the same-level HR bureau (Shaanxi)")
    BY_SCOPE = "by_scope", _("City scope via the city bureau; wider scopes straight to the centre (2020 pilot)")


class ConditionProfile(models.Model):
    """A reusable set of conditions (rules as data) that a call adopts; see ``agencies.conditions``."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source document"), max_length=200, blank=True)
    rules = models.JSONField(_("rules"), default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = _("condition profile")
        verbose_name_plural = _("condition profiles")

    def __str__(self) -> str:
        return self.name


def default_scoring() -> list[dict]:
    """The technical-assessment criteria of the seeds (桂人社函〔2020〕203号 三（三）), 100 points in all."""
    return [
        {"code": "basic", "label": "基本条件", "max": 15},
        {"code": "personnel", "label": "人员配备", "max": 20},
        {"code": "sites", "label": "考核场地和设备设施", "max": 20},
        {"code": "process", "label": "评价流程", "max": 15},
        {"code": "systems", "label": "管理制度", "max": 15},
        {"code": "quality", "label": "质量保障措施", "max": 15},
    ]


class Call(models.Model):
    """A call for applications (征集); its content lives in numbered versions."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    province = models.ForeignKey(Region, verbose_name=_("province"), on_delete=models.PROTECT)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def __str__(self) -> str:
        version = self.current_version
        return version.title if version else self.code

    @property
    def current_version(self) -> CallVersion | None:
        """The latest published version (what applicants see and file under)."""
        versions = [v for v in self.versions.all() if v.published_at]
        return max(versions, key=lambda v: v.number) if versions else None

    @property
    def latest_version(self) -> CallVersion | None:
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None

    def _published(self) -> list[CallVersion]:
        return sorted((v for v in self.versions.all() if v.published_at), key=lambda v: v.number)

    @property
    def first_published_at(self):
        """When the call was first published: its publication date, whatever later versions changed (a tester
        read "2026-11-28 发布" on a call open since 11-03, the date of the version that extended it)."""
        published = self._published()
        return published[0].published_at if published else None

    @property
    def deadline_changes(self) -> list[dict]:
        """Each published version that moved the closing day: when it was published, the day before and after."""
        changes, previous = [], None
        for version in self._published():
            if previous is not None and version.closes_on != previous.closes_on:
                changes.append(
                    {"published_at": version.published_at, "before": previous.closes_on, "after": version.closes_on}
                )
            previous = version
        return changes


class CallVersion(models.Model):
    """One immutable-once-published version of a call: what applications are filed under."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    workflow = models.CharField(_("review workflow"), max_length=20, choices=Workflow.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    scopes = models.JSONField(_("scopes allowed"), default=list)
    # [{"occupation": "3-02-02-00", "levels": [3, 2, 1]}]
    offerings = models.JSONField(_("occupations and levels offered"), default=list)
    # [{"code": "credit_report", "label": "信用报告", "required": true, "when": ""}]
    materials = models.JSONField(_("required materials"), default=list)
    profile = models.ForeignKey(
        ConditionProfile, verbose_name=_("condition profile"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # A copy of the profile's rules as they stood when this version was saved.
    rules = models.JSONField(_("conditions"), default=list)
    # The experts' scoring sheet: [{"code": "personnel", "label": "人员配备", "max": 20}, ...]
    scoring = models.JSONField(_("scoring sheet"), default=default_scoring)
    notes = models.TextField(_("notes"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["call", "-number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="unique_call_version")]
        verbose_name = _("call version")
        verbose_name_plural = _("call versions")

    def __str__(self) -> str:
        return f"{self.title}（{_('version')} {self.number}）"

    def is_open(self, today) -> bool:
        return bool(self.published_at) and self.opens_on <= today <= self.closes_on

    @cached_property
    def offered_occupations(self) -> list[Occupation]:
        """The offered occupations in the call's order, read once per instance (forms of every row share it)."""
        codes = [offering["occupation"] for offering in self.offerings]
        by_code = {o.code: o for o in Occupation.objects.filter(code__in=codes)} if codes else {}
        return [by_code[code] for code in codes if code in by_code]

    def levels_for(self, occupation_code: str) -> list[int]:
        for offering in self.offerings:
            if offering["occupation"] == occupation_code:
                return sorted(offering["levels"], reverse=True)
        return []


# ---------------------------------------------------------------- the public directory (目录)


class DirectoryEntry(models.Model):
    """A filed agency in the public directory (目录), dynamically managed: active, suspended, removed.

    Entered when a filing is approved (``filings`` keeps the link on the application); its status is set by
    the supervision that follows. A removed agency stays listed as removed, with the date."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REMOVED = "removed", _("Removed from the directory")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="directory_entries")
    region = models.ForeignKey(Region, verbose_name=_("city"), on_delete=models.PROTECT)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    institution_code = models.CharField(_("institution code"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    filed_on = models.DateField(_("filed on"))
    status_changed_on = models.DateField(_("status since"))
    # A suspension's last day: lifted by the nightly task the day after, unless lifted earlier.
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    # Copies of the organisation's name and the region's code, so that the directory sorts and searches one table
    # through its own indexes (issue 16: the listing sorted over three tables). Filled on save when empty; a
    # renamed organisation updates its entries (``agencies.signals``).
    name = models.CharField(_("name"), max_length=200, blank=True, editable=False)
    region_code = models.CharField(max_length=12, blank=True, editable=False)
    # A code the portal generated while the ministry has not assigned its own (``filings.InstitutionCode``): the
    # directory says so, as the receipt does.
    code_provisional = models.BooleanField(_("provisional code"), default=False)

    class Meta:
        ordering = ["region_code", "name", "pk"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        indexes = [
            models.Index(fields=["status", "region_code", "name", "id"], name="directory_listing"),
            # A district's agencies include those filed city-wide or province-wide around it (``directory_search``).
            models.Index(fields=["scope", "region"], name="directory_scope_region"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}（{self.institution_code}）"

    def save(self, *args, **kwargs):
        if not self.name:
            self.name = self.organisation.name
        if not self.region_code:
            self.region_code = self.region.code
        super().save(*args, **kwargs)

    def get_scope_display(self) -> str:
        return scope_label(self.scope, self.region_code or self.region.code)


class DirectoryOccupation(models.Model):
    """An approved occupation and level of a directory entry (searchable)."""

    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "occupation", "level"], name="unique_directory_approval")
        ]
        indexes = [models.Index(fields=["occupation", "level"], name="directory_approval_level")]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.level}"


class DirectoryStatusChange(models.Model):
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=10, choices=DirectoryEntry.Status.choices)
    changed_on = models.DateField(_("date"))
    until = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey("portal.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.entry} {self.status} {self.changed_on}"
