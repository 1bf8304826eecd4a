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
from portal.lib.errors import add_to_form, refusal
from portal.lib.pdf import chinese_date, render_pdf
from portal.models import Role
from supervision.forms import LiftForm, SanctionForm
from supervision.loaders import complaint_for, rectification_for, sanction_for, supervised_entry_for
from supervision.models import Sanction
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
    form = SanctionForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and is_back(request):  # back from the confirmation: the form as typed
        return render(
            request,
            "supervision/sanction_form.html",
            {"form": form, "entry": entry, "complaint": complaint, "rectification": rectification},
        )
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
    return render(
        request,
        "supervision/sanction_form.html",
        {"form": form, "entry": entry, "complaint": complaint, "rectification": rectification},
        status=status,
    )


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
    sanction = sanction_for(request, pk)
    context = {
        "sanction": sanction,
        "entry": sanction.entry,
        "lift_form": LiftForm(),
        "may_lift": sanction.suspension_in_force and services.may_decide(request.user, sanction.entry),
    }
    return render(request, "supervision/sanction_detail.html", context)


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
        context = {"sanction": sanction, "entry": sanction.entry, "lift_form": form, "may_lift": True}
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
