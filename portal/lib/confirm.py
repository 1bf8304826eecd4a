"""A second step before an action that cannot be undone (removal from the directory, revoking a certificate,
opening an inspection): the first POST answers a page that says what will happen, carrying what was posted in
hidden fields; only its button, which posts the same again with ``confirmed=yes``, takes the action. Works with
no script (the Content-Security-Policy allows no inline script) and cannot be skipped by a stray click."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

CONFIRMED = "confirmed"
# Where ``back_redirect`` keeps what was typed until the page it redirects to shows it again.
BACK_KEY = "confirm_back"


def unbroken(template: str, *, keep: tuple[str, ...], **values) -> SafeString:
    """``template % values``, escaped, with the values named in ``keep`` each on one line: a date broke at its
    hyphen ("2026-12-" / "31"), a decision number inside its brackets ("督〔2026" / "〕1号")."""
    kept = {
        name: format_html('<span class="text-nowrap">{}</span>', value) if name in keep else value
        for name, value in values.items()
    }
    escaped = str(conditional_escape(template)).replace("{", "{{").replace("}", "}}")
    return format_html(re.sub(r"%\((\w+)\)s", r"{\1}", escaped), **kept)


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "yes"


def is_back(request: HttpRequest) -> bool:
    """The confirmation page's "back to the form": the view shows its form again with what was posted."""
    return request.POST.get(CONFIRMED) == "back"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    summary: list[tuple[str, str]] = (),
    back: bool = False,
    heading: str | SafeString = "",
) -> HttpResponse:
    """The page asking to confirm: ``summary`` (label, value) says what is about to be done, ``consequences``
    what it will do; the form posts everything posted (but the CSRF token, which the page renders anew) again to
    the same address with ``confirmed=yes``. ``back``: what was typed is worth keeping (a removal's facts): instead
    of a link away, the page's other button posts it all back with ``confirmed=back`` (``is_back``), and the view
    shows its form again as it was filled in."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in request.POST.getlist(name)
    ]
    context = {
        "title": title,
        "heading": heading or title,
        "consequences": consequences,
        "button": button,
        "cancel_url": cancel_url,
        "summary": summary,
        "fields": fields,
        "action": request.path,
        "back": back,
    }
    return render(request, "portal/confirm.html", context)


def back_redirect(request: HttpRequest, url: str, kept: dict) -> HttpResponseRedirect:
    """Back from a confirmation to a form that lives on another page (post-redirect-get): what was typed is kept
    in the session and the browser goes to ``url`` by GET, so its address bar shows the page, not the address
    the confirmation posted to, and a reload or the back button does not post again."""
    request.session[BACK_KEY] = {"path": url.split("?", 1)[0].split("#", 1)[0], "kept": kept}
    return HttpResponseRedirect(url)


def kept_from_back(request: HttpRequest) -> dict:
    """What ``back_redirect`` kept for this page (once: a later visit shows the page as usual), or {}."""
    stored = request.session.get(BACK_KEY)
    if not stored or stored.get("path") != request.path:
        return {}
    del request.session[BACK_KEY]
    return stored.get("kept") or {}
