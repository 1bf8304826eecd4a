"""The verification page drawn into a cached frame (portal.lib.pageshell, issue 16): each visitor gets a CSRF
token of their own that the form accepts, what they typed comes back escaped, the frame is the full page's, and a
signed-in visitor gets the page drawn in full (their name in the menu)."""

from __future__ import annotations

import re

from django.test import Client

from portal.lib import pageshell

PAGE = "/certificates/verify/"


def _token(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_each_visitor_gets_a_working_csrf_token_of_their_own(db):
    pageshell._SHELLS.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(PAGE)  # draws the frame
    assert pageshell._SHELLS
    html = second.get(PAGE).content.decode()
    tokens = _token(html)
    assert len(tokens) == 1 and "@@shell" not in html  # the form's (the header's switches are GET forms)
    response = second.post(PAGE, {"csrfmiddlewaretoken": tokens[-1], "number": "S1", "name": "张三"})
    assert response.status_code == 200 and "alert-warning" in response.content.decode()
    assert second.post(PAGE, {"number": "S1", "name": "张三"}).status_code == 403  # no token: refused as before


def test_typed_text_comes_back_escaped_and_the_page_is_whole(client, db):
    html = client.post(PAGE, {"number": '"><script>x</script>', "name": "张<b>三"}).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert 'value="张&lt;b&gt;三"' in html
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert html.count("<main") == 1 and "证书查询" in html


def test_a_field_error_is_shown_beside_its_field(client, db):
    response = client.post(PAGE, {"number": "S1", "name": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_name_error"' in html and 'aria-invalid="true"' in html and 'value="S1"' in html


def test_a_signed_in_visitor_gets_the_page_drawn_in_full(client_for, people, db):
    pageshell._SHELLS.clear()
    Client().get(PAGE)
    html = client_for(people.city_nanning).get(PAGE).content.decode()
    assert people.city_nanning.display_name in html and "@@shell" not in html


def test_the_qr_codes_link_with_a_number_is_drawn_in_full_with_the_number_filled_in(client, db):
    pageshell._SHELLS.clear()
    html = client.get(PAGE + "?number=S000045000001265000001").content.decode()
    assert 'value="S000045000001265000001"' in html and html.count("<main") == 1
    assert not pageshell._SHELLS  # a query string: not framed


def test_each_language_gets_its_own_frame_whoever_drew_one_first(db):
    """A visitor reading in English after one in Chinese (and the other way round) gets the whole page in their
    language: the frame's menu, footer and ``lang`` too, not the first visitor's."""
    for first, then in (("zh-hans", "en"), ("en", "zh-hans")):
        pageshell._SHELLS.clear()
        earlier, later = Client(), Client()
        earlier.cookies["django_language"], later.cookies["django_language"] = first, then
        earlier.get(PAGE)
        assert pageshell._SHELLS  # the frame drawn and kept
        for response in (later.get(PAGE), later.post(PAGE, {"number": "S000045000001265000001", "name": "张三"})):
            html = response.content.decode()
            if then == "en":
                assert '<html lang="en"' in html and "Skip to content" in html and "Sign in" in html
                assert "证书查询" not in html and "登录" not in html
            else:
                assert '<html lang="zh-hans"' in html and "证书查询" in html and "登录" in html
                assert "Skip to content" not in html and "Sign in" not in html
