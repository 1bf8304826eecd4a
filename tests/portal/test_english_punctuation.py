"""English pages print English punctuation beside translated words, and the sign-in buttons do not wrap
(first-day finding qa8b item 6: "Institution code：S45…", "Reference number：…", "Sign" / "in" on two lines)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agencies.models import DirectoryEntry
from tests.filings.test_receipts import _eager_tasks_and_private_media, filed  # noqa: F401

pytestmark = pytest.mark.django_db

# A Latin letter or digit touching full-width punctuation: what an English sentence never holds.
MIXED = re.compile(r"[A-Za-z][：，？；（）、]|[：，？；（、][A-Za-z]")


def _visible(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", main))


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_english_pages_use_english_punctuation_beside_translated_words(people, client, client_for):
    application = filed(people)
    entry = DirectoryEntry.objects.get(organisation=application.organisation)
    pages = {
        "directory entry": _english(client).get(reverse("directory:entry", args=[entry.pk])),
        "directory": _english(client).get(reverse("directory:search")),
        "application": _english(client_for(people.centre)).get(
            reverse("filings:application_detail", args=[application.pk])
        ),
    }
    for name, response in pages.items():
        text = _visible(response.content.decode())
        assert "Institution code" in text or "Reference number" in text or "保卫管理员" in text, name
        assert MIXED.findall(text) == [], name
    assert "Institution code: " in _visible(pages["directory entry"].content.decode())
    assert "Reference number: " in _visible(pages["application"].content.decode())
    assert "Receipt number: " in _visible(pages["application"].content.decode())


def test_chinese_pages_keep_chinese_punctuation(people, client):
    application = filed(people)
    entry = DirectoryEntry.objects.get(organisation=application.organisation)
    text = _visible(client.get(reverse("directory:entry", args=[entry.pk])).content.decode())
    assert "机构编码：" in text or "机构代码：" in text


@pytest.mark.parametrize("url_name", ["login", "public_calls:list"])
def test_the_sign_in_buttons_keep_their_words_on_one_line(client, url_name):
    html = _english(client).get(reverse(url_name)).content.decode()
    buttons = re.findall(
        r'<(?:a|button)\b[^>]*class="([^"]*\bbtn\b[^"]*)"[^>]*>\s*(?:<i[^>]*></i>\s*)?Sign in\s*</', html
    )
    assert buttons, url_name
    assert all("text-nowrap" in classes for classes in buttons), buttons
