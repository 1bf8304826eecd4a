"""Text no one types — NUL and the other control characters — and over-long sign-in names, in every way a
request carries text: a clear 400 (JSON for the API and the form's autosave) or a form error, never a server
error. Run on SQLite and on PostgreSQL (which refuses NUL in any text column and was where these were 500s)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from filings.services import application_create
from portal.models import AuditEvent
from tests.filings.factories import make_call

CONTROL_MESSAGE = "不可见控制字符"

# (who, URL): the probe's list of read paths: anonymous pages, the API, officials' filters.
GETS = [
    ("anonymous", "/verify/?number=a%00b"),
    ("anonymous", "/verify/a%00b/"),
    ("anonymous", "/directory/?q=a%00b"),
    ("anonymous", "/objections/track/?code=x%1by"),
    ("anonymous", "/notices/?q%00=1"),
    ("city_nanning", "/filings/queue/?view=a%00b"),
    ("centre", "/agencies/?q=a%00b"),
    ("admin", "/audit/?username=a%00b"),
]


@pytest.mark.parametrize(("who", "url"), GETS)
def test_a_control_character_in_the_address_is_a_400_page_in_chinese(people, client_for, who, url):
    response = client_for(people.get(who)).get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert CONTROL_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/api/v1/receipts/verify/?number=a%00b", "/api/v1/directory/?q=a%00b", "/api/v1/directory/a%00/"]
)
def test_the_api_refuses_control_characters_as_json(people, client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert CONTROL_MESSAGE in response.json()["detail"]


def test_a_nul_in_the_session_cookie_is_a_400_not_a_server_error(people, client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get(reverse("notices:notice_list")).status_code == 400


def test_a_nul_in_a_header_is_a_400(people, client):
    assert client.get(reverse("directory:search"), HTTP_USER_AGENT="probe\x00").status_code == 400


@pytest.fixture
def agency_form(people, client_for):
    application = application_create(organisation=people.org_nanning, call=make_call(), by=people.agency_nanning)
    client = client_for(people.agency_nanning)
    url = reverse("filings:application_edit", args=[application.pk])
    names = sorted(set(re.findall(r'name="([^"]+)"', client.get(url).content.decode())) - {"csrfmiddlewaretoken"})
    return client, url, names, application


def test_eighty_autosaved_fields_with_nul_are_refused_as_json_and_nothing_is_saved(agency_form):
    client, url, names, application = agency_form
    before = application.data
    response = client.post(url, dict.fromkeys(names[:80], "a\x00b"), HTTP_X_AUTOSAVE="1")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and CONTROL_MESSAGE in body["error"]
    application.refresh_from_db()
    assert application.data == before


def test_a_json_body_with_an_escaped_nul_is_refused(people, client):
    response = client.post("/api/v1/directory/", '{"q": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_the_registration_form_with_nul_in_every_field_is_a_400_page(people, client):
    names = set(re.findall(r'name="([^"]+)"', client.get(reverse("register")).content.decode()))
    response = client.post(reverse("register"), dict.fromkeys(names - {"csrfmiddlewaretoken"}, "a\x00b"))
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()


def test_tab_and_line_breaks_are_ordinary_text(people, client):
    response = client.get(reverse("directory:search"), {"q": "安盾\t职业\r\n"})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_user_name_over_150_characters_is_a_form_error(people, client, path):
    response = client.post(path, {"username": "x" * 300, "password": "anything"})
    assert response.status_code == 200
    assert "用户名最多 150 个字符" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).exists()


def test_a_user_name_of_150_characters_is_an_ordinary_failed_sign_in(people, client):
    response = client.post(reverse("login"), {"username": "x" * 150, "password": "anything"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, username="x" * 150).exists()
