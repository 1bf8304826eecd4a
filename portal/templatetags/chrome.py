"""``{% load chrome %}``: the addresses every page's frame prints, worked out once per process (issue 16 item 4).

``base.html`` printed six static files and eight fixed addresses on each page: ``{% static %}`` asks the storage
(the manifest's hashed name, joined and quoted) and ``{% url %}`` walks the resolver each time, about a fifth of
drawing the frame that every signed-in page pays. ``{% asset 'css/portal.css' %}`` is exactly ``{% static %}``'s
answer and ``{% link 'home' %}`` exactly ``{% url 'home' %}``'s (names without arguments only), kept per script
prefix and URLconf; a change of settings (tests) forgets them.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language_info

register = template.Library()


@lru_cache(maxsize=256)
def _asset(path: str) -> str:
    return static(path)


@lru_cache(maxsize=256)
def _link(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


@lru_cache(maxsize=8)
def _languages(languages: tuple) -> tuple[tuple[str, str], ...]:
    return tuple((code, get_language_info(code)["name_local"]) for code, _name in languages)


@register.simple_tag
def asset(path: str) -> str:
    """``{% static path %}``, once per process."""
    return _asset(path)


@register.simple_tag
def link(name: str) -> str:
    """``{% url name %}`` for a URL without arguments, once per script prefix and URLconf."""
    return _link(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@register.simple_tag
def support_contact() -> str:
    """Who to ask when locked out or stuck at the sign-in (``PORTAL_SUPPORT_CONTACT``; empty when unset)."""
    return settings.PORTAL_SUPPORT_CONTACT


@register.simple_tag
def language_options() -> tuple[tuple[str, str], ...]:
    """``(code, name in its own language)`` of each language offered: ``{% get_available_languages %}`` with
    ``language_name_local`` on each."""
    return _languages(tuple(settings.LANGUAGES))


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _asset.cache_clear()
    _link.cache_clear()
    _languages.cache_clear()
