"""On-site quality supervision (现场质量督导): inspections, findings, rectification orders.

Who inspects: officials of the HR bureaus, the centre and the police whose jurisdiction holds the agency's city
or the city of the evaluation inspected. A finding enters the agency's credit record; with a requirement it
becomes a rectification order due ``RECTIFICATION_WORKDAYS`` working days later (or as many as the inspector
gives). The agency answers with evidence; an inspector closes the order or escalates it, and the HR bureau (or
the centre) then decides a sanction on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry
from portal.lib.errors import WorkflowError
from portal.lib.uploads import check_upload
from portal.lib.workdays import add_workdays, workdays_between
from portal.models import Role, User
from portal.services import audit_record, audit_text, notifications_done, notify
from supervision.models import (
    CHECKLIST,
    Complaint,
    CreditRecord,
    Finding,
    Inspection,
    InspectionPhoto,
    Plan,
    Rectification,
    RectificationEvidence,
)
from supervision.services.sanctions import credit_record_add, in_jurisdiction, sanction_deciders

RESULTS = ("ok", "fail", "na")
MAX_FILES = 10
MIN_WORKDAYS, MAX_WORKDAYS = 1, 60


def may_inspect(user: User, entry: DirectoryEntry, plan: Plan | None = None) -> bool:
    if not user.is_authenticated or user.role not in (Role.CITY_HR, Role.CENTRE, Role.POLICE):
        return False
    if in_jurisdiction(user, entry):
        return True
    jurisdiction = user.jurisdiction
    return plan is not None and jurisdiction is not None and plan.city.path.startswith(jurisdiction.path)


def may_act_on(user: User, inspection: Inspection) -> bool:
    """The officials who may inspect the agency, and the inspection's team (a random draw's picks)."""
    if may_inspect(user, inspection.entry, inspection.plan):
        return True
    return user.is_authenticated and inspection.team.filter(pk=user.pk).exists()


def _require_inspector(inspection: Inspection, by: User) -> None:
    if not may_act_on(by, inspection):
        raise PermissionDenied


def inspection_open(
    *,
    entry: DirectoryEntry,
    by: User,
    plan: Plan | None = None,
    complaint: Complaint | None = None,
    source: str = Inspection.Source.SPECIAL,
    request=None,
) -> Inspection:
    """Open an inspection of an agency (or one of its evaluations), on today's visit."""
    if not may_inspect(by, entry, plan):
        raise PermissionDenied
    if plan is not None and plan.entry_id != entry.pk:
        raise ValidationError({"plan": [_("Choose one of this agency's evaluations.")]})
    if complaint is not None and complaint.entry_id != entry.pk:
        raise ValidationError({"complaint": [_("The complaint is about another agency.")]})
    if entry.status == DirectoryEntry.Status.REMOVED:
        raise WorkflowError(_("The agency has been removed from the directory."))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            entry=entry,
            plan=plan,
            complaint=complaint,
            source=Inspection.Source.COMPLAINT if complaint else source,
            inspector=by,
            department=by.department,
            visited_on=timezone.localdate(),
        )
        inspection.team.add(by)
        if complaint is not None:
            complaint.refresh_from_db(fields=["status"])
        if complaint is not None and complaint.status == Complaint.Status.ACCEPTED and by.role != Role.POLICE:
            from supervision.services.complaints import complaint_act, may_handle

            if may_handle(by, complaint):
                complaint_act(
                    complaint=complaint,
                    step="investigate",
                    by=by,
                    text=_("On-site inspection %(pk)s opened.") % {"pk": inspection.pk},
                )
        audit_record(
            action="inspection_open",
            request=request,
            actor=by,
            obj=inspection,
            detail=audit_text(
                gettext_lazy("Agency: %(agency)s (directory entry %(pk)s)"), agency=entry.organisation.name, pk=entry.pk
            ),
        )
    return inspection


def _locked(inspection: Inspection) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != Inspection.Status.OPEN:
        raise WorkflowError(_("The inspection is completed; it can no longer change."))
    return locked


def inspection_checklist_save(*, inspection: Inspection, by: User, results: dict[str, dict]) -> Inspection:
    """Save the checklist: for each item ok / fail / na and a note (a failed item needs its note)."""
    _require_inspector(inspection, by)
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict] = {}
    for code, _label in CHECKLIST:
        given = results.get(code) or {}
        result, note = given.get("result", ""), (given.get("note") or "").strip()[:500]
        if result and result not in RESULTS:
            errors[code] = [_("Choose a result.")]
        elif result == "fail" and not note:
            errors[code] = [_("Say what was wrong.")]
        if result:
            clean[code] = {"result": result, "note": note}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = _locked(inspection)
        inspection.checklist = clean
        inspection.save(update_fields=["checklist"])
    return inspection


def inspection_photos_add(
    *, inspection: Inspection, by: User, files: Sequence[UploadedFile], caption: str = ""
) -> list[InspectionPhoto]:
    _require_inspector(inspection, by)
    files = [f for f in files if f]
    if not files:
        raise ValidationError({"photos": [_("Choose or take a photo.")]})
    if len(files) > MAX_FILES:
        raise ValidationError({"photos": [_("At most %(max)d files at once.") % {"max": MAX_FILES}]})
    checked, errors = [], []
    for uploaded in files:
        try:
            checked.append((uploaded, check_upload(uploaded)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"photos": errors})
    with transaction.atomic():
        inspection = _locked(inspection)
        return [
            InspectionPhoto.objects.create(
                inspection=inspection,
                file=uploaded,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
                caption=caption.strip()[:100],
            )
            for uploaded, info in checked
        ]


def finding_add(
    *, inspection: Inspection, by: User, text: str, requirement: str = "", workdays: int | None = None, request=None
) -> Finding:
    """A finding (into the credit record); with a requirement, a rectification order due in working days."""
    _require_inspector(inspection, by)
    text, requirement = text.strip(), requirement.strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Describe what was found.")]
    if requirement:
        workdays = settings.RECTIFICATION_WORKDAYS if workdays is None else workdays
        if not MIN_WORKDAYS <= workdays <= MAX_WORKDAYS:
            errors["workdays"] = [
                _("Between %(min)d and %(max)d working days.") % {"min": MIN_WORKDAYS, "max": MAX_WORKDAYS}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = _locked(inspection)
        finding = Finding.objects.create(inspection=inspection, text=text)
        with translation.override(settings.LANGUAGE_CODE):
            summary = _("Inspection %(pk)s on %(date)s: %(text)s") % {
                "pk": inspection.pk,
                "date": inspection.visited_on,
                "text": text,
            }
        credit_record_add(
            entry=inspection.entry, kind=CreditRecord.Kind.FINDING, summary=summary, by=by, finding=finding
        )
        if requirement:
            Rectification.objects.create(
                finding=finding,
                requirement=requirement,
                deadline=add_workdays(timezone.localdate(), workdays),
                ordered_by=by,
            )
            # The agency is told when the inspection is completed and its findings issued (inspection_complete).
        audit_record(action="finding_add", request=request, actor=by, obj=inspection, detail=text[:200])
    return finding


def inspection_complete(*, inspection: Inspection, by: User, rating: str, summary: str, request=None) -> Inspection:
    _require_inspector(inspection, by)
    with transaction.atomic():
        inspection = _locked(inspection)
        errors: dict[str, list[str]] = {}
        if rating not in Inspection.Rating.values:
            errors["rating"] = [_("Rate the inspection.")]
        missing = [str(label) for code, label in CHECKLIST if code not in inspection.checklist]
        if missing:
            errors["checklist"] = [
                _("Answer every item of the checklist first: %(items)s.") % {"items": "、".join(missing)}
            ]
        if errors:
            raise ValidationError(errors)
        inspection.rating, inspection.summary = rating, summary.strip()
        inspection.status, inspection.completed_at = Inspection.Status.COMPLETED, timezone.now()
        inspection.save(update_fields=["rating", "summary", "status", "completed_at"])
        _issue_orders(inspection)
        # Completed: the team's “drawn for a random inspection” is done, whoever of them completed it.
        notifications_done(
            users=[inspection.inspector, *inspection.team.all()],
            link=reverse("supervision:inspection_detail", args=[inspection.pk]),
        )
        audit_record(
            action="inspection_complete",
            request=request,
            actor=by,
            obj=inspection,
            detail=audit_text(gettext_lazy("Rating: %(rating)s"), rating=audit_text(Inspection.Rating(rating).label)),
        )
    return inspection


def _issue_orders(inspection: Inspection) -> None:
    """The findings are issued to the agency with the inspection completed: each rectification order's working
    days count from today (the agency could not see it before), and the agency is told of it."""
    today = timezone.localdate()
    orders = Rectification.objects.filter(finding__inspection=inspection, status=Rectification.Status.OPEN)
    for rectification in orders.select_related("finding__inspection__entry__organisation"):
        workdays = workdays_between(timezone.localtime(rectification.ordered_at).date(), rectification.deadline)
        if workdays >= 1:
            rectification.deadline = add_workdays(today, workdays)
            rectification.save(update_fields=["deadline"])
        with translation.override(settings.LANGUAGE_CODE):
            _notify_agency(
                rectification,
                _("Rectification order for %(name)s: rectify by %(date)s")
                % {"name": inspection.entry.organisation.name, "date": rectification.deadline},
            )


# ---------------------------------------------------------------- rectification orders


def _locked_order(rectification: Rectification, allowed: tuple[str, ...]) -> Rectification:
    locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if locked.status not in allowed:
        raise WorkflowError(
            _("The rectification order is “%(status)s”: this step is not possible now.")
            % {"status": locked.get_status_display()}
        )
    return locked


def rectification_answer(
    *, rectification: Rectification, by: User, answer: str, files: Sequence[UploadedFile] = (), request=None
) -> Rectification:
    """The agency reports its rectification, with evidence."""
    entry = rectification.finding.inspection.entry
    if by.role != Role.AGENCY or by.organisation_id != entry.organisation_id:
        raise PermissionDenied
    answer = answer.strip()
    errors: dict[str, list[str]] = {}
    if not answer:
        errors["answer"] = [_("Say what was rectified and how.")]
    files = [f for f in files if f]
    checked = []
    if not files:
        errors["evidence"] = [_("Attach the evidence (photos, documents).")]
    elif len(files) > MAX_FILES:
        errors["evidence"] = [_("At most %(max)d files at once.") % {"max": MAX_FILES}]
    else:
        for uploaded in files:
            try:
                checked.append((uploaded, check_upload(uploaded)))
            except ValidationError as error:
                errors.setdefault("evidence", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rectification = _locked_order(rectification, (Rectification.Status.OPEN,))
        if rectification.finding.inspection.status != Inspection.Status.COMPLETED:
            raise PermissionDenied  # not issued yet: the agency does not see it
        rectification.answer, rectification.answered_at = answer, timezone.now()
        rectification.status = Rectification.Status.ANSWERED
        rectification.save(update_fields=["answer", "answered_at", "status"])
        RectificationEvidence.objects.bulk_create(
            RectificationEvidence(
                rectification=rectification,
                file=uploaded,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
            )
            for uploaded, info in checked
        )
        audit_record(action="rectification_answer", request=request, actor=by, obj=rectification)
        _order_done(rectification, _agency_users(entry))
        inspector = rectification.finding.inspection.inspector
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Rectification answered by %(name)s") % {"name": entry.organisation.name}
            notify(
                users=[inspector],
                subject=subject,
                body=subject + "\n" + _("Verify the evidence, then close the order or escalate it."),
                link=reverse("supervision:rectification_detail", args=[rectification.pk]),
                todo=True,
            )
    return rectification


def rectification_close(*, rectification: Rectification, by: User, note: str = "", request=None) -> Rectification:
    """Verified: the order is closed."""
    _require_inspector(rectification.finding.inspection, by)
    with transaction.atomic():
        rectification = _locked_order(rectification, (Rectification.Status.ANSWERED,))
        rectification.status = Rectification.Status.CLOSED
        rectification.note, rectification.decided_by, rectification.decided_at = note.strip(), by, timezone.now()
        rectification.save(update_fields=["status", "note", "decided_by", "decided_at"])
        audit_record(action="rectification_close", request=request, actor=by, obj=rectification)
        _order_done(rectification, _inspectors_of(rectification))
        with translation.override(settings.LANGUAGE_CODE):
            _notify_agency(
                rectification,
                _("Rectification of %(name)s verified; the order is closed.")
                % {"name": rectification.finding.inspection.entry.organisation.name},
            )
    return rectification


def rectification_escalate(*, rectification: Rectification, by: User, note: str, request=None) -> Rectification:
    """Not rectified (or not in time): escalated to a sanction, which the HR bureau or the centre decides."""
    _require_inspector(rectification.finding.inspection, by)
    note = note.strip()
    if not note:
        raise ValidationError({"note": [_("Say why the order is escalated.")]})
    with transaction.atomic():
        rectification = _locked_order(rectification, (Rectification.Status.OPEN, Rectification.Status.ANSWERED))
        rectification.status = Rectification.Status.ESCALATED
        rectification.note, rectification.decided_by, rectification.decided_at = note, by, timezone.now()
        rectification.save(update_fields=["status", "note", "decided_by", "decided_at"])
        audit_record(action="rectification_escalate", request=request, actor=by, obj=rectification, detail=note[:200])
        # Escalated: the agency can no longer answer, the inspectors have decided; the deciders' turn comes next.
        _order_done(
            rectification, [*_inspectors_of(rectification), *_agency_users(rectification.finding.inspection.entry)]
        )
        entry = rectification.finding.inspection.entry
        deciders = [user for user in sanction_deciders(entry) if user.pk != by.pk]
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Rectification escalated: %(name)s") % {"name": entry.organisation.name}
            notify(
                users=deciders,
                subject=subject,
                body=subject + "\n" + _("Decide a sanction on it from the rectification order's page."),
                link=reverse("supervision:rectification_detail", args=[rectification.pk]),
                todo=True,
            )
    return rectification


def _agency_users(entry: DirectoryEntry):
    return User.objects.filter(role=Role.AGENCY, is_active=True, organisation_id=entry.organisation_id)


def _inspectors_of(rectification: Rectification) -> list[User]:
    inspection = rectification.finding.inspection
    return [inspection.inspector, *inspection.team.all()]


def _order_done(rectification: Rectification, users) -> None:
    """The step these users were asked to take on the order (answer it; verify the answer) has been taken."""
    notifications_done(users=users, link=reverse("supervision:rectification_detail", args=[rectification.pk]))


def _notify_agency(rectification: Rectification, subject: str) -> None:
    entry = rectification.finding.inspection.entry
    notify(
        users=_agency_users(entry),
        subject=str(subject),
        body=str(subject) + "\n" + _("Open the portal for the details."),
        link=reverse("supervision:rectification_detail", args=[rectification.pk]),
    )
