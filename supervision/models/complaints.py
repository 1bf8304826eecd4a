"""Complaints and reports (投诉举报) from anyone, about a filed agency or one of its evaluations: routed to the HR
bureau of the agency's city, answered within a number of working days, followed with a tracking code.

The Guangxi 2020 pilot notice, 四（一）: 构建政府监管、机构自律、社会监督和公众参与的监管体系……受理投诉举报并核实处理。
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import DirectoryEntry
from portal.lib.tracking import tracking_code_display
from portal.models import Department, StoredUpload, User
from supervision.models.plans import Plan


class Complaint(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACCEPTED = "accepted", _("Accepted")
        INVESTIGATING = "investigating", _("Under investigation")
        CONCLUDED = "concluded", _("Concluded")
        REPLIED = "replied", _("Replied")
        DECLINED = "declined", _("Not accepted")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Complaint upheld")
        NOT_UPHELD = "not_upheld", _("Complaint not upheld")

    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="complaints"
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("evaluation"), null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    happened_on = models.DateField(_("when it happened"))
    content = models.TextField(_("what happened"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    name = models.CharField(_("name"), max_length=50, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=32, unique=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created = models.DateTimeField(_("received"), default=timezone.now)
    # The HR bureau of the agency's city (None when the city has none: the province's centre handles it).
    department = models.ForeignKey(
        Department, verbose_name=_("handled by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("reply due"))
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    conclusion = models.TextField(_("findings of the investigation"), blank=True)
    reply = models.TextField(_("reply to the complainant"), blank=True)
    handler = models.ForeignKey(
        User, verbose_name=_("handler"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="complaint_status_deadline")]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return _("Complaint %(pk)s") % {"pk": self.pk} + f" · {self.entry.organisation.name}"

    @property
    def tracking_code_display(self) -> str:
        return tracking_code_display(self.tracking_code)

    @property
    def open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.ACCEPTED, self.Status.INVESTIGATING)

    def overdue_on(self, today) -> bool:
        return self.status not in (self.Status.REPLIED, self.Status.DECLINED) and today > self.deadline


class ComplaintAttachment(StoredUpload):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")


class ComplaintEvent(models.Model):
    """The history of a complaint: received, accepted, investigated, concluded, replied."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=15, choices=Complaint.Status.choices)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    time = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["time", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.status}"
