"""Complaints and reports (投诉举报): anyone submits one about a filed agency or one of its evaluations, without
an account; it goes to the HR bureau of the agency's city (the province's centre when the city has none),
which accepts it (or declines it with its reasons), investigates, concludes (upheld or not) and replies within
``COMPLAINT_REPLY_WORKDAYS`` working days on the holiday calendar. An upheld complaint enters the agency's
credit record. The complainant follows it with the tracking code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry
from portal.lib.errors import WorkflowError
from portal.lib.tracking import tracking_code_new
from portal.lib.uploads import check_upload
from portal.lib.validators import is_reachable
from portal.lib.workdays import add_workdays
from portal.models import Department, Role, User
from portal.services import audit_record, audit_text, notifications_done, notify
from supervision.models import Complaint, ComplaintAttachment, ComplaintEvent, CreditRecord, Plan
from supervision.services.sanctions import credit_record_add, in_jurisdiction

MAX_COMPLAINT_LENGTH = 5000
MAX_COMPLAINT_FILES = 5
S = Complaint.Status

# The handler's steps: from which states, to which state.
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": ((S.RECEIVED,), S.ACCEPTED),
    "decline": ((S.RECEIVED,), S.DECLINED),
    "investigate": ((S.ACCEPTED,), S.INVESTIGATING),
    "conclude": ((S.ACCEPTED, S.INVESTIGATING), S.CONCLUDED),
    "reply": ((S.CONCLUDED,), S.REPLIED),
}


def complaint_deadline(received_on: dt.date) -> dt.date:
    """The reply is due ``COMPLAINT_REPLY_WORKDAYS`` working days after the day it was received."""
    return add_workdays(received_on, settings.COMPLAINT_REPLY_WORKDAYS)


def complaint_problems(
    *, content: str, happened_on: dt.date | None, anonymous: bool, name: str, contact: str, today: dt.date
) -> dict[str, list[str]]:
    """What is wrong with a complaint's fields, by field (the form shows them all at once)."""
    errors: dict[str, list[str]] = {}
    content, name, contact = content.strip(), name.strip(), contact.strip()
    if not content:
        errors["content"] = [_("Describe what happened: where, who, what you saw.")]
    elif len(content) > MAX_COMPLAINT_LENGTH:
        errors["content"] = [_("At most %(max)d characters.") % {"max": MAX_COMPLAINT_LENGTH}]
    if happened_on is None:
        errors["happened_on"] = [_("Give the day it happened (approximately if you do not know it exactly).")]
    elif happened_on > today:
        errors["happened_on"] = [_("The day it happened cannot be in the future.")]
    if len(name) > 50:
        errors["name"] = [_("At most 50 characters.")]
    if contact and (len(contact) > 100 or not is_reachable(contact)):
        errors["contact"] = [
            _("Give a mobile number, a landline with its area code (e.g. 0771-5832198) or an e-mail address.")
        ]
    if not anonymous and not contact:
        errors["contact"] = [_("Give a telephone number or an e-mail address, or tick “anonymous”.")]
    return errors


def _department_for(entry: DirectoryEntry) -> Department | None:
    """The HR bureau of the agency's city, or the province's appraisal centre when the city has none."""
    bureau = Department.objects.filter(kind=Department.Kind.HR_BUREAU, region=entry.region).first()
    if bureau:
        return bureau
    province = entry.region.path.split("/")[0]
    return Department.objects.filter(kind=Department.Kind.APPRAISAL_CENTRE, region__code=province).first()


def complaint_submit(
    *,
    entry: DirectoryEntry | None,
    plan: Plan | None = None,
    happened_on: dt.date | None,
    content: str,
    anonymous: bool = False,
    name: str = "",
    contact: str = "",
    files: Sequence[UploadedFile] = (),
    ip: str | None = None,
    received: dt.datetime | None = None,
) -> Complaint:
    """Anyone's complaint about a filed agency (or one of its announced evaluations). ``received`` is when it
    came in (now, unless a complaint received earlier is entered, e.g. the demo's): its reply date, and the
    handlers' message, follow from it."""
    received = received or timezone.now()
    today = timezone.localdate()
    received_on = timezone.localdate(received)
    errors = complaint_problems(
        content=content, happened_on=happened_on, anonymous=anonymous, name=name, contact=contact, today=today
    )
    if entry is None:
        errors["entry"] = [_("Choose the agency from the directory.")]
    elif plan is not None and plan.entry_id != entry.pk:
        errors["plan"] = [_("Choose one of this agency's evaluations.")]
    files = [f for f in files if f]
    checked = []
    if len(files) > MAX_COMPLAINT_FILES:
        errors["files"] = [_("At most %(max)d attachments.") % {"max": MAX_COMPLAINT_FILES}]
    else:
        for uploaded in files:
            try:
                checked.append((uploaded, check_upload(uploaded)))
            except ValidationError as error:
                errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    if anonymous:
        name = ""
    with transaction.atomic():
        complaint = Complaint.objects.create(
            entry=entry,
            plan=plan,
            happened_on=happened_on,
            content=content.strip(),
            anonymous=anonymous,
            name=name.strip(),
            contact=contact.strip(),
            tracking_code=tracking_code_new(lambda code: Complaint.objects.filter(tracking_code=code).exists()),
            ip=ip or None,
            department=_department_for(entry),
            created=received,
            deadline=complaint_deadline(received_on),
        )
        ComplaintAttachment.objects.bulk_create(
            ComplaintAttachment(
                complaint=complaint,
                file=uploaded,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
            )
            for uploaded, info in checked
        )
        ComplaintEvent.objects.create(complaint=complaint, status=S.RECEIVED, time=received)
        # The tracking code is the complainant's key: it stays out of the audit log and the messages.
        audit_record(action="complaint_submit", obj=complaint, detail=_entry_detail(entry))
        with translation.override(settings.LANGUAGE_CODE):
            _notify_handlers(
                complaint,
                _("New complaint %(pk)s about %(name)s, reply due %(date)s")
                % {"pk": complaint.pk, "name": entry.organisation.name, "date": complaint.deadline},
            )
            _send_tracking_code(complaint)
            _notify_evaluation_city(complaint)
    return complaint


def evaluation_city_officials(complaint: Complaint):
    """The HR bureau and the police of the city where the evaluation the complaint names was held, when that is
    not the agency's own city (a cross-region evaluation): they read the complaint; the home city handles it."""
    plan = complaint.plan
    if plan is None or complaint.entry.region.path.startswith(plan.city.path):
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        role__in=(Role.CITY_HR, Role.POLICE),
        department__kind__in=(Department.Kind.HR_BUREAU, Department.Kind.PUBLIC_SECURITY),
        department__region=plan.city,
    )


def _notify_evaluation_city(complaint: Complaint) -> None:
    params = {
        "name": complaint.entry.organisation.name,
        "city": complaint.plan.city.name if complaint.plan else "",
        "department": complaint.department or "",
    }
    notify(
        users=evaluation_city_officials(complaint),
        subject=_("Complaint about an evaluation of %(name)s held in %(city)s") % params,
        body=_(
            "A complaint names an evaluation that %(name)s held in your city, outside its registered city. "
            "%(department)s handles it.\nWhat to do next: read it; supervise the evaluations held in your city."
        )
        % params,
        link=reverse("supervision:complaint_detail", args=[complaint.pk]),
    )


def _send_tracking_code(complaint: Complaint) -> None:
    """When the complainant gave an e-mail address, the tracking code goes there too (after the commit)."""
    try:
        validate_email(complaint.contact)
    except ValidationError:
        return  # a telephone number: the code is shown once on the page (no SMS gateway here)
    subject = _("Your complaint about %(name)s") % {"name": complaint.entry.organisation.name}
    body = _(
        "Your complaint has been received and sent to %(department)s; a reply is due by %(date)s.\n"
        "Tracking code: %(code)s\nFollow it, and read the reply, at %(url)s"
    ) % {
        "department": complaint.department or "",
        "date": complaint.deadline,
        "code": complaint.tracking_code_display,
        "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("complaints:track"),
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, [complaint.contact], fail_silently=True))


def handlers_of(complaint: Complaint):
    """Who handles it: the officials of its department."""
    if complaint.department is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, department=complaint.department, role__in=(Role.CITY_HR, Role.CENTRE))


def may_handle(user: User, complaint: Complaint) -> bool:
    """The city HR bureau of the agency's city, or the province's centre; police read only."""
    return user.is_authenticated and user.role in (Role.CITY_HR, Role.CENTRE) and in_jurisdiction(user, complaint.entry)


def _notify_handlers(complaint: Complaint, subject: str) -> None:
    notify(
        users=handlers_of(complaint),
        subject=str(subject),
        body=str(subject) + "\n" + _("Accept or decline it, investigate, conclude and reply before it is due."),
        link=reverse("supervision:complaint_detail", args=[complaint.pk]),
        todo=True,
    )


def _entry_detail(entry) -> str:
    """The agency a complaint or an inspection is about, for the audit log (in the portal's language)."""
    return audit_text(
        gettext_lazy("Agency: %(agency)s (directory entry %(pk)s)"), agency=entry.organisation.name, pk=entry.pk
    )


def complaint_act(
    *, complaint: Complaint, step: str, by: User, text: str = "", outcome: str = "", request=None
) -> Complaint:
    """One step of the handler: accept, decline (with reasons), investigate, conclude (upheld or not, with the
    findings) or reply (the text the complainant reads)."""
    if not may_handle(by, complaint):
        raise PermissionDenied
    if step not in STEPS:
        raise WorkflowError(_("Unknown step."))
    text = text.strip()
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update()
            .select_related("entry__region", "entry__organisation")
            .get(pk=complaint.pk)
        )
        sources, target = STEPS[step]
        if complaint.status not in sources:
            raise WorkflowError(
                _("The complaint is “%(status)s”: this step is not possible now.")
                % {"status": complaint.get_status_display()}
            )
        if step == "decline" and not text:
            raise ValidationError({"text": [_("Say why the complaint is not accepted; the complainant reads it.")]})
        if step == "conclude":
            errors = {}
            if outcome not in Complaint.Outcome.values:
                errors["outcome"] = [_("Say whether the complaint is upheld.")]
            if not text:
                errors["text"] = [_("Record the findings of the investigation.")]
            if errors:
                raise ValidationError(errors)
            complaint.outcome, complaint.conclusion = outcome, text
        if step == "reply":
            if not text:
                raise ValidationError({"text": [_("Write the reply the complainant will read.")]})
            complaint.reply, complaint.replied_at = text, timezone.now()
        if step == "decline":
            complaint.reply, complaint.replied_at = text, timezone.now()
        complaint.status, complaint.handler = target, by
        complaint.save()
        ComplaintEvent.objects.create(complaint=complaint, status=target, actor=by, text=text)
        if target in (S.REPLIED, S.DECLINED):
            # Closed: the handlers' messages about it (new, overdue) no longer wait for anyone.
            notifications_done(
                users=handlers_of(complaint), link=reverse("supervision:complaint_detail", args=[complaint.pk])
            )
        if step == "conclude" and outcome == Complaint.Outcome.UPHELD:
            with translation.override(settings.LANGUAGE_CODE):
                summary = _("Complaint %(pk)s upheld: %(text)s") % {"pk": complaint.pk, "text": text}
            credit_record_add(
                entry=complaint.entry, kind=CreditRecord.Kind.COMPLAINT, summary=summary, by=by, complaint=complaint
            )
        detail = audit_text(Complaint.Outcome(outcome).label) if step == "conclude" else ""
        audit_record(action=f"complaint_{step}", request=request, actor=by, obj=complaint, detail=detail)
    return complaint


def complaints_overdue_notify(today: dt.date | None = None) -> int:
    """Daily: remind each department of its complaints past their reply date; the number of complaints."""
    today = today or timezone.localdate()
    late = Complaint.objects.filter(deadline__lt=today).exclude(status__in=(S.REPLIED, S.DECLINED))
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for complaint in late.select_related("entry__organisation", "department"):
            _notify_handlers(
                complaint,
                _("Overdue complaint %(pk)s about %(name)s: the reply was due %(date)s")
                % {"pk": complaint.pk, "name": complaint.entry.organisation.name, "date": complaint.deadline},
            )
            count += 1
    return count
