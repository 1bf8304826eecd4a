"""The last steps of a filing: the centre's ministry page (report, result, institution code), the filing receipt
(its status, download and regeneration) and the public receipt verification pages.

Every write goes through ``filings.services.filing``; applications are loaded through
``applications_visible_to``, so an application outside the user's organisation or jurisdiction is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from filings.loaders import application_for
from filings.models import Application, InstitutionCode, MinistryReview, Receipt, State
from filings.selectors import receipt_verify
from filings.services import ministry_report, ministry_result, receipt_regenerate
from filings.services.filing import provisional_code, receipt_content
from portal.lib.access import public, roles
from portal.lib.downloads import stored_file_response
from portal.lib.errors import add_to_form, refusal
from portal.lib.publiccache import cached_page
from portal.models import Role

# Who sees an application's receipt: the agency and the officials of its jurisdiction (not the experts).
RECEIPT_READERS = (Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
# The states in which the centre's ministry page has something to show.
MINISTRY_STATES = (State.PUBLICISED, State.MINISTRY_REVIEW, State.MINISTRY_REJECTED, State.FILED)


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    reported_on = forms.DateField(label=gettext_lazy("Reported to the ministry on"), widget=DateInput)


class ResultForm(forms.Form):
    RESULTS = [("approved", gettext_lazy("Approved")), ("rejected", gettext_lazy("Not approved"))]
    CODES = [
        ("ministry", gettext_lazy("The code the ministry assigned")),
        ("provisional", gettext_lazy("Generate a provisional code now")),
    ]

    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=RESULTS, widget=forms.RadioSelect)
    result_on = forms.DateField(label=gettext_lazy("Result received on"), widget=DateInput)
    code_source = forms.ChoiceField(
        label=gettext_lazy("Institution code"), choices=CODES, widget=forms.RadioSelect, required=False
    )
    code = forms.CharField(label=gettext_lazy("Institution code assigned by the ministry"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note (required when not approved: the ministry's reasons)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("result") == "approved" and data.get("code_source") == "ministry" and not data.get("code"):
            self.add_error("code", _("Enter the code the ministry assigned, or choose a provisional code."))
        if data.get("result") == "approved" and not data.get("code_source"):
            self.add_error("code_source", _("Choose where the institution code comes from."))
        return data


def receipt_of(application: Application) -> Receipt | None:
    """The receipt of the application's filed version (the latest, should a filing ever be redone)."""
    return application.receipts.order_by("-version_number").first()


@roles(Role.CENTRE)
def ministry(request, pk: int):
    application = application_for(request, pk)
    today = timezone.localdate().isoformat()
    report_form = ReportForm(initial={"reported_on": today})
    result_form = ResultForm(initial={"result_on": today, "result": "approved", "code_source": "ministry"})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "report":
            report_form = ReportForm(request.POST)
            if report_form.is_valid():
                with refusal(request) as refused:
                    ministry_report(
                        application=application,
                        by=request.user,
                        reported_on=report_form.cleaned_data["reported_on"],
                        request=request,
                    )
                if refused.message:
                    return redirect("filings:ministry", application.pk)
                add_to_form(report_form, refused.errors)
                if not refused:
                    messages.success(request, _("The report to the ministry has been recorded."))
                    return redirect("filings:ministry", application.pk)
        elif action == "result":
            result_form = ResultForm(request.POST)
            if result_form.is_valid():
                data = result_form.cleaned_data
                approved = data["result"] == "approved"
                with refusal(request) as refused:
                    ministry_result(
                        application=application,
                        by=request.user,
                        approved=approved,
                        result_on=data["result_on"],
                        note=data["note"],
                        code=data["code"] if approved and data["code_source"] == "ministry" else "",
                        request=request,
                    )
                if refused.message:
                    return redirect("filings:ministry", application.pk)
                add_to_form(result_form, refused.errors)
                if not refused:
                    if approved:
                        messages.success(
                            request, _("Filed. The receipt is being produced; this page shows when it is ready.")
                        )
                    else:
                        messages.success(request, _("The ministry's decision not to approve has been recorded."))
                    return redirect("filings:ministry", application.pk)
    status = 400 if report_form.errors or result_form.errors else 200
    application.refresh_from_db()
    context = {
        "application": application,
        "review": MinistryReview.objects.filter(application=application).first(),
        "code": InstitutionCode.objects.filter(application=application).first(),
        "receipt": receipt_of(application),
        "report_form": report_form,
        "result_form": result_form,
        "can_report": application.state == State.PUBLICISED,
        "can_record_result": application.state == State.MINISTRY_REVIEW,
        "provisional_example": provisional_code(application, 1),
    }
    return render(request, "filings/ministry.html", context, status=status)


def receipt_context(request, application: Application) -> dict:
    """The receipt card of the application page: its status, and the links the user may follow."""
    if request.user.role not in RECEIPT_READERS:
        return {}
    receipt = receipt_of(application)
    return {
        "receipt": receipt,
        "ministry_link": request.user.role == Role.CENTRE and application.state in MINISTRY_STATES,
    }


def _status_data(application: Application, receipt: Receipt) -> dict:
    ready = receipt.status == Receipt.Status.READY
    return {
        "status": receipt.status,
        "label": str(receipt.get_status_display()),
        "number": receipt.number,
        "download": reverse("filings:receipt_download", args=[application.pk]) if ready else None,
    }


@roles(*RECEIPT_READERS)
def receipt_status(request, pk: int):
    """The receipt's status as JSON, polled by the application page while the receipt is being produced."""
    application = application_for(request, pk)
    receipt = receipt_of(application)
    if receipt is None:
        raise Http404
    return JsonResponse(_status_data(application, receipt))


@roles(*RECEIPT_READERS)
def receipt_download(request, pk: int):
    application = application_for(request, pk)
    receipt = receipt_of(application)
    if receipt is None or receipt.status != Receipt.Status.READY:
        raise Http404
    return stored_file_response(receipt.pdf, filename=f"备案回执-{receipt.number}.pdf", content_type="application/pdf")


@roles(Role.CENTRE)
@require_POST
def receipt_regenerate_view(request, pk: int):
    application = application_for(request, pk)
    receipt = receipt_of(application)
    if receipt is None:
        raise Http404
    receipt_regenerate(receipt=receipt, by=request.user, request=request)
    messages.success(request, _("The receipt is being produced again, with the same number."))
    return redirect("filings:ministry", application.pk)


# ---------------------------------------------------------------- public verification


@public
@cached_page("directory", "receipts")
def receipt_verify_page(request, token: str):
    """The page the receipt's QR code opens: what the receipt says, or "not found" for any other token."""
    receipt = receipt_verify(token=token)
    if receipt is None:
        return render(request, "filings/receipt_verify.html", {"not_found": True, "by_token": True}, status=404)
    context = {"content": receipt_content(receipt), "entry": receipt.application.directory_entry}
    return render(request, "filings/receipt_verify.html", context)


@public
@cached_page("directory", "receipts")
def receipt_lookup(request):
    """Verify a receipt by its number and the agency's full name; the answer never says which of them is wrong."""
    number = request.GET.get("number", "").strip()[:40]
    agency = request.GET.get("agency", "").strip()[:100]
    context = {"number": number, "agency": agency, "searched": bool(number or agency)}
    if not context["searched"]:
        return render(request, "filings/receipt_verify.html", context)
    receipt = receipt_verify(number=number, agency_name=agency) if number and agency else None
    if receipt is None:
        return render(request, "filings/receipt_verify.html", {**context, "not_found": True}, status=404)
    context |= {"content": receipt_content(receipt), "entry": receipt.application.directory_entry}
    return render(request, "filings/receipt_verify.html", context)
