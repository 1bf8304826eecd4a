"""Public pages drawn into a cached shell (issue 16).

A public page whose answer cannot be cached — certificate verification answers each visitor's own question — still
spends most of its time drawing what is the same for every anonymous visitor: ``base.html``'s header, menu,
language switcher and footer (1.4 ms of a 3 ms page). ``shell_response`` draws that frame once per process for
each (template, language, path, elder mode), with a placeholder where the page's content goes and the CSRF
token taken out, and then serves each request as frame + content, with the visitor's own CSRF token put back.

Only for anonymous visitors without a pending message (no session or messages cookie) and paths without a query
string; anyone else gets the page drawn in full, from the same content. The frame holds nothing that data
changes (the menu of an anonymous visitor, translations and static file names, which change with a deployment,
i.e. a new process); a change of settings in tests empties it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.lib.csrftoken import masked_token
from portal.lib.display import elder_mode_on

CONTENT = "@@shell-content@@"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_CSRF = "@@shell-csrf@@"
_SHELLS: dict[tuple, tuple[str, str]] = {}
_MAX_SHELLS = 64


def _framed(request: HttpRequest) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.META.get("QUERY_STRING")
    )


def shell_response(
    request: HttpRequest, template_name: str, content: str, *, status: int = 200, token: str | None = None
) -> HttpResponse:
    """``template_name`` (which shows ``{{ content }}``) with ``content`` (already rendered and escaped) in it;
    ``token``: the CSRF token the content already carries (``masked_token``), put in the frame too (each call of
    ``get_token`` masks the secret anew: ~0.1 ms)."""
    if not _framed(request):
        return render(request, template_name, {"content": mark_safe(content)}, status=status)  # noqa: S308
    key = (template_name, get_language(), request.path, elder_mode_on(request))
    shell = _SHELLS.get(key)
    if shell is None:
        page = render_to_string(template_name, {"content": CONTENT}, request=request)
        head, tail = _CSRF_FIELD.sub(rf"\1{_CSRF}\3", page).split(CONTENT)
        shell = (head, tail)
        if len(_SHELLS) < _MAX_SHELLS and not settings.DEBUG:  # with DEBUG, an edited base.html shows at once
            _SHELLS[key] = shell
    token = token or masked_token(request)  # also sends the CSRF cookie, as drawing the page would
    head, tail = shell
    page = head.replace(_CSRF, token) + content + tail.replace(_CSRF, token)
    return HttpResponse(page, status=status)


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _SHELLS.clear()
