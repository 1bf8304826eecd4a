"""Report pages: the list of the jurisdiction's reports (with generation on demand), one report with its figures,
history, free text and submission, the progress of its generation job, and its downloads (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.lib.access import roles
from portal.lib.errors import add_to_form, refusal
from portal.lib.excel import XLSX_TYPE
from portal.models import Department, Role
from portal.services import audit_record
from reports import services
from reports.exports import pdf_bytes, workbook_bytes
from reports.forms import FreeTextForm, PeriodForm
from reports.loaders import report_for
from reports.periods import Period
from reports.selectors import report_region_of, reports_visible_to, table_parts

READERS = (Role.CENTRE, Role.CITY_HR, Role.POLICE, Role.ADMIN)
WRITERS = (Role.CENTRE, Role.CITY_HR, Role.POLICE)


def _current(request) -> dict:
    period = Period.quarter_of(timezone.localdate())
    return {"year": period.year, "quarter": period.quarter}


def _list(request, *, form=None, status=200):
    context = {
        "reports": reports_visible_to(request.user).prefetch_related("versions"),
        "form": form or PeriodForm(initial=_current(request)),
        "can_generate": report_region_of(request.user) is not None,
    }
    return render(request, "reports/report_list.html", context, status=status)


@roles(*READERS)
def report_list(request):
    return _list(request)


@roles(*WRITERS)
@require_POST
def report_generate(request):
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _list(request, form=form, status=400)
    with refusal(request) as refused:
        report = services.report_request(
            region=report_region_of(request.user), period=form.cleaned_data["period"], by=request.user, request=request
        )
    if refused:
        return redirect("reports:list")
    return redirect("reports:detail", report.pk)


def _detail(request, report, *, form=None, status=200):
    region = report_region_of(request.user)
    latest = report.latest
    context = {
        "report": report,
        "versions": report.versions.select_related("generated_by"),
        "latest": latest,
        "sections": [table_parts(section) for section in latest.content["sections"]] if latest else [],
        "form": form or FreeTextForm(initial={"experience": report.experience, "difficulties": report.difficulties}),
        "can_write": region is not None and region.pk == report.region_id,
    }
    return render(request, "reports/report_detail.html", context, status=status)


@roles(*READERS)
def report_detail(request, pk: int):
    return _detail(request, report_for(request, pk))


@roles(*READERS)
def report_progress(request, pk: int):
    report = report_for(request, pk)
    return JsonResponse({"status": report.status, "progress": report.progress})


@roles(*WRITERS)
@require_POST
def report_regenerate(request, pk: int):
    report = report_for(request, pk, write=True)
    with refusal(request):
        services.report_request(region=report.region, period=report.period, by=request.user, request=request)
    return redirect("reports:detail", report.pk)


@roles(*WRITERS)
@require_POST
def report_text(request, pk: int):
    report = report_for(request, pk, write=True)
    form = FreeTextForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, form=form, status=400)
    with refusal(request) as refused:
        services.report_fill(report=report, by=request.user, request=request, **form.cleaned_data)
    if refused.errors:
        add_to_form(form, refused.errors)
        return _detail(request, report, form=form, status=400)
    if not refused:
        messages.success(request, _("The text has been saved."))
    return redirect("reports:detail", report.pk)


@roles(*WRITERS)
@require_POST
def report_submit(request, pk: int):
    report = report_for(request, pk, write=True)
    with refusal(request, errors_as_message=True) as refused:
        services.report_submit(report=report, by=request.user, request=request)
    if not refused:
        messages.success(request, _("The report has been submitted."))
    return redirect("reports:detail", report.pk)


def _download(request, pk: int, kind: str):
    report = report_for(request, pk)
    version = report.latest
    if version is None:
        messages.error(request, _("This report has not been generated yet."))
        return redirect("reports:detail", report.pk)
    audit_record(action="report_download", request=request, obj=report, detail=f"{kind} v{version.number}")
    name = f"report-{report.region.code}-{report.period.code}-v{version.number}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(workbook_bytes(report, version), content_type=XLSX_TYPE)
    else:
        issuer = (
            Department.objects.filter(region=report.region)
            .exclude(kind=Department.Kind.PUBLIC_SECURITY)
            .values_list("name", flat=True)
            .first()
        ) or report.region.name
        response = HttpResponse(pdf_bytes(report, version, department=issuer), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@roles(*READERS)
def report_xlsx(request, pk: int):
    return _download(request, pk, "xlsx")


@roles(*READERS)
def report_pdf(request, pk: int):
    return _download(request, pk, "pdf")
