"""Scoped reads of agencies: the one place that decides which organisations a user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from agencies.models import Occupation, Organisation
from portal.models import Role, User


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """An agency user sees their own organisation; an official, those registered in their jurisdiction;
    an admin, all; anyone else, none."""
    organisations = Organisation.objects.select_related("region")
    if not user.is_authenticated:
        return organisations.none()
    if user.role == Role.ADMIN:
        return organisations
    if user.role == Role.AGENCY:
        return organisations.filter(pk=user.organisation_id)
    if user.jurisdiction is not None:
        return organisations.filter(region__path__startswith=user.jurisdiction.path)
    return organisations.none()


def occupations_active() -> QuerySet[Occupation]:
    return Occupation.objects.filter(active=True)
