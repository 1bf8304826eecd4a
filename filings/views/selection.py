"""Selection (择优遴选) and its notice: the centre's pages.

The centre ranks the assessed applications of a call by panel score with their spread over the cities beside
the ranking (合理布局), marks each selected or not, and drafts a notice from the selected ones; the notice
itself (publishing, objections, closing) is managed on its page in ``publicity``. Every write goes through
``filings.services.selection``; calls are scoped by ``agencies.selectors.calls_visible_to``, applications by
``applications_visible_to``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.loaders import call_for
from agencies.models import Call, scope_label
from agencies.selectors import calls_visible_to
from filings.loaders import call_application_for
from filings.models import Application, RankingTally, State
from filings.selectors import applications_visible_to, ranking_tallies_visible_to
from filings.services import selection_mark, selection_notice_create
from filings.services.selection import (
    IN_SELECTION,
    RANKED_STATES,
    applications_on_open_notices,
    call_title,
    occupations_by_application,
    occupations_of,
    with_details,
)
from portal.lib.access import roles
from portal.lib.errors import refusal
from portal.lib.excel import xlsx_response
from portal.lib.http import is_digits
from portal.lib.links import link_to
from portal.models import Region, Role
from publicity.models import Objection
from publicity.selectors import notice_entries, notices_visible_to
from publicity.services import WINDOW_DAYS_DEFAULT
from publicity.subjects import kind_choices, kinds_managed_by

# ---------------------------------------------------------------- the centre: selection


@roles(Role.CENTRE)
def selection(request, call_pk: int):
    call = call_for(request, call_pk)
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        application = call_application_for(request, call, request.POST.get("application", ""))
        decision = request.POST.get("decision", "")
        with refusal(request) as refused:
            if decision not in ("select", "not_select"):
                raise ValidationError({"reason": _("Choose “Select” or “Do not select”.")})
            selection_mark(
                application=application,
                by=request.user,
                selected=decision == "select",
                reason=request.POST.get("reason", ""),
                request=request,
            )
        back = reverse("filings:selection", args=[call.pk])
        if is_digits(request.POST.get("page", "")):
            back += f"?page={request.POST['page']}"
        if refused.message:
            return redirect(back)
        if refused.errors:
            errors = refused.errors
            posted = {"application": application.pk, "reason": request.POST.get("reason", "")}
        else:
            done = _("Selected: %(name)s.") if decision == "select" else _("Not selected: %(name)s.")
            messages.success(request, done % {"name": application.organisation.name})
            return redirect(f"{back}#row-{application.pk}")
    page = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
    context = _selection_context(request.user, call, errors=errors, posted=posted, page=page)
    return render(request, "filings/selection.html", context, status=400 if errors else 200)


SELECTION_PAGE_SIZE = 50


def _page_ids(ordered: QuerySet[Application], page_obj, *, ranks: dict, per_score: dict) -> list[int]:
    """The ids of the page's applications, sorted among the scores the page spans only. The groups counted above
    say which scores those are (the applications before a score are its rank minus one): the database sorts about
    a page of rows instead of every ranked application of the call (19,000 at province scale: 10-40 ms, the last
    page's OFFSET walking all of them, issue 16 item 4)."""
    bottom, top = page_obj.start_index() - 1, page_obj.end_index()
    if not page_obj.paginator.count or top <= bottom:
        return []
    spanned = [score for score in ranks if ranks[score] - 1 < top and ranks[score] - 1 + per_score[score] > bottom]
    before = min(ranks[score] for score in spanned) - 1  # the applications scored above the page's first score
    numbers = [score for score in spanned if score is not None]
    scores = Q(panel_score__gte=min(numbers), panel_score__lte=max(numbers)) if numbers else Q(pk__in=[])
    if None in spanned:  # no score sorts last
        scores |= Q(panel_score=None)
    spanning = ordered.filter(scores).values_list("pk", flat=True)
    first, last, total = bottom - before, top - before, sum(per_score[score] for score in spanned)
    if first > total // 2:  # near the end of what it spans (the unscored, 9,500 at province scale): backwards
        return list(reversed(spanning.reverse()[total - last : total - first]))
    return list(spanning[first:last])


def _selection_context(user, call: Call, *, errors: dict, posted: dict | None, page: str | None = None) -> dict:
    """One page of the ranking (ranks over the whole call: equal scores share a rank, 1, 2, 2, 4), and the
    spread over the cities counted in the database: the same few queries at any number of applications."""
    ranked = applications_visible_to(user).filter(call=call, state__in=RANKED_STATES)
    # The ranks (equal scores share a rank, 1, 2, 2, 4: one more than the applications scored above), the
    # paginator's count and the spread over the cities add up the call's ``RankingTally`` rows (one per region,
    # state and score: a few hundred), which the database keeps with the applications: a GROUP BY over the call's
    # ranked applications on each request cost ~20 ms at 19,000 of them (issue 16 item 4).
    tallies = (
        ranking_tallies_visible_to(user)
        .filter(call=call, state__in=RANKED_STATES, n__gt=0)
        .values_list("region_id", "score", "state", "n")
    )
    per_score: dict = {}
    by_region: dict = {}
    for region_id, score, state, n in tallies:
        score = None if score == RankingTally.NO_SCORE else score
        per_score[score] = per_score.get(score, 0) + n
        counts = by_region.setdefault(region_id, {"assessed": 0, "selected": 0, "undecided": 0})
        counts["assessed"] += n
        counts["selected"] += n if state in IN_SELECTION else 0
        counts["undecided"] += n if state == State.ASSESSED else 0
    above, ranks = 0, {}
    for score in sorted(per_score, key=lambda score: (score is None, -(score or 0))):
        ranks[score] = above + 1
        above += per_score[score]
    order = [F("panel_score").desc(nulls_last=True), "organisation__name", "pk"]
    paginator = Paginator(ranked.order_by(*order).values_list("pk", flat=True), SELECTION_PAGE_SIZE)
    paginator.count = above  # counted above, a cached property set before the paginator asks the database
    page_obj = paginator.get_page(page)
    # The page's ids first (a narrow sort), then the 50 rows with their details: joining every detail of every
    # ranked application before the sort cost 230 ms at 19,000 of them.
    ids = _page_ids(ranked.order_by(*order), page_obj, ranks=ranks, per_score=per_score)
    # The regions counted, with their parents: each row's city and the spread over the cities.
    regions = {region.pk: region for region in Region.objects.filter(pk__in=by_region).select_related("parent")}
    # What a row shows only, as plain values: the 50 rows' model instances (the application, its organisation,
    # region and its parent, the occupation rows and occupations) took half the page's CPU (issue 16 item 4).
    details = {
        row["pk"]: row
        for row in Application.objects.filter(pk__in=ids).values(
            "pk", "region_id", "reference", "state", "scope", "panel_score", "selection_reason", "organisation__name"
        )
    }
    occupations = occupations_by_application(ids)
    # The labels once per page: ``get_state_display``/``get_scope_display`` hash every choice on each call (100
    # calls a page, a third of its rendering).
    state_labels = dict(State.choices)
    # Each row's cells ready to print (a dictionary's key, where ``a.organisation.name`` tries a key, then an
    # attribute, at each step; the link reversed once; the occupations joined here): half the page's rendering
    # (issue 16 item 4).
    detail = link_to("filings:application_detail")
    rows = []
    for application in (details[pk] for pk in ids):
        pk, state, score = application["pk"], application["state"], application["panel_score"]
        typed = posted if posted and posted["application"] == pk else None
        rows.append(
            {
                "rank": ranks[score],
                "pk": pk,
                "url": detail(pk),
                "organisation": application["organisation__name"],
                "reference": application["reference"],
                "reason": application["selection_reason"],
                "score": "—" if score is None else score,
                "state_label": state_labels.get(state, state),
                "scope_label": scope_label(application["scope"], regions[application["region_id"]].code),
                "city": regions[application["region_id"]].city,
                "occupations": "；".join(f"{o['name']}：{'、'.join(o['levels'])}" for o in occupations.get(pk, [])),
                "selected": state in IN_SELECTION,
                "open": state == State.ASSESSED,
                "typed_reason": typed["reason"] if typed else "",
                "errors": errors.get("reason", []) if typed else [],
            }
        )
    cities = {}
    for region in regions.values():
        city = region.city
        counts = cities.setdefault(city.code, {"city": city, "assessed": 0, "selected": 0, "undecided": 0})
        for name in ("assessed", "selected", "undecided"):
            counts[name] += by_region[region.pk][name]
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
        "call_title": call_title(call),
        "rows": rows,
        "page": page_obj,
        "layout": layout,
        "totals": {
            "assessed": sum(c["assessed"] for c in layout),
            "selected": sum(c["selected"] for c in layout),
            "undecided": sum(c["undecided"] for c in layout),
        },
        "selectable": selectable,
    }


# ---------------------------------------------------------------- the centre: notices


@roles(Role.CENTRE)
def notice_list(request):
    """Every notice the centre manages, whatever it publicises (a filing selection, an evaluation's results),
    filtered by kind on request; the selection by call above them."""
    notices, kinds, kind = _managed_notices(request)
    notices = notices.annotate(
        entries=Count("items", distinct=True),
        pending=Count("objections", filter=Q(objections__status=Objection.Status.PENDING), distinct=True),
    ).order_by(F("published_at").desc(nulls_first=True), "-pk")
    # The calls' counts in one GROUP BY over their ranked applications (the application_call_ranking index), not
    # one scan of every application per call (54 ms a call at 100,000 applications).
    # The calls' counts added up from their ``RankingTally`` rows (kept by the database with the applications), not
    # a GROUP BY over the ranked applications on each request (24,000 at province scale, issue 16 item 4).
    counted = (
        ranking_tallies_visible_to(request.user)
        .filter(state__in=RANKED_STATES, n__gt=0)
        .order_by()
        .values("call_id")
        .annotate(
            assessed=Sum("n"),
            undecided=Coalesce(Sum("n", filter=Q(state=State.ASSESSED)), 0),
            selected=Coalesce(Sum("n", filter=Q(state=State.SELECTED)), 0),
        )
    )
    counts_of = {row.pop("call_id"): row for row in counted}
    calls = [
        {"call": call, "title": call_title(call), **counts_of[call.pk]}
        for call in calls_visible_to(request.user).filter(pk__in=counts_of).order_by("-created")
    ]
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    labels = dict(kinds)
    for notice in page:
        notice.kind_label = labels.get(notice.kind, notice.kind)
    context = {
        "notices": page,
        "page": page,
        "query": urlencode({"kind": kind}) if kind else "",
        "kinds": kinds,
        "kind": kind,
        "calls": calls,
        "today": timezone.localdate(),
    }
    return render(request, "filings/notice_list.html", context)


def _managed_notices(request) -> tuple[QuerySet, list[tuple[str, str]], str]:
    """The notices the centre manages, of the kind asked for (``?kind=``; anything else: every kind), with the
    kinds it may choose from and the kind kept: what the list shows and its export exports."""
    kinds = kind_choices(kinds_managed_by(request.user.role))
    kind = request.GET.get("kind", "")
    notices = notices_visible_to(request.user)
    if kind in dict(kinds):
        return notices.filter(kind=kind), kinds, kind
    return notices, kinds, ""


@roles(Role.CENTRE)
def notice_export(request):
    """Every entry of the notices the list shows (its kind filter applied), one row each, with the notice's kind:
    the filing selections' agencies and the results notices' candidates (the list sent to the ministry is the
    publicised selections)."""
    notices, kinds, _kind = _managed_notices(request)
    labels = dict(kinds)
    rows = []
    for notice in notices.order_by(F("published_at").desc(nulls_first=True), "-pk"):
        for entry in notice_entries(notice):
            rows.append(
                (
                    notice.title,
                    str(labels.get(notice.kind, notice.kind)),
                    notice.get_status_display(),
                    notice.opens_on.isoformat() if notice.opens_on else "",
                    notice.closes_on.isoformat() if notice.closes_on else "",
                    entry.name,
                    entry.city,
                    entry.scope,
                    "；".join(
                        f"{o['name']}（{'、'.join(str(level) for level in o['levels'])}）" for o in entry.occupations
                    ),
                    entry.state,
                )
            )
    return xlsx_response(
        filename=f"notices-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Public notices"),
        header=[
            _("Notice"),
            _("Kind"),
            _("Status"),
            _("Window opens"),
            _("Window closes"),
            _("Organisation or candidate"),
            _("City"),
            _("Scope or result"),
            _("Occupations and levels"),
            _("State"),
        ],
        rows=rows,
    )


def _default_title(call: Call) -> str:
    # The notice is an official document in Chinese whatever the interface language.
    return f"关于{call_title(call)}遴选结果的公示"


def _default_body(call: Call, user) -> str:
    centre = user.department.name if user.department_id else "职业技能鉴定中心"
    return (
        f"根据《{call_title(call)}》的工作安排，经设区市人力资源社会保障部门审核推荐、{centre}受理、"
        "专家技术评估和择优遴选，拟将下列机构纳入职业技能等级认定评价机构备案范围，现予以公示。"
    )


@roles(Role.CENTRE)
def notice_new(request):
    calls = list(calls_visible_to(request.user).order_by("-created"))
    taken = applications_on_open_notices()

    def selectable(call: Call) -> QuerySet[Application]:
        return with_details(
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
        # Not only the candidates: an application put on a notice a moment ago by another request is refused
        # by the service with a message that says so.
        chosen = list(applications_visible_to(request.user).filter(call=call, pk__in=ids))
        with refusal(request) as refused:
            notice = selection_notice_create(
                call=call,
                by=request.user,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                window_days=request.POST.get("window_days", ""),
                applications=chosen,
                request=request,
            )
        errors = refused.errors
        if not refused:
            messages.success(request, _("The notice has been drafted. Check it, then publish it."))
            return redirect("publicity:notice_detail", notice.pk)
    posted = request.POST if request.method == "POST" else None
    context = {
        "calls": calls,
        "call": call,
        "rows": [{"application": a, "city": a.region.city, "occupations": occupations_of(a)} for a in candidates],
        "chosen": {int(v) for v in posted.getlist("applications") if is_digits(v)}
        if posted
        else {a.pk for a in candidates},
        "title": posted.get("title", "") if posted else (_default_title(call) if call else ""),
        "body": posted.get("body", "") if posted else (_default_body(call, request.user) if call else ""),
        "window_days": posted.get("window_days", "") if posted else WINDOW_DAYS_DEFAULT,
        "errors": errors,
    }
    return render(request, "filings/notice_form.html", context, status=400 if errors else 200)
