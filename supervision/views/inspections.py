"""On-site quality supervision: open an inspection, the inspection page (checklist, photos from the phone's
camera, findings with rectification orders, rating), the rectification order page (the agency answers with
evidence; the inspector closes or escalates).

Every write goes through ``supervision.services.inspections``; objects are loaded through ``supervision.loaders``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import DirectoryEntry
from portal.lib.access import roles
from portal.lib.confirm import confirm_page, is_confirmed
from portal.lib.downloads import stored_file_response
from portal.lib.errors import add_to_form, refusal
from portal.lib.headers import camera_allowed
from portal.lib.http import is_digits
from portal.lib.uploads import ACCEPT
from portal.models import Role
from supervision.forms import CompleteForm, FindingForm, RectificationAnswerForm, RectificationDecisionForm
from supervision.loaders import (
    complaint_for,
    evidence_for,
    inspection_for,
    inspection_photo_for,
    rectification_for,
    supervised_entry_for,
)
from supervision.models import CHECKLIST, Rectification
from supervision.selectors import entries_supervised_by
from supervision.services import inspections as services
from supervision.services.sanctions import may_decide

READERS = (Role.AGENCY, Role.POLICE, Role.CITY_HR, Role.CENTRE, Role.ADMIN)
INSPECTORS = (Role.POLICE, Role.CITY_HR, Role.CENTRE)


@require_POST
@roles(*INSPECTORS)
def inspection_new(request, pk: int):
    """Open an inspection of the agency (``plan``: one of its evaluations; ``complaint``: following it)."""
    entry = supervised_entry_for(request, pk)
    raw_plan, raw_complaint = request.POST.get("plan", ""), request.POST.get("complaint", "")
    plan = entry.plans.filter(pk=raw_plan).first() if is_digits(raw_plan) else None
    complaint = complaint_for(request, raw_complaint) if raw_complaint else None
    if not services.may_inspect(request.user, entry, plan):
        raise PermissionDenied
    if not is_confirmed(request) and entry.status != DirectoryEntry.Status.REMOVED:  # removed: the service says so
        return _confirm_inspection(request, entry, plan, complaint)
    with refusal(request, errors_as_message=True) as refused:
        inspection = services.inspection_open(
            entry=entry, by=request.user, plan=plan, complaint=complaint, request=request
        )
    if refused:
        return redirect("supervision:agency_file", entry.pk)
    return redirect("supervision:inspection_detail", inspection.pk)


def _confirm_inspection(request, entry, plan, complaint):
    if plan is not None:
        subject = _("the evaluation of %(day)s, %(occupation)s") % {
            "day": plan.first_day.isoformat(),
            "occupation": plan.occupation.name,
        }
    elif complaint is not None:
        subject = _("following %(complaint)s") % {"complaint": complaint}
    else:
        subject = _("the agency in general")
    consequences = [
        _("On-site supervision of %(agency)s is started today in your name (%(subject)s).")
        % {"agency": entry.organisation.name, "subject": subject},
        _("The on-site supervision enters the agency's supervision file and the audit log; it cannot be deleted."),
    ]
    if complaint is not None:
        consequences.append(_("An accepted complaint it follows is marked as under investigation."))
    return confirm_page(
        request,
        title=_("Start on-site supervision of %(name)s?") % {"name": entry.organisation.name},
        consequences=consequences,
        button=_("Start the on-site supervision"),
        cancel_url=reverse("supervision:agency_file", args=[entry.pk]),
    )


@roles(*READERS)
@camera_allowed
def inspection_detail(request, pk: int):
    inspection = inspection_for(request, pk)
    may_act = services.may_act_on(request.user, inspection) and inspection.status == "open"
    finding_form, complete_form, errors = FindingForm(), CompleteForm(), {}
    if request.method == "POST":
        if not may_act:
            return redirect("supervision:inspection_detail", inspection.pk)
        action = request.POST.get("action", "")
        with refusal(request) as refused:
            if action == "checklist":
                results = {
                    code: {
                        "result": request.POST.get(f"result-{code}", ""),
                        "note": request.POST.get(f"note-{code}", ""),
                    }
                    for code, _label in CHECKLIST
                }
                services.inspection_checklist_save(inspection=inspection, by=request.user, results=results)
                done = _("Checklist saved.")
            elif action == "photos":
                services.inspection_photos_add(
                    inspection=inspection,
                    by=request.user,
                    files=request.FILES.getlist("photos"),
                    caption=request.POST.get("caption", ""),
                )
                done = _("Photos added.")
            elif action == "finding":
                finding_form = FindingForm(request.POST)
                finding_form.is_valid()
                data = finding_form.cleaned_data
                services.finding_add(
                    inspection=inspection,
                    by=request.user,
                    text=data.get("text") or "",
                    requirement=data.get("requirement") or "",
                    workdays=data.get("workdays"),
                    request=request,
                )
                done = _("Finding recorded.")
            elif action == "complete":
                complete_form = CompleteForm(request.POST)
                complete_form.is_valid()
                services.inspection_complete(
                    inspection=inspection,
                    by=request.user,
                    rating=complete_form.cleaned_data.get("rating") or "",
                    summary=complete_form.cleaned_data.get("summary") or "",
                    request=request,
                )
                done = _("Inspection completed.")
            else:
                done = ""
        if not refused:
            if done:
                messages.success(request, done)
            return redirect("supervision:inspection_detail", inspection.pk)
        if refused.errors:
            errors = refused.errors
            add_to_form(
                finding_form if action == "finding" else complete_form,
                {k: v for k, v in errors.items() if k in ("text", "requirement", "workdays", "rating", "summary")},
            )
            inspection.refresh_from_db()
        else:
            return redirect("supervision:inspection_detail", inspection.pk)
    context = {
        "inspection": inspection,
        "rows": inspection.checklist_rows(),
        "photos": inspection.photos.all(),
        "findings": inspection.findings.select_related("rectification"),
        "may_act": may_act,
        "finding_form": finding_form,
        "complete_form": complete_form,
        "errors": errors,
        "accept": ACCEPT,
        "default_workdays": settings.RECTIFICATION_WORKDAYS,
        "file_readable": entries_supervised_by(request.user).filter(pk=inspection.entry_id).exists(),
    }
    return render(request, "supervision/inspection_detail.html", context, status=400 if errors else 200)


@roles(*READERS)
def inspection_photo(request, pk: int, photo_pk: int):
    photo = inspection_photo_for(inspection_for(request, pk), photo_pk)
    return stored_file_response(photo.file, filename=photo.original_name, content_type=photo.content_type)


@roles(*READERS)
@camera_allowed
def rectification_detail(request, pk: int):
    rectification = rectification_for(request, pk)
    inspection = rectification.finding.inspection
    user = request.user
    is_agency = user.role == Role.AGENCY
    answer_form, decision_form = RectificationAnswerForm(), RectificationDecisionForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        with refusal(request) as refused:
            if action == "answer" and is_agency:
                answer_form = RectificationAnswerForm(request.POST)
                answer_form.is_valid()
                services.rectification_answer(
                    rectification=rectification,
                    by=user,
                    answer=answer_form.cleaned_data.get("answer") or "",
                    files=request.FILES.getlist("evidence"),
                    request=request,
                )
                done = _("Your answer has been sent to the inspector.")
            elif action in ("close", "escalate") and not is_agency:
                decision_form = RectificationDecisionForm(request.POST)
                decision_form.is_valid()
                step = services.rectification_close if action == "close" else services.rectification_escalate
                step(
                    rectification=rectification,
                    by=user,
                    note=decision_form.cleaned_data.get("note") or "",
                    request=request,
                )
                done = _("The rectification order is closed.") if action == "close" else _("Escalated for a sanction.")
            else:
                done = ""
        if not refused:
            if done:
                messages.success(request, done)
            return redirect("supervision:rectification_detail", rectification.pk)
        if not refused.errors:
            return redirect("supervision:rectification_detail", rectification.pk)
        add_to_form(
            answer_form if is_agency else decision_form,
            {k: v for k, v in refused.errors.items() if k in ("answer", "note")},
        )
        rectification.refresh_from_db()
        context = _rectification_context(request, rectification, inspection, answer_form, decision_form)
        context["errors"] = refused.errors
        return render(request, "supervision/rectification_detail.html", context, status=400)
    context = _rectification_context(request, rectification, inspection, answer_form, decision_form)
    return render(request, "supervision/rectification_detail.html", context)


def _rectification_context(request, rectification, inspection, answer_form, decision_form) -> dict:
    user = request.user
    open_ = rectification.status == Rectification.Status.OPEN
    return {
        "rectification": rectification,
        "inspection": inspection,
        "entry": inspection.entry,
        # A drawn inspector from another city reads the inspection, not the agency's whole file.
        "file_readable": entries_supervised_by(user).filter(pk=inspection.entry_id).exists(),
        "evidence": rectification.evidence.all(),
        "answer_form": answer_form,
        "decision_form": decision_form,
        "may_answer": user.role == Role.AGENCY and open_,
        "may_decide_order": services.may_act_on(user, inspection)
        and rectification.status in (Rectification.Status.OPEN, Rectification.Status.ANSWERED),
        "may_sanction": rectification.status == Rectification.Status.ESCALATED
        and may_decide(user, inspection.entry)
        and not rectification.sanctions.exists(),
        "sanctions": rectification.sanctions.all(),
        "overdue": open_ and timezone.localdate() > rectification.deadline,
        "accept": ACCEPT,
        "errors": {},
    }


@roles(*READERS)
def rectification_evidence(request, pk: int, file_pk: int):
    evidence = evidence_for(rectification_for(request, pk), file_pk)
    return stored_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)
