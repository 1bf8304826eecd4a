"""The officials' side: the review queue and the workflow actions on an application."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.selectors import calls_visible_to, occupations_active
from filings import workflow
from filings.forms import SECTIONS
from filings.models import State
from filings.selectors import applications_visible_to, awaiting_states
from filings.services import WorkflowError, application_transition
from portal.lib.access import roles
from portal.lib.http import is_digits
from portal.lib.workdays import Calendar
from portal.models import Role

OFFICIALS = (Role.CITY_HR, Role.CENTRE, Role.POLICE)
PAGE_SIZE = 50


@roles(*OFFICIALS)
def queue(request):
    """The applications of the official's jurisdiction, waiting for their role unless filtered otherwise."""
    applications = applications_visible_to(request.user)
    state = request.GET.get("state", "mine")
    if state == "mine":
        applications = applications.filter(state__in=awaiting_states(request.user))
    elif state in State.values and state != State.DRAFT:
        applications = applications.filter(state=state)
    call = request.GET.get("call", "")
    if is_digits(call):
        applications = applications.filter(call_id=int(call))
    occupation = request.GET.get("occupation", "")
    if occupation:
        applications = applications.filter(occupation_rows__occupation__code=occupation).distinct()
    today = timezone.localdate()
    if request.GET.get("overdue"):
        applications = applications.filter(deadline__lt=today)
    applications = applications.order_by("deadline", "stage_started_at", "pk")
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = Calendar()
    rows = [
        {
            "application": application,
            "elapsed": calendar.workdays_between(timezone.localtime(application.stage_started_at).date(), today),
            "overdue": application.deadline is not None and application.deadline < today,
        }
        for application in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "state": state,
        "states": State.choices,
        "calls": calls_visible_to(request.user),
        "call": call,
        "occupations": occupations_active(),
        "occupation": occupation,
        "overdue": bool(request.GET.get("overdue")),
        "query": query.urlencode(),
    }
    return render(request, "filings/queue.html", context)


def review_actions(application, user, *, posted=None, errors=None) -> list[dict]:
    """The transitions the user may take now, with what each form needs and, after an error, what was typed."""
    if user.role not in OFFICIALS:
        return []
    actions = []
    for transition in workflow.available(application.call_version.workflow, application.state, user.role):
        if transition.needs in workflow.SERVICE_PAGES:
            continue  # taken on its own page: the panel, the notice, the ministry's result
        typed = posted if posted and posted.get("action") == transition.name else None
        actions.append(
            {
                "name": transition.name,
                "label": ACTION_LABELS.get(transition.name, transition.name),
                "needs": transition.needs,
                "typed_text": typed.get("text", "") if typed else "",
                "typed_sections": {key: typed.get(f"note_{key}", "") for key in typed.getlist("sections")}
                if typed
                else {},
                "errors": errors if typed else None,
            }
        )
    return actions


ACTION_LABELS = {
    "request_correction": gettext_lazy("Request correction"),
    "recommend": gettext_lazy("Recommend"),
    "not_recommend": gettext_lazy("Do not recommend"),
    "give_opinion": gettext_lazy("Give the filing opinion"),
    "accept": gettext_lazy("Accept"),
    "refuse": gettext_lazy("Do not accept"),
}


def correction_sections() -> list[tuple[str, str]]:
    return [(section.key, section.title) for section in SECTIONS] + [("materials", _("Materials"))]


@roles(*OFFICIALS)
@require_POST
def act(request, pk: int, name: str):
    application = get_object_or_404(applications_visible_to(request.user), pk=pk)
    sections = {key: request.POST.get(f"note_{key}", "") for key in request.POST.getlist("sections")}
    try:
        application_transition(
            application=application,
            by=request.user,
            name=name,
            text=request.POST.get("text", ""),
            sections=sections if name == "request_correction" else None,
            request=request,
        )
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("filings:application_detail", application.pk)
    except PermissionDenied:
        raise
    except ValidationError as error:
        from filings.views.applications import application_detail_context

        context = application_detail_context(request, application)
        context["actions"] = review_actions(application, request.user, posted=request.POST, errors=error.message_dict)
        return render(request, "filings/application_detail.html", context, status=400)
    messages.success(request, _("Done: the application is now “%(state)s”.") % {"state": _state(application.pk)})
    return redirect("filings:application_detail", application.pk)


def _state(pk: int) -> str:
    from filings.models import Application

    return Application.objects.get(pk=pk).get_state_display()
