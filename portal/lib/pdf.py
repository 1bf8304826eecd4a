"""PDF documents (application forms, filing receipts, notices) rendered from Django templates by WeasyPrint.

Every PDF of the product goes through ``render_pdf``, which keeps two promises:

* **No network, ever.** ``PdfUrlFetcher`` serves ``/static/...`` from the staticfiles finders (so
  ``<link href="/static/css/pdf.css">`` works in development and in production alike), local files inside the
  static directories, and inline ``data:`` URIs (a QR code made in memory fetches nothing). Every other URL is
  refused, so a template — or a value that slipped into one — can never make the server fetch from the
  internet or read a file outside the static directories.
* **Chinese is drawn with real glyphs.** Without a font covering Chinese, WeasyPrint silently draws empty
  boxes; ``render_pdf`` asks fontconfig first and raises ``CjkFontMissing`` instead. Debian's
  ``fonts-noto-cjk`` is enough, rare characters in names included (e.g. 𡃁 U+210C1 and 䶮 U+4DAE are both in
  Noto Serif/Sans CJK); ``static/css/pdf.css`` lists further fonts for characters Noto lacks.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

CJK_FONT_PACKAGE = "fonts-noto-cjk"
# Templates reference assets as "/static/...": against this base they become file:///static/... URLs.
DEFAULT_BASE_URL = "file:///"


class CjkFontMissing(RuntimeError):
    """No installed font covers Chinese, so a PDF would show boxes instead of characters."""

    def __init__(self) -> None:
        super().__init__(
            "PDFs need a CJK font covering Chinese, and fontconfig (`fc-list :lang=zh`) lists none: install "
            f"Debian's {CJK_FONT_PACKAGE} package (`apt-get install {CJK_FONT_PACKAGE}`) — without it every "
            "Chinese character would be drawn as an empty box."
        )


class PdfUrlRefused(ValueError):
    """A PDF asked for a resource it may not have: anything on the network, or a file outside static/."""


@cache
def cjk_font_installed() -> bool:
    """Whether fontconfig knows a font covering Chinese; asked once per process.

    Tests replace this function (``monkeypatch.setattr(pdf, "cjk_font_installed", lambda: False)``).
    """
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh", "family"],  # noqa: S607  fontconfig's tool from PATH, fixed arguments
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        # No fc-list (Debian's fontconfig package, a dependency of Pango) means no usable font setup either.
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


HARFBUZZ_SUBSET_PACKAGE = "libharfbuzz-subset0"


def harfbuzz_subset_in_use() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (Debian's ``libharfbuzz-subset0``, 4.1 or later): without
    it, it falls back to fontTools, which takes seconds per PDF with the large CJK fonts."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def _static_roots() -> list[Path]:
    roots = [Path(entry[1] if isinstance(entry, list | tuple) else entry) for entry in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


class PdfUrlFetcher(URLFetcher):
    """WeasyPrint's fetcher for PDFs: local static files and ``data:`` URIs only, never the network."""

    def __init__(self) -> None:
        # The parent opener only ever sees data: URIs, decoded in memory by urllib's DataHandler.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise PdfUrlRefused(f"PDFs never fetch over the network; refused {url[:200]}")
        path = self._local_file(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"  # the project's static files are UTF-8
        return URLFetcherResponse(url, body=path.open("rb"), headers={"Content-Type": content_type})

    def _local_file(self, url: str) -> Path:
        path = url2pathname(urlsplit(url).path)
        static_prefix = urlsplit(settings.STATIC_URL).path
        if path.startswith(static_prefix):
            name = path.removeprefix(static_prefix)
            found = finders.find(name)
            if found:
                return Path(found)
            # A hashed name from {% static %} under the manifest storage exists only in STATIC_ROOT.
            if settings.STATIC_ROOT:
                collected = Path(safe_join(settings.STATIC_ROOT, name))
                if collected.is_file():
                    return collected
            raise PdfUrlRefused(f"no static file {name!r} (looked in the staticfiles finders and STATIC_ROOT)")
        real = Path(path).resolve()
        if real.is_file() and any(real.is_relative_to(root) for root in _static_roots()):
            return real
        raise PdfUrlRefused(f"PDFs only read files in the static directories; refused {url[:200]}")


def _file_base_url(base_url: str | Path | None) -> str:
    if base_url is None:
        return DEFAULT_BASE_URL
    if isinstance(base_url, Path) or not urlsplit(base_url).scheme:
        path = Path(base_url).resolve()
        return path.as_uri() + ("/" if path.is_dir() else "")
    if urlsplit(base_url).scheme.lower() != "file":
        raise PdfUrlRefused(f"base_url must be a local path or file: URL, not {base_url!r}")
    return base_url


def render_pdf(template_name: str, context: dict, *, base_url: str | Path | None = None) -> bytes:
    """Render a Django template (usually extending ``pdf/_base.html``) to PDF bytes.

    ``base_url`` resolves relative URLs in the template; the default makes ``/static/...`` work, which is
    all a template should need. Raises ``CjkFontMissing`` when no Chinese font is installed.
    """
    if not cjk_font_installed():
        raise CjkFontMissing
    base = _file_base_url(base_url)
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base, url_fetcher=PdfUrlFetcher()).write_pdf()


def chinese_date(value: dt.date | dt.datetime | None) -> str:
    """2025年6月18日, as official documents write dates; datetimes in the portal's time zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"
