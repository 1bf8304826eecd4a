"""Request middleware of the portal."""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import common
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.characters import has_control_characters
from portal.lib.headers import PERMISSIONS_POLICY
from portal.lib.http import reset_current_request, set_current_request
from portal.models import AuditEvent
from portal.services import audit_text, security_event, security_events_flush

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class TrustedProxyHeaders:
    """Believe ``X-Forwarded-Proto`` (and, when ``TRUSTED_PROXIES`` is set, ``X-Forwarded-For``) only from a
    reverse proxy listed in ``TRUSTED_PROXIES``: from anyone else the headers are removed before Django reads
    them. ``SECURE_PROXY_SSL_HEADER`` would otherwise let any client claim HTTPS (secure cookies and the
    redirect to HTTPS decided on its word). First in the middleware, before ``SecurityMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
            if settings.TRUSTED_PROXIES:
                request.META.pop("HTTP_X_FORWARDED_FOR", None)
        return self.get_response(request)


def is_trusted_proxy(address: str) -> bool:
    return _is_trusted(address, tuple(settings.TRUSTED_PROXIES))


@functools.lru_cache(maxsize=1024)
def _is_trusted(address: str, proxies: tuple[str, ...]) -> bool:
    """Cached by the address and the setting: parsing them was 2 % of a public look-up (issue 16)."""
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(entry, strict=False) for entry in proxies)


class PermissionsPolicy:
    """Every response says which browser features it may use: none (``Permissions-Policy``), unless the view
    allows the camera (``portal.lib.headers.camera_allowed``). Near the top, so refusals made by middleware
    (400, lockout) carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class TextCharset:
    """Every HTML and JSON answer names its charset: Django's ``JsonResponse`` (the API's errors, its 405 among
    them) says ``application/json`` alone, and a client reading Chinese text must not have to guess. Near the top,
    so the answers made by middleware get it too."""

    TYPES = ("text/html", "application/json")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.headers.get("Content-Type", "")
        media = content_type.split(";", 1)[0].strip().lower()
        if media in self.TYPES and "charset=" not in content_type.lower():
            response.headers["Content-Type"] = f"{media}; charset={response.charset}"
        return response


class CommonMiddleware(common.CommonMiddleware):
    """Django's, except for a POST (or any method but GET and HEAD) to an address without its trailing slash:
    APPEND_SLASH would answer a 301 that a browser follows with a GET (the form's data lost) — or, with DEBUG on,
    fail. Such a request is answered a 404 that names the right address instead: JSON under /api/, the portal's
    page elsewhere. GET and HEAD are still redirected."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            response.status_code == 404
            and request.method not in ("GET", "HEAD")
            and self.should_redirect_with_slash(request)
        ):
            return slash_missing_response(request)
        return super().process_response(request, response)


def slash_missing_response(request: HttpRequest) -> HttpResponse:
    address = f"{request.path}/"
    if request.path_info.startswith("/api/"):
        message = _("This address ends with a slash: send the request to %(address)s.") % {"address": address}
        return JsonResponse({"detail": message}, status=404, json_dumps_params={"ensure_ascii": False})
    context = {"sent": request.path, "address": address}
    return render(request, "404_slash.html", context, status=404)


class PrivateResponses:
    """Every response to a signed-in user — page, JSON, PDF, Excel or stored file — is ``Cache-Control:
    no-store``, so that nothing private stays in a shared computer's browser cache or a proxy. Public pages keep
    their caching as they set it; private downloads are no-store whoever asks (``portal.lib.downloads``). Static
    files never get here (whitenoise answers them above)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # A view that said no-store already (the clear ID number) keeps what it said.
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


class ChineseUnlessChosen(MiddlewareMixin):
    """The portal speaks Simplified Chinese unless the user picks English with the language switcher.

    Django would otherwise follow the browser's Accept-Language header, and an official whose browser was
    installed in English would get an English portal without asking for it. Runs before LocaleMiddleware.
    """

    def process_request(self, request) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)


class SessionRenewal:
    """Keeps the idle time-out (``SESSION_COOKIE_AGE`` after the last request) without a database write on
    every request: the session is saved again, with a fresh expiry, once ``SESSION_RENEW_SECONDS`` have passed
    since it last was. Saving on every request (``SESSION_SAVE_EVERY_REQUEST``) cost an UPDATE and a COMMIT per
    page (issue 16); this costs one a minute per signed-in user, and the time-out is late by that minute at most.
    Sits after ``SessionMiddleware``, so that its mark is saved on the way out."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        stale = session is not None and session.session_key and not session.modified
        if stale and time.time() - session.get(RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
            mark_renewed(session)
        return response


# The session key holding when the session's expiry was last pushed back (seconds since the epoch).
RENEWED = "_renewed"


def mark_renewed(session) -> None:
    """Note that the session is saved now with a fresh expiry (a sign-in saves it: ``portal.signals``)."""
    session[RENEWED] = int(time.time())


class RequestContext:
    """Makes the request being answered known to whatever records who did what from where (``audit_record``
    falls back on it, so every audit row written while answering a request carries the client's address), and
    writes the security events of the request once it is answered (``portal.services.security_event``): a
    refused upload or a refused access (403), which the rolled-back transaction would otherwise take along."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_current_request(request)
        try:
            response = self.get_response(request)
            security_events_flush(request)
            return response
        finally:
            reset_current_request(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            security_event(
                action=AuditEvent.Action.ACCESS_DENIED,
                detail=audit_text(
                    gettext_lazy("Access refused: %(method)s %(path)s"),
                    method=request.method,
                    path=request.get_full_path()[:300],
                ),
            )


class RefuseControlCharacters:
    """A request carrying a control character (NUL, ESC …; ``portal.lib.characters``) anywhere — its path, a
    query parameter, a form field, a JSON body, a cookie or a header — is answered 400 here,
    before any view, form, session or sign-in check passes the text to the database.

    PostgreSQL refuses NUL in text with an error, and each view and form would otherwise need its own guard
    (Django's form fields refuse NUL, but query parameters, autosave, the API, the session cookie and
    django-axes' records of failed sign-ins pass it through). Nobody types these characters, so a plain refusal
    costs a real user nothing: the page says what happened, and the browser's Back button still has the form
    as it was typed. The JSON API and the application form's autosave get the refusal as JSON.

    Uploaded files' names need no check: Django keeps only their printable characters.

    Placed first after the security and static-file middleware: the session and the user are not loaded yet,
    so the refusal page is drawn for an anonymous visitor in the portal's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = next((name for name, text in _texts(request) if has_control_characters(text)), None)
        if where is None:
            return self.get_response(request)
        logger.warning("Refused a request to %r with a control character in %s.", request.path[:200], where[:100])
        return _refusal(request, where)


def _texts(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """(where, text) of every piece of text the request carries."""
    yield "path", request.path_info
    for name, values in request.GET.lists():
        yield name, name
        for value in values:
            yield name, value
    for name, value in request.COOKIES.items():
        yield "cookie", name + value
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str):
            yield "header", value
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = request.content_type or ""
        if content_type in FORM_TYPES:
            for name, values in request.POST.lists():
                yield name, name
                for value in values:
                    yield name, value
        elif content_type == "application/json":
            try:
                document = json.loads(request.body)
            except ValueError:  # not JSON at all: the view answers that
                return
            request.json_document = document  # decoded once: the API reads it (portal.api.request_data)
            yield from (("body", text) for text in _json_strings(document))


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def wants_json(request: HttpRequest) -> bool:
    """The API, the form's autosave and upload calls, and any client that sends or asks for JSON only."""
    accept = request.headers.get("Accept", "")
    return (
        request.path_info.startswith("/api/")
        or "X-Autosave" in request.headers
        or request.headers.get("X-Requested-With") == "fetch"
        or (request.content_type or "") == "application/json"
        or ("application/json" in accept and "text/html" not in accept)
    )


def _refusal(request: HttpRequest, where: str) -> HttpResponse:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        message = _(
            "The request contains invisible control characters (such as NUL) that the portal does not accept. "
            "Remove them and try again."
        )
        if wants_json(request):
            field = where if where not in ("path", "cookie", "header", "body") else "request"
            return JsonResponse(
                {"ok": False, "detail": message, "error": message, "errors": {field: [message]}},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(request, "400.html", {"reason": message}, status=400)


class PublicLookupLimit:
    """The public look-ups (``PUBLIC_LOOKUP_PATHS``: the directory, receipt verification, their APIs) limited per
    client address: ``PUBLIC_LOOKUP_LIMIT`` requests in ``PUBLIC_LOOKUP_WINDOW_SECONDS``, counted in the shared
    cache (Redis when ``REDIS_URL`` is set); past it, 429 with a Chinese message, JSON for the API, and
    Retry-After. Placed before the session and the user are loaded.

    Every request is counted, before its view does any work. With Redis the count rides along with the view's
    first round trip when the view says it starts with one (``counts_public_lookup``: the cached public answers
    of ``portal.lib.publiccache``, whose read is the same pipeline as the count — one round trip a request
    instead of two, issue 16); any other view is counted here before it runs (``process_view``), and a request
    that reached no view, or whose view did not read the cache after all (a 400), is counted once answered,
    its answer replaced by the 429 past the limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.paths = tuple(settings.PUBLIC_LOOKUP_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(self.paths):
            return self.get_response(request)
        from portal.lib.http import client_ip
        from portal.lib.ratelimit import Limit, counted, pending_on_redis, settle_pending

        limit = Limit(settings.PUBLIC_LOOKUP_LIMIT, settings.PUBLIC_LOOKUP_WINDOW_SECONDS)
        pending = pending_on_redis("public-lookup", client_ip(request), limit)
        if pending is None:  # not counted in Redis
            if counted("public-lookup", client_ip(request), limit) <= limit.count:
                return self.get_response(request)
            return too_many_lookups_response(request, limit)
        request.public_lookup_pending = pending
        response = self.get_response(request)
        passed = settle_pending(request)  # not counted yet: no view, or the view did not read the cache
        return response if passed is None else too_many_lookups_response(request, passed)

    def process_view(self, request: HttpRequest, view, view_args, view_kwargs) -> HttpResponse | None:
        if getattr(request, "public_lookup_pending", None) is None or getattr(view, "counts_public_lookup", False):
            return None
        from portal.lib.ratelimit import settle_pending

        passed = settle_pending(request)
        return None if passed is None else too_many_lookups_response(request, passed)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from portal.lib.ratelimit import TooManyLookups

        return too_many_lookups_response(request, exception.limit) if isinstance(exception, TooManyLookups) else None


def too_many_lookups_response(request: HttpRequest, limit) -> HttpResponse:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        if wants_json(request):
            message = _("Too many look-ups from your address. Please wait a minute and try again.")
            response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
        else:
            response = render(request, "429_lookups.html", {"limit": limit}, status=429)
    response["Retry-After"] = str(limit.seconds)
    return response


# ---------------------------------------------------------------- the public JSON look-ups: no session, no user
#
# The public JSON API's look-ups (``SESSIONLESS_PATHS``: the directory, receipts and certificates under /api/v1/)
# answer every caller the same, signed in or not, and are read by programs that send no cookie. They read no
# session, no user and no message, and their JSON is no document a Content-Security-Policy could protect. Loading
# a session, building a lazy user that the sign-in check then loads, preparing the message store and building
# the page's policy header cost about 130 µs of CPU per request, a fifth of a certificate verification's
# (bench/README.md, "session 10"). So on those paths the middleware below pass the request by: no
# ``request.session``, ``request.user`` an ``AnonymousUser`` (every gate and check still reads one), and the
# strictest policy as a constant header. Every other page, the API's own documentation included, keeps them.


def sessionless(request: HttpRequest) -> bool:
    """Whether the request is one of the public JSON look-ups that no session or user serves."""
    return request.path_info.startswith(settings.SESSIONLESS_PATHS)


class Sessions(SessionMiddleware):
    """Django's sessions, not loaded or saved for ``sessionless`` requests."""

    def process_request(self, request: HttpRequest) -> None:
        if not sessionless(request):
            super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not hasattr(request, "session"):
            return response
        return super().process_response(request, response)


class Authentication(AuthenticationMiddleware):
    """Django's, with the anonymous user set at once for ``sessionless`` requests (there is no session to read
    one from)."""

    def process_request(self, request: HttpRequest) -> None:
        if sessionless(request):
            request.user = AnonymousUser()
            return
        super().process_request(request)


class Messages(MessageMiddleware):
    """Django's messages, with no store for ``sessionless`` requests (nothing is shown to them)."""

    def process_request(self, request: HttpRequest) -> None:
        if not sessionless(request):
            super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not hasattr(request, "_messages"):
            return response
        return super().process_response(request, response)


# A JSON answer loads nothing and is framed by nobody.
SESSIONLESS_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's policy (``CONTENT_SECURITY_POLICY``) on every page; on ``sessionless`` JSON answers the
    strictest policy as a constant, not built again for each request."""

    def process_request(self, request: HttpRequest) -> None:
        if not sessionless(request):
            super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not sessionless(request):
            return super().process_response(request, response)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = SESSIONLESS_POLICY
        return response
