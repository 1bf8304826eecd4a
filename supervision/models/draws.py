"""Random inspection draws (双随机一公开): an official defines a pool of agencies and a pool of inspectors, the
numbers N and M and the public source of the seed; the inputs are published; the draw is made when the source
has produced its value, and anyone can reproduce it with the published stand-alone script
(``portal/lib/randomdraw.py``). Each drawn agency gets an inspection led by its first drawn inspector."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Department, Region, User


class Draw(models.Model):
    class Status(models.TextChoices):
        DEFINED = "defined", _("Inputs published, awaiting the seed value")
        DRAWN = "drawn", _("Drawn")

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, verbose_name=_("defined by"), on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("defined"), default=timezone.now)
    # What defined the pools (for the record): city, occupation, status, evaluations in a period.
    filters = models.JSONField(_("filters"), default=dict)
    agency_ids = models.JSONField(_("agency pool"), default=list)
    inspector_ids = models.JSONField(_("inspector pool"), default=list)
    conflicts = models.JSONField(_("conflicts"), default=list)
    n = models.PositiveSmallIntegerField(_("agencies to draw (N)"))
    m = models.PositiveSmallIntegerField(_("inspectors per agency (M)"))
    seed_source = models.CharField(_("source of the seed (fixed in advance)"), max_length=300)
    # The day the source publishes its value: no draw before it (a typed value would not be the public one).
    # Empty on draws defined before the date was asked for.
    seed_published_on = models.DateField(_("seed value published on"), null=True, blank=True)
    seed_value = models.CharField(_("value of the seed source"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DEFINED)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    drawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    picks = models.JSONField(_("picks"), default=list, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("random inspection draw")
        verbose_name_plural = _("random inspection draws")

    def __str__(self) -> str:
        return self.title

    def seed_pending(self, today) -> bool:
        """The seed source has not published its value yet: drawing now would use a value nobody can check."""
        return self.seed_published_on is not None and today < self.seed_published_on

    def inputs(self) -> dict:
        """The published inputs, exactly what the stand-alone script reads."""
        return {
            "agencies": sorted(self.agency_ids),
            "inspectors": sorted(self.inspector_ids),
            "conflicts": sorted([list(pair) for pair in self.conflicts]),
            "n": self.n,
            "m": self.m,
            "seed_source": self.seed_source,
            "seed_value": self.seed_value,
        }
