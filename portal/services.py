"""Writes of the portal core."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from portal.lib.http import client_ip, current_request
from portal.models import AuditEvent, Notification, RenderedDocument, User
from portal.tasks import send_notification_email

logger = logging.getLogger(__name__)


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
    """Append one event to the audit log; the actor defaults to the request's signed-in user.

    ``request`` defaults to the request being answered (``portal.lib.http.current_request``), so that every row
    written while answering one carries the client's address, whether or not the service was handed it."""
    if request is None:
        request = current_request()
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


def audit_text(message: str, **params) -> str:
    """``message`` (a lazy msgid) in the portal's language, whatever the request's, with ``params``: the detail
    of an audit row is stored, to be read later by an administrator in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
        return text % params if params else text


def security_event(*, action: str, detail: str = "", obj: models.Model | None = None) -> None:
    """Record a refusal (an upload refused by its content, access refused with 403) in the audit log.

    These are what a client sent: outside a request (a command, a task) there is nothing to record. A refusal
    usually rolls back the transaction it happened in, and an audit row written inside it would go with it: the
    row is kept until the request is answered and written then (``portal.middleware.RequestContext``)."""
    request = current_request()
    if request is None:
        return
    pending = request.__dict__.setdefault("_security_events", [])
    pending.append({"action": action, "detail": detail, "obj": obj})


def security_events_flush(request: HttpRequest) -> None:
    for event in request.__dict__.pop("_security_events", []):
        audit_record(
            action=event["action"],
            request=request,
            result=AuditEvent.Result.FAILURE,
            detail=event["detail"],
            obj=event["obj"],
        )


def document_stored(*, kind: str, object_id: int | str, render: Callable[[], bytes], name: str, key: str = ""):
    """The stored PDF of ``kind`` and ``object_id`` showing ``key``; rendered by ``render`` and stored the first
    time it is asked for, served from storage after that. A document that never changes (a submitted version
    as its reviewers have marked it, a published notice) is rendered once, not on every download.

    Two requests rendering the same document at once both render; the first to store it wins, and the other
    serves the stored one."""
    found = RenderedDocument.objects.filter(kind=kind, object_id=str(object_id), key=key).first()
    if found is not None and found.file.storage.exists(found.file.name):
        return found.file
    content = ContentFile(render(), name=name)
    if found is not None:  # the row outlived its file (storage restored from an older backup): render again
        found.file.save(name, content)
        return found.file
    try:
        with transaction.atomic():
            document = RenderedDocument.objects.create(kind=kind, object_id=str(object_id), key=key, file=content)
    except IntegrityError:
        document = RenderedDocument.objects.get(kind=kind, object_id=str(object_id), key=key)
    return document.file


def content_key(*parts: str) -> str:
    """A short fixed-length key for what a document shows beyond its object (``document_stored``)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest() if any(parts) else ""


def notify(*, users: Iterable[User], subject: str, body: str, link: str = "") -> list[Notification]:
    """Put the message in the inbox of each distinct active user, and e-mail it, once the transaction commits,
    to those who have an address.

    ``subject`` and ``body`` are stored as given, so render them in ``settings.LANGUAGE_CODE`` first; the body says
    what happened and what to do next. ``link`` is a path inside the portal (``reverse(...)``)."""
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"A notification links to a path inside the portal, not {link!r}.")
    recipients = {user.pk: user for user in users if user.is_active}
    notifications = [
        Notification.objects.create(recipient=user, subject=subject, body=body, link=link)
        for user in recipients.values()
    ]
    for notification in notifications:
        if notification.recipient.email:
            transaction.on_commit(partial(notification_email_enqueue, notification.pk))
    return notifications


def notification_email_enqueue(notification_id: int) -> bool:
    """Queue the e-mail of a notification. A broker that cannot be reached never fails the request that has
    already committed: the row stays un-e-mailed and ``notification_emails_sweep`` sends it later."""
    try:
        send_notification_email.apply_async(
            (notification_id,), retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.3}
        )
    except Exception:  # kombu OperationalError, redis ConnectionError, OSError: the broker is down
        logger.warning("E-mail of notification %s not queued; the sweeper will.", notification_id, exc_info=True)
        return False
    return True


def notification_emails_sweep(older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Queue again the e-mails of notifications that were never sent (the broker was down, say)."""
    pending = Notification.objects.filter(
        emailed=False, created__lt=timezone.now() - older_than, recipient__email__gt=""
    ).values_list("pk", flat=True)
    return sum(notification_email_enqueue(pk) for pk in pending[:500])


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return user.notifications.filter(read_at=None).update(read_at=timezone.now())
