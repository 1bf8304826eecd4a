"""Reading the public directory's page in tests: the agencies listed, the line saying what the search box's words
were read as, the dropdowns' choices, the search box, the line's links (shared by the directory's word tests)."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def search(client, **params) -> tuple[list[str], str]:
    """The names of the agencies on the page (sorted) and the page's HTML."""
    response = client.get("/directory/", params, **ZH)
    assert response.status_code == 200
    return sorted(entry.organisation.name for entry in response.context["page"]), response.content.decode()


def words_line(page: str) -> str | None:
    """The text of the line saying which filters the words were read as (None without it)."""
    if 'id="words-applied"' not in page:
        return None
    return page.split('id="words-applied"', 1)[1].split("<span>", 1)[1].split("</span>", 1)[0]


def selected(page: str, select_id: str) -> list[str]:
    """The values chosen in a dropdown."""
    options = page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return [part.split('"', 1)[0] for part in options.split('<option value="')[1:] if " selected>" in part]


def box(page: str) -> str:
    """What the search box holds."""
    return html.unescape(page.split('id="f-q" name="q" value="', 1)[1].split('"', 1)[0])


def links(page: str) -> list[str]:
    """The queries of the words line's links."""
    line = page.split('id="words-applied"', 1)[1].split("</div>", 1)[0]
    return [html.unescape(part.split('"', 1)[0]) for part in line.split('href="?')[1:]]


def follow(client, query: str) -> tuple[list[str], str]:
    """The page a link's query opens."""
    return search(client, **{key: values[0] for key, values in parse_qs(urlsplit("?" + query).query).items()})
