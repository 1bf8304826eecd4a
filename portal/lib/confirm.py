"""A second step before an action that cannot be undone (removal from the directory, revoking a certificate,
opening an inspection): the first POST answers a page that says what will happen, carrying what was posted in
hidden fields; only its button, which posts the same again with ``confirmed=yes``, takes the action. Works with
no script (the Content-Security-Policy allows no inline script) and cannot be skipped by a stray click."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    summary: list[tuple[str, str]] = (),
) -> HttpResponse:
    """The page asking to confirm: ``summary`` (label, value) says what is about to be done, ``consequences``
    what it will do; the form posts everything posted (but the CSRF token, which the page renders anew) again to
    the same address with ``confirmed=yes``."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in request.POST.getlist(name)
    ]
    context = {
        "title": title,
        "consequences": consequences,
        "button": button,
        "cancel_url": cancel_url,
        "summary": summary,
        "fields": fields,
        "action": request.path,
    }
    return render(request, "portal/confirm.html", context)
