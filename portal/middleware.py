"""Request middleware of the portal."""

import time

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin


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
