"""The elder-friendly display mode (适老化): larger text and higher contrast, chosen with the switch in the top bar
and remembered per browser in a cookie that the server reads, so that every page is drawn in that mode from its
first byte (no script decides it, nothing flickers)."""

from django.http import HttpRequest

ELDER_COOKIE = "portal_elder"
ELDER_COOKIE_AGE = 365 * 24 * 60 * 60


def elder_mode_on(request: HttpRequest) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"
