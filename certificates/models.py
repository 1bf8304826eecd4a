"""Results and certificates: an evaluation session from an announced plan, its candidates and their results, the
pass rules as data, certificates with their national numbers, and the log of public verifications.

"谁评价、谁发证、谁负责": the agency that ran the evaluation enters the results, publicises and reports them and
issues the certificates; the HR bureau of its jurisdiction reviews; anyone verifies a certificate.

ID numbers are personal data: stored only encrypted (``certificates.crypto``, SM4-GCM), found by a keyed hash
(HMAC-SM3), and shown masked (``id_masked``) everywhere but where a role needs the number and the view is audited.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import DirectoryEntry, Level, Occupation
from portal.models import User
from publicity.models import Notice
from supervision.models import Plan


class PassRule(models.Model):
    """How an occupation is examined at one level and what passes it, seeded from the sources (migration 0002).

    A minimum left empty is a part not examined at that level. Scores are out of 100; a part passes at its minimum
    or above. ``guard_card_exemption_years``: a candidate holding a 保安员证 issued within that many years before
    the exam day is exempt from the theory exam (Jiangsu, 初级保安员)."""

    class Method(models.TextChoices):
        COMPUTER = "computer", _("Computer-based exam")
        WRITTEN_DEFENCE = "written_defence", _("Written exam and thesis defence")
        EXAM_REVIEW = "exam_review", _("Theory exam, skill test and comprehensive review")
        EXAM = "exam", _("Theory exam and skill test")

    occupation = models.ForeignKey(Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    theory_min = models.DecimalField(_("theory pass mark"), max_digits=5, decimal_places=1, null=True, blank=True)
    skill_min = models.DecimalField(_("skill pass mark"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_min = models.DecimalField(
        _("comprehensive review pass mark"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    defence_min = models.DecimalField(
        _("thesis defence pass mark"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    guard_card_exemption_years = models.PositiveSmallIntegerField(
        _("theory exemption for security-guard card holders (years)"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["occupation__code", "-level"]
        constraints = [models.UniqueConstraint(fields=["occupation", "level"], name="one_pass_rule_per_level")]
        verbose_name = _("pass rule")
        verbose_name_plural = _("pass rules")

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.level}"


class Session(models.Model):
    """The results of one announced evaluation (认定计划), from entry to certificates."""

    class Status(models.TextChoices):
        RESULTS = "results", _("Entering results")
        PUBLICITY = "publicity", _("Results on public notice")
        PUBLICISED = "publicised", _("Publicity passed, to report")
        REPORTED = "reported", _("Reported to the HR bureau")
        RETURNED = "returned", _("Returned by the HR bureau")
        APPROVED = "approved", _("Approved by the HR bureau")
        ISSUED = "issued", _("Certificates issued")

    plan = models.OneToOneField(
        Plan, verbose_name=_("evaluation plan"), on_delete=models.PROTECT, related_name="session"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RESULTS, db_index=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("created"), default=timezone.now)
    imported_at = models.DateTimeField(_("results imported"), null=True, blank=True)
    # Results publicity (公示) through the generic notices, at least 5 working days; then the report within 10
    # working days after it (桂人社函〔2020〕203号 三（五）), which the HR bureau approves or returns.
    notice = models.ForeignKey(
        Notice, verbose_name=_("results notice"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    publicised_on = models.DateField(_("publicity ended"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    decided_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    return_reasons = models.TextField(_("reasons for returning the results"), blank=True)
    # The agency's answer to a return: what it corrected, or why no result changes (shown to the HR bureau).
    answer = models.TextField(_("answer to the return"), blank=True)
    # The due date of the report for which the agency and the HR bureau were told it is overdue: once per report
    # (a report due again after a corrected publicity is told again when it too is late).
    overdue_notified_for = models.DateField(_("overdue notice sent for the report due"), null=True, blank=True)

    class Meta:
        ordering = ["-plan__first_day", "-pk"]
        verbose_name = _("evaluation session")
        verbose_name_plural = _("evaluation sessions")

    def __str__(self) -> str:
        return str(self.plan)

    @property
    def exam_day(self):
        return self.plan.first_day

    def report_overdue(self, today) -> bool:
        return self.status == self.Status.PUBLICISED and self.report_due is not None and today > self.report_due


class Candidate(models.Model):
    """A candidate of a session with their results, as imported (one row of the results workbook)."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="candidates")
    row = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name"), max_length=50)
    id_cipher = models.BinaryField(_("ID number (encrypted)"))
    id_hash = models.CharField(_("ID number hash"), max_length=64, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    work_type = models.CharField(_("work type"), max_length=50, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    # The candidate's employer, and whether it is a key security unit (治安保卫重点单位, designated by a people's
    # government at county level or above): the reports count the certificates its staff obtain (陕公通字〔2023〕64号
    # 四（二）: 治安保卫重点单位保卫管理员获取证书…情况).
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    key_unit = models.BooleanField(_("employed by a key security unit"), default=False)
    guard_card_number = models.CharField(_("security-guard card number"), max_length=30, blank=True)
    guard_card_date = models.DateField(_("security-guard card issued"), null=True, blank=True)
    theory_score = models.DecimalField(_("theory"), max_digits=4, decimal_places=1, null=True, blank=True)
    skill_score = models.DecimalField(_("skill"), max_digits=4, decimal_places=1, null=True, blank=True)
    review_score = models.DecimalField(_("comprehensive review"), max_digits=4, decimal_places=1, null=True, blank=True)
    defence_score = models.DecimalField(_("thesis defence"), max_digits=4, decimal_places=1, null=True, blank=True)
    theory_exempt = models.BooleanField(_("exempt from theory"), default=False)
    passed = models.BooleanField(_("passed"), default=False)
    # An objection against the result was upheld during the publicity: no certificate until it is re-evaluated.
    withheld = models.BooleanField(_("withheld after an objection"), default=False)
    # Changed by a correction after the HR bureau returned the results: publicised again (only these rows), then
    # reported. Cleared by the bureau's next decision; ``previous_results`` keeps what each correction replaced.
    corrected = models.BooleanField(_("corrected after a return"), default=False)
    previous_results = models.JSONField(_("results before correction"), default=list, blank=True)
    # Optional photo printed on the electronic certificate (JPEG or PNG, checked by content).
    photo = models.FileField(_("photo"), upload_to="certificates/photos/%Y/%m/", blank=True)

    class Meta:
        ordering = ["session", "row"]
        constraints = [models.UniqueConstraint(fields=["session", "id_hash"], name="one_candidate_per_session")]
        # A session's candidates in their order, a page at a time, and counted with those passed and corrected from
        # the index alone (PostgreSQL's INCLUDE; other databases index the two keys): issue 16 item 4.
        indexes = [
            models.Index(fields=["session", "row"], include=["passed", "corrected"], name="candidate_session_row")
        ]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked})"


class Certificate(models.Model):
    """A skill-level certificate (职业技能等级证书), numbered by the national rule; verifiable by anyone."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="certificate")
    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(_("holder"), max_length=50)
    id_hash = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18)
    occupation = models.ForeignKey(Occupation, verbose_name=_("occupation"), on_delete=models.PROTECT)
    work_type = models.CharField(_("work type"), max_length=50, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The electronic certificate, rendered by Celery after issue (certificates.tasks.render_certificates).
    pdf = models.FileField(_("electronic certificate"), upload_to="certificates/%Y/%m/", blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            # 一人多证: one valid certificate per person, occupation and level, whichever agency issued it.
            models.UniqueConstraint(
                fields=["id_hash", "occupation", "level"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_person_and_level",
            )
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


class Tally(models.Model):
    """How many certificates a session issued of an occupation, level and month, and how many of them are revoked:
    the statistics page adds these up instead of counting a million certificates on each request (issue 16).
    Written with the certificates by ``certificates_issue`` and ``certificate_revoke``."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="tallies")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    month = models.DateField(help_text=_("The first day of the month of issue."))
    total = models.PositiveIntegerField(default=0)
    revoked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "occupation", "level", "month"], name="one_tally_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.occupation_id} {self.level} {self.month:%Y-%m}: {self.total}"


class SessionCounts(models.Model):
    """A session's counts as its page shows them above the candidates: candidates, those passed and those corrected,
    certificates issued (revoked ones included) and those rendered (with their PDF). Read instead of counting the
    session's rows on each request: a session of a million candidates took 380 ms to count (issue 16 item 4).

    Kept by the services that write the rows, in the same transaction, with ``F()`` expressions
    (``certificates.services.common.counts_add``): the import and the correction, the bureau's decision, the issue,
    the rendering task, a revocation and a photo (both render the certificate again). Data written around the
    services (the load harness's SQL, a test's shortcut) is counted again by ``tallies_rebuild``; a session without
    its row (written around ``session_create``) is counted afresh (``certificates.selectors.session_counts``)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, primary_key=True, related_name="counts")
    candidates = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    corrected = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    rendered = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.session_id}: {self.candidates} candidates, {self.issued} certificates"


class NumberCounter(models.Model):
    """The last serial number an agency gave in a year: locked while a certificate is numbered, so numbers are
    unique and without gaps even when two issues run at once."""

    entry = models.ForeignKey(DirectoryEntry, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "year"], name="one_counter_per_agency_year")]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.year}: {self.last}"


class ImportAttempt(models.Model):
    """An uploaded results workbook, checked by a Celery task (``certificates.tasks.check_results``): imported
    whole, or refused whole with its errors marked in a copy. A correction (after a return) holds only the rows
    to correct, found by ID number among the session's candidates."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being checked")
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Refused: errors to correct")

    class Kind(models.TextChoices):
        RESULTS = "results", _("Results")
        CORRECTION = "correction", _("Correction after a return")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RESULTS)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("uploaded"), default=timezone.now)
    filename = models.CharField(_("file"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    errors = models.JSONField(_("errors"), default=list)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The uploaded workbook with each bad cell filled red and commented (refused imports only).
    marked = models.BinaryField(null=True, blank=True)
    # The uploaded workbook while the task checks it (it holds ID numbers in clear: deleted once checked).
    upload = models.FileField(upload_to="certificates/uploads/", blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # What is wrong with the file itself (not a workbook, no header row): no marked copy then.
    file_error = models.CharField(_("file error"), max_length=300, blank=True)
    # Rows whose result a correction changed; for a results import, the earlier results it replaced.
    changed = models.PositiveIntegerField(_("results changed"), default=0)
    # The one-time token of the form that sent it: the same form sent again (a double click) is this upload.
    token = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"


class Verification(models.Model):
    """One public verification (page or API), logged whether it found something or not. What was typed is not
    kept beyond the certificate number: neither the name nor the ID number."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=4, choices=Channel.choices)
    by_id_number = models.BooleanField(_("by ID number"), default=False)
    number = models.CharField(_("number asked"), max_length=40, blank=True)
    found = models.BooleanField(_("found"))
    certificate = models.ForeignKey(Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    limited = models.BooleanField(_("refused by the rate limit"), default=False)

    class Meta:
        ordering = ["-time", "-pk"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.channel} {self.found}"
