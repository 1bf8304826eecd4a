"""The agency's credit record (信用档案) and the sanctions decided on it (退出机制): warning, order to rectify,
suspension with an end date (or lifted earlier), removal from the directory — each with its basis (the clause
quoted), the deciding department, a numbered decision document (PDF) and an audit row.

The Guangxi 2020 pilot notice, 四（一）: 建立信用档案和退出机制，对违规失信、恶意竞争、管理失序的试点机构，移出目录，
取消试点资格。
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import DirectoryEntry
from portal.models import Department, StoredUpload, User
from supervision.models.inspections import Rectification


class Sanction(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        RECTIFICATION = "rectification", _("Order to rectify")
        SUSPENSION = "suspension", _("Suspension")
        REMOVAL = "removal", _("Removal from the directory")

    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("sanction"), max_length=15, choices=Kind.choices)
    number = models.CharField(_("decision number"), max_length=60, unique=True)
    facts = models.TextField(_("facts found"))
    basis = models.TextField(_("basis (the clause quoted)"))
    department = models.ForeignKey(
        Department, verbose_name=_("deciding department"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(User, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    # An order to rectify: the day by which the agency reports its rectification.
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    # A suspension: its last day; lifted earlier by a decision, or at its end by the nightly task.
    until = models.DateField(_("suspended until"), null=True, blank=True)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, verbose_name=_("lifted by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)
    # Where it came from, when it came from a record of the chain (an upheld complaint, an inspection).
    complaint = models.ForeignKey(
        "supervision.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    rectification = models.ForeignKey(
        "supervision.Rectification",
        verbose_name=_("escalated rectification order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    # An order to rectify (责令整改) is answered as an inspection's rectification order is: the agency reports its
    # rectification (text, a PDF if it has one) by ``rectify_by``; the deciding office closes the order or
    # escalates it to a further sanction. Empty for the other kinds.
    report_status = models.CharField(
        _("rectification report"), max_length=10, choices=Rectification.Status.choices, blank=True
    )
    report_text = models.TextField(_("the agency's rectification report"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.ForeignKey(
        User, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_checked_by = models.ForeignKey(
        User, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    report_note = models.TextField(_("the deciding office's note"), blank=True)
    # The order to rectify whose escalation this decision follows.
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows the order to rectify"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
    )
    created = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def suspension_in_force(self) -> bool:
        return self.kind == self.Kind.SUSPENSION and self.lifted_on is None


class SanctionReportFile(StoredUpload):
    """The PDF an agency attaches to its rectification report on an order to rectify."""

    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="report_files")
    uploaded = models.DateTimeField(_("uploaded"), default=timezone.now)


class CreditRecord(models.Model):
    """One line of an agency's credit record: an upheld complaint, an inspection finding, an upheld objection,
    a sanction. Written by the services that decide them; never edited."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Upheld complaint")
        FINDING = "finding", _("Inspection finding")
        OBJECTION = "objection", _("Upheld objection")
        SANCTION = "sanction", _("Sanction")

    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="credit_records"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    recorded_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sanction = models.ForeignKey(
        Sanction, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_records"
    )
    complaint = models.ForeignKey(
        "supervision.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_records"
    )
    finding = models.ForeignKey(
        "supervision.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_records"
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")

    def __str__(self) -> str:
        return f"{self.entry} {self.get_kind_display()} {self.recorded_on}"
