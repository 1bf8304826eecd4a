"""The verification page's answer drawn from marks (``certificates.views._answer_content``) is, byte for byte, what
the template draws: for each language, found (the certificate's box) or not, whatever was typed — markup and quotes
escaped, empty or missing fields without a value attribute, a field sent twice showing its last value — and the
page served keeps what was typed, escaped."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from certificates import views
from certificates.forms import VerifyForm

BOX = mark_safe('<div class="card" id="box">证书 &amp; box</div>')
TOKEN = "Tok3nMaskedAbcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQR"
TYPED = [
    {"number": "S000045000001265000001", "name": "张小三"},
    {"number": " s000045000001265000001 ", "name": " 张小三 ", "id_number": ""},
    {"number": "S0<b>\"&'x", "name": "<script>alert('x')</script>&amp;"},
    {"id_number": "450102199003071238", "name": 'O\'Brien "Bob"'},
    QueryDict("number=FIRST&number=S000045000001265000002&name=%E5%BC%A0&id_number=450102199003071238"),
]


def _template(form, box) -> str:
    context = {"form": form, "searched": True, "csrf_token": TOKEN}
    if box is not None:
        context["card_html"] = box
    return render_to_string("certificates/public/_verify.html", context)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("box", [BOX, None], ids=["found", "not-found"])
@pytest.mark.parametrize("typed", TYPED, ids=["plain", "spaces", "markup", "by-id", "twice"])
def test_the_answer_drawn_from_marks_is_the_templates_byte_for_byte(language, box, typed):
    form = VerifyForm(typed)
    assert form.is_valid(), form.errors
    with translation.override(language):
        drawn = views._answer_content(form.data, TOKEN, box)
        assert drawn == _template(form, box)
    assert TOKEN in drawn and ("证书 &amp; box" in drawn) == (box is not None)


def test_each_language_and_outcome_is_drawn_once(settings):
    settings.DEBUG = False
    views._answer_pieces_cached.cache_clear()
    form = VerifyForm(TYPED[0])
    assert form.is_valid()
    with translation.override("zh-hans"):
        for _ in range(3):
            views._answer_content(form.data, TOKEN, BOX)
            views._answer_content(form.data, TOKEN, None)
    with translation.override("en"):
        english = views._answer_content(form.data, TOKEN, None)
    assert views._answer_pieces_cached.cache_info().misses == 3
    assert "No certificate matches" in english


@pytest.mark.django_db
def test_the_page_keeps_what_was_typed_escaped_and_a_working_token(client):
    client.get("/certificates/verify/")
    token = client.cookies["csrftoken"].value
    typed = {"number": 'S<i>"1', "name": "<b>张</b>", "csrfmiddlewaretoken": token}
    content = client.post("/certificates/verify/", typed).content.decode()
    assert 'value="S&lt;i&gt;&quot;1"' in content and 'value="&lt;b&gt;张&lt;/b&gt;"' in content
    assert "<b>张</b>" not in content and "<i>" not in content
    assert "未查到相符的证书。请核对证书编号或身份证号以及姓名。" in content
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', content))
    assert len(tokens) == 1  # the content's form and the frame's forms carry the one token masked once
    again = {**typed, "csrfmiddlewaretoken": tokens.pop()}
    assert client.post("/certificates/verify/", again).status_code == 200
