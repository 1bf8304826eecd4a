"""Writes of the portal core."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from portal.lib.http import client_ip
from portal.models import AuditEvent, User


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    username: str = "",
    result: str = AuditEvent.Result.SUCCESS,
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one event to the audit log; the actor defaults to the request's signed-in user."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        username=actor.username if actor else username[:150],
        role=actor.role if actor else "",
        ip=client_ip(request),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        result=result,
        detail=detail,
    )
