"""The elder-friendly mode (适老化, issue 15 item 3): the switch in the top bar of every page, remembered per
browser in a cookie the server reads, so that a page comes in that mode from its first byte."""

import re

import pytest

from portal.lib.display import ELDER_COOKIE

SWITCH = re.compile(r'<form action="/display/elder-mode/" method="get"')


def html_class(response) -> str:
    return re.search(r'<html lang="[^"]*" class="([^"]*)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_every_page_offers_the_switch_with_its_accessible_name_and_state(client):
    for path in ("/accounts/login/", "/notices/", "/directory/", "/complaints/new/"):
        response = client.get(path)
        html = response.content.decode()
        assert SWITCH.search(html), path
        assert 'aria-pressed="false"' in html
        assert "长辈模式" in html
        assert html_class(response) == ""


@pytest.mark.django_db
def test_switching_on_remembers_the_choice_for_a_year_and_returns_to_the_page(client):
    response = client.post("/display/elder-mode/", {"on": "1", "next": "/directory/?q=南宁"})
    assert response.status_code == 302
    assert response["Location"] == "/directory/?q=%E5%8D%97%E5%AE%81"
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"

    page = client.get("/directory/")
    assert html_class(page) == "elder"
    assert 'aria-pressed="true"' in page.content.decode()


@pytest.mark.django_db
def test_switching_off_forgets_the_choice(client):
    client.cookies[ELDER_COOKIE] = "1"
    response = client.post("/display/elder-mode/", {"on": "0", "next": "/notices/"})
    assert response["Location"] == "/notices/"
    assert response.cookies[ELDER_COOKIE].value == ""
    assert response.cookies[ELDER_COOKIE]["max-age"] == 0
    client.cookies.pop(ELDER_COOKIE)
    assert html_class(client.get("/notices/")) == ""


@pytest.mark.django_db
def test_only_the_value_one_turns_the_mode_on(client):
    client.cookies[ELDER_COOKIE] = "yes"
    assert html_class(client.get("/notices/")) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_a_foreign_or_missing_return_address_goes_home(client, target):
    response = client.post("/display/elder-mode/", {"on": "1", "next": target})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_switch_is_a_get_form_and_a_post_still_works(client):
    """A GET form: the public pages need no CSRF token for it (tests/portal/test_public_pages_cookieless.py)."""
    response = client.get("/display/elder-mode/?on=1&next=/notices/")
    assert response.status_code == 302
    assert response["Location"] == "/notices/"
    assert response.cookies[ELDER_COOKIE].value == "1"
    assert client.put("/display/elder-mode/").status_code == 405
