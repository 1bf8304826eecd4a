"""Writes of the portal core."""

from __future__ import annotations

import datetime as dt
import enum
import gzip
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from portal.lib import auditchain
from portal.lib.http import client_ip, current_request
from portal.models import AuditChainHead, AuditEvent, Notification, RenderedDocument, User
from portal.tasks import send_notification_email, send_password_reset_email

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
    event = AuditEvent(
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
    # Chained to the previous row under the lock of the chain's head, so that concurrent writers queue here
    # rather than both chaining to the same row (the lock is held until the caller's transaction ends).
    with transaction.atomic():
        head = audit_chain_head()
        event.seq, event.prev_mac = head.seq + 1, head.mac
        event.mac = auditchain.mac_of({name: getattr(event, name) for name in auditchain.FIELDS})
        event.save()
        head.seq, head.mac = event.seq, event.mac
        head.save(update_fields=["seq", "mac"])
    return event


def audit_chain_head() -> AuditChainHead:
    """The chain's head row, locked (created on first use)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


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


def notify(*, users: Iterable[User], subject: str, body: str, link: str = "", todo: bool = False) -> list[Notification]:
    """Put the message in the inbox of each distinct active user, and e-mail it, once the transaction commits,
    to those who have an address.

    ``subject`` and ``body`` are stored as given, so render them in ``settings.LANGUAGE_CODE`` first; the body says
    what happened and what to do next. ``link`` is a path inside the portal (``reverse(...)``). ``todo``: the message
    asks for work that ``notifications_done`` (same link) later marks done; it waits in the inbox until then."""
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"A notification links to a path inside the portal, not {link!r}.")
    recipients = {user.pk: user for user in users if user.is_active}
    notifications = [
        Notification.objects.create(recipient=user, subject=subject, body=body, link=link, todo=todo)
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


class PasswordChangeWay(enum.StrEnum):
    """How a password was changed, said in its holder's notice (``password_changed_notify``)."""

    RESET_LINK = "reset_link"
    CHANGE_PAGE = "change_page"


def password_changed_notify(*, user: User, way: PasswordChangeWay) -> list[Notification]:
    """Tell the account's holder that its password has just been changed, and how: with a reset link (which only
    the account's mailbox receives) or on the change page (signed in). In the inbox, and by e-mail after the
    commit (``notify``). Someone whose password another person reset learns it, that the mailbox may be in other
    hands too, and whom to call."""
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "time": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "contact": settings.PORTAL_SUPPORT_CONTACT or gettext("the portal's administrator"),
        }
        subject = gettext("Your password has been changed")
        if way == PasswordChangeWay.RESET_LINK:
            body = gettext(
                "Your password was changed on %(time)s with a reset link e-mailed to the account's address. If it "
                "was not you, your mailbox may be in other hands too: contact %(contact)s at once."
            )
        elif way == PasswordChangeWay.CHANGE_PAGE:
            body = gettext(
                "Your password was changed on %(time)s on the Change password page, signed in to your account. If "
                "it was not you, contact %(contact)s at once."
            )
        else:
            raise ValueError(f"unknown way of changing a password: {way!r}")
    return notify(users=[user], subject=subject, body=body % params)


RESET_SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
RESET_BODY_TEMPLATE = "registration/password_reset_email.txt"


def password_reset_email_queue(*, email: str) -> None:
    """Queue the e-mail of a reset link to ``email`` once the transaction commits, in the request's language.

    Queued for any address, known or not: the task looks the accounts up, so the request does the same work
    whatever the address (neither its page nor its time tells whether an account has it). A broker that cannot
    be reached is logged, not shown: the user asks again."""
    language = translation.get_language() or settings.LANGUAGE_CODE

    def enqueue():
        try:
            send_password_reset_email.apply_async(
                (email, language),
                retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.3},
            )
        except Exception:  # kombu OperationalError, redis ConnectionError, OSError: the broker is down
            logger.warning("A password reset e-mail was not queued.", exc_info=True)

    transaction.on_commit(enqueue)


def password_reset_email_send(*, email: str, language: str) -> None:
    """Django's reset e-mail (``PasswordResetForm``: active accounts with a usable password and this address),
    its link built from PORTAL_BASE_URL, in ``language``. A mail server that refuses is logged by Django."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    base = urlsplit(settings.PORTAL_BASE_URL)
    with translation.override(language):
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            subject_template_name=RESET_SUBJECT_TEMPLATE,
            email_template_name=RESET_BODY_TEMPLATE,
            extra_email_context={
                "base_url": settings.PORTAL_BASE_URL,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_done(*, users: Iterable[User], link: str) -> int:
    """The work these users were told of at ``link`` is done (by them or a colleague): their unread messages
    about it are marked done (and read), so the inbox and its count no longer hold a to-do that waits for nobody."""
    now = timezone.now()
    return Notification.objects.filter(recipient__in=list(users), link=link, done_at=None).update(
        done_at=now, read_at=Coalesce("read_at", models.Value(now, output_field=models.DateTimeField()))
    )


def notifications_mark_all_read(*, user: User) -> int:
    return user.notifications.filter(read_at=None).update(read_at=timezone.now())


def _chain_row(event: AuditEvent | dict) -> dict:
    get = event.get if isinstance(event, dict) else partial(getattr, event)
    return {name: get(name) for name in ("id", *auditchain.FIELDS, "mac")}


def audit_chain_verify(*, archives: Iterable[Path] = ()) -> auditchain.Break | None:
    """Verify the audit chain: the archive files given (oldest first), then the rows in the table; the first
    break, or None when every row is where it was written, as it was written."""
    start = ""
    for path in archives:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows = [_archived_row(json.loads(line)) for line in lines]
        if rows and not start:
            start = rows[0]["prev_mac"]
        found = auditchain.verify(rows, start_mac=start)
        if found:
            return found
        start = rows[-1]["mac"] if rows else start
    outside = AuditEvent.objects.filter(seq=None).order_by("id").first()
    if outside is not None:  # written around audit_record, straight into the table
        return auditchain.Break(0, outside.pk, "it is not in the chain (no sequence number)")
    head = AuditChainHead.objects.filter(pk=1).first()
    if not start and head is not None:
        start = head.archived_mac
    rows = (_chain_row(event) for event in AuditEvent.objects.exclude(seq=None).order_by("seq").iterator())
    return auditchain.verify(rows, start_mac=start)


def _archived_row(row: dict) -> dict:
    row["time"] = dt.datetime.fromisoformat(row["time"])
    return row


def audit_archive(*, now: dt.datetime | None = None) -> Path | None:
    """Move the audit rows older than ``AUDIT_RETENTION_DAYS`` to a gzip JSON-lines file under
    ``AUDIT_ARCHIVE_DIR`` (one row a line, with its chain values, so the file verifies on its own), then delete
    them; the file is written, synced and read back before anything is deleted. None when nothing is due."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        head = audit_chain_head()
        due = list(AuditEvent.objects.filter(time__lt=cutoff).exclude(seq=None).order_by("seq"))
        # Only a run of rows from the start of the chain: the chain of the rows left begins where it ends.
        due = [event for index, event in enumerate(due) if event.seq == head.archived_seq + index + 1]
        if not due:
            return None
        folder = Path(settings.AUDIT_ARCHIVE_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"audit-{due[0].seq:010d}-{due[-1].seq:010d}.jsonl.gz"
        rows = [_chain_row(event) for event in due]
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({**row, "time": row["time"].isoformat()}, ensure_ascii=False) + "\n")
        with path.open("rb") as written:
            os.fsync(written.fileno())
        with gzip.open(path, "rt", encoding="utf-8") as back:
            again = [_archived_row(json.loads(line)) for line in back]
        if auditchain.verify(again, start_mac=head.archived_mac) is not None or len(again) != len(rows):
            raise RuntimeError(f"The audit archive {path} does not read back as written; nothing was deleted.")
        AuditEvent.objects.filter(pk__in=[event.pk for event in due]).delete()
        head.archived_seq, head.archived_mac = due[-1].seq, due[-1].mac
        head.save(update_fields=["archived_seq", "archived_mac"])
    logger.info("Archived %d audit rows to %s.", len(due), path)
    return path
