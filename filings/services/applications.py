"""Writes of the filing application: create, save a draft, attachments, submit, withdraw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Call, Organisation, Scope
from filings import workflow
from filings.conditions import CheckResult, evaluate
from filings.drafts import build_sections
from filings.forms import SECTIONS_BY_KEY
from filings.models import (
    Application,
    ApplicationOccupation,
    ApplicationVersion,
    Attachment,
    State,
    StateChange,
)
from filings.notifications import notify_submitted
from filings.selectors import current_attachments
from portal.lib.errors import WorkflowError
from portal.lib.http import client_ip, is_digits
from portal.lib.uploads import check_upload
from portal.lib.workdays import add_workdays
from portal.models import AuditEvent, Role, User
from portal.services import audit_record, audit_text


@dataclass
class Problem:
    """Something that blocks submission, with where to fix it."""

    section: str
    message: str
    anchor: str


def _require_agency_of(application: Application, user: User) -> None:
    if user.role != Role.AGENCY or user.organisation_id != application.organisation_id:
        raise PermissionDenied


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("call_version", "organisation").get(pk=application.pk)


def enter_state(application: Application, state: State) -> None:
    """Move to ``state`` and start its working-day clock (``workflow.STAGE_DEADLINES``)."""
    application.state = state
    application.stage_started_at = timezone.now()
    days = workflow.STAGE_DEADLINES.get(state)
    application.deadline = add_workdays(timezone.localdate(), days) if days else None
    application.overdue_notified_on = None


def application_create(*, organisation: Organisation, call: Call, by: User) -> Application:
    """Start a draft under the call's current version, prefilled from the organisation's registration."""
    version = call.current_version
    if version is None or not version.is_open(timezone.localdate()):
        raise WorkflowError(_("This call is not open for applications."))
    basic = {
        "name": organisation.name,
        "address": organisation.address,
        "uscc": organisation.uscc,
        "nature": organisation.nature,
        "legal_representative": organisation.legal_representative,
        "contact_name": organisation.contact_name,
        "contact_phone": organisation.contact_phone,
        "email": organisation.email,
    }
    application = Application.objects.create(
        organisation=organisation,
        region=organisation.region,
        call=call,
        call_version=version,
        created_by=by,
        data={"basic": basic},
    )
    audit_record(action="application_create", actor=by, obj=application)
    return application


def application_save_draft(*, application: Application, data: dict, by: User) -> Application:
    """Store what was typed. After a correction request only the flagged sections change."""
    with transaction.atomic():
        application = _locked(application)
        _require_agency_of(application, by)
        if not application.is_editable:
            raise WorkflowError(_("This application can no longer be edited."))
        editable = set(application.flagged_sections) if application.state == State.CORRECTION else set(data)
        merged = dict(application.data)
        merged.update({key: value for key, value in data.items() if key in editable and key in SECTIONS_BY_KEY})
        # The name and the unified social credit code are those registered (and printed on the receipt): the
        # form shows them read-only, and whatever a tampered request sends for them is ignored.
        basic = dict(merged.get("basic") or {})
        basic.update(name=application.organisation.name, uscc=application.organisation.uscc)
        merged["basic"] = basic
        application.data = merged
        application.scope = (merged.get("basic") or {}).get("scope", "") if merged.get("basic") else ""
        if application.scope not in Scope.values:
            application.scope = ""
        application.save(update_fields=["data", "scope", "updated"])
        _audit_draft_save(application, by)
    return application


# The form saves itself every few seconds while it is typed in: one audit row per person and draft in this time.
DRAFT_SAVE_AUDIT_INTERVAL = dt.timedelta(minutes=10)


def _audit_draft_save(application: Application, by: User) -> None:
    recent = AuditEvent.objects.filter(
        action=AuditEvent.Action.DRAFT_SAVE,
        actor=by,
        object_type=Application._meta.label,
        object_id=str(application.pk),
        time__gte=timezone.now() - DRAFT_SAVE_AUDIT_INTERVAL,
    )
    if not recent.exists():
        audit_record(action="draft_save", actor=by, obj=application)


def required_materials(application: Application, data: dict | None = None) -> list[dict]:
    """The call's materials that this application must attach, given what it declared."""
    data = application.data if data is None else data
    leased = (data.get("basic") or {}).get("office_ownership") == "leased" or (data.get("site") or {}).get(
        "ownership"
    ) == "leased"
    own_name = (data.get("basic") or {}).get("name") or application.organisation.name
    external = any(
        row.get("employer", "").strip() not in ("", own_name)
        for key in ("examiners", "experts", "supervisors")
        for row in data.get(key, [])
    )
    needed = []
    for material in application.call_version.materials:
        when = material.get("when", "")
        if not material.get("required"):
            continue
        if (when == "leased" and not leased) or (when == "external_staff" and not external):
            continue
        needed.append(material)
    return needed


def application_checks(application: Application) -> list[CheckResult]:
    return evaluate(
        application.call_version.rules,
        application.data,
        organisation_name=application.organisation.name,
        materials=set(current_attachments(application)),
    )


def application_problems(application: Application) -> list[Problem]:
    """Structural gaps that block submission: incomplete sections, invalid fields, missing materials."""
    problems = []
    states = build_sections(application, validate_all=True)
    for state in states:
        title = str(state.section.title)
        if state.too_few_rows:
            problems.append(Problem(state.key, _("%(section)s: add at least one row.") % {"section": title}, state.key))
        if not state.bound:
            continue
        for index, form in enumerate(state.forms):
            if state.too_few_rows or form.is_valid():
                continue
            row = _(" row %(n)d") % {"n": index + 1} if state.section.many else ""
            for field_name, errors in form.errors.items():
                label = form.fields[field_name].label if field_name in form.fields else ""
                anchor = f"id_{form.prefix}-{field_name}" if field_name in form.fields else state.key
                for error in errors:
                    problems.append(Problem(state.key, f"{title}{row} · {label}：{error}", anchor))
    problems.extend(_cross_section_problems(application))
    attached = current_attachments(application)
    for material in required_materials(application):
        if material["code"] not in attached:
            problems.append(
                Problem(
                    "materials",
                    _("Attach the material: %(label)s.") % {"label": material["label"]},
                    f"material-{material['code']}",
                )
            )
    return problems


def _cross_section_problems(application: Application) -> list[Problem]:
    problems = []
    data = application.data
    # A level ceiling for a scope (the 2020 pilot's "city scope: level 3 and below") is a rule of the call's
    # condition profile (``max_level``), shown to every reviewer with its clause; it is not a rule of every call.
    title = str(SECTIONS_BY_KEY["occupations"].title)
    seen = set()
    for index, row in enumerate(data.get("occupations", [])):
        level = row.get("level", "")
        anchor = f"id_occupations-{index}-level"
        key = (row.get("occupation"), row.get("work_type", ""), level)
        if key in seen:
            problems.append(
                Problem(
                    "occupations",
                    _("%(section)s row %(n)d repeats an occupation and level already entered.")
                    % {"section": title, "n": index + 1},
                    anchor,
                )
            )
        seen.add(key)
    return problems


# The stamped, signed form goes back while the application is being reviewed, not before nor after.
SIGNED_SCAN_STATES = (State.POLICE_REVIEW, State.CITY_REVIEW, State.ACCEPTANCE, State.ASSESSMENT)


def attachment_add(*, application: Application, material: str, uploaded: UploadedFile, by: User) -> Attachment:
    codes = {m["code"] for m in application.call_version.materials} | {"signed_scan", "other"}
    if material not in codes:
        raise ValidationError(_("Unknown material."))
    with transaction.atomic():
        application = _locked(application)
        _require_agency_of(application, by)
        if material == "signed_scan":
            if application.state not in SIGNED_SCAN_STATES:
                raise WorkflowError(_("Upload the signed and stamped form after submitting."))
        elif not application.is_editable or (
            application.state == State.CORRECTION and "materials" not in application.flagged_sections
        ):
            raise WorkflowError(_("Materials can no longer be changed."))
        info = check_upload(uploaded)
        same = application.attachments.filter(material=material, sha256=info.sha256, removed=False).first()
        if same is not None:
            raise ValidationError(_("This file is already attached here as “%(name)s”.") % {"name": same.original_name})
        uploaded.checked_info = info
        attachment = Attachment(
            application=application,
            material=material,
            original_name=info.original_name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            uploaded_by=by,
            file=uploaded,  # stored under a generated name on save (portal.lib.uploads.UploadTo)
        )
        attachment.save()
        labels = {m["code"]: m["label"] for m in application.call_version.materials}
        labels.update(
            signed_scan=audit_text(gettext_lazy("Signed and stamped form")), other=audit_text(gettext_lazy("Other"))
        )
        audit_record(
            action="attachment_add",
            actor=by,
            obj=application,
            detail=f"{labels.get(material, material)}：{info.original_name}",
        )
    return attachment


def application_personal_data_viewed(*, application: Application, by: User, what: str) -> None:
    """Record that someone outside the applying organisation (a reviewing official, an expert) read the
    application's personal data — its people's names, ID numbers and contacts — on a page, a PDF or a material
    (``what``: which). The agency reading its own application is not recorded."""
    if by.organisation_id is not None and by.organisation_id == application.organisation_id:
        return
    audit_record(action="personal_data_view", actor=by, obj=application, detail=what[:200])


def attachment_remove(*, attachment: Attachment, by: User) -> None:
    with transaction.atomic():
        application = _locked(attachment.application)
        _require_agency_of(application, by)
        if not application.is_editable or (
            application.state == State.CORRECTION and "materials" not in application.flagged_sections
        ):
            raise WorkflowError(_("Materials can no longer be changed."))
        attachment.removed = True
        attachment.save(update_fields=["removed"])
        audit_record(action="attachment_remove", actor=by, obj=application, detail=attachment.original_name)


def _record(application: Application, *, from_state: str, by: User, comment: str = "", version=None) -> StateChange:
    return StateChange.objects.create(
        application=application,
        from_state=from_state,
        to_state=application.state,
        actor=by,
        role=by.role,
        department=by.department,
        comment=comment,
        version_number=version,
    )


def application_submit(
    *,
    application: Application,
    by: User,
    commitment_name: str,
    consent: bool,
    request: HttpRequest | None = None,
) -> ApplicationVersion:
    """Freeze a numbered version; send it to the first reviewer (or back to the one who asked to correct)."""
    with transaction.atomic():
        application = _locked(application)
        _require_agency_of(application, by)
        if not application.is_editable:
            raise WorkflowError(_("This application has already been submitted."))
        if application.state == State.DRAFT:
            current = application.call.current_version
            if current is None or not current.is_open(timezone.localdate()):
                raise WorkflowError(_("The call has closed; the application can no longer be submitted."))
            application.call_version = current
        problems = application_problems(application)
        if problems:
            raise ValidationError([p.message for p in problems])
        legal = (application.data.get("basic") or {}).get("legal_representative", "").strip()
        if not consent or commitment_name.strip() != legal:
            raise ValidationError(
                _("The legal representative (%(name)s) must type their name and agree to the commitment letter.")
                % {"name": legal}
            )
        now = timezone.now()
        number = (application.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        checks = application_checks(application)
        version = ApplicationVersion.objects.create(
            application=application,
            number=number,
            call_version=application.call_version,
            data=application.data,
            attachments={m: [a.pk for a in items] for m, items in current_attachments(application).items()},
            checks=[check.as_dict() for check in checks],
            commitment_name=commitment_name.strip(),
            commitment_at=now,
            commitment_ip=client_ip(request),
            submitted_by=by,
            submitted_at=now,
        )
        from_state = application.state
        if from_state == State.CORRECTION:
            enter_state(application, State(application.return_state or State.CITY_REVIEW))
        else:
            enter_state(
                application, workflow.submit_transition(application.call_version.workflow, application.scope).target
            )
            application.reference = application.reference or _reference(application, now)
        application.flagged_sections = []
        application.return_state = ""
        application.submitted_at = now
        application.save()
        ApplicationOccupation.objects.filter(application=application).delete()
        codes = {o.code: o for o in application.call_version.offered_occupations}
        rows = {
            (row["occupation"], int(row["level"]))
            for row in application.data.get("occupations", [])
            if row.get("occupation") in codes and is_digits(str(row.get("level", "")))
        }
        ApplicationOccupation.objects.bulk_create(
            ApplicationOccupation(application=application, occupation=codes[code], level=level) for code, level in rows
        )
        _record(application, from_state=from_state, by=by, version=number)
        audit_record(
            action="application_submit",
            request=request,
            actor=by,
            obj=application,
            detail=audit_text(gettext_lazy("Version %(number)d"), number=number),
        )
        submitted_to = application.state
        transaction.on_commit(lambda: notify_submitted(application.pk, number, submitted_to))
    return version


def _reference(application: Application, now) -> str:
    return f"BA{application.call.province.code[:2]}{now:%Y}{application.pk:06d}"


def application_withdraw(*, application: Application, by: User, request: HttpRequest | None = None) -> None:
    """The agency takes its submission back, possible only until a reviewer has acted on it."""
    with transaction.atomic():
        application = _locked(application)
        _require_agency_of(application, by)
        transition = workflow.find(application.call_version.workflow, "withdraw", application.state)
        last = application.history.order_by("-time", "-id").first()
        if transition is None or last is None or last.actor.role != Role.AGENCY:
            raise WorkflowError(_("A reviewer has already acted on this application; it can no longer be withdrawn."))
        from_state = application.state
        enter_state(application, transition.target)
        application.save()
        _record(application, from_state=from_state, by=by)
        audit_record(action="application_withdraw", request=request, actor=by, obj=application)


def application_reopen(*, application: Application, by: User) -> None:
    """A withdrawn application goes back to draft, to be edited and submitted again."""
    with transaction.atomic():
        application = _locked(application)
        _require_agency_of(application, by)
        if application.state != State.WITHDRAWN:
            raise WorkflowError(_("Only a withdrawn application can be reopened."))
        application.state = State.DRAFT
        application.save(update_fields=["state", "updated"])
        _record(application, from_state=State.WITHDRAWN, by=by)
        audit_record(action="application_reopen", actor=by, obj=application)
