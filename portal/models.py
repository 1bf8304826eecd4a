"""Cross-cutting core: users and their roles, regions, departments, the audit log and calendar overrides."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.uploads import attachment_upload_to


class Role(models.TextChoices):
    AGENCY = "agency", _("Evaluation agency")
    CITY_HR = "city_hr", _("City HR bureau")
    CENTRE = "centre", _("Provincial skill-appraisal centre")
    EXPERT = "expert", _("Assessment expert")
    POLICE = "police", _("Public security")
    ADMIN = "admin", _("System administrator")


OFFICIAL_ROLES = (Role.CITY_HR, Role.CENTRE, Role.POLICE)


class Region(models.Model):
    """An administrative division with its GB/T 2260 code; jurisdictions are subtrees of regions."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("450000/450100/"): a jurisdiction is every region whose path starts with it.
    path = models.CharField(max_length=100, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    @property
    def city(self) -> Region:
        """The city (设区市) the region lies in: a county's city; a city or a province stands for itself."""
        node = self
        while node.level == Region.Level.COUNTY and node.parent_id:
            node = node.parent
        return node

    @property
    def full_name(self) -> str:
        return f"{self.parent.full_name}{self.name}" if self.parent else self.name

    @property
    def government(self) -> str:
        """The people's government of the region (南宁市人民政府, 广西壮族自治区人民政府, 南宁市青秀区人民政府):
        where a decision of a department of this region is brought for reconsideration (行政复议法 第二十四条)."""
        if self.level == Region.Level.COUNTY and self.parent_id:
            return f"{self.parent.name}{self.name}人民政府"
        return f"{self.name}人民政府"


class Department(models.Model):
    """A government department; its region is its jurisdiction."""

    class Kind(models.TextChoices):
        HR_BUREAU = "hr_bureau", _("HR and social security department")
        APPRAISAL_CENTRE = "appraisal_centre", _("Skill-appraisal centre")
        PUBLIC_SECURITY = "public_security", _("Public security")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("jurisdiction"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["region__code", "kind"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    # When the password was last set (officials change it every PASSWORD_MAX_AGE_DAYS: portal.lib.passwords).
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True, editable=False)

    # `manage.py createsuperuser` asks the role too (`--role admin`): a superuser without one reached the Django
    # admin but none of the administrator's pages (audit log, lockouts, calendar), which check the role.
    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self) -> None:
        super().clean()
        if self.role == Role.AGENCY and not self.organisation_id:
            raise ValidationError({"organisation": _("An agency user belongs to an organisation.")})
        if self.role in OFFICIAL_ROLES and not self.department_id:
            raise ValidationError({"department": _("An official belongs to a department.")})

    def set_password(self, raw_password: str | None) -> None:
        """Also notes when (a rehash on sign-in saves the password field alone and keeps the date)."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def jurisdiction(self) -> Region | None:
        return self.department.region if self.department_id else None

    def get_full_name(self) -> str:
        """Chinese order: family name first, no space (黄立新)."""
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class WrittenOnce(models.Model):
    """A record that is written once and then never changed or deleted through the model: the audit log, a
    submitted version of an application."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(f"{self._meta.verbose_name} is written once and never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self._meta.verbose_name} is written once and never deleted.")


class StoredUpload(models.Model):
    """An upload checked by content (``portal.lib.uploads``), stored under a generated name and served only
    through a view that checks permission."""

    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class AuditEvent(WrittenOnce):
    """Append-only record of security events and workflow actions."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Sign-in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Sign-out")
        PASSWORD_CHANGE = "password_change", _("Password change")
        LOCKOUT = "lockout", _("Account locked")
        REGISTER = "register", _("Organisation registration")
        EMAIL_VERIFIED = "email_verified", _("E-mail verification")
        USCC_CONFIRMED = "uscc_confirmed", _("Credit code confirmation")
        # Calls, applications and their review (filings.services): every workflow action is recorded too.
        CALL_SAVE = "call_save", _("Call saved")
        CALL_PUBLISH = "call_publish", _("Call published")
        APPLICATION_CREATE = "application_create", _("Application started")
        APPLICATION_SUBMIT = "application_submit", _("Application submitted")
        APPLICATION_WITHDRAW = "application_withdraw", _("Application withdrawn")
        ATTACHMENT_ADD = "attachment_add", _("Material uploaded")
        ATTACHMENT_REMOVE = "attachment_remove", _("Material removed")
        REQUEST_CORRECTION = "application_request_correction", _("Correction requested")
        RECOMMEND = "application_recommend", _("Recommended")
        NOT_RECOMMEND = "application_not_recommend", _("Not recommended")
        GIVE_OPINION = "application_give_opinion", _("Public security opinion given")
        ACCEPT = "application_accept", _("Accepted")
        REFUSE = "application_refuse", _("Not accepted")
        CONCLUDE = "application_conclude", _("Panel concluded")
        SELECT = "application_select", _("Selected")
        NOT_SELECT = "application_not_select", _("Not selected")
        PUBLISH_NOTICE = "application_publish_notice", _("Put on public notice")
        UPHOLD_OBJECTION = "application_uphold_objection", _("Objection upheld")
        CLOSE_NOTICE = "application_close_notice", _("Public notice passed")
        REPORT_TO_MINISTRY = "application_report_to_ministry", _("Reported to the ministry")
        MINISTRY_REJECT = "application_ministry_reject", _("Not approved by the ministry")
        FILE = "application_file", _("Filed")
        PANEL_ASSIGN = "panel_assign", _("Expert assigned")
        PANEL_DRAW = "panel_draw", _("Experts drawn at random")
        PANEL_REMOVE = "panel_remove", _("Expert removed from the panel")
        PANEL_DECLARE = "panel_declare", _("Conflict-of-interest declaration")
        PANEL_SCORE = "panel_score", _("Scores saved")
        REVIEW_RECORD = "review_record", _("Review record added")
        NOTICE_CREATE = "notice_create", _("Notice drafted")
        NOTICE_PUBLISH = "notice_publish", _("Notice published")
        NOTICE_CLOSE = "notice_close", _("Notice closed")
        OBJECTION_RAISE = "objection_raise", _("Objection raised")
        OBJECTION_HANDLE = "objection_handle", _("Objection answered")
        RECEIPT_CREATE = "receipt_create", _("Receipt issued")
        RECEIPT_REGENERATE = "receipt_regenerate", _("Receipt produced again")
        REGISTRATION_SUBMIT = "registration_submit", _("Police registration submitted")
        REGISTRATION_CONFIRM = "registration_confirm", _("Police registration confirmed")
        REGISTRATION_RETURN = "registration_return", _("Police registration returned")
        REGISTRATION_RESUBMIT = "registration_resubmit", _("Police registration answered")
        PLAN_CREATE = "plan_create", _("Evaluation plan created")
        PLAN_SAVE = "plan_save", _("Evaluation plan changed")
        PLAN_SUBMIT = "plan_submit", _("Evaluation plan submitted")
        PLAN_ANNOUNCE = "plan_announce", _("Evaluation announced")
        PLAN_WITHDRAW = "plan_withdraw", _("Evaluation plan withdrawn")
        REPORT_DECIDE = "report_decide", _("Cross-region report answered")
        # Supervision II: complaints, inspections, rectification orders, draws, sanctions.
        COMPLAINT_SUBMIT = "complaint_submit", _("Complaint received")
        COMPLAINT_ACCEPT = "complaint_accept", _("Complaint accepted")
        COMPLAINT_DECLINE = "complaint_decline", _("Complaint not accepted")
        COMPLAINT_INVESTIGATE = "complaint_investigate", _("Complaint investigated")
        COMPLAINT_CONCLUDE = "complaint_conclude", _("Complaint concluded")
        COMPLAINT_REPLY = "complaint_reply", _("Complaint replied")
        INSPECTION_OPEN = "inspection_open", _("Inspection opened")
        FINDING_ADD = "finding_add", _("Inspection finding recorded")
        INSPECTION_COMPLETE = "inspection_complete", _("Inspection completed")
        RECTIFICATION_ANSWER = "rectification_answer", _("Rectification answered")
        RECTIFICATION_CLOSE = "rectification_close", _("Rectification order closed")
        RECTIFICATION_ESCALATE = "rectification_escalate", _("Rectification order escalated")
        DRAW_DEFINE = "draw_define", _("Random draw defined")
        DRAW_PERFORM = "draw_perform", _("Random draw made")
        SANCTION_DECIDE = "sanction_decide", _("Sanction decided")
        SANCTION_LIFT = "sanction_lift", _("Suspension lifted")
        # Results and certificates (certificates.services.Action; translated in certificates' catalogue).
        SESSION_CREATE = "session_create", _("Results session opened")
        RESULTS_IMPORT = "results_import", _("Results imported")
        RESULTS_REFUSED = "results_import_refused", _("Results upload refused")
        RESULTS_PUBLICISE = "results_publicise", _("Results publicised")
        RESULTS_WITHHOLD = "results_withhold", _("Certificate withheld after an objection")
        RESULTS_REPORT = "results_report", _("Results reported")
        RESULTS_APPROVE = "results_approve", _("Results approved")
        RESULTS_RETURN = "results_return", _("Results returned")
        CERTIFICATES_ISSUE = "certificates_issue", _("Certificates issued")
        CERTIFICATE_REVOKE = "certificate_revoke", _("Certificate revoked")
        ID_NUMBER_VIEW = "id_number_view", _("ID number read in clear")
        RESULTS_CORRECT = "results_correct", _("Results corrected after a return")
        RESULTS_RESUBMIT = "results_resubmit", _("Results reported again without change")
        REPORT_OVERDUE = "results_report_overdue", _("Results report overdue: agency and bureau told")
        CANDIDATE_PHOTO = "candidate_photo", _("Candidate photo uploaded")
        PERSONAL_DATA_VIEW = "personal_data_view", _("Personal data of an application viewed")
        APPLICATION_REOPEN = "application_reopen", _("Withdrawn application reopened")
        APPLICATION_RESUBMIT = "application_resubmit", _("Corrected application resubmitted")
        SUBMIT_TO_CENTRE = "application_submit_to_centre", _("Application submitted to the centre")
        # Work reports (reports.services, reports.views).
        WORK_REPORT_GENERATE = "report_generate", _("Work report generated")
        WORK_REPORT_FILL = "report_fill", _("Work report text saved")
        WORK_REPORT_SUBMIT = "report_submit", _("Work report submitted")
        WORK_REPORT_DOWNLOAD = "report_download", _("Work report downloaded")
        DRAFT_SAVE = "draft_save", _("Draft saved")
        ADMIN_CHANGE = "admin_change", _("Change in the administration site")
        # Security events: refusals worth an administrator's eye.
        UPLOAD_REJECTED = "upload_rejected", _("Upload refused")
        ACCESS_DENIED = "access_denied", _("Access refused")

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # PROTECT: a user with audit rows is deactivated, never deleted (the rows cannot change: portal.lib.auditchain).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Kept as typed so that a failed sign-in for an unknown name and a deleted user stay readable.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    detail = models.TextField(_("detail"), blank=True)
    # The chain (portal.lib.auditchain): the row's place, the previous row's MAC and its own HMAC-SM3.
    seq = models.BigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    prev_mac = models.CharField(_("previous MAC"), max_length=64, blank=True, editable=False)
    mac = models.CharField(_("MAC"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    @property
    def action_label(self) -> str:
        return str(self.Action(self.action).label) if self.action in self.Action.values else self.action


class AuditChainHead(models.Model):
    """The one row that says where the audit chain ends: locked by every writer, so that two transactions
    never chain to the same row; and where archived rows ended (``archived_seq``, ``archived_mac``), so the
    chain of the rows left in the table starts from a known MAC."""

    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)
    archived_seq = models.BigIntegerField(default=0)
    archived_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit chain at {self.seq}"


class WorkdayOverride(models.Model):
    """An admin-entered exception to the holiday calendar: a holiday, or an adjusted working weekend day."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("holiday")
        return f"{self.date} {kind}"


class Notification(models.Model):
    """A message in one user's inbox, e-mailed too when the user has an address; every workflow step sends some.

    Subject and body are stored already rendered (in ``settings.LANGUAGE_CODE``), so the inbox shows what the
    e-mail said."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    # A path inside the portal ("/filings/12/"), never an absolute URL: the e-mail prefixes PORTAL_BASE_URL.
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # A to-do asks for work: it stays in the inbox's to-do tab, read or not, until the work is done (``done_at``,
    # set by ``notifications_done``). Any other message leaves the tab once read.
    todo = models.BooleanField(_("to-do"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        ordering = ["-created", "-id"]
        # The navbar's unread count and the inbox both filter on the recipient.
        indexes = [models.Index(fields=["recipient", "read_at"], name="portal_notification_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class RenderedDocument(models.Model):
    """A PDF rendered once and served from storage afterwards (``portal.services.document_stored``): a submitted
    version of an application with the opinions printed on it, a published notice. ``key`` is what the
    document shows beyond its object's fixed content (the opinions): a new key is a new document."""

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    key = models.CharField(_("content key"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/", max_length=200)
    created = models.DateTimeField(_("rendered"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "key"], name="unique_rendered_document"),
        ]
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
