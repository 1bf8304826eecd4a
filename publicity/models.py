"""Public notices (公示) and the objections (异议) raised against what they publish.

A notice is generic over what it publicises: each ``NoticeItem`` points at its subject through a content type
(a filing application selected by the centre today, an evaluation's results tomorrow). What publishing,
upholding an objection and closing do to a subject is the business of the app that owns the subject, which
registers a handler for its ``kind`` (``publicity.subjects``); this app never imports it.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.tracking import tracking_code_display
from portal.models import Region, StoredUpload, User


class Notice(models.Model):
    """A public notice with an objection window in working days."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    # What the notice publicises: the key of a registered subject handler ("filing_selection", ...).
    kind = models.CharField(_("kind"), max_length=30, db_index=True)
    # The jurisdiction of the department that manages it (the centre's province for a filing selection).
    region = models.ForeignKey(Region, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+")
    # A line under the title naming what the notice comes from (the call, the evaluation).
    subtitle = models.CharField(_("subject"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    window_days = models.PositiveSmallIntegerField(_("objection window (working days)"), default=5)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    opens_on = models.DateField(_("window opens"), null=True, blank=True)
    closes_on = models.DateField(_("window closes"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(User, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+")
    # The official who published it: the actor of the automatic closing when the window has passed.
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes = [models.Index(fields=["status", "closes_on"], name="notice_due")]

    def __str__(self) -> str:
        return self.title


class NoticeItem(models.Model):
    """One subject on a notice, with the name it was published under."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("name"), max_length=200)
    # Taken off the notice by an upheld objection; it stays listed, struck through, for the record.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["notice", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "content_type", "object_id"], name="unique_notice_subject")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="notice_item_subject")]
        verbose_name = _("notice entry")
        verbose_name_plural = _("notice entries")

    def __str__(self) -> str:
        return self.label

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


# Tracking codes: ``portal.lib.tracking`` (shared with supervision's complaints).


class Objection(models.Model):
    """An objection raised by anyone during a notice's window; followed with its tracking code."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being handled")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="objections")
    item = models.ForeignKey(
        NoticeItem, verbose_name=_("objected to"), on_delete=models.PROTECT, related_name="objections"
    )
    name = models.CharField(_("name"), max_length=50)
    contact = models.CharField(_("contact"), max_length=100)
    content = models.TextField(_("content"))
    tracking_code = models.CharField(_("tracking code"), max_length=32, unique=True)
    created = models.DateTimeField(_("raised"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reply = models.TextField(_("reply"), blank=True)
    handled_by = models.ForeignKey(
        User, verbose_name=_("handled by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def tracking_code_display(self) -> str:
        """The code in groups of four (ABCD-EFGH-JKMN), easier to read out and to type."""
        return tracking_code_display(self.tracking_code)


class ObjectionAttachment(StoredUpload):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
