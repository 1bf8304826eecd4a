"""The agency's supervision file (credit record, sanctions, the traced chain) and the sanction pages: decide,
read, lift a suspension, the decision document as a PDF.

Every write goes through ``supervision.services.sanctions``; objects are loaded through ``supervision.loaders``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import DirectoryEntry
from portal.lib.access import roles
from portal.lib.confirm import confirm_page, is_back, is_confirmed, unbroken
from portal.lib.downloads import stored_file_response
from portal.lib.errors import add_to_form, refusal
from portal.lib.pdf import chinese_date, render_pdf
from portal.models import Role
from supervision.forms import LiftForm, RectificationDecisionForm, SanctionForm, SanctionReportForm
from supervision.loaders import (
    complaint_for,
    rectification_for,
    report_file_for,
    sanction_for,
    supervised_entry_for,
)
from supervision.models import Rectification, Sanction
from supervision.removal import removal_consequences
from supervision.selectors import agency_file as file_of
from supervision.services import sanctions as services
from supervision.services.inspections import may_inspect

READERS = (Role.AGENCY, Role.POLICE, Role.CITY_HR, Role.CENTRE, Role.ADMIN)
DECIDERS = (Role.CITY_HR, Role.CENTRE)


@roles(*READERS)
def agency_file(request, pk: int):
    entry = supervised_entry_for(request, pk)
    context = {
        "entry": entry,
        **file_of(entry, request.user),
        "may_decide": services.may_decide(request.user, entry) and entry.status != DirectoryEntry.Status.REMOVED,
        "may_inspect": may_inspect(request.user, entry) and entry.status != DirectoryEntry.Status.REMOVED,
    }
    return render(request, "supervision/agency_file.html", context)


def _kinds_for(user, entry) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Sanction.Kind.choices if services.may_decide(user, entry, value)]


@roles(*DECIDERS)
def sanction_new(request, pk: int):
    entry = supervised_entry_for(request, pk)
    if not services.may_decide(request.user, entry):
        raise PermissionDenied
    kinds = _kinds_for(request.user, entry)
    raw = request.POST.get("complaint") or request.GET.get("complaint", "")
    complaint = complaint_for(request, raw) if raw else None
    if complaint is not None and complaint.entry_id != entry.pk:
        raise Http404
    raw = request.POST.get("rectification") or request.GET.get("rectification", "")
    rectification = rectification_for(request, raw) if raw else None
    if rectification is not None and rectification.finding.inspection.entry_id != entry.pk:
        raise Http404
    raw = request.POST.get("follows") or request.GET.get("follows", "")
    follows = sanction_for(request, raw) if raw else None
    if follows is not None and follows.entry_id != entry.pk:
        raise Http404
    form = SanctionForm(request.POST or None, kinds=kinds)
    origin = {"complaint": complaint, "rectification": rectification, "follows": follows}
    if request.method == "POST" and is_back(request):  # back from the confirmation: the form as typed
        return render(request, "supervision/sanction_form.html", {"form": form, "entry": entry, **origin})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # A decision the service refuses whatever is typed (a second suspension) is refused at once, not confirmed.
        refused_anyway = services.sanction_refused(entry, data["kind"])
        if data["kind"] in CONFIRMED_KINDS and not is_confirmed(request) and not refused_anyway:
            # What the service would refuse is said beside its field before the confirmation, not after it.
            add_to_form(form, _problems(data))
            if not form.errors:
                return _confirm(request, entry, form)
        else:
            with refusal(request) as refused:
                sanction = services.sanction_decide(
                    entry=entry,
                    kind=data["kind"],
                    facts=data["facts"],
                    basis=data["basis"],
                    rectify_by=data["rectify_by"],
                    until=data["until"],
                    complaint=complaint,
                    rectification=rectification,
                    follows=follows,
                    by=request.user,
                    request=request,
                )
            add_to_form(form, refused.errors)
            if refused.message:
                return redirect("supervision:agency_file", entry.pk)
            if not refused:
                messages.success(request, _("Decision %(number)s recorded.") % {"number": sanction.number})
                return redirect("supervision:sanction_detail", sanction.pk)
    status = 400 if form.errors else 200
    return render(request, "supervision/sanction_form.html", {"form": form, "entry": entry, **origin}, status=status)


def _problems(data: dict) -> dict[str, list[str]]:
    return services.sanction_problems(
        kind=data["kind"],
        facts=data["facts"],
        basis=data["basis"],
        rectify_by=data["rectify_by"],
        until=data["until"],
        today=timezone.localdate(),
    )


# The sanctions that change the public directory: a second step (``portal.lib.confirm``) before they apply.
CONFIRMED_KINDS = (Sanction.Kind.SUSPENSION, Sanction.Kind.REMOVAL)


def _confirm(request, entry, form: SanctionForm):
    if form.cleaned_data["kind"] == Sanction.Kind.SUSPENSION:
        return _confirm_suspension(request, entry, form)
    return _confirm_removal(request, entry, form)


def _confirm_suspension(request, entry, form: SanctionForm):
    """The suspension's second step, as the removal's: what is decided and what the suspension does."""
    data = form.cleaned_data
    until = data["until"]
    title = _("Suspend %(name)s until %(date)s?")
    return confirm_page(
        request,
        title=title % {"name": entry.organisation.name, "date": until},
        heading=unbroken(title, keep=("date",), name=entry.organisation.name, date=until),
        summary=[
            (form["kind"].label, Sanction.Kind(data["kind"]).label),
            (form["until"].label, str(until)),
            (form["facts"].label, data["facts"]),
            (form["basis"].label, data["basis"]),
        ],
        consequences=[
            unbroken(
                _("The public directory shows the agency suspended from today until %(date)s."),
                keep=("date",),
                date=until,
            ),
            _(
                "Until then it can no longer plan or announce evaluations, nor issue certificates; its evaluations "
                "already planned are not withdrawn."
            ),
            unbroken(
                _(
                    "The suspension ends by itself after %(date)s, or earlier when it is lifted (the rectification "
                    "verified)."
                ),
                keep=("date",),
                date=until,
            ),
            _decision_line(entry, request.user),
        ],
        button=_("Suspend the agency"),
        cancel_url=reverse("supervision:agency_file", args=[entry.pk]),
        back=True,
    )


def _decision_line(entry, user) -> str:
    """The decision's number, kept whole on its line (a centre's is long: 广西…鉴定中心督〔2026〕1号)."""
    number = services.decision_number_next(entry=entry, by=user)
    issuer, year_and_sequence = number.split("督", 1) if "督" in number else ("", number)
    # The issuer may wrap like any text; "督〔2026〕1号" stays whole.
    number = format_html(
        '{}<span class="text-nowrap">{}</span>', issuer, f"督{year_and_sequence}" if issuer else number
    )
    return unbroken(
        _(
            "The decision document %(number)s (its number is fixed when you confirm) enters the agency's credit "
            "record and the audit log and is served on the agency."
        ),
        keep=(),
        number=number,
    )


def _confirm_removal(request, entry, form: SanctionForm):
    """The removal's second step: what is decided, under the form's own labels, and what the removal does, with
    the counts of this agency's evaluations, results and certificates (``supervision.removal``)."""
    data = form.cleaned_data
    return confirm_page(
        request,
        title=_("Remove %(name)s from the directory?") % {"name": entry.organisation.name},
        summary=[
            (form["kind"].label, Sanction.Kind(data["kind"]).label),
            (form["facts"].label, data["facts"]),
            (form["basis"].label, data["basis"]),
        ],
        consequences=[
            _("The agency leaves the directory of filed agencies for good: the public directory shows it removed."),
            _("It can no longer plan or announce evaluations, nor issue certificates."),
            *removal_consequences(entry),
            _decision_line(entry, request.user),
            _("A removal cannot be undone."),
        ],
        button=_("Remove from the directory"),
        cancel_url=reverse("supervision:agency_file", args=[entry.pk]),
        back=True,
    )


@roles(*READERS)
def sanction_detail(request, pk: int):
    """The decision; for an order to rectify, the agency's rectification report (the agency sends it here) and the
    deciding office's check (close or escalate), as on an inspection's rectification order."""
    sanction = sanction_for(request, pk)
    user = request.user
    is_agency = user.role == Role.AGENCY
    report_form, check_form = SanctionReportForm(), RectificationDecisionForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        with refusal(request) as refused:
            if action == "report" and is_agency:
                report_form = SanctionReportForm(request.POST)
                report_form.is_valid()
                services.sanction_report_submit(
                    sanction=sanction,
                    by=user,
                    text=report_form.cleaned_data.get("text") or "",
                    file=request.FILES.get("file"),
                    request=request,
                )
                done = _("Your rectification report has been sent to %(department)s.") % {
                    "department": sanction.department.name
                }
            elif action in ("close", "escalate") and not is_agency:
                check_form = RectificationDecisionForm(request.POST)
                check_form.is_valid()
                step = services.sanction_report_close if action == "close" else services.sanction_report_escalate
                step(sanction=sanction, by=user, note=check_form.cleaned_data.get("note") or "", request=request)
                done = (
                    _("The order to rectify is closed.")
                    if action == "close"
                    else _("Escalated: decide the further sanction.")
                )
            else:
                raise PermissionDenied
        if not refused:
            messages.success(request, done)
            return redirect("supervision:sanction_detail", sanction.pk)
        if not refused.errors:
            return redirect("supervision:sanction_detail", sanction.pk)
        target = report_form if is_agency else check_form
        add_to_form(target, {k: v for k, v in refused.errors.items() if k in target.fields})
        sanction.refresh_from_db()
        context = _detail_context(request, sanction, report_form, check_form)
        context["errors"] = refused.errors
        return render(request, "supervision/sanction_detail.html", context, status=400)
    return render(
        request, "supervision/sanction_detail.html", _detail_context(request, sanction, report_form, check_form)
    )


def _detail_context(request, sanction: Sanction, report_form, check_form, lift_form=None) -> dict:
    user = request.user
    open_ = sanction.report_status == Rectification.Status.OPEN
    escalated = sanction.report_status == Rectification.Status.ESCALATED
    return {
        "sanction": sanction,
        "entry": sanction.entry,
        "lift_form": lift_form or LiftForm(),
        "may_lift": sanction.suspension_in_force and services.may_decide(user, sanction.entry),
        "report_form": report_form,
        "check_form": check_form,
        "report_files": sanction.report_files.all(),
        "may_report": user.role == Role.AGENCY and open_ and sanction.entry.status != DirectoryEntry.Status.REMOVED,
        "may_check": services.may_check_report(user, sanction)
        and sanction.report_status in (Rectification.Status.OPEN, Rectification.Status.ANSWERED),
        "may_follow": escalated
        and services.may_decide(user, sanction.entry)
        and sanction.entry.status != DirectoryEntry.Status.REMOVED
        and not sanction.followed_by.exists(),
        "followed_by": sanction.followed_by.all(),
        "report_overdue": open_ and sanction.rectify_by is not None and timezone.localdate() > sanction.rectify_by,
        "accept": "application/pdf,.pdf",
        "errors": {},
    }


@roles(*READERS)
def sanction_report_file(request, pk: int, file_pk: int):
    sanction = sanction_for(request, pk)
    stored = report_file_for(sanction, file_pk)
    return stored_file_response(stored.file, filename=stored.original_name, content_type=stored.content_type)


@require_POST
@roles(*DECIDERS)
def sanction_lift(request, pk: int):
    sanction = sanction_for(request, pk)
    form = LiftForm(request.POST)
    form.is_valid()
    with refusal(request) as refused:
        services.sanction_lift(sanction=sanction, reason=form.cleaned_data.get("reason", ""), by=request.user)
    if refused.errors:
        add_to_form(form, refused.errors)
        context = _detail_context(request, sanction, SanctionReportForm(), RectificationDecisionForm(), form)
        return render(request, "supervision/sanction_detail.html", context, status=400)
    if not refused:
        messages.success(request, _("The suspension is lifted; the agency is active in the directory again."))
    return redirect("supervision:sanction_detail", sanction.pk)


@roles(*READERS)
def sanction_pdf(request, pk: int):
    """The decision document, in Chinese whatever the reader's interface language."""
    sanction = sanction_for(request, pk)
    with translation.override("zh-hans"):
        context = {"sanction": sanction, "entry": sanction.entry, "decided_cn": chinese_date(sanction.decided_on)}
        for name in ("until", "rectify_by", "lifted_on"):
            context[f"{name}_cn"] = chinese_date(getattr(sanction, name))
        content = render_pdf("supervision/pdf/sanction.html", context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{sanction.pk}.pdf"'
    return response
