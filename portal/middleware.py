"""Request middleware of the portal."""

from django.utils.deprecation import MiddlewareMixin


class ChineseUnlessChosen(MiddlewareMixin):
    """The portal speaks Simplified Chinese unless the user picks English with the language switcher.

    Django would otherwise follow the browser's Accept-Language header, and an official whose browser was
    installed in English would get an English portal without asking for it. Runs before LocaleMiddleware.
    """

    def process_request(self, request) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
