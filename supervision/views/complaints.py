"""Complaints (投诉举报): the public form and tracking page (no sign-in; a picture to read and rate limits per client
address keep floods out, as for objections), the officials' list with overdue flags and the complaint page
where the handler takes each step.

Every write goes through ``supervision.services.complaints``; objects are loaded through ``supervision.loaders``.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib import ratelimit
from portal.lib.access import public, roles
from portal.lib.captcha import CaptchaForm
from portal.lib.downloads import stored_file_response
from portal.lib.errors import add_to_form, refusal
from portal.lib.http import client_ip, is_digits
from portal.lib.paging import narrow_page
from portal.lib.tracking import RECEIVED_SECONDS, received_pk, received_remember
from portal.lib.uploads import ACCEPT
from portal.models import Role
from supervision.forms import ComplaintFilterForm, ComplaintForm, ComplaintStepForm
from supervision.loaders import complaint_attachment_for, complaint_for
from supervision.models import Complaint
from supervision.selectors import (
    complaint_plans,
    complaint_search,
    complaint_targets,
    complaint_tracked,
    complaints_to_handle,
    complaints_visible_to,
)
from supervision.services import complaints as services
from supervision.views.plans import PAGE_SIZE

# As for objections: 3 complaints a minute and 5 an hour from one address; every attempt counts against a
# looser limit, and so do look-ups of tracking codes.
COMPLAINT_LIMITS = (ratelimit.Limit(3, 60), ratelimit.Limit(5, 60 * 60))
ATTEMPT_LIMITS = (ratelimit.Limit(20, 10 * 60),)
TRACK_LIMITS = (ratelimit.Limit(30, 10 * 60),)
MONITORS = (Role.POLICE, Role.CITY_HR, Role.CENTRE, Role.ADMIN)


def _chosen_entry(raw: str):
    return complaint_targets().filter(pk=raw).first() if is_digits(raw) else None


def _form(data, entry, *, initial=None) -> ComplaintForm:
    return ComplaintForm(data, entries=complaint_targets(), plans=complaint_plans(entry), initial=initial)


@public
def complaint_new(request):
    """GET ?entry= (from the directory) and ?plan= (from an announced evaluation) preselect the subject."""
    if request.method != "POST":
        entry = _chosen_entry(request.GET.get("entry", ""))
        raw_plan = request.GET.get("plan", "")
        plan = complaint_plans(entry).filter(pk=raw_plan).first() if entry and is_digits(raw_plan) else None
        form = _form(None, entry, initial={"entry": entry, "plan": plan})
        return render(request, "supervision/public/complaint_form.html", _context(form, {}, entry))
    ip = client_ip(request)
    limit = ratelimit.exceeded("complaint-attempt", ip, ATTEMPT_LIMITS) or ratelimit.exceeded(
        "complaint", ip, COMPLAINT_LIMITS
    )
    if limit:
        return ratelimit.too_many_response(request, limit)
    ratelimit.hit("complaint-attempt", ip, ATTEMPT_LIMITS)
    entry = _chosen_entry(request.POST.get("entry", ""))
    form = _form(request.POST, entry)
    form.is_valid()  # parsing only; the service says what is missing
    data = {name: form.cleaned_data.get(name) for name in form.fields}
    files = request.FILES.getlist("files")
    errors: dict[str, list[str]] = {}
    captcha = CaptchaForm(request.POST)
    if not captcha.is_valid():
        errors = services.complaint_problems(
            content=data["content"] or "",
            happened_on=data["happened_on"],
            anonymous=bool(data["anonymous"]),
            name=data["name"] or "",
            contact=data["contact"] or "",
            today=timezone.localdate(),
        )
        if entry is None:
            errors["entry"] = [_("Choose the agency from the directory.")]
        errors["captcha"] = captcha.errors["captcha"]
    else:
        with refusal(request) as refused:
            complaint = services.complaint_submit(
                entry=entry,
                plan=data["plan"],
                happened_on=data["happened_on"],
                content=data["content"] or "",
                anonymous=bool(data["anonymous"]),
                name=data["name"] or "",
                contact=data["contact"] or "",
                files=files,
                ip=ip,
            )
        if not refused:
            ratelimit.hit("complaint", ip, COMPLAINT_LIMITS)
            received_remember(request, "complaint", complaint.pk)
            return redirect("complaints:received")
        errors = refused.errors
    add_to_form(form, {k: v for k, v in errors.items() if k != "captcha"})
    context = _context(form, errors, entry, files_dropped=bool(files))
    return render(request, "supervision/public/complaint_form.html", context, status=400)


def _context(form, errors, entry, *, files_dropped: bool = False) -> dict:
    return {
        "form": form,
        "errors": errors,
        "entry": entry,
        "captcha": CaptchaForm(),
        "accept": ACCEPT,
        "files_dropped": files_dropped,
        "max_files": services.MAX_COMPLAINT_FILES,
    }


@public
def complaint_received(request):
    """Where a submitted complaint goes (post-redirect-get): its tracking code, for the browser that submitted it,
    and again on a reload for a while (``portal.lib.tracking.received_remember``); otherwise a page that says so."""
    pk = received_pk(request, "complaint")
    complaint = Complaint.objects.select_related("entry__organisation", "department").filter(pk=pk).first()
    response = render(
        request,
        "supervision/public/complaint_received.html",
        {"complaint": complaint, "minutes": RECEIVED_SECONDS // 60},
    )
    response["Cache-Control"] = "no-store"
    return response


@public
def complaint_track(request):
    """The complainant enters the tracking code (posted, so it stays out of addresses and server logs)."""
    context: dict = {"code": "", "complaint": None, "not_found": False}
    if request.method == "POST":
        ip = client_ip(request)
        limit = ratelimit.exceeded("complaint-track", ip, TRACK_LIMITS)
        if limit:
            return ratelimit.too_many_response(request, limit)
        ratelimit.hit("complaint-track", ip, TRACK_LIMITS)
        code = request.POST.get("code", "").strip()
        complaint = complaint_tracked(code)
        context.update(code=code, complaint=complaint, not_found=complaint is None)
    return render(request, "supervision/public/complaint_track.html", context)


# ---------------------------------------------------------------- officials


@roles(*MONITORS)
def complaints(request):
    form = ComplaintFilterForm(request.GET or None)
    rows = complaints_visible_to(request.user).order_by("deadline", "pk")
    today = timezone.localdate()
    filtered = False
    if form.is_valid():
        filtered = any(form.cleaned_data.values())
        if form.cleaned_data["q"]:
            rows = rows.filter(complaint_search(form.cleaned_data["q"]))
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["overdue"]:
            rows = rows.filter(deadline__lt=today).exclude(
                status__in=(Complaint.Status.REPLIED, Complaint.Status.DECLINED)
            )
    if request.GET.get("open") == "1":  # the to-do's link: the open complaints routed to the user's department
        rows = rows.filter(pk__in=complaints_to_handle(request.user).values("pk"))
        filtered = True
    kept = request.GET.copy()  # the filter, carried to the next page
    kept.pop("page", None)
    page = narrow_page(rows, request.GET.get("page"), PAGE_SIZE)  # sorted on the keys, 25 rows drawn in full
    context = {"form": form, "page": page, "today": today, "query": kept.urlencode(), "filtered": filtered}
    return render(request, "supervision/complaints.html", context)


@roles(*MONITORS)
def complaint_detail(request, pk: int):
    complaint = complaint_for(request, pk)
    form = ComplaintStepForm()
    if request.method == "POST":
        step = request.POST.get("step", "")
        form = ComplaintStepForm(request.POST)
        form.is_valid()
        with refusal(request) as refused:
            services.complaint_act(
                complaint=complaint,
                step=step,
                by=request.user,
                text=form.cleaned_data.get("text", ""),
                outcome=form.cleaned_data.get("outcome", ""),
                request=request,
            )
        if not refused:
            messages.success(request, _("Done: the complaint is now “%(status)s”.") % {"status": _status(complaint)})
            return redirect("supervision:complaint_detail", complaint.pk)
        if refused.errors:
            add_to_form(form, refused.errors)
            return render(request, "supervision/complaint_detail.html", _detail(request, complaint, form), status=400)
        return redirect("supervision:complaint_detail", complaint.pk)
    return render(request, "supervision/complaint_detail.html", _detail(request, complaint, form))


def _status(complaint: Complaint) -> str:
    complaint.refresh_from_db()
    return str(complaint.get_status_display())


def _detail(request, complaint: Complaint, form) -> dict:
    may_handle = services.may_handle(request.user, complaint)
    steps = [step for step, (sources, _target) in services.STEPS.items() if complaint.status in sources]
    return {
        "complaint": complaint,
        "form": form,
        "steps": steps if may_handle else [],
        # The public form promises the complainant's name and contact to the handling bureau only (not the police).
        "may_see_complainant": may_handle,
        "events": complaint.events.select_related("actor"),
        "attachments": complaint.attachments.all(),
        "overdue": complaint.overdue_on(timezone.localdate()),
        "may_sanction": may_handle
        and complaint.outcome == Complaint.Outcome.UPHELD
        and complaint.entry.status != "removed",
        "sanctions": complaint.sanctions.all(),
    }


@roles(*MONITORS)
def complaint_attachment(request, pk: int, attachment_pk: int):
    attachment = complaint_attachment_for(complaint_for(request, pk), attachment_pk)
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
