"""Random inspection draws (双随机一公开): the officials' list and definition form, the draw page (enter the seed
value, draw), and the public pages: every draw with its inputs, algorithm, downloadable stand-alone script,
picks and the findings of the inspections that followed.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.lib import randomdraw
from portal.lib.access import public, roles
from portal.lib.errors import add_to_form, refusal
from portal.models import Role
from supervision.forms import DrawForm, DrawRunForm
from supervision.loaders import draw_for, public_draw_for
from supervision.selectors import draw_pools, draws_public, draws_visible_to
from supervision.services import draws as services
from supervision.views.plans import _page

OFFICIALS = (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
SCRIPT = Path(randomdraw.__file__)


def _body(draw) -> dict:
    """The pools with names and the picks with their people and the inspection that followed."""
    pools = draw_pools(draw)
    inspections = {
        i.entry_id: i for i in draw.inspections.prefetch_related("findings").select_related("entry__organisation")
    }
    picks = [
        {
            "agency": pools["agencies"].get(p["agency"]),
            "inspectors": [pools["inspectors"][pk] for pk in p["inspectors"] if pk in pools["inspectors"]],
            "inspection": inspections.get(p["agency"]),
        }
        for p in draw.picks
    ]
    return {**pools, "picks": picks}


@roles(*OFFICIALS)
def draws(request):
    user = request.user
    may_define = user.role in (Role.CITY_HR, Role.CENTRE) and user.jurisdiction is not None
    if request.method == "POST" and not may_define:
        raise PermissionDenied
    form = DrawForm(request.POST or None, region=user.jurisdiction) if may_define else None
    status = 200
    if request.method == "POST" and may_define and form.is_valid():
        data = form.cleaned_data
        period = (data["period_from"], data["period_to"]) if data.get("period_from") and data.get("period_to") else None
        with refusal(request) as refused:
            draw = services.draw_define(
                by=user,
                title=data.get("title") or "",
                n=data.get("n"),
                m=data.get("m"),
                seed_source=data.get("seed_source") or "",
                seed_published_on=data.get("seed_published_on"),
                city=data.get("city"),
                occupation=data.get("occupation"),
                status=data.get("status") or "",
                period=period,
                request=request,
            )
        if not refused:
            messages.success(request, _("The draw is defined and its inputs are published."))
            return redirect("supervision:draw_detail", draw.pk)
        add_to_form(form, refused.errors)
    if form is not None and form.errors:
        status = 400
    context = {"form": form, "page": _page(request, draws_visible_to(user))}
    return render(request, "supervision/draws.html", context, status=status)


@roles(*OFFICIALS)
def draw_detail(request, pk: int):
    draw = draw_for(request, pk)
    form = DrawRunForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusal(request) as refused:
            services.draw_perform(
                draw=draw, by=request.user, seed_value=form.cleaned_data.get("seed_value") or "", request=request
            )
        if not refused:
            messages.success(request, _("Drawn; the inspectors have been told and the results are public."))
            return redirect("supervision:draw_detail", draw.pk)
        if not refused.errors:
            return redirect("supervision:draw_detail", draw.pk)
        add_to_form(form, refused.errors)
        status = 400
    context = {
        "draw": draw,
        **_body(draw),
        "form": form,
        "may_run": services.may_run(request.user, draw) and draw.status == "defined",
        "seed_pending": draw.seed_pending(timezone.localdate()),
    }
    return render(request, "supervision/draw_detail.html", context, status=status)


# ---------------------------------------------------------------- public


@public
def public_draws(request):
    return render(request, "supervision/public/draws.html", {"page": _page(request, draws_public())})


@public
def public_draw(request, pk: int):
    draw = public_draw_for(pk)
    context = {"draw": draw, **_body(draw)}
    return render(request, "supervision/public/draw_detail.html", context)


@public
def public_draw_inputs(request, pk: int):
    draw = public_draw_for(pk)
    response = JsonResponse(draw.inputs(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-inputs.json"'
    return response


@public
def draw_script(request):
    """The stand-alone script (standard library only) that reproduces every draw."""
    response = HttpResponse(SCRIPT.read_text(encoding="utf-8"), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="randomdraw.py"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
