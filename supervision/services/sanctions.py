"""Sanctions (退出机制) and the credit record (信用档案).

Who decides: the city HR bureau whose jurisdiction holds the agency's city (warning, order to rectify,
suspension) and the province's centre, which files agencies and alone removes them from the directory
(移出目录). Each decision has its facts, its basis (the clause quoted), a number, a decision document (PDF,
``supervision.views.sanctions.sanction_pdf``), an audit row and a line in the credit record; suspension and
removal change the directory's status through ``agencies.services`` (a suspended or removed agency cannot plan,
announce or certify; removal is permanent for that filing, and withdraws the agency's evaluations not begun:
``supervision.removal`` says what it does to the rest).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry
from agencies.services import directory_lift, directory_remove, directory_suspend
from portal.lib.errors import WorkflowError
from portal.lib.uploads import check_upload
from portal.models import Department, Role, User
from portal.services import audit_record, audit_text, notifications_done, notify
from supervision.models import (
    Complaint,
    CreditRecord,
    CrossRegionReport,
    Plan,
    Rectification,
    Sanction,
    SanctionReportFile,
)
from supervision.removal import plans_withdrawn_by_removal
from supervision.selectors import suspension_in_force
from supervision.services.plans import consent_done

# The clause most sanctions rest on (the Guangxi 2020 pilot notice, 四（一）), offered as the basis to quote.
PILOT_EXIT_CLAUSE = (
    "《关于开展社会培训评价组织职业技能等级认定试点工作的通知》四（一）：建立问题查处和责任追究制度，建立信用档案和退出"
    "机制，对违规失信、恶意竞争、管理失序的试点机构，移出目录，取消试点资格。"
)
# A basis is a clause of a rule: the document's name between book-title marks, the clause's number, its text.
# A name alone, a number alone or another paper of the file (a receipt, a decision number) is no basis.
BASIS_DOCUMENT = re.compile(r"《[^《》]{4,}》")
BASIS_CLAUSE = re.compile(
    r"第[一二三四五六七八九十百零〇0-9]+[条款项章]"  # 第十二条, 第三款
    r"|[一二三四五六七八九十]+[（(][一二三四五六七八九十0-9]+[)）]"  # 四（一）
    r"|[一二三四五六七八九十]+、"  # 四、
    r"|附件\s*[0-9一二三四五六七八九十]+"  # 附件1
)
# Papers of an agency's own file, which record a filing or a decision and lay down no rule to rest one on.
FILE_PAPERS = ("回执", "申请表", "营业执照", "登记证书", "承诺书", "决定书", "告知书", "检查记录")
MIN_BASIS_TEXT = 8  # Chinese characters of the clause's own text, beside the document's name and the number
MAX_SUSPENSION_DAYS = 366


def in_jurisdiction(user: User, entry: DirectoryEntry) -> bool:
    jurisdiction = user.jurisdiction
    return jurisdiction is not None and entry.region.path.startswith(jurisdiction.path)


def may_decide(user: User, entry: DirectoryEntry, kind: str | None = None) -> bool:
    """The city HR bureau of the agency's city (not removal) or the province's centre."""
    if not user.is_authenticated or not in_jurisdiction(user, entry):
        return False
    if user.role == Role.CENTRE:
        return True
    return user.role == Role.CITY_HR and kind != Sanction.Kind.REMOVAL


def sanction_deciders(entry: DirectoryEntry):
    """The officials who may decide a sanction on ``entry``: its city's HR bureau and its province's centre."""
    codes = [code for code in entry.region.path.split("/") if code]
    return User.objects.filter(role__in=(Role.CITY_HR, Role.CENTRE), is_active=True, department__region__code__in=codes)


def credit_record_add(
    *, entry: DirectoryEntry, kind: str, summary: str, by: User | None, sanction=None, complaint=None, finding=None
) -> CreditRecord:
    """A line in the agency's credit record; called inside the deciding service's transaction."""
    return CreditRecord.objects.create(
        entry=entry,
        kind=kind,
        summary=summary,
        recorded_on=timezone.localdate(),
        recorded_by=by,
        sanction=sanction,
        complaint=complaint,
        finding=finding,
    )


def _decision_number(entry: DirectoryEntry, department, year: int) -> str:
    """南宁市人社督〔2026〕3号 for a city bureau's decision: the city of the agency, the year, the sequence of that
    city's decisions. A decision of another department (the centre removing an agency) carries that department's
    own name: 广西壮族自治区职业技能鉴定中心督〔2026〕1号."""
    by_city = department is None or department.kind == Department.Kind.HR_BUREAU
    issuer = f"{entry.region.name}人社" if by_city else department.name
    prefix = f"{issuer}督〔{year}〕"
    count = Sanction.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1}号"


def decision_number_next(*, entry: DirectoryEntry, by: User) -> str:
    """The number the decision ``by`` is about to take on ``entry`` will carry, for the page that asks to confirm
    it. The decision itself is numbered again when it is taken (a decision taken meanwhile on another agency of the
    same city takes the number first): the page says so."""
    return _decision_number(entry, by.department, timezone.localdate().year)


def basis_problems(basis: str) -> list[str]:
    """What a decision's basis lacks, each part said on its own: the document, the clause's number, its text."""
    problems = []
    documents = BASIS_DOCUMENT.findall(basis)
    if not documents:
        problems.append(_("Name the document the clause is from, between book-title marks."))
    papers = [name for name in documents if any(paper in name for paper in FILE_PAPERS)]
    if papers:
        problems.append(
            _("%(document)s is a paper of the agency's file, not a rule: quote the notice or regulation instead.")
            % {"document": papers[0]}
        )
    if not BASIS_CLAUSE.search(basis):
        problems.append(_("Give the number of the article or clause."))
    text = BASIS_CLAUSE.sub("", BASIS_DOCUMENT.sub("", basis))
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < MIN_BASIS_TEXT:
        problems.append(
            _("Quote the clause's own text after its number (at least %(min)d characters).") % {"min": MIN_BASIS_TEXT}
        )
    return problems


def sanction_problems(
    *, kind: str, facts: str, basis: str, rectify_by: dt.date | None, until: dt.date | None, today: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in Sanction.Kind.values:
        errors["kind"] = [_("Choose the sanction.")]
    if not facts.strip():
        errors["facts"] = [_("State the facts found.")]
    if problems := basis_problems(basis):
        errors["basis"] = problems
    if kind == Sanction.Kind.RECTIFICATION:
        if rectify_by is None:
            errors["rectify_by"] = [_("Give the day by which the agency must rectify.")]
        elif rectify_by <= today:
            errors["rectify_by"] = [_("The rectification deadline must be after today.")]
    if kind == Sanction.Kind.SUSPENSION:
        if until is None:
            errors["until"] = [_("Give the last day of the suspension.")]
        elif until < today:
            errors["until"] = [_("The end of the suspension cannot be in the past.")]
        elif (until - today).days > MAX_SUSPENSION_DAYS:
            errors["until"] = [_("A suspension lasts at most a year; to end the filing, remove the agency.")]
    # Each date belongs to one measure: a date given for another is refused, not dropped unseen (a form without
    # script shows both fields).
    if rectify_by is not None and kind in Sanction.Kind.values and kind != Sanction.Kind.RECTIFICATION:
        errors["rectify_by"] = [
            _("This date is for an order to rectify only; leave it empty for a %(kind)s.")
            % {"kind": Sanction.Kind(kind).label}
        ]
    if until is not None and kind in Sanction.Kind.values and kind != Sanction.Kind.SUSPENSION:
        errors["until"] = [
            _("This date is for a suspension only; leave it empty for a %(kind)s.")
            % {"kind": Sanction.Kind(kind).label}
        ]
    return errors


def sanction_refused(entry: DirectoryEntry, kind: str) -> str | None:
    """Why no sanction of ``kind`` can be decided on ``entry`` now, whatever is typed: the sentence
    ``sanction_decide`` refuses it with, or None. The form asks it too, so that a refused decision is not first
    sent to a confirmation page."""
    if entry.status == DirectoryEntry.Status.REMOVED:
        return _("The agency has been removed from the directory; no further sanction applies.")
    if kind == Sanction.Kind.SUSPENSION and (in_force := suspension_in_force(entry)) is not None:
        return _("The agency is already suspended until %(date)s (%(number)s); lift that suspension first.") % {
            "date": in_force.until,
            "number": in_force.number,
        }
    return None


def sanction_decide(
    *,
    entry: DirectoryEntry,
    kind: str,
    facts: str,
    basis: str,
    by: User,
    rectify_by: dt.date | None = None,
    until: dt.date | None = None,
    complaint: Complaint | None = None,
    rectification=None,
    follows: Sanction | None = None,
    request=None,
) -> Sanction:
    """Decide a sanction on a filed agency; suspension and removal change its directory status at once."""
    if not may_decide(by, entry, kind):
        raise PermissionDenied
    today = timezone.localdate()
    facts, basis = facts.strip(), basis.strip()
    errors = sanction_problems(kind=kind, facts=facts, basis=basis, rectify_by=rectify_by, until=until, today=today)
    if errors:
        raise ValidationError(errors)
    if follows is not None and (
        follows.entry_id != entry.pk or follows.report_status != Rectification.Status.ESCALATED
    ):
        raise WorkflowError(_("Only an escalated order to rectify of this agency can be followed by a sanction."))
    with transaction.atomic():
        entry = DirectoryEntry.objects.select_for_update().select_related("region", "organisation").get(pk=entry.pk)
        refused = sanction_refused(entry, kind)
        if refused:
            raise WorkflowError(refused)
        in_force = suspension_in_force(entry)
        sanction = Sanction.objects.create(
            entry=entry,
            kind=kind,
            number=_decision_number(entry, by.department, today.year),
            facts=facts,
            basis=basis,
            department=by.department,
            decided_by=by,
            decided_on=today,
            rectify_by=rectify_by if kind == Sanction.Kind.RECTIFICATION else None,
            until=until if kind == Sanction.Kind.SUSPENSION else None,
            complaint=complaint,
            rectification=rectification,
            follows=follows,
            report_status=Rectification.Status.OPEN if kind == Sanction.Kind.RECTIFICATION else "",
        )
        with translation.override(settings.LANGUAGE_CODE):
            label = str(sanction.get_kind_display())
            reason = _("%(kind)s, decision %(number)s by %(department)s. Basis: %(basis)s") % {
                "kind": label,
                "number": sanction.number,
                "department": by.department,
                "basis": basis,
            }
            if kind == Sanction.Kind.SUSPENSION:
                directory_suspend(entry=entry, until=until, reason=reason, by=by)
            elif kind == Sanction.Kind.REMOVAL:
                if in_force:
                    in_force.lifted_on, in_force.lifted_by = today, by
                    in_force.lift_reason = _("Replaced by the removal %(number)s.") % {"number": sanction.number}
                    in_force.save(update_fields=["lifted_on", "lifted_by", "lift_reason"])
                directory_remove(entry=entry, reason=reason, by=by)
                _withdraw_plans(entry, sanction=sanction, by=by, today=today, request=request)
            credit_record_add(
                entry=entry,
                kind=CreditRecord.Kind.SANCTION,
                summary=f"{label}（{sanction.number}）：{facts}",
                by=by,
                sanction=sanction,
                complaint=complaint,
            )
            audit_record(
                action="sanction_decide",
                request=request,
                actor=by,
                obj=sanction,
                detail=audit_text(
                    gettext_lazy("%(kind)s, agency: %(agency)s (directory entry %(pk)s)"),
                    kind=audit_text(Sanction.Kind(kind).label),
                    agency=entry.organisation.name,
                    pk=entry.pk,
                ),
            )
            if follows is not None:
                # The escalated order to rectify waited for this decision: no longer a to-do for any decider.
                notifications_done(
                    users=sanction_deciders(entry), link=reverse("supervision:sanction_detail", args=[follows.pk])
                )
            if rectification is not None:
                # The escalated order waited for this decision: no longer a to-do for any decider.
                notifications_done(
                    users=sanction_deciders(entry),
                    link=reverse("supervision:rectification_detail", args=[rectification.pk]),
                )
            _notify(
                sanction,
                _("Sanction decided on %(name)s: %(kind)s (%(number)s)")
                % {"name": entry.organisation.name, "kind": label, "number": sanction.number},
                by=by,
            )
    return sanction


# ---------------------------------------------------------------- the agency's report on an order to rectify


def _locked_order(sanction: Sanction, allowed: tuple[str, ...]) -> Sanction:
    locked = Sanction.objects.select_for_update(of=("self",)).select_related("entry__organisation").get(pk=sanction.pk)
    if locked.kind != Sanction.Kind.RECTIFICATION:
        raise WorkflowError(_("Only an order to rectify is answered with a rectification report."))
    if locked.report_status not in allowed:
        raise WorkflowError(
            _("The order to rectify is “%(status)s”: this step is not possible now.")
            % {"status": locked.get_report_status_display()}
        )
    return locked


def _checked_report_pdf(uploaded: UploadedFile | None):
    """The report's optional PDF, checked by its content and size as every upload is; a PDF only."""
    if not uploaded:
        return None
    info = check_upload(uploaded)
    if info.content_type != "application/pdf":
        raise ValidationError(_("Attach the report as a PDF (this file is an image)."))
    return info


def sanction_report_submit(
    *, sanction: Sanction, by: User, text: str, file: UploadedFile | None = None, request=None
) -> Sanction:
    """The agency reports its rectification on an order to rectify: what it did, with a PDF if it has one. The
    deciding office is told and checks it."""
    entry = sanction.entry
    if by.role != Role.AGENCY or by.organisation_id != entry.organisation_id:
        raise PermissionDenied
    text = text.strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Say what was rectified and how.")]
    info = None
    try:
        info = _checked_report_pdf(file)
    except ValidationError as error:
        errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sanction = _locked_order(sanction, (Rectification.Status.OPEN,))
        sanction.report_status = Rectification.Status.ANSWERED
        sanction.report_text, sanction.reported_at, sanction.reported_by = text, timezone.now(), by
        sanction.save(update_fields=["report_status", "report_text", "reported_at", "reported_by"])
        if info is not None:
            SanctionReportFile.objects.create(
                sanction=sanction,
                file=file,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
            )
        audit_record(action="rectification_answer", request=request, actor=by, obj=sanction)
        link = reverse("supervision:sanction_detail", args=[sanction.pk])
        notifications_done(users=_agency_users(entry), link=link)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Rectification report on %(number)s from %(name)s") % {
                "number": sanction.number,
                "name": entry.organisation.name,
            }
            notify(
                users=_deciding_office(sanction),
                subject=subject,
                body=subject + "\n" + _("Check the report, then close the order or escalate it."),
                link=link,
                todo=True,
            )
    return sanction


def may_check_report(user: User, sanction: Sanction) -> bool:
    """Who closes or escalates an order to rectify: those who may decide one on the agency."""
    return may_decide(user, sanction.entry, Sanction.Kind.RECTIFICATION)


def sanction_report_close(*, sanction: Sanction, by: User, note: str = "", request=None) -> Sanction:
    """The report checked: the order to rectify is closed."""
    if not may_check_report(by, sanction):
        raise PermissionDenied
    with transaction.atomic():
        sanction = _locked_order(sanction, (Rectification.Status.ANSWERED,))
        _checked(sanction, Rectification.Status.CLOSED, note=note.strip(), by=by)
        audit_record(action="rectification_close", request=request, actor=by, obj=sanction)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Rectification on %(number)s verified; the order is closed.") % {"number": sanction.number}
        _tell_agency(sanction, subject)
    return sanction


def sanction_report_escalate(*, sanction: Sanction, by: User, note: str, request=None) -> Sanction:
    """Not rectified (or not in time): escalated; the office then decides a further sanction, which follows it."""
    if not may_check_report(by, sanction):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError({"note": [_("Say why the order is escalated.")]})
    with transaction.atomic():
        sanction = _locked_order(sanction, (Rectification.Status.OPEN, Rectification.Status.ANSWERED))
        _checked(sanction, Rectification.Status.ESCALATED, note=note, by=by)
        audit_record(action="rectification_escalate", request=request, actor=by, obj=sanction, detail=note[:200])
        notifications_done(
            users=_agency_users(sanction.entry), link=reverse("supervision:sanction_detail", args=[sanction.pk])
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Order to rectify %(number)s escalated: not rectified.") % {"number": sanction.number}
        _tell_agency(sanction, subject)
    return sanction


def _checked(sanction: Sanction, status: str, *, note: str, by: User) -> None:
    sanction.report_status, sanction.report_note = status, note
    sanction.report_checked_by, sanction.report_checked_at = by, timezone.now()
    sanction.save(update_fields=["report_status", "report_note", "report_checked_by", "report_checked_at"])
    # Checked: no longer a to-do of the office.
    notifications_done(
        users=_deciding_office(sanction), link=reverse("supervision:sanction_detail", args=[sanction.pk])
    )


def _agency_users(entry: DirectoryEntry):
    return User.objects.filter(role=Role.AGENCY, is_active=True, organisation_id=entry.organisation_id)


def _deciding_office(sanction: Sanction):
    """The officials of the department that decided the order (who check the report), active ones."""
    return User.objects.filter(
        department_id=sanction.department_id, role__in=(Role.CITY_HR, Role.CENTRE), is_active=True
    )


def _tell_agency(sanction: Sanction, subject: str) -> None:
    notify(
        users=_agency_users(sanction.entry),
        subject=str(subject),
        body=str(subject) + "\n" + _("Open the portal for the details."),
        link=reverse("supervision:sanction_detail", args=[sanction.pk]),
    )


def _withdraw_plans(entry: DirectoryEntry, *, sanction: Sanction, by: User, today: dt.date, request) -> None:
    """A removed agency loses the right to evaluate (取消试点资格): its evaluations not begun are withdrawn, off the
    public list, each with an audit row; their pending reports to another city's HR bureau go with them."""
    plans = list(plans_withdrawn_by_removal(entry, today).select_for_update())
    for plan in plans:
        plan.status = Plan.Status.WITHDRAWN
        plan.save(update_fields=["status"])
        audit_record(
            action="plan_withdraw",
            request=request,
            actor=by,
            obj=plan,
            detail=audit_text(gettext_lazy("Withdrawn by the removal %(number)s"), number=sanction.number),
        )
    pending = CrossRegionReport.objects.filter(plan__in=plans, status=CrossRegionReport.Status.PENDING)
    for report in pending.select_related("plan__city"):
        consent_done(report.plan)
    pending.delete()


def sanction_lift(*, sanction: Sanction, reason: str, by: User, request=None) -> Sanction:
    """Lift a suspension in force before its end, with the reason (the rectification was verified)."""
    if not may_decide(by, sanction.entry, Sanction.Kind.SUSPENSION):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the suspension is lifted.")]})
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().select_related("entry__region").get(pk=sanction.pk)
        if not sanction.suspension_in_force:
            raise WorkflowError(_("This sanction is not a suspension in force."))
        _lift(sanction, reason=reason, by=by)
        audit_record(action="sanction_lift", request=request, actor=by, obj=sanction, detail=reason[:200])
        with translation.override(settings.LANGUAGE_CODE):
            _notify(
                sanction,
                _("Suspension of %(name)s lifted (%(number)s)")
                % {"name": sanction.entry.organisation.name, "number": sanction.number},
                by=by,
            )
    return sanction


def _lift(sanction: Sanction, *, reason: str, by: User | None) -> None:
    sanction.lifted_on, sanction.lifted_by, sanction.lift_reason = timezone.localdate(), by, reason
    sanction.save(update_fields=["lifted_on", "lifted_by", "lift_reason"])
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Suspension %(number)s lifted: %(reason)s") % {"number": sanction.number, "reason": reason}
    directory_lift(entry=sanction.entry, reason=text, by=by)


def suspensions_end(today: dt.date | None = None) -> int:
    """Nightly: every suspension whose last day has passed is lifted; the number lifted."""
    today = today or timezone.localdate()
    ended = Sanction.objects.filter(kind=Sanction.Kind.SUSPENSION, lifted_on=None, until__lt=today)
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(_("The suspension reached its last day."))
    count = 0
    for pk in ended.values_list("pk", flat=True):
        with transaction.atomic():
            # Lifted once: the row locked and read again, so a second run at the same time (a second beat, a
            # catch-up run, an official lifting it by hand) finds it lifted and passes (issue 16).
            sanction = (
                Sanction.objects.select_for_update(of=("self",))
                .select_related("entry__region")
                .filter(pk=pk, lifted_on=None)
                .first()
            )
            if sanction is None:
                continue
            _lift(sanction, reason=reason, by=None)
            audit_record(action="sanction_lift", obj=sanction, detail=reason)
        count += 1
    return count


def _notify(sanction: Sanction, subject: str, *, by: User) -> None:
    """The agency, and the officials of its city (HR bureau and police) and the centre of its province — but not
    the official who took the decision: they know what they just did."""
    entry = sanction.entry
    codes = [code for code in entry.region.path.split("/") if code]
    users = list(User.objects.filter(role=Role.AGENCY, is_active=True, organisation_id=entry.organisation_id)) + list(
        User.objects.filter(
            role__in=(Role.CITY_HR, Role.POLICE, Role.CENTRE), is_active=True, department__region__code__in=codes
        )
    )
    notify(
        users=[user for user in users if user.pk != by.pk],
        subject=str(subject),
        body=str(subject) + "\n" + _("Open the portal for the decision and its document."),
        link=reverse("supervision:sanction_detail", args=[sanction.pk]),
    )
