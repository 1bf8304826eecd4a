"""Selection (择优遴选) and publicity (网上公示): the centre's pages and the public ones.

The centre ranks the assessed applications of a call by panel score with their spread over the cities beside
the ranking (合理布局), marks each selected or not, drafts a notice from the selected ones, publishes it,
answers the objections and closes it. Anyone, signed in or not, reads the published notices, downloads their
PDF, objects during the window (a simple challenge and rate limits keep floods out) and follows the objection
with its tracking code. Every write goes through ``filings.services.publicity``.

Notices are scoped by their call (``agencies.selectors.calls_visible_to``); applications by
``applications_visible_to``; the public sees published and closed notices only.
"""

from __future__ import annotations

from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Call, Level
from agencies.selectors import calls_visible_to
from filings.models import Application, Notice, Objection, ObjectionAttachment, State
from filings.selectors import applications_visible_to, notices_public, notices_visible_to
from filings.services import (
    WorkflowError,
    notice_close,
    notice_create,
    notice_publish,
    objection_handle,
    objection_raise,
    selection_mark,
)
from filings.services.publicity import (
    IN_SELECTION,
    MAX_OBJECTION_FILES,
    RANKED_STATES,
    WINDOW_DAYS_DEFAULT,
    applications_on_open_notices,
    notice_window_open,
)
from portal.lib import ratelimit
from portal.lib.access import public, roles
from portal.lib.challenge import challenge_new, challenge_passed
from portal.lib.downloads import stored_file_response
from portal.lib.http import client_ip, is_digits
from portal.lib.pdf import render_pdf
from portal.lib.uploads import ACCEPT
from portal.models import Region, Role

# At most 3 objections a minute and 5 an hour from one address; every attempt (a wrong answer to the challenge
# included) counts against a looser limit, and so do look-ups of tracking codes.
OBJECTION_LIMITS = (ratelimit.Limit(3, 60), ratelimit.Limit(5, 60 * 60))
ATTEMPT_LIMITS = (ratelimit.Limit(20, 10 * 60),)
TRACK_LIMITS = (ratelimit.Limit(30, 10 * 60),)


# ---------------------------------------------------------------- shared reads


def _city(region: Region) -> Region:
    """The city (设区市) of a region: a county's parent; a city or a province is itself."""
    return region.parent if region.level == Region.Level.COUNTY and region.parent_id else region


def _occupations(application: Application) -> list[dict]:
    """[{"name": "保卫管理员", "levels": ["三级/高级工", ...]}] from the latest submitted version's rows."""
    grouped: OrderedDict[str, dict] = OrderedDict()
    rows = sorted(application.occupation_rows.all(), key=lambda row: (row.occupation.code, -row.level))
    for row in rows:
        entry = grouped.setdefault(row.occupation.code, {"name": row.occupation.name, "levels": []})
        entry["levels"].append(str(Level(row.level).label) if row.level in Level.values else str(row.level))
    return list(grouped.values())


def _with_details(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("organisation", "region__parent").prefetch_related("occupation_rows__occupation")


def notice_entries(notice: Notice) -> list[dict]:
    """The agencies of a notice as the public reads them, by city; ``removed`` after an upheld objection."""
    applications = _with_details(notice.applications.all()).order_by("region__code", "organisation__name")
    return [
        {
            "application": application,
            "name": application.organisation.name,
            "occupations": _occupations(application),
            "scope": application.get_scope_display(),
            "city": _city(application.region).name,
            "removed": application.state == State.OBJECTION_UPHELD,
        }
        for application in applications
    ]


def _call_title(call: Call) -> str:
    version = call.current_version or call.latest_version
    return version.title if version else call.code


# ---------------------------------------------------------------- the centre: selection


@roles(Role.CENTRE)
def selection(request, call_pk: int):
    call = get_object_or_404(calls_visible_to(request.user), pk=call_pk)
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        raw = request.POST.get("application", "")
        candidates = applications_visible_to(request.user).filter(call=call)
        application = get_object_or_404(candidates, pk=raw if is_digits(raw) else 0)
        decision = request.POST.get("decision", "")
        try:
            if decision not in ("select", "not_select"):
                raise ValidationError({"reason": _("Choose “Select” or “Do not select”.")})
            selection_mark(
                application=application,
                by=request.user,
                selected=decision == "select",
                reason=request.POST.get("reason", ""),
                request=request,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("filings:selection", call.pk)
        except ValidationError as error:
            errors = error.message_dict
            posted = {"application": application.pk, "reason": request.POST.get("reason", "")}
        else:
            done = _("Selected: %(name)s.") if decision == "select" else _("Not selected: %(name)s.")
            messages.success(request, done % {"name": application.organisation.name})
            return redirect(reverse("filings:selection", args=[call.pk]) + f"#row-{application.pk}")
    context = _selection_context(request.user, call, errors=errors, posted=posted)
    return render(request, "filings/selection.html", context, status=400 if errors else 200)


def _selection_context(user, call: Call, *, errors: dict, posted: dict | None) -> dict:
    applications = list(
        _with_details(applications_visible_to(user).filter(call=call, state__in=RANKED_STATES)).order_by(
            F("panel_score").desc(nulls_last=True), "organisation__name", "pk"
        )
    )
    rows, cities = [], {}
    rank, previous = 0, object()
    for index, application in enumerate(applications, start=1):
        if application.panel_score != previous:  # equal scores share a rank (1, 2, 2, 4)
            rank, previous = index, application.panel_score
        city = _city(application.region)
        typed = posted if posted and posted["application"] == application.pk else None
        rows.append(
            {
                "rank": rank,
                "application": application,
                "city": city,
                "occupations": _occupations(application),
                "selected": application.state in IN_SELECTION,
                "open": application.state == State.ASSESSED,
                "typed_reason": typed["reason"] if typed else "",
                "errors": errors.get("reason", []) if typed else [],
            }
        )
        counts = cities.setdefault(city.code, {"city": city, "assessed": 0, "selected": 0, "undecided": 0})
        counts["assessed"] += 1
        counts["selected"] += application.state in IN_SELECTION
        counts["undecided"] += application.state == State.ASSESSED
    layout = [cities[code] for code in sorted(cities)]
    for counts in layout:
        counts["percent"] = round(100 * counts["selected"] / counts["assessed"])
    selectable = (
        applications_visible_to(user)
        .filter(call=call, state=State.SELECTED)
        .exclude(pk__in=applications_on_open_notices())
        .count()
    )
    return {
        "call": call,
        "call_title": _call_title(call),
        "rows": rows,
        "layout": layout,
        "totals": {
            "assessed": len(rows),
            "selected": sum(c["selected"] for c in layout),
            "undecided": sum(c["undecided"] for c in layout),
        },
        "selectable": selectable,
    }


# ---------------------------------------------------------------- the centre: notices


@roles(Role.CENTRE)
def notice_list(request):
    notices = (
        notices_visible_to(request.user)
        .annotate(
            entries=Count("applications", distinct=True),
            pending=Count("objections", filter=Q(objections__status=Objection.Status.PENDING), distinct=True),
        )
        .order_by(F("published_at").desc(nulls_first=True), "-pk")
    )
    calls = []
    for call in calls_visible_to(request.user).order_by("-created"):
        in_call = applications_visible_to(request.user).filter(call=call)
        counts = in_call.aggregate(
            assessed=Count("pk", filter=Q(state__in=RANKED_STATES)),
            undecided=Count("pk", filter=Q(state=State.ASSESSED)),
            selected=Count("pk", filter=Q(state=State.SELECTED)),
        )
        if counts["assessed"]:
            calls.append({"call": call, "title": _call_title(call), **counts})
    context = {"notices": notices, "calls": calls, "today": timezone.localdate()}
    return render(request, "filings/notice_list.html", context)


def _default_title(call: Call) -> str:
    # The notice is an official document in Chinese whatever the interface language.
    return f"关于{_call_title(call)}遴选结果的公示"


def _default_body(call: Call, user) -> str:
    centre = user.department.name if user.department_id else "职业技能鉴定中心"
    return (
        f"根据《{_call_title(call)}》的工作安排，经设区市人力资源社会保障部门审核推荐、{centre}受理、"
        "专家技术评估和择优遴选，拟将下列机构纳入职业技能等级认定评价机构备案范围，现予以公示。"
    )


@roles(Role.CENTRE)
def notice_new(request):
    calls = list(calls_visible_to(request.user).order_by("-created"))
    taken = applications_on_open_notices()

    def selectable(call: Call) -> QuerySet[Application]:
        return _with_details(
            applications_visible_to(request.user).filter(call=call, state=State.SELECTED).exclude(pk__in=taken)
        ).order_by(F("panel_score").desc(nulls_last=True), "organisation__name")

    raw = request.POST.get("call") or request.GET.get("call", "")
    call = next((c for c in calls if str(c.pk) == raw), None)
    if call is None and raw:
        raise Http404
    if call is None:  # the first call with selected applications waiting for a notice
        call = next((c for c in calls if selectable(c).exists()), calls[0] if calls else None)
    candidates = list(selectable(call)) if call else []
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and call is not None:
        ids = {int(v) for v in request.POST.getlist("applications") if is_digits(v)}
        chosen = [application for application in candidates if application.pk in ids]
        try:
            notice = notice_create(
                call=call,
                by=request.user,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                window_days=request.POST.get("window_days", ""),
                applications=chosen,
                request=request,
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("The notice has been drafted. Check it, then publish it."))
            return redirect("filings:notice_detail", notice.pk)
    posted = request.POST if request.method == "POST" else None
    context = {
        "calls": calls,
        "call": call,
        "rows": [{"application": a, "city": _city(a.region), "occupations": _occupations(a)} for a in candidates],
        "chosen": {int(v) for v in posted.getlist("applications") if is_digits(v)}
        if posted
        else {a.pk for a in candidates},
        "title": posted.get("title", "") if posted else (_default_title(call) if call else ""),
        "body": posted.get("body", "") if posted else (_default_body(call, request.user) if call else ""),
        "window_days": posted.get("window_days", "") if posted else WINDOW_DAYS_DEFAULT,
        "errors": errors,
    }
    return render(request, "filings/notice_form.html", context, status=400 if errors else 200)


@roles(Role.CENTRE)
def notice_detail(request, pk: int):
    notice = get_object_or_404(notices_visible_to(request.user), pk=pk)
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _notice_action(request, notice, action)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("filings:notice_detail", notice.pk)
        except ValidationError as error:
            errors = error.message_dict
            posted = request.POST
        else:
            messages.success(request, done)
            anchor = f"#objection-{request.POST.get('objection')}" if action == "handle" else ""
            return redirect(reverse("filings:notice_detail", args=[notice.pk]) + anchor)
    notice.refresh_from_db()
    today = timezone.localdate()
    objections = notice.objections.select_related("application__organisation", "handled_by").prefetch_related(
        "attachments"
    )
    typed_for = posted.get("objection", "") if posted else ""
    rows = [
        {
            "objection": objection,
            "typed_reply": posted.get("reply", "") if typed_for == str(objection.pk) else "",
            "errors": errors.get("reply", []) if typed_for == str(objection.pk) else [],
        }
        for objection in objections
    ]
    pending = sum(row["objection"].status == Objection.Status.PENDING for row in rows)
    context = {
        "notice": notice,
        "entries": notice_entries(notice),
        "objections": rows,
        "pending": pending,
        "window_open": notice_window_open(notice, today),
        "can_close": notice.status == Notice.Status.PUBLISHED and today > notice.closes_on and not pending,
        "today": today,
    }
    return render(request, "filings/notice_detail.html", context, status=400 if errors else 200)


def _notice_action(request, notice: Notice, action: str) -> str:
    if action == "publish":
        notice = notice_publish(notice=notice, by=request.user, request=request)
        return _("Published. Objections are accepted until %(date)s.") % {"date": notice.closes_on.isoformat()}
    if action == "close":
        notice_close(notice=notice, by=request.user, request=request)
        return _("The notice is closed; the agencies on it have passed the public notice.")
    if action == "handle":
        raw = request.POST.get("objection", "")
        objection = get_object_or_404(Objection, pk=raw if is_digits(raw) else 0, notice=notice)
        decision = request.POST.get("decision", "")
        if decision not in ("uphold", "dismiss"):
            raise ValidationError({"reply": _("Choose “Uphold” or “Dismiss”.")})
        objection_handle(
            objection=objection,
            by=request.user,
            upheld=decision == "uphold",
            reply=request.POST.get("reply", ""),
            request=request,
        )
        if decision == "uphold":
            return _("Objection upheld: %(name)s is out of the selection.") % {
                "name": objection.application.organisation.name
            }
        return _("Objection dismissed; the objector can read your reply with the tracking code.")
    raise ValidationError({"action": _("Unknown action.")})


@roles(Role.CENTRE)
def objection_attachment(request, pk: int, attachment_pk: int):
    notice = get_object_or_404(notices_visible_to(request.user), pk=pk)
    attachment = get_object_or_404(ObjectionAttachment, pk=attachment_pk, objection__notice=notice)
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


# ---------------------------------------------------------------- public pages


@public
def public_notice_list(request):
    notices = notices_public().annotate(entries=Count("applications")).order_by("-published_at", "-pk")
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    return render(request, "filings/public/notice_list.html", {"page": page, "today": timezone.localdate()})


def _public_notice_context(notice: Notice, *, posted=None, errors=None, files_dropped: bool = False) -> dict:
    today = timezone.localdate()
    entries = notice_entries(notice)
    open_ = notice_window_open(notice, today)
    return {
        "notice": notice,
        "entries": [e for e in entries if not e["removed"]],
        "removed": [e for e in entries if e["removed"]],
        "window_open": open_,
        "challenge": challenge_new() if open_ else None,
        "posted": posted or {},
        "errors": errors or {},
        "files_dropped": files_dropped,
        "max_files": MAX_OBJECTION_FILES,
        "accept": ACCEPT,
        "issuer": notice.created_by.department.name if notice.created_by.department_id else "",
    }


@public
def public_notice_detail(request, pk: int):
    notice = get_object_or_404(notices_public().select_related("created_by__department"), pk=pk)
    return render(request, "filings/public/notice_detail.html", _public_notice_context(notice))


def _date_cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@public
def public_notice_pdf(request, pk: int):
    """The notice as it was published (every agency on it), in Chinese as an official document."""
    notice = get_object_or_404(notices_public().select_related("created_by__department"), pk=pk)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "paragraphs": [line.strip() for line in notice.body.splitlines() if line.strip()],
            "entries": notice_entries(notice),
            "issuer": notice.created_by.department.name if notice.created_by.department_id else "",
            "opens_cn": _date_cn(notice.opens_on),
            "closes_cn": _date_cn(notice.closes_on),
            "published_cn": _date_cn(timezone.localtime(notice.published_at).date()),
        }
        content = render_pdf("pdf/notice.html", context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


@public
def objection_create(request, pk: int):
    notice = get_object_or_404(notices_public().select_related("created_by__department"), pk=pk)
    if request.method != "POST":
        return redirect(reverse("public:notice_detail", args=[notice.pk]) + "#objection")
    ip = client_ip(request)
    limit = ratelimit.exceeded("objection-attempt", ip, ATTEMPT_LIMITS) or ratelimit.exceeded(
        "objection", ip, OBJECTION_LIMITS
    )
    if limit:
        return ratelimit.too_many_response(request, limit)
    ratelimit.hit("objection-attempt", ip, ATTEMPT_LIMITS)
    files = request.FILES.getlist("files")
    posted = {key: request.POST.get(key, "") for key in ("application", "name", "contact", "content")}
    errors: dict[str, list[str]] = {}
    if not challenge_passed(request.POST.get("challenge", ""), request.POST.get("answer", "")):
        errors["answer"] = [_("The answer to the check question is wrong. Answer the new question.")]
    else:
        raw = posted["application"]
        application = notice.applications.filter(pk=raw).first() if is_digits(raw) else None
        try:
            objection = objection_raise(
                notice=notice,
                application=application,
                name=posted["name"],
                contact=posted["contact"],
                content=posted["content"],
                files=files,
                ip=ip,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("public:notice_detail", notice.pk)
        except ValidationError as error:
            errors = error.message_dict
        else:
            ratelimit.hit("objection", ip, OBJECTION_LIMITS)
            context = {"notice": notice, "objection": objection}
            return render(request, "filings/public/objection_received.html", context)
    context = _public_notice_context(notice, posted=posted, errors=errors, files_dropped=bool(files))
    return render(request, "filings/public/notice_detail.html", context, status=400)


@public
def objection_track(request):
    """The objector enters the tracking code (posted, so it stays out of addresses and server logs)."""
    context: dict = {"code": "", "objection": None, "not_found": False}
    if request.method == "POST":
        ip = client_ip(request)
        limit = ratelimit.exceeded("objection-track", ip, TRACK_LIMITS)
        if limit:
            return ratelimit.too_many_response(request, limit)
        ratelimit.hit("objection-track", ip, TRACK_LIMITS)
        code = request.POST.get("code", "").strip()
        objection = (
            Objection.objects.select_related("notice", "application__organisation")
            .prefetch_related("attachments")
            .filter(tracking_code=code)
            .first()
            if 16 <= len(code) <= 32
            else None
        )
        context.update(code=code, objection=objection, not_found=objection is None)
    return render(request, "filings/public/objection_track.html", context)
