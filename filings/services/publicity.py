"""Writes of the selection (择优遴选) and the public notice (网上公示) with its objections (异议).

The centre marks each assessed application selected or not, with a reason; drafts a notice from the selected
applications of a call; publishes it, which opens an objection window of a number of working days on the
holiday calendar (``portal.lib.workdays``). Anyone may object while the window is open and follows the
objection with an unguessable tracking code. An upheld objection takes the application out of the selection
(``uphold_objection``); when the window has passed and no objection is pending, closing the notice moves the
rest on (``close_notice``) — by hand, or each night by ``notices_close_due`` as the official who published it.

Every application move goes through ``application_transition``, so each leaves one history row and one audit
entry; the notice and the objections are locked with ``select_for_update`` while they change.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Call
from filings.models import Application, Notice, Objection, ObjectionAttachment, State
from filings.services.applications import WorkflowError
from filings.services.review import application_transition, in_jurisdiction
from portal.lib.uploads import check_upload
from portal.lib.workdays import add_workdays, is_workday
from portal.models import Region, Role, User
from portal.services import audit_record, notify

logger = logging.getLogger(__name__)

# The ranking shows every application that has been assessed, whatever was decided on it since.
RANKED_STATES = (
    State.ASSESSED,
    State.SELECTED,
    State.NOT_SELECTED,
    State.PUBLICITY,
    State.OBJECTION_UPHELD,
    State.PUBLICISED,
    State.MINISTRY_REVIEW,
    State.MINISTRY_REJECTED,
    State.FILED,
)
# Still in the selection: selected and not taken out since (by an upheld objection or the ministry).
IN_SELECTION = (State.SELECTED, State.PUBLICITY, State.PUBLICISED, State.MINISTRY_REVIEW, State.FILED)
WINDOW_DAYS_DEFAULT = 5
WINDOW_DAYS_MAX = 30
MAX_OBJECTION_FILES = 3
MAX_OBJECTION_LENGTH = 5000
# secrets.token_urlsafe(15): 20 characters, 120 random bits.
TRACKING_CODE_BYTES = 15


def _require_centre_of(by: User, region: Region) -> None:
    """Only the centre whose jurisdiction holds the region (a call's province, an application's city)."""
    jurisdiction = by.jurisdiction
    if by.role != Role.CENTRE or jurisdiction is None or not region.path.startswith(jurisdiction.path):
        raise PermissionDenied


def _locked_notice(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("call__province").get(pk=notice.pk)


# ---------------------------------------------------------------- selection


def selection_mark(*, application: Application, by: User, selected: bool, reason: str, request=None) -> Application:
    """Mark an assessed application selected or not selected; the reason is required and kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    with transaction.atomic():
        application = application_transition(
            application=application,
            by=by,
            name="select" if selected else "not_select",
            text=reason,
            request=request,
            from_service=True,
        )
        Application.objects.filter(pk=application.pk).update(selection_reason=reason)
        application.selection_reason = reason
    return application


# ---------------------------------------------------------------- notices


def applications_on_open_notices() -> set[int]:
    """Applications already on a notice that is a draft or published: they cannot go on another one."""
    return set(
        Notice.applications.through.objects.filter(
            notice__status__in=(Notice.Status.DRAFT, Notice.Status.PUBLISHED)
        ).values_list("application_id", flat=True)
    )


def notice_create(
    *,
    call: Call,
    by: User,
    title: str,
    body: str,
    window_days: int | str,
    applications: Iterable[Application],
    request=None,
) -> Notice:
    """A draft notice of selected applications of the call, in the centre's province."""
    _require_centre_of(by, call.province)
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Give the notice a title.")
    elif len(title) > 200:
        errors["title"] = _("At most 200 characters.")
    try:
        days = int(str(window_days).strip())
    except ValueError:
        days = 0
    if not 1 <= days <= WINDOW_DAYS_MAX:
        errors["window_days"] = _("Enter a number of working days from 1 to %(max)d.") % {"max": WINDOW_DAYS_MAX}
    # Read afresh: the caller's objects may predate the selection.
    chosen = list(Application.objects.filter(pk__in=[a.pk for a in applications]).select_related("region"))
    taken = applications_on_open_notices()
    if not chosen:
        errors["applications"] = _("Tick at least one selected application.")
    for application in chosen:
        if (
            application.call_id != call.pk
            or application.state != State.SELECTED
            or not in_jurisdiction(by, application)
            or application.pk in taken
        ):
            errors["applications"] = _(
                "Only selected applications of this call that are not on another notice can be published."
            )
            break
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            call=call, title=title, body=body.strip(), window_days=days, created_by=by, status=Notice.Status.DRAFT
        )
        notice.applications.set(chosen)
        audit_record(action="notice_create", request=request, actor=by, obj=notice, detail=f"{len(chosen)}")
    return notice


def notice_publish(*, notice: Notice, by: User, request=None) -> Notice:
    """Publish on the public site today: the window opens today and closes ``window_days`` working days later."""
    with transaction.atomic():
        notice = _locked_notice(notice)
        _require_centre_of(by, notice.call.province)
        if notice.status != Notice.Status.DRAFT:
            raise WorkflowError(_("This notice has already been published."))
        applications = list(notice.applications.order_by("pk"))
        if not applications:
            raise WorkflowError(_("The notice lists no application."))
        today = timezone.localdate()
        notice.status = Notice.Status.PUBLISHED
        notice.published_at = timezone.now()
        notice.published_by = by
        notice.opens_on = today
        # The day of publication counts as the first day of the window when it is a working day.
        first_day_counts = is_workday(today)
        notice.closes_on = add_workdays(today, notice.window_days - 1 if first_day_counts else notice.window_days)
        notice.save(update_fields=["status", "published_at", "published_by", "opens_on", "closes_on"])
        comment = _("Published for public notice in “%(title)s”; objections until %(date)s.") % {
            "title": notice.title,
            "date": notice.closes_on.isoformat(),
        }
        for application in applications:
            application_transition(
                application=application, by=by, name="publish_notice", text=comment, request=request, from_service=True
            )
        audit_record(action="notice_publish", request=request, actor=by, obj=notice, detail=str(notice.closes_on))
    return notice


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
        notice = _locked_notice(notice)
        _require_centre_of(by, notice.call.province)
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
        comment = _("Public notice “%(title)s” closed without an upheld objection.") % {"title": notice.title}
        for application in notice.applications.filter(state=State.PUBLICITY).order_by("pk"):
            application_transition(
                application=application, by=by, name="close_notice", text=comment, request=request, from_service=True
            )
        notice.status = Notice.Status.CLOSED
        notice.closed_at = timezone.now()
        notice.save(update_fields=["status", "closed_at"])
        audit_record(action="notice_close", request=request, actor=by, obj=notice)
    return notice


def notices_close_due(today=None) -> int:
    """Nightly: close every published notice whose window has passed and that has no pending objection.

    The official who published a notice closes it, so the history names a real centre user; a notice whose
    publisher can no longer act (moved, deactivated) is left for the centre to close by hand.
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
            logger.warning("notice %s: publisher %s is inactive; left for the centre", notice.pk, actor.pk)
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
    while True:
        code = secrets.token_urlsafe(TRACKING_CODE_BYTES)
        if not Objection.objects.filter(tracking_code=code).exists():
            return code


def objection_raise(
    *,
    notice: Notice,
    application: Application | None,
    name: str,
    contact: str,
    content: str,
    files: Sequence[UploadedFile] = (),
    ip: str | None = None,
) -> Objection:
    """Anyone's objection to an agency on a published notice, while its window is open."""
    errors: dict[str, list[str]] = {}
    name, contact, content = name.strip(), contact.strip(), content.strip()
    if not name:
        errors["name"] = [_("Give your name.")]
    elif len(name) > 50:
        errors["name"] = [_("At most 50 characters.")]
    if not contact:
        errors["contact"] = [_("Give a telephone number or an e-mail address.")]
    elif len(contact) > 100:
        errors["contact"] = [_("At most 100 characters.")]
    if not content:
        errors["content"] = [_("Describe the objection and the facts it rests on.")]
    elif len(content) > MAX_OBJECTION_LENGTH:
        errors["content"] = [_("At most %(max)d characters.") % {"max": MAX_OBJECTION_LENGTH}]
    files = [f for f in files if f]
    checked = []
    if len(files) > MAX_OBJECTION_FILES:
        errors["files"] = [_("At most %(max)d attachments.") % {"max": MAX_OBJECTION_FILES}]
    else:
        for uploaded in files:
            try:
                info = check_upload(uploaded)
            except ValidationError as error:
                errors.setdefault("files", []).extend(error.messages)
                continue
            uploaded.checked_info = info
            checked.append((uploaded, info))
    with transaction.atomic():
        notice = _locked_notice(notice)
        if not notice_window_open(notice):
            raise WorkflowError(_("The objection window of this notice is closed; objections are no longer accepted."))
        if application is None or not notice.applications.filter(pk=application.pk, state=State.PUBLICITY).exists():
            errors["application"] = [_("Choose the agency you object to from the notice.")]
        if errors:
            raise ValidationError(errors)
        objection = Objection.objects.create(
            notice=notice,
            application=application,
            name=name,
            contact=contact,
            content=content,
            tracking_code=_tracking_code(),
            ip=ip or None,
        )
        for uploaded, info in checked:
            ObjectionAttachment.objects.create(
                objection=objection,
                file=uploaded,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
            )
        # The tracking code is the objector's key to the reply: it stays out of the audit log and the messages.
        audit_record(action="objection_raise", obj=application, detail=f"notice {notice.pk}, objection {objection.pk}")
        _notify_centre(notice, application, objection)
    return objection


def _notify_centre(notice: Notice, application: Application, objection: Objection) -> None:
    centre = User.objects.filter(
        role=Role.CENTRE,
        is_active=True,
        department__region__code__in=[code for code in notice.call.province.path.split("/") if code],
    )
    with translation.override(settings.LANGUAGE_CODE):
        params = {"name": application.organisation.name, "title": notice.title}
        notify(
            users=centre,
            subject=_("Objection to %(name)s") % params,
            body=_(
                "An objection to %(name)s has been raised during the public notice “%(title)s”.\n"
                "What to do next: look into it and answer it (upheld or dismissed) before the notice is closed."
            )
            % params,
            link=reverse("filings:notice_detail", args=[notice.pk]) + f"#objection-{objection.pk}",
        )


def objection_handle(*, objection: Objection, by: User, upheld: bool, reply: str, request=None) -> Objection:
    """Answer an objection. Upheld, it takes the application out of the selection; the objector reads the
    reply with the tracking code."""
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply the objector will read.")})
    with transaction.atomic():
        notice = _locked_notice(objection.notice)
        objection = Objection.objects.select_for_update().select_related("application__region").get(pk=objection.pk)
        _require_centre_of(by, objection.application.region)
        if objection.status != Objection.Status.PENDING:
            raise WorkflowError(_("This objection has already been answered."))
        if notice.status != Notice.Status.PUBLISHED:
            raise WorkflowError(_("The notice is closed; its objections can no longer be answered."))
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.reply = reply
        objection.handled_by = by
        objection.handled_at = timezone.now()
        objection.save(update_fields=["status", "reply", "handled_by", "handled_at"])
        application = objection.application
        if upheld and application.state == State.PUBLICITY:
            application_transition(
                application=application,
                by=by,
                name="uphold_objection",
                text=reply,
                request=request,
                from_service=True,
            )
        audit_record(
            action="objection_handle",
            request=request,
            actor=by,
            obj=application,
            detail=f"objection {objection.pk}: {objection.status}",
        )
    return objection
