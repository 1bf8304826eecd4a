"""The officials' side: the review queue and the workflow actions on an application."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.selectors import calls_visible_to, occupations_active
from filings.loaders import application_for
from filings.models import Application, State
from filings.selectors import (
    SEARCH_MAX_LENGTH,
    application_rows,
    applications_matching,
    applications_visible_to,
    waiting_for,
)
from filings.services import application_transition
from filings.views.detail import application_detail_context
from filings.views.review_actions import OFFICIALS, review_actions
from portal.lib.access import roles
from portal.lib.errors import refusal
from portal.lib.excel import xlsx_response
from portal.lib.http import is_digits
from portal.lib.links import link_to
from portal.lib.paging import ListPaginator
from portal.lib.workdays import Calendar
from portal.models import Role

PAGE_SIZE = 50


def _queue_filtered(request) -> tuple[QuerySet[Application], dict]:
    """The queue's applications under the request's filters (the page and its Excel export), and the filters."""
    applications = applications_visible_to(request.user)
    state = request.GET.get("state") or _default_view(request.user, applications)
    if state == "mine":
        applications = waiting_for(request.user, applications)
    elif state in State.values and state != State.DRAFT:
        applications = applications.filter(state=state)
    call = request.GET.get("call", "")
    if is_digits(call):
        applications = applications.filter(call_id=int(call))
    occupation = request.GET.get("occupation", "")
    if occupation:
        applications = applications.filter(occupation_rows__occupation__code=occupation).distinct()
    text = request.GET.get("q", "")
    applications = applications_matching(applications, text)
    if request.GET.get("overdue"):
        applications = applications.filter(deadline__lt=timezone.localdate())
    filters = {"state": state, "call": call, "occupation": occupation, "q": text[:SEARCH_MAX_LENGTH]}
    return applications.order_by("deadline", "stage_started_at", "pk"), filters


@roles(*OFFICIALS)
def queue(request):
    """The applications of the official's jurisdiction, waiting for their role unless filtered otherwise."""
    applications, filters = _queue_filtered(request)
    # The row shows names, dates and the call's title: the form data, the call's rules and the other columns stay
    # in the database (decoding them was a sixth of the page's time, issue 16).
    applications = application_rows(applications)
    today = timezone.localdate()
    page = ListPaginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = Calendar()
    # The states' labels once per page (``get_state_display`` hashes every choice on each call: 50 times a page).
    labels = dict(State.choices)
    detail = link_to("filings:application_detail")
    # Each row's cells ready to print: a template reads a dictionary's key at once, where ``a.organisation.name``
    # tries a key, then an attribute, at each step (a third of the page's rendering, issue 16 item 4).
    rows = []
    for application in page:
        overdue = application.deadline is not None and application.deadline < today
        rows.append(
            {
                "application": application,
                "url": detail(application.pk),
                "organisation": application.organisation.name,
                "call_title": application.call_version.title,
                "reference": application.reference,
                "state": labels.get(application.state, application.state),
                "elapsed": calendar.workdays_between(timezone.localtime(application.stage_started_at).date(), today),
                "deadline": application.deadline.isoformat() if application.deadline else "",
                "overdue": overdue,
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **filters,
        "page": page,
        "rows": rows,
        "states": State.choices,
        "calls": calls_visible_to(request.user),
        "occupations": occupations_active(),
        "overdue": bool(request.GET.get("overdue")),
        "query": query.urlencode(),
    }
    return render(request, "filings/queue.html", context)


@roles(*OFFICIALS)
def queue_export(request):
    """The queue under the same filters as the page, every row (not one page), as an Excel file."""
    applications, _filters = _queue_filtered(request)
    applications = applications.select_related("organisation", "region", "call_version")
    today = timezone.localdate()
    calendar = Calendar()
    return xlsx_response(
        filename=f"review-queue-{today:%Y%m%d}.xlsx",
        title=_("Review queue"),
        header=[
            _("Organisation"),
            _("Unified social credit code"),
            _("Reference number"),
            _("Call"),
            _("City"),
            _("State"),
            _("Working days"),
            _("Deadline"),
            _("Overdue"),
        ],
        rows=(
            (
                a.organisation.name,
                a.organisation.uscc,
                a.reference or "",
                a.call_version.title,
                a.region.name,
                a.get_state_display(),
                calendar.workdays_between(timezone.localtime(a.stage_started_at).date(), today),
                a.deadline.isoformat() if a.deadline else "",
                _("yes") if a.deadline is not None and a.deadline < today else "",
            )
            for a in applications.iterator(chunk_size=500)
        ),
    )


@roles(*OFFICIALS)
@require_POST
def act(request, pk: int, name: str):
    application = application_for(request, pk)
    sections = {key: request.POST.get(f"note_{key}", "") for key in request.POST.getlist("sections")}
    with refusal(request) as refused:
        application_transition(
            application=application,
            by=request.user,
            name=name,
            text=request.POST.get("text", ""),
            sections=sections if name == "request_correction" else None,
            request=request,
        )
    if refused.message:
        return redirect("filings:application_detail", application.pk)
    if refused.errors:
        context = application_detail_context(request, application)
        context["actions"] = review_actions(application, request.user, posted=request.POST, errors=refused.errors)
        return render(request, "filings/application_detail.html", context, status=400)
    messages.success(request, _("Done: the application is now “%(state)s”.") % {"state": _state(application.pk)})
    return redirect("filings:application_detail", application.pk)


def _default_view(user, applications) -> str:
    """What an official sees first: what waits for them, or — police in a province where the city bureau
    reviews first, whose turn rarely comes — every application of their jurisdiction."""
    if user.role == Role.POLICE and not waiting_for(user, applications).exists():
        return "all"
    return "mine"


def _state(pk: int) -> str:
    return Application.objects.get(pk=pk).get_state_display()
