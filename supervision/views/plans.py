"""Supervision pages: the agency's registrations and plans, the police (and HR) jurisdiction workspace with its
exports, the cross-region reports awaiting an HR bureau, and the public list of announced evaluations.

Every write goes through ``supervision.services``; objects are loaded through ``supervision.loaders``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.models import DirectoryEntry, Level, Scope, scope_label
from portal.lib.access import public, roles
from portal.lib.errors import add_to_form, refusal
from portal.lib.excel import xlsx_response
from portal.lib.links import link_to
from portal.lib.paging import ListPaginator
from portal.lib.provinces import in_shaanxi
from portal.lib.workdays import holidays_within
from portal.models import Role
from supervision import services
from supervision.forms import (
    EvaluationSearchForm,
    PlanChangeForm,
    PlanForm,
    ReasonsForm,
    RegistrationForm,
    ResubmitForm,
)
from supervision.loaders import own_entry_for, plan_for, public_plan_for, registration_for, report_of
from supervision.models import CrossRegionReport, Plan, PlanChange, PoliceRegistration
from supervision.selectors import (
    FLAGGED_ORDER,
    agencies_in_jurisdiction,
    agency_keys_in_jurisdiction,
    agency_rows_in_jurisdiction,
    entries_of_agency,
    plan_rows,
    plans_flagged,
    plans_in_area,
    plans_upcoming_public,
    plans_visible_to,
    registration_rows,
    registrations_visible_to,
    reports_awaiting,
    unregistered_agencies,
    workspace_flags,
)

READERS = (Role.AGENCY, Role.POLICE, Role.CITY_HR, Role.CENTRE, Role.ADMIN)
MONITORS = (Role.POLICE, Role.CITY_HR, Role.CENTRE, Role.ADMIN)
PAGE_SIZE = 25


def _page(request, queryset, name: str = "page"):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(name))


# ---------------------------------------------------------------- the agency


@roles(Role.AGENCY)
def agency_home(request):
    entries = list(entries_of_agency(request.user))
    context = {
        "entries": entries,
        "registrations": registrations_visible_to(request.user).order_by("city__code"),
        "page": _page(request, plans_visible_to(request.user).order_by("-first_day", "-pk")),
    }
    return render(request, "supervision/agency_home.html", context)


def _entry_of(request):
    """The agency's filed entry the page works on (the ``entry`` parameter, or its only one)."""
    raw = request.POST.get("entry") or request.GET.get("entry", "")
    if raw:
        return own_entry_for(request, raw)
    entries = list(entries_of_agency(request.user)[:2])
    if len(entries) != 1:
        raise Http404
    return entries[0]


@roles(Role.AGENCY)
def registration_new(request):
    entry = _entry_of(request)
    form = RegistrationForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            registration = services.registration_submit(
                entry=entry, by=request.user, request=request, **form.cleaned_data
            )
        add_to_form(form, refused.errors)
        if refused.message:
            return redirect("supervision:agency_home")
        if not refused:
            messages.success(
                request, _("Registered; the police of %(city)s will confirm it.") % {"city": registration.city}
            )
            return redirect("supervision:registration_detail", registration.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "entry": entry, "shaanxi": in_shaanxi(entry.region)}
    return render(request, "supervision/registration_form.html", context, status=status)


@roles(*READERS)
def registration_detail(request, pk: int):
    registration = registration_for(request, pk)
    user = request.user
    reasons_form, resubmit_form = ReasonsForm(), None
    if user.role == Role.AGENCY and registration.status == PoliceRegistration.Status.RETURNED:
        resubmit_form = ResubmitForm(
            initial={"responsible": registration.responsible, "phone": registration.phone, "sites": registration.sites}
        )
    if request.method == "POST":
        action = request.POST.get("action", "")
        with refusal(request) as refused:
            if action == "confirm" and user.role == Role.POLICE:
                services.registration_confirm(registration=registration, by=user, request=request)
                done = _("The registration is confirmed.")
            elif action == "return" and user.role == Role.POLICE:
                reasons_form = ReasonsForm(request.POST)
                reasons_form.is_valid()
                services.registration_return(
                    registration=registration, by=user, reasons=reasons_form.cleaned_data["reasons"], request=request
                )
                done = _("The registration has been returned to the agency with your reasons.")
            elif action == "resubmit" and user.role == Role.AGENCY:
                resubmit_form = ResubmitForm(request.POST)
                resubmit_form.is_valid()  # lengths only; the service says what is missing
                services.registration_resubmit(
                    registration=registration,
                    by=user,
                    request=request,
                    **{name: resubmit_form.cleaned_data.get(name, "") for name in ResubmitForm.base_fields},
                )
                done = _("Sent again to the police.")
            else:
                raise PermissionDenied
        if refused.message:
            return redirect("supervision:registration_detail", registration.pk)
        if not refused:
            messages.success(request, done)
            return redirect("supervision:registration_detail", registration.pk)
        target = resubmit_form if action == "resubmit" else reasons_form
        add_to_form(target, refused.errors)
    context = {
        "registration": registration,
        "events": registration.events.select_related("actor"),
        "can_decide": user.role == Role.POLICE and registration.status == PoliceRegistration.Status.SUBMITTED,
        "reasons_form": reasons_form,
        "resubmit_form": resubmit_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/registration_detail.html", context, status=status)


def _not_planning(request, entry):
    """The page a suspended or removed agency gets instead of the plan form (403): why it cannot plan, before it
    types anything. ``None`` for an agency in the directory."""
    if entry.status == DirectoryEntry.Status.ACTIVE:
        return None
    return render(request, "supervision/plan_closed.html", {"entry": entry}, status=403)


@roles(Role.AGENCY)
def plan_new(request):
    entry = _entry_of(request)
    closed = _not_planning(request, entry)
    if closed is not None:
        return closed
    form = PlanForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            plan = services.plan_save(entry=entry, by=request.user, request=request, **form.plan_fields())
        add_to_form(form, refused.errors)
        if refused.message:
            return redirect("supervision:agency_home")
        if not refused:
            messages.success(request, _("The plan is saved as a draft. Check it, then submit it."))
            return redirect("supervision:plan_detail", plan.pk)
    return _plan_form(request, form, entry=entry, plan=None)


@roles(Role.AGENCY)
def plan_edit(request, pk: int):
    plan = plan_for(request, pk)
    closed = _not_planning(request, plan.entry)
    if closed is not None:
        return closed
    if plan.status == Plan.Status.ANNOUNCED and services.plan_changeable(plan, timezone.localdate()):
        return _plan_change(request, plan)
    if plan.status not in (Plan.Status.DRAFT, Plan.Status.REFUSED):
        messages.info(request, _("This plan has been submitted and can no longer be changed."))
        return redirect("supervision:plan_detail", plan.pk)
    form = PlanForm(request.POST, entry=plan.entry) if request.method == "POST" else PlanForm.for_plan(plan)
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            services.plan_save(entry=plan.entry, plan=plan, by=request.user, request=request, **form.plan_fields())
        add_to_form(form, refused.errors)
        if refused.message:
            return redirect("supervision:plan_detail", plan.pk)
        if not refused:
            messages.success(request, _("The plan is saved."))
            return redirect("supervision:plan_detail", plan.pk)
    return _plan_form(request, form, entry=plan.entry, plan=plan)


def _plan_change(request, plan: Plan):
    """An announced plan before its first exam day: its venue and examiners only, each change recorded."""
    form = PlanChangeForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            changes = services.plan_change(plan=plan, by=request.user, request=request, **form.cleaned_data)
        add_to_form(form, refused.errors)
        if refused.message:
            return redirect("supervision:plan_detail", plan.pk)
        if not refused:
            if any(change.status == PlanChange.Status.AWAITING_CONSENT for change in changes):
                messages.success(
                    request,
                    _(
                        "Saved. The new venue is reported to the HR bureau of %(city)s and applies once it consents; "
                        "until then the announced venue stands."
                    )
                    % {"city": plan.city.name},
                )
            else:
                messages.success(request, _("The change is saved and recorded; the police and the HR bureau are told."))
            return redirect("supervision:plan_detail", plan.pk)
    context = {"form": form, "plan": plan, "min_examiners": services.MIN_EXAMINERS}
    return render(request, "supervision/plan_change_form.html", context, status=400 if form.errors else 200)


def _plan_form(request, form: PlanForm, *, entry, plan):
    context = {
        "form": form,
        "entry": entry,
        "plan": plan,
        "first_allowed": services.first_allowed_exam_day(timezone.localdate()),
        # A plan outside the registered city waits for that city's consent before it is announced.
        "may_plan_elsewhere": entry.scope != Scope.CITY,
        "consent_workdays": settings.CROSS_REGION_CONSENT_WORKDAYS,
        "first_allowed_elsewhere": services.first_allowed_after_consent(timezone.localdate()),
        "min_examiners": services.MIN_EXAMINERS,
    }
    return render(request, "supervision/plan_form.html", context, status=400 if form.errors else 200)


@roles(*READERS)
def plan_detail(request, pk: int):
    plan = plan_for(request, pk)
    report = CrossRegionReport.objects.filter(plan=plan).select_related("decided_by", "department").first()
    user = request.user
    reasons_form = ReasonsForm()
    can_decide = (
        user.role == Role.CITY_HR
        and report is not None
        and report.status == CrossRegionReport.Status.PENDING
        and reports_awaiting(user).filter(pk=report.pk).exists()
    )
    context = {
        "plan": plan,
        "report": report,
        "can_decide": can_decide,
        "reasons_form": reasons_form,
        "is_agency": user.role == Role.AGENCY,
        # A suspended or removed agency is told so instead of being offered steps it would be refused.
        "closed": plan.entry.status != DirectoryEntry.Status.ACTIVE,
        "first_allowed": services.first_allowed_exam_day(timezone.localdate()),
        # A draft never submitted is deleted; a plan once submitted is withdrawn.
        "may_delete": plan.never_submitted(),
        "may_withdraw": plan.withdrawable(timezone.localdate()) and not plan.never_submitted(),
        "first_allowed_at_deadline": services.first_allowed_exam_day(report.deadline)
        if report is not None and report.status == CrossRegionReport.Status.PENDING
        else None,
        "may_change": plan.status == Plan.Status.ANNOUNCED and services.plan_changeable(plan, timezone.localdate()),
        "exam_day_holidays": holidays_within(plan.first_day, plan.last_day),
        **_plan_changes(plan),
        **_results_link(plan, user),
    }
    return render(request, "supervision/plan_detail.html", context)


def _plan_changes(plan: Plan) -> dict:
    """The changes made to the plan after its announcement, newest first, and the new venue awaiting consent."""
    changes = list(plan.changes.select_related("by", "decided_by"))
    pending = next((change for change in changes if change.status == PlanChange.Status.AWAITING_CONSENT), None)
    return {"changes": changes, "pending_change": pending}


def _results_link(plan: Plan, user) -> dict:
    """The plan's results session (the certificates app's, reached by its reverse relation: this app imports
    nothing of it), or, for the agency, whether its session may be created now: an announced evaluation whose
    first exam day has come (``certificates.selectors.plans_awaiting_results``)."""
    try:
        session = plan.session
    except ObjectDoesNotExist:
        session = None
    may_start = (
        session is None
        and user.role == Role.AGENCY
        and plan.status == Plan.Status.ANNOUNCED
        and plan.first_day <= timezone.localdate()
    )
    return {"results_session": session, "may_start_results": may_start}


@roles(Role.AGENCY)
@require_POST
def plan_act(request, pk: int, action: str):
    plan = plan_for(request, pk)
    if action == "delete":
        with refusal(request, errors_as_message=True) as refused:
            services.plan_delete(plan=plan, by=request.user, request=request)
        if refused:
            return redirect("supervision:plan_detail", plan.pk)
        messages.success(request, _("The draft has been deleted."))
        return redirect("supervision:agency_home")
    steps = {
        "submit": (services.plan_submit, _("Submitted.")),
        "announce": (services.plan_announce, _("The announcement is published on the public site.")),
        "withdraw": (services.plan_withdraw, _("The plan has been withdrawn.")),
    }
    if action not in steps:
        raise Http404
    service, done = steps[action]
    with refusal(request, errors_as_message=True) as refused:
        plan = service(plan=plan, by=request.user, request=request)
    if not refused:
        if action == "submit" and plan.status == Plan.Status.AWAITING_CONSENT:
            done = _("Reported to the HR bureau of %(city)s; announce it once they consent.") % {"city": plan.city}
        messages.success(request, done)
    return redirect("supervision:plan_detail", plan.pk)


@roles(Role.CITY_HR)
@require_POST
def report_decide(request, pk: int):
    plan = plan_for(request, pk)
    report = report_of(request, plan)
    form = ReasonsForm(request.POST)
    form.is_valid()
    consent = request.POST.get("decision") == "consent"
    with refusal(request) as refused:
        services.report_decide(
            report=report, by=request.user, consent=consent, reasons=form.cleaned_data["reasons"], request=request
        )
    if refused.errors:
        add_to_form(form, refused.errors)
        context = {
            "plan": plan,
            "report": report,
            "can_decide": True,
            "reasons_form": form,
            "is_agency": False,
            "first_allowed": services.first_allowed_exam_day(timezone.localdate()),
            **_plan_changes(plan),
        }
        return render(request, "supervision/plan_detail.html", context, status=400)
    if not refused:
        messages.success(request, _("Consented.") if consent else _("Refused; the agency has been told your reasons."))
    return redirect("supervision:plan_detail", plan.pk)


@roles(Role.CITY_HR)
def reports(request):
    """Cross-region reports awaiting this HR bureau's answer, soonest deadline first."""
    awaiting = reports_awaiting(request.user).order_by("deadline", "pk")
    context = {"page": _page(request, awaiting), "today": timezone.localdate()}
    return render(request, "supervision/reports.html", context)


# ---------------------------------------------------------------- the jurisdiction workspace (police, HR)

TABS = ("agencies", "registrations", "upcoming", "past", "flagged")


def _tab_rows(user, tab: str):
    if tab == "agencies":
        return agencies_in_jurisdiction(user)
    if tab == "registrations":
        return registrations_visible_to(user).order_by("status", "-submitted_at", "pk")
    if tab == "upcoming":
        return plans_in_area(user, upcoming=True)
    if tab == "past":
        return plans_in_area(user, upcoming=False)
    return plans_flagged(user).order_by(*FLAGGED_ORDER)


# What a card of the workspace (or a to-do) shows in a tab: ``?tab=…&show=…``, with the label of the filter.
TAB_FILTERS = {
    "agencies": {"unregistered": gettext_lazy("Filed agencies not registered with the police")},
    "registrations": {value: label for value, label in PoliceRegistration.Status.choices},
    "flagged": {
        "awaiting_consent": gettext_lazy("Plans awaiting local consent"),
        "refused": gettext_lazy("Plans refused by the local HR bureau"),
        "unregistered_evaluations": gettext_lazy("Evaluations without a confirmed police registration in their city"),
    },
}


def _filtered_keys(user, tab: str, show: str, flags) -> list | None:
    """The keys of the tab's rows under the filter ``show`` (already checked), or None for the whole tab."""
    if tab == "flagged":
        return flags.keys_by_card[show] if show else flags.flagged_keys
    if not show:
        return None
    if tab == "agencies":
        unregistered = set(unregistered_agencies(user).select_related(None).values_list("pk", flat=True))
        return [pk for pk in agency_keys_in_jurisdiction(user) if pk in unregistered]
    return list(_tab_rows(user, tab).filter(status=show).values_list("pk", flat=True))


@roles(*MONITORS)
def workspace(request):
    tab = request.GET.get("tab", "agencies")
    if tab not in TABS:
        tab = "agencies"
    show = request.GET.get("show", "")
    if show not in TAB_FILTERS.get(tab, {}):
        show = ""
    flags = workspace_flags(request.user)
    keys = _filtered_keys(request.user, tab, show, flags)
    page = _tab_page(request.user, tab, request.GET.get("page"), keys=keys)
    context = {
        "tab": tab,
        "tabs": TABS,
        "show": show,
        "show_label": TAB_FILTERS.get(tab, {}).get(show, ""),
        "query": urlencode({"tab": tab, "show": show} if show else {"tab": tab}),
        "page": page,
        "rows": page.object_list,
        "flags": flags,
        "unregistered": flags.first_unregistered,
        "jurisdiction": request.user.jurisdiction,
    }
    return render(request, "supervision/workspace.html", context)


def _tab_page(user, tab: str, number, *, keys: list | None = None):
    """The tab's page with its rows as ready cells (issue 16 item 4). The page's keys are chosen on the scoped list
    with only what its filter and order need (late pages read backwards); then the page's rows are read by key with
    the columns the tab shows, the agencies' marks asked for those rows only. A template reads a dictionary's key
    at once, where ``plan.entry.organisation.name`` tries a key, then an attribute, at each step; links are reversed
    once and the choices' labels looked up once per page. ``keys``, when the caller has them (the flagged plans,
    read with the alerts), are the list: the flagged scan is not run again. The agencies tab reads all its keys in
    one query and the pager counts them: its count was a second pass of the jurisdiction's filter over every entry
    (8-11 ms; a key is 8 bytes, 5,000 for the province)."""
    if keys is None and tab == "agencies":
        keys = list(agency_keys_in_jurisdiction(user))
    if keys is None:
        keys = _tab_rows(user, tab).values_list("pk", flat=True)
    page = ListPaginator(keys, PAGE_SIZE).get_page(number)
    chosen = list(page.object_list)
    if tab == "agencies":
        drawn, cells = agency_rows_in_jurisdiction(user, chosen), _agency_cells()
    elif tab == "registrations":
        drawn, cells = registration_rows(chosen), _registration_cells()
    else:
        drawn, cells = plan_rows(chosen, flagged=tab == "flagged"), _plan_cells()
    # A row that left the list between the two queries is left out, not an error.
    page.object_list = [cells(drawn[key]) for key in chosen if key in drawn]
    return page


def _labels(model, name: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _agency_cells():
    """``status``, ``get_status_display`` and ``status_changed_on`` are what ``agencies/_directory_status.html``
    reads."""
    file = link_to("supervision:agency_file")
    statuses = _labels(DirectoryEntry, "status")

    def cells(row: dict) -> dict:
        return {
            "pk": row["pk"],
            "url": file(row["pk"]),
            "organisation": row["organisation__name"],
            "institution_code": row["institution_code"],
            "region": row["region__name"],
            "scope": scope_label(row["scope"], row["region_code"]),
            "status": row["status"],
            "get_status_display": statuses.get(row["status"], row["status"]),
            "status_changed_on": row["status_changed_on"],
            "confirmed_here": row["confirmed_here"],
            "registered_here": row["registered_here"],
            "upcoming": row["upcoming"],
        }

    return cells


def _registration_cells():
    """``status`` and ``get_status_display`` are what ``supervision/_registration_status.html`` reads."""
    detail = link_to("supervision:registration_detail")
    statuses = _labels(PoliceRegistration, "status")

    def cells(row: dict) -> dict:
        return {
            "pk": row["pk"],
            "url": detail(row["pk"]),
            "organisation": row["entry__organisation__name"],
            "city": row["city__name"],
            "home": row["home"],
            "responsible": row["responsible"],
            "phone": row["phone"],
            "status": row["status"],
            "get_status_display": statuses.get(row["status"], row["status"]),
            "submitted_on": timezone.localtime(row["submitted_at"]).strftime("%Y-%m-%d"),
        }

    return cells


def _plan_cells():
    """``status`` and ``get_status_display`` are what ``supervision/_plan_status.html`` reads."""
    detail = link_to("supervision:plan_detail")
    statuses = _labels(Plan, "status")
    levels = {value: str(label) for value, label in Level.choices}

    def cells(row: dict) -> dict:
        return {
            "pk": row["pk"],
            "url": detail(row["pk"]),
            "organisation": row["entry__organisation__name"],
            "occupation": row["occupation__name"],
            "level_label": levels.get(row["level"], str(row["level"])),
            "city": row["city__name"],
            "cross_region": row["city_id"] != row["entry__region_id"],
            "days": f"{row['first_day']:%Y-%m-%d} – {row['last_day']:%Y-%m-%d}",
            "expected_candidates": row["expected_candidates"],
            "status": row["status"],
            "get_status_display": statuses.get(row["status"], row["status"]),
            "police_registered": row.get("police_registered", True),
            # the agency's directory status, for ``agencies/_status_notice.html`` (a suspended agency's plans stay)
            "agency": {
                "status": row["entry__status"],
                "suspended_until": row["entry__suspended_until"],
                "status_changed_on": row["entry__status_changed_on"],
            },
        }

    return cells


def _registration_here(entry) -> str:
    if entry.confirmed_here:
        return _("Confirmed")
    return _("Awaiting the police") if entry.registered_here else _("Not registered")


@roles(*MONITORS)
def workspace_export(request, tab: str):
    if tab not in TABS:
        raise Http404
    rows = _tab_rows(request.user, tab)
    show = request.GET.get("show", "")
    if show in TAB_FILTERS.get(tab, {}):  # the list as a card filtered it: “export this list”
        rows = rows.filter(pk__in=_filtered_keys(request.user, tab, show, workspace_flags(request.user)))
    if tab == "agencies":
        header = [
            _("Agency"),
            _("Credit code"),
            _("City name"),
            _("Scope"),
            _("Directory status"),
            _("Registered with the police here"),
            _("Upcoming evaluations"),
        ]
        data = (
            [
                e.organisation.name,
                e.organisation.uscc,
                e.region.name,
                e.get_scope_display(),
                e.get_status_display(),
                _registration_here(e),
                e.upcoming,
            ]
            for e in rows.iterator()
        )
    elif tab == "registrations":
        header = [
            _("Agency"),
            _("City name"),
            _("Registered city"),
            _("Person responsible"),
            _("Telephone"),
            _("Status"),
            _("Submitted"),
        ]
        data = (
            [
                r.entry.organisation.name,
                r.city.name,
                _("Yes") if r.home else _("No"),
                r.responsible,
                r.phone,
                r.get_status_display(),
                timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for r in rows.iterator()
        )
    else:
        header = [
            _("Agency"),
            _("City of the evaluation"),
            _("Occupation"),
            _("Level"),
            _("First exam day"),
            _("Last exam day"),
            _("Venue"),
            _("Expected candidates"),
            _("Status"),
        ]
        data = (
            [
                p.entry.organisation.name,
                p.city.name,
                p.occupation.name,
                p.level_label,
                p.first_day.isoformat(),
                p.last_day.isoformat(),
                f"{p.venue}（{p.venue_address}）",
                p.expected_candidates,
                p.get_status_display(),
            ]
            for p in rows.iterator()
        )
    titles = {
        "agencies": _("Agencies of the jurisdiction"),
        "registrations": _("Police registrations"),
        "upcoming": _("Upcoming evaluations"),
        "past": _("Past evaluations"),
        "flagged": _("Plans lacking a report or a registration"),
    }
    return xlsx_response(filename=f"supervision-{tab}.xlsx", title=str(titles[tab]), header=header, rows=data)


# ---------------------------------------------------------------- public: announced evaluations


@public
def evaluations(request):
    form = EvaluationSearchForm(request.GET)
    valid = form.is_valid()
    plans = plans_upcoming_public(**form.cleaned_data) if valid else Plan.objects.none()
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": _page(request, plans), "query": query.urlencode()}
    return render(request, "supervision/public/evaluations.html", context, status=200 if valid else 400)


@public
def evaluation_detail(request, pk: int):
    plan = public_plan_for(pk)
    notes = plan.notes
    if plan.entry.status != DirectoryEntry.Status.ACTIVE:
        notes = _without_sign_up(notes)
    return render(request, "supervision/public/evaluation_detail.html", {"plan": plan, "notes": notes})


_CLAUSE = re.compile(r"[^，,。；;！!\n]*[，,。；;！!\n]?")


def _without_sign_up(text: str) -> str:
    """The announcement without its clauses inviting candidates to sign up (报名), which a suspended or removed
    agency may not take: "…开展认定，符合条件的人员可向本机构报名。" keeps "…开展认定。"."""
    kept = [clause for clause in _CLAUSE.findall(text) if clause and "报名" not in clause]
    result = "".join(kept).rstrip("，,；; ")
    if result and not result.endswith(("。", "！", "!", "\n")):
        result += "。"
    return result
