"""Less Python per public look-up, the same answers (issue 16 item 3, issue 12's verification; bench/README.md,
issue-ver4): the CSRF token of a cached page masked with one read of the random source, the JSON body decoded
once, the trusted-proxy check cached by address and setting, and the directory API's form built only when an
answer is computed or a region or occupation must be looked up."""

from __future__ import annotations

import json
import string
from collections import Counter

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware import csrf
from django.template import RequestContext as TemplateContext
from django.template import Template
from django.test import Client, RequestFactory
from django.urls import reverse

from agencies import api as directory_api
from portal.lib import csrftoken
from portal.lib.publiccache import _answer_key, cached_page
from portal.middleware import is_trusted_proxy

# ---------------------------------------------------------------- the CSRF token


def test_a_byte_below_248_is_a_character_and_248_or_above_is_dropped():
    chars = string.ascii_letters + string.digits
    assert chars == csrftoken._CHARS and csrftoken._BELOW == 248
    feed = iter([bytes([248, 255, 0, 61, 62, 247]), bytes(range(40))])
    drawn = csrftoken.random_chars(6, read=lambda n: next(feed))
    # 248 and 255 dropped; 0 → "a", 61 → "9", 62 → "a" again, 247 (= 3 × 62 + 61) → "9"; then the second read
    assert drawn == "a9a9ab"


def test_every_character_is_drawn_about_equally_often():
    counts = Counter(csrftoken.random_chars(62 * 400))
    assert set(counts) == set(csrftoken._CHARS)
    assert min(counts.values()) > 250 and max(counts.values()) < 560  # 400 each expected; a skew of 4/256 is not


@pytest.mark.parametrize("with_cookie", [True, False])
def test_the_token_is_what_django_would_give_with_the_same_effect_on_the_request(with_cookie):
    secret = "A" * 16 + "z9" * 8
    ours, django = RequestFactory().get("/"), RequestFactory().get("/")
    if with_cookie:
        ours.META["CSRF_COOKIE"] = django.META["CSRF_COOKIE"] = secret
    token, expected = csrftoken.masked_token(ours), csrf.get_token(django)
    assert len(token) == len(expected) == csrf.CSRF_TOKEN_LENGTH
    assert csrf._unmask_cipher_token(token) == ours.META["CSRF_COOKIE"]
    assert ours.META["CSRF_COOKIE_NEEDS_UPDATE"] is django.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    if with_cookie:
        assert ours.META["CSRF_COOKIE"] == secret
    else:  # a new secret, sent as the cookie
        assert ours.META["CSRF_COOKIE"] != secret and len(ours.META["CSRF_COOKIE"]) == csrf.CSRF_SECRET_LENGTH
    assert token[: csrf.CSRF_SECRET_LENGTH] != csrftoken.masked_token(ours)[: csrf.CSRF_SECRET_LENGTH]  # new mask


def test_a_cached_page_with_a_form_gives_each_visitor_a_token_of_their_own(db, settings):
    """No cached page has a POST form today (the header's switches are GET forms); one that gets one is served
    with the visitor's own token, never the first visitor's."""
    settings.PUBLIC_CACHE_SECONDS = 600

    @cached_page("directory")
    def view(request):
        form = Template('<form method="post">{% csrf_token %}</form>').render(TemplateContext(request))
        return HttpResponse(form)

    def token_of(request) -> str:
        return view(request).content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    first, second = RequestFactory().get("/form/"), RequestFactory().get("/form/")
    first_token, second_token = token_of(first), token_of(second)  # drawn, then from the cache
    assert csrf._unmask_cipher_token(second_token) == second.META["CSRF_COOKIE"]
    assert csrf._unmask_cipher_token(first_token) == first.META["CSRF_COOKIE"] != second.META["CSRF_COOKIE"]
    assert cache.get(_answer_key(("directory",), "zh-hans||/form/")) is not None  # really served from the cache


# ---------------------------------------------------------------- the JSON body, decoded once


def test_the_verification_api_decodes_its_json_body_once(db, monkeypatch):
    body = json.dumps({"number": "S000045000001265000001", "name": "张三"}, ensure_ascii=False).encode()
    decoded = []
    loads = json.loads

    def counted(text, *args, **kwargs):
        if text == body:
            decoded.append(text)
        return loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counted)
    response = Client().post("/api/v1/certificates/verify/", body, content_type="application/json")
    assert response.status_code == 200 and response.content == b'{"found": false}'
    assert len(decoded) == 1


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        (b"", 400, "请填写"),  # no body: an empty object, the fields missing
        (b"[1]", 400, "JSON 对象"),
        (b"{not json", 400, "不是有效的 JSON"),
        ('{"number": "S1", "name": "张\\u0000三"}'.encode(), 400, "控制字符"),
    ],
)
def test_a_body_the_middleware_could_not_use_is_answered_as_before(db, body, status, text):
    response = Client().post("/api/v1/certificates/verify/", body, content_type="application/json")
    assert response.status_code == status and text in response.json()["detail"]


# ---------------------------------------------------------------- the trusted proxies


def test_the_trusted_proxy_check_follows_the_setting_and_the_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert is_trusted_proxy("10.0.0.255") and not is_trusted_proxy("10.0.1.0") and not is_trusted_proxy("junk")
    settings.TRUSTED_PROXIES = ["10.0.1.0/24"]  # the same addresses, asked again under another setting
    assert not is_trusted_proxy("10.0.0.255") and is_trusted_proxy("10.0.1.0")
    settings.TRUSTED_PROXIES = []
    assert not is_trusted_proxy("10.0.1.0")


# ---------------------------------------------------------------- the directory API's form


@pytest.fixture
def forms_built(monkeypatch):
    built = []
    form = directory_api.DirectorySearchForm

    def counted(*args, **kwargs):
        built.append(args)
        return form(*args, **kwargs)

    monkeypatch.setattr(directory_api, "DirectorySearchForm", counted)
    return built


def test_a_cached_directory_api_page_builds_no_form_and_answers_the_same(db, settings, forms_built):
    settings.PUBLIC_CACHE_SECONDS = 600
    url = reverse("public:api_directory")
    first = Client().get(url, {"q": "安盾", "level": "3"})
    assert first.status_code == 200 and len(forms_built) == 1  # computed: the form builds the filters
    again = Client().get(url, {"q": "安盾", "level": "3"})
    assert again.content == first.content and len(forms_built) == 1
    # A region or occupation is still looked up on every request, the listing cached or not.
    for params in ({"city": "450100"}, {"occupation": "3-02-02-00"}):
        built = len(forms_built)
        assert Client().get(url, params).status_code == Client().get(url, params).status_code == 200
        assert len(forms_built) == built + 2
    assert Client().get(url, {"city": "999999"}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "x" * 100},
        {"q": "  安盾  "},
        *({"level": str(level)} for level in range(1, 6)),
        *({"scope": scope} for scope in directory_api.Scope.values),
        *({"status": status} for status in (*directory_api.models.DirectoryEntry.Status.values, "all")),
    ],
)
def test_without_region_or_occupation_whatever_the_schema_accepts_the_form_accepts(db, params):
    # db: the form reads the search box's words against the regions' and occupations' names (search_words).
    filters = directory_api.DirectoryQuery.model_validate(params)
    form = directory_api.DirectorySearchForm(
        filters.model_dump(include={"q", "city", "occupation", "level", "scope", "status"})
    )
    assert form.is_valid(), form.errors


def test_a_blank_search_and_occupation_are_no_filter_as_before(db, settings, forms_built):
    settings.PUBLIC_CACHE_SECONDS = 600
    url = reverse("public:api_directory")
    default = Client().get(url)
    blank = Client().get(url, {"q": "", "occupation": ""})
    assert blank.status_code == 200 and blank.content == default.content and len(forms_built) == 1


@pytest.mark.parametrize("name", ["level", "city", "scope", "status", "page_size"])
def test_a_blank_filter_is_no_filter_as_the_page_form_says(db, name):
    """A form submitted with an empty select (``level=``) lists what no filter lists, as the page does."""
    url = reverse("public:api_directory")
    default = Client().get(url)
    blank = Client().get(url, {name: ""})
    assert blank.status_code == 200, blank.content
    assert blank.json() == default.json()


def test_a_wrong_filter_is_still_refused_beside_a_blank_one(db):
    response = Client().get(reverse("public:api_directory"), {"level": "", "city": "45"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["city"]


def test_a_search_over_100_characters_is_still_refused(db):
    response = Client().get(reverse("public:api_directory"), {"q": "x" * 101})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["q"]
