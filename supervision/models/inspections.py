"""On-site quality supervision (现场质量督导): an inspection of an agency or one of its evaluations, with a
checklist, findings, photos taken on a phone and a rating. A finding may carry a rectification order with a
deadline in working days; the agency answers with evidence; the inspector closes it or escalates it to a
sanction.

The Guangxi security-manager call: 加强评价机构及其评价活动监督和指导，开展现场质量督导。
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import DirectoryEntry
from portal.models import Department, StoredUpload, User
from supervision.models.complaints import Complaint
from supervision.models.plans import Plan

# The checklist of an evaluation site (the norms of the seeds: identity checks, seat spacing, video
# surveillance, examiners present and qualified, sealed papers, the internal quality supervisor, the
# candidates' notice, and the Wuxi norm of video connected to the management system).
CHECKLIST: list[tuple[str, str]] = [
    ("identity", _("Candidates' identity checked against their ID cards")),
    ("seating", _("Seats spaced and numbered as the exam rules require")),
    ("video", _("Video surveillance running in every exam room")),
    ("video_linked", _("Video connected in real time to the management system")),
    ("examiners", _("Examiners present, at least 3, with their qualifications")),
    ("supervisor", _("Internal quality supervisor present and not examining")),
    ("papers", _("Papers sealed and opened in front of the candidates")),
    ("notice", _("Exam rules and the complaint channel posted for candidates")),
]


class Inspection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        COMPLETED = "completed", _("Completed")

    class Rating(models.TextChoices):
        GOOD = "good", _("Good")
        ADEQUATE = "adequate", _("Adequate")
        POOR = "poor", _("Poor")

    class Source(models.TextChoices):
        SPECIAL = "special", _("Special inspection")
        COMPLAINT = "complaint", _("Following a complaint")
        RANDOM = "random", _("Random inspection draw")

    entry = models.ForeignKey(
        DirectoryEntry, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="inspections"
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("evaluation"), null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    draw = models.ForeignKey(
        "supervision.Draw",
        verbose_name=_("random inspection draw"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    source = models.CharField(_("occasion"), max_length=10, choices=Source.choices, default=Source.SPECIAL)
    inspector = models.ForeignKey(User, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    # Who inspects: the one who opened it, or the inspectors a random draw picked (from any city of the draw).
    team = models.ManyToManyField(User, verbose_name=_("inspectors"), related_name="inspection_teams", blank=True)
    visited_on = models.DateField(_("visited on"))
    # {code: {"result": "ok" | "fail" | "na", "note": "..."}} for the codes of CHECKLIST.
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(_("created"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return _("Inspection %(pk)s") % {"pk": self.pk} + f" · {self.entry.organisation.name}"

    def checklist_rows(self) -> list[dict]:
        return [
            {"code": code, "label": label, **self.checklist.get(code, {"result": "", "note": ""})}
            for code, label in CHECKLIST
        ]


class InspectionPhoto(StoredUpload):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    taken = models.DateTimeField(_("uploaded"), default=timezone.now)


class Finding(models.Model):
    """A problem found on site; it enters the agency's credit record."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("finding"))
    created = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]


class Rectification(models.Model):
    """A rectification order (整改通知) on a finding: the agency answers with evidence by the deadline; the
    inspector closes it or escalates it (to a sanction)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting the agency's answer")
        ANSWERED = "answered", _("Answered, to be verified")
        CLOSED = "closed", _("Closed: rectified")
        ESCALATED = "escalated", _("Escalated to a sanction")

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="rectification")
    requirement = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("rectify by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    ordered_by = models.ForeignKey(User, verbose_name=_("ordered by"), on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField(_("ordered"), default=timezone.now)
    answer = models.TextField(_("the agency's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("closed"), null=True, blank=True)
    note = models.TextField(_("inspector's note"), blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")

    def __str__(self) -> str:
        return str(_("Rectification order %(pk)s") % {"pk": self.pk})

    @property
    def inspection(self) -> Inspection:
        return self.finding.inspection


class RectificationEvidence(StoredUpload):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence")
