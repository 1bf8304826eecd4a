"""Every page's frame (``base.html``) prints the same addresses as before its static files and fixed links were
kept per process (``portal/templatetags/chrome.py``, issue 16 item 4): what ``{% static %}`` and ``{% url %}``
answer, under any script prefix, after a change of settings, and the language switcher as before. These pass on
the code before the change too."""

from __future__ import annotations

import re

from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse, set_script_prefix

ASSETS = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "css/portal.css",
    "img/emblem.svg",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "js/portal.js",
)


def links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|src|action)="([^"]+)"', html))


def test_a_signed_in_page_links_its_frame_where_reverse_and_static_say(people, client_for):
    html = client_for(people.city_nanning).get(reverse("inbox")).content.decode()
    found = links(html)
    for name in ("home", "elder_mode", "set_language", "inbox", "password_change", "logout", "directory:search"):
        assert reverse(name) in found, name
    for path in ASSETS:
        assert static(path) in found, path
    assert f'<a class="navbar-brand d-flex align-items-center gap-2" href="{reverse("home")}">' in html
    assert f'<form method="post" action="{reverse("logout")}">' in html


def test_an_anonymous_page_offers_the_sign_in_link(client, db):
    html = client.get(reverse("notices:notice_list")).content.decode()
    assert f'<a class="btn btn-sm btn-light text-nowrap" href="{reverse("login")}">' in html
    assert reverse("logout") not in links(html)


def test_the_language_switcher_offers_each_language_in_its_own_name_the_current_one_chosen(people, client_for):
    client = client_for(people.centre)
    html = client.get(reverse("inbox")).content.decode()
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', html)
    assert ("zh-hans", " selected", "简体中文") in options
    assert ("en", "", "English") in options
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    options = re.findall(
        r'<option value="([^"]+)"( selected)?>([^<]+)</option>', client.get(reverse("inbox")).content.decode()
    )
    assert ("zh-hans", "", "简体中文") in options
    assert ("en", " selected", "English") in options


def test_under_a_script_prefix_every_frame_link_carries_it(people, client_for):
    client = client_for(people.city_nanning)
    plain = {name: reverse(name) for name in ("home", "set_language", "inbox", "password_change", "directory:search")}
    client.get(plain["inbox"])  # the frame's links worked out without a prefix first
    set_script_prefix("/portal/")  # as the WSGI handler does for a portal served under /portal
    try:
        html = client.get(plain["inbox"]).content.decode()
    finally:
        set_script_prefix("/")
    found = links(html)
    for name, url in plain.items():
        assert "/portal" + url in found, name
    assert f'href="{plain["inbox"]}"' not in html


def test_a_changed_static_url_shows_in_the_frame(people, client_for):
    client = client_for(people.city_nanning)
    client.get(reverse("inbox"))
    with override_settings(STATIC_URL="/assets/"):
        html = client.get(reverse("inbox")).content.decode()
        assert '<link rel="stylesheet" href="/assets/css/portal.css">' in html
    assert static("css/portal.css") in client.get(reverse("inbox")).content.decode()
