"""Evaluation agencies (organisations) and the occupation catalogue."""

from __future__ import annotations

from django.db import models
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
    levels = models.JSONField(
        _("levels"), default=list, help_text=_("Skill levels offered, 1 (highest) to 5.")
    )
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

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
