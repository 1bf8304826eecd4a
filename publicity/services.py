"""Writes of public notices (网上公示) and their objections (异议).

A department drafts a notice of subjects (``notice_create``), publishes it, which opens an objection window of a
number of working days on the holiday calendar (``portal.lib.workdays``); anyone may object while the window is
open and follows the objection with an unguessable tracking code; the department answers each objection; when
the window has passed and no objection is pending, the notice is closed — by hand, or each night by
``notices_close_due`` as the official who published it. What each step does to the subjects (an application
moving to 公示, leaving the selection, passing it) is the registered handler's (``publicity.subjects``), called
inside the same transaction; the notice and the objections are locked with ``select_for_update`` meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.errors import WorkflowError
from portal.lib.tracking import tracking_code_new
from portal.lib.uploads import check_upload
from portal.lib.validators import is_reachable
from portal.lib.workdays import window_end
from portal.models import Region, User
from portal.services import audit_record, audit_text, notifications_done, notify
from publicity.models import Notice, NoticeItem, Objection, ObjectionAttachment
from publicity.subjects import subject_for
from publicity.tasks import render_notice_pdf

logger = logging.getLogger(__name__)

WINDOW_DAYS_DEFAULT = 5
WINDOW_DAYS_MAX = 30
MAX_OBJECTION_FILES = 3
MAX_OBJECTION_LENGTH = 5000


def _require_manager(by: User, notice: Notice) -> None:
    if not subject_for(notice.kind).may_manage(by, notice):
        raise PermissionDenied


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("region").get(pk=notice.pk)


def notice_problems(*, title: str, window_days: int | str) -> dict[str, list[str]]:
    """What is wrong with a notice's title and window, by field (empty when nothing is)."""
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Give the notice a title.")]
    elif len(title) > 200:
        errors["title"] = [_("At most 200 characters.")]
    try:
        days = int(str(window_days).strip())
    except ValueError:
        days = 0
    if not 1 <= days <= WINDOW_DAYS_MAX:
        errors["window_days"] = [_("Enter a number of working days from 1 to %(max)d.") % {"max": WINDOW_DAYS_MAX}]
    return errors


def notice_create(
    *,
    kind: str,
    region: Region,
    by: User,
    title: str,
    body: str,
    window_days: int | str,
    subjects: Sequence[tuple[models.Model, str]],
    subtitle: str = "",
    request=None,
) -> Notice:
    """A draft notice of ``subjects`` (each with the name it is published under). The caller, the subject's
    own app, has checked that each subject may be published; this checks the notice itself."""
    notice = Notice(kind=kind, region=region, subtitle=subtitle[:200], created_by=by, status=Notice.Status.DRAFT)
    _require_manager(by, notice)
    errors = notice_problems(title=title, window_days=window_days)
    if not subjects:
        errors["subjects"] = [_("Choose at least one entry for the notice.")]
    if errors:
        raise ValidationError(errors)
    notice.title, notice.window_days = title.strip(), int(str(window_days).strip())
    notice.body = body.strip()
    with transaction.atomic():
        notice.save()
        NoticeItem.objects.bulk_create(
            NoticeItem(
                notice=notice,
                content_type=ContentType.objects.get_for_model(subject),
                object_id=subject.pk,
                label=label[:200],
            )
            for subject, label in subjects
        )
        audit_record(
            action="notice_create",
            request=request,
            actor=by,
            obj=notice,
            detail=audit_text(gettext_lazy("%(count)d entries"), count=len(subjects)),
        )
    return notice


def notice_publish(*, notice: Notice, by: User, request=None) -> Notice:
    """Publish on the public site today: the window opens today and closes ``window_days`` working days later."""
    with transaction.atomic():
        notice = _locked(notice)
        _require_manager(by, notice)
        if notice.status != Notice.Status.DRAFT:
            raise WorkflowError(_("This notice has already been published."))
        items = list(notice.items.order_by("pk"))
        if not items:
            raise WorkflowError(_("The notice lists no application."))
        today = timezone.localdate()
        notice.status = Notice.Status.PUBLISHED
        notice.published_at = timezone.now()
        notice.published_by = by
        notice.opens_on = today
        # The day of publication counts as the first day of the window when it is a working day.
        notice.closes_on = window_end(today, notice.window_days)
        notice.save(update_fields=["status", "published_at", "published_by", "opens_on", "closes_on"])
        subject_for(notice.kind).on_publish(notice=notice, items=items, by=by, request=request)
        audit_record(
            action="notice_publish",
            request=request,
            actor=by,
            obj=notice,
            detail=audit_text(gettext_lazy("Objections until %(date)s"), date=notice.closes_on.isoformat()),
        )
        transaction.on_commit(partial(_queue_notice_pdf, notice.pk))
    return notice


def _queue_notice_pdf(notice_id: int) -> None:
    """Render the published notice's PDF in a worker; with the broker down, the first download renders it."""
    try:
        render_notice_pdf.apply_async((notice_id,), retry_policy={"max_retries": 2, "interval_start": 0})
    except Exception:  # kombu OperationalError, redis ConnectionError, OSError: the broker is down
        logger.warning("The PDF of notice %s was not queued; the first download renders it.", notice_id)


def notice_window_open(notice: Notice, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        notice.status == Notice.Status.PUBLISHED
        and notice.opens_on is not None
        and notice.opens_on <= today <= notice.closes_on
    )


def notice_close(*, notice: Notice, by: User, today=None, request=None) -> Notice:
    """Close a notice whose window has passed with no objection pending: the rest have passed the notice."""
    today = today or timezone.localdate()
    with transaction.atomic():
        notice = _locked(notice)
        _require_manager(by, notice)
        if notice.status != Notice.Status.PUBLISHED:
            raise WorkflowError(_("Only a published notice can be closed."))
        if today <= notice.closes_on:
            raise WorkflowError(
                _("The objection window runs until %(date)s; the notice can be closed from the next day on.")
                % {"date": notice.closes_on.isoformat()}
            )
        pending = notice.objections.filter(status=Objection.Status.PENDING).count()
        if pending:
            raise WorkflowError(
                _("%(count)d objection(s) still wait for an answer; handle them before closing the notice.")
                % {"count": pending}
            )
        items = list(notice.items.filter(withdrawn_at=None).order_by("pk"))
        subject_for(notice.kind).on_close(notice=notice, items=items, by=by, request=request)
        notice.status = Notice.Status.CLOSED
        notice.closed_at = timezone.now()
        notice.save(update_fields=["status", "closed_at"])
        audit_record(action="notice_close", request=request, actor=by, obj=notice)
    return notice


def notices_close_due(today=None) -> int:
    """Nightly: close every published notice whose window has passed and that has no pending objection.

    The official who published a notice closes it, so the history names a real user; a notice whose publisher
    can no longer act (moved, deactivated) is left for the department to close by hand.
    """
    today = today or timezone.localdate()
    closed = 0
    due = (
        Notice.objects.filter(status=Notice.Status.PUBLISHED, closes_on__lt=today)
        .exclude(objections__status=Objection.Status.PENDING)
        .select_related("published_by", "created_by")
    )
    for notice in due:
        actor = notice.published_by or notice.created_by
        if not actor.is_active:
            logger.warning("notice %s: publisher %s is inactive; left for the department", notice.pk, actor.pk)
            continue
        try:
            notice_close(notice=notice, by=actor, today=today)
        except (WorkflowError, PermissionDenied) as error:
            # Another run closed it, an objection came in meanwhile, or the publisher moved department.
            logger.warning("notice %s not closed automatically: %s", notice.pk, error)
            continue
        closed += 1
    return closed


# ---------------------------------------------------------------- objections


def _tracking_code() -> str:
    return tracking_code_new(lambda code: Objection.objects.filter(tracking_code=code).exists())


def _send_tracking_code(objection: Objection) -> None:
    """When the objector gave an e-mail address, the tracking code goes there too (after the commit)."""
    try:
        validate_email(objection.contact)
    except ValidationError:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your objection to %(name)s") % {"name": objection.item.label}
        body = _(
            "Your objection to %(name)s on the notice “%(title)s” has been received.\n"
            "Tracking code: %(code)s\n"
            "Follow it, and read the reply, at %(url)s"
        ) % {
            "name": objection.item.label,
            "title": objection.notice.title,
            "code": objection.tracking_code_display,
            "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("notices:objection_track"),
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, [objection.contact], fail_silently=True))


def objection_problems(*, name: str, contact: str, content: str) -> dict[str, list[str]]:
    """What is wrong with an objection's fields, by field (the form shows them all at once)."""
    return _objection_errors(name.strip(), contact.strip(), content.strip())


def _objection_errors(name: str, contact: str, content: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give your name.")]
    elif len(name) > 50:
        errors["name"] = [_("At most 50 characters.")]
    if not contact:
        errors["contact"] = [_("Give a telephone number or an e-mail address.")]
    elif len(contact) > 100:
        errors["contact"] = [_("At most 100 characters.")]
    elif not is_reachable(contact):
        errors["contact"] = [
            _("Give a mobile number, a landline with its area code (e.g. 0771-5832198) or an e-mail address.")
        ]
    if not content:
        errors["content"] = [_("Describe the objection and the facts it rests on.")]
    elif len(content) > MAX_OBJECTION_LENGTH:
        errors["content"] = [_("At most %(max)d characters.") % {"max": MAX_OBJECTION_LENGTH}]
    return errors


def objection_raise(
    *,
    notice: Notice,
    item: NoticeItem | None,
    name: str,
    contact: str,
    content: str,
    files: Sequence[UploadedFile] = (),
    ip: str | None = None,
) -> Objection:
    """Anyone's objection to an entry of a published notice, while its window is open."""
    name, contact, content = name.strip(), contact.strip(), content.strip()
    errors = _objection_errors(name, contact, content)
    files = [f for f in files if f]
    checked = []
    if len(files) > MAX_OBJECTION_FILES:
        errors["files"] = [_("At most %(max)d attachments.") % {"max": MAX_OBJECTION_FILES}]
    else:
        for uploaded in files:
            try:
                checked.append((uploaded, check_upload(uploaded)))
            except ValidationError as error:
                errors.setdefault("files", []).extend(error.messages)
    with transaction.atomic():
        notice = _locked(notice)
        if not notice_window_open(notice):
            raise WorkflowError(_("The objection window of this notice is closed; objections are no longer accepted."))
        if item is None or not notice.items.filter(pk=item.pk, withdrawn_at=None).exists():
            errors["item"] = [_("Choose the agency you object to from the notice.")]
        if errors:
            raise ValidationError(errors)
        objection = Objection.objects.create(
            notice=notice,
            item=item,
            name=name,
            contact=contact,
            content=content,
            tracking_code=_tracking_code(),
            ip=ip or None,
        )
        ObjectionAttachment.objects.bulk_create(
            ObjectionAttachment(
                objection=objection,
                file=uploaded,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
            )
            for uploaded, info in checked
        )
        # The tracking code is the objector's key to the reply: it stays out of the audit log and the messages.
        audit_record(
            action="objection_raise",
            obj=item.subject,
            detail=audit_text(
                gettext_lazy("Objection no. %(objection)s to notice no. %(notice)s"),
                objection=objection.pk,
                notice=notice.pk,
            ),
        )
        _notify_managers(notice, item, objection)
        _send_tracking_code(objection)
    return objection


def _notify_managers(notice: Notice, item: NoticeItem, objection: Objection) -> None:
    subject = subject_for(notice.kind)
    with translation.override(settings.LANGUAGE_CODE):
        params = {"name": item.label, "title": notice.title}
        notify(
            users=subject.managers(notice),
            subject=_("Objection to %(name)s") % params,
            body=_(
                "An objection to %(name)s has been raised during the public notice “%(title)s”.\n"
                "What to do next: look into it and answer it (upheld or dismissed) before the notice is closed."
            )
            % params,
            link=subject.objection_link(item) + f"#objection-{objection.pk}",
        )
    # Those the entry concerns beyond its managers (the agency whose results, the bureau that reviews them).
    on_raise = getattr(subject, "on_raise", None)
    if on_raise is not None:
        on_raise(notice=notice, item=item, objection=objection)


def objection_handle(*, objection: Objection, by: User, upheld: bool, reply: str, request=None) -> Objection:
    """Answer an objection. Upheld, it takes the entry off the notice (what that means for the subject is the
    handler's); the objector reads the reply with the tracking code."""
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply the objector will read.")})
    with transaction.atomic():
        notice = _locked(objection.notice)
        _require_manager(by, notice)
        objection = Objection.objects.select_for_update().select_related("item").get(pk=objection.pk)
        if objection.status != Objection.Status.PENDING:
            raise WorkflowError(_("This objection has already been answered."))
        if notice.status != Notice.Status.PUBLISHED:
            raise WorkflowError(_("The notice is closed; its objections can no longer be answered."))
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.reply = reply
        objection.handled_by = by
        objection.handled_at = timezone.now()
        objection.save(update_fields=["status", "reply", "handled_by", "handled_at"])
        item = objection.item
        # Answered: the managers' “look into it and answer it” is done.
        handler = subject_for(notice.kind)
        notifications_done(
            users=handler.managers(notice), link=handler.objection_link(item) + f"#objection-{objection.pk}"
        )
        if upheld and not item.withdrawn:
            item.withdrawn_at = timezone.now()
            item.save(update_fields=["withdrawn_at"])
            subject_for(notice.kind).on_uphold(item=item, by=by, reply=reply, request=request)
        elif not upheld and hasattr(handler, "on_dismiss"):
            handler.on_dismiss(item=item, by=by, reply=reply, request=request)
        audit_record(
            action="objection_handle",
            request=request,
            actor=by,
            obj=item.subject,
            detail=audit_text(
                gettext_lazy("Objection no. %(objection)s: %(status)s"),
                objection=objection.pk,
                status=audit_text(Objection.Status(objection.status).label),
            ),
        )
    return objection
