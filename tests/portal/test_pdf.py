"""The shared PDF helper: Chinese and rare characters come back as text, fonts are embedded, no network."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.lib import pdf

AGENCY = "南宁市安盾职业技能培训学校"
RARE_NAMES = ["李𡃁", "刘䶮"]  # U+210C1 (CJK Ext B) and U+4DAE (Ext A)


def _poppler(command: str) -> str:
    if shutil.which(command) is None:
        message = f"{command} (Debian's poppler-utils) is needed to read the PDF back"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return command


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    people = [
        {"name": RARE_NAMES[0], "occupation": "保育师", "level": "四级/中级工"},
        {"name": RARE_NAMES[1], "occupation": "育婴员", "level": "三级/高级工"},
    ]
    content = pdf.render_pdf("pdf/test_sample.html", {"agency_name": AGENCY, "date": "2025年6月18日", "people": people})
    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    path.write_bytes(content)
    return path


def _text(path: Path) -> str:
    result = subprocess.run([_poppler("pdftotext"), str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode()


def test_sample_renders_as_a_pdf_document(sample_pdf):
    assert sample_pdf.read_bytes().startswith(b"%PDF-")


def test_agency_name_and_rare_characters_in_names_come_back_as_text(sample_pdf):
    text = _text(sample_pdf)
    assert AGENCY in text
    for name in RARE_NAMES:
        assert name in text


def test_pages_are_numbered_in_the_footer_by_the_shared_stylesheet(sample_pdf):
    # The footer exists only in static/css/pdf.css, so this also shows /static/ resolved without a server.
    text = "".join(_text(sample_pdf).split())
    assert "第2页共3页" in text
    assert "第3页共3页" in text


def test_cover_page_has_no_page_number(sample_pdf):
    first_page = subprocess.run(
        [_poppler("pdftotext"), "-f", "1", "-l", "1", str(sample_pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert AGENCY in first_page
    assert "页" not in first_page


def test_an_embedded_cjk_font_draws_the_text(sample_pdf):
    listing = subprocess.run([_poppler("pdffonts"), str(sample_pdf)], capture_output=True, check=True)
    fonts = listing.stdout.decode().splitlines()[2:]
    embedded_cjk = [line for line in fonts if ("CJK" in line or "Noto" in line) and " yes " in line]
    assert embedded_cjk, listing.stdout.decode()


def test_missing_cjk_font_stops_rendering_with_an_install_hint(monkeypatch):
    monkeypatch.setattr(pdf, "cjk_font_installed", lambda: False)
    with pytest.raises(pdf.CjkFontMissing, match="fonts-noto-cjk") as excinfo:
        pdf.render_pdf("pdf/test_sample.html", {"agency_name": AGENCY, "people": []})
    assert "CJK font" in str(excinfo.value)
    assert isinstance(excinfo.value, RuntimeError)


def test_url_fetcher_refuses_the_network():
    fetcher = pdf.PdfUrlFetcher()
    for url in ["http://example.com/x.png", "https://example.com/x.css", "ftp://example.com/x"]:
        with pytest.raises(pdf.PdfUrlRefused):
            fetcher.fetch(url)


def test_url_fetcher_refuses_files_outside_the_static_directories():
    with pytest.raises(pdf.PdfUrlRefused):
        pdf.PdfUrlFetcher().fetch("file:///etc/passwd")


def test_url_fetcher_serves_static_files_through_the_finders():
    response = pdf.PdfUrlFetcher().fetch("file:///static/css/pdf.css")
    try:
        assert response.content_type == "text/css"
        assert b"@page" in response.read()
    finally:
        response.close()


def test_url_fetcher_serves_hashed_names_collected_into_static_root(settings, tmp_path):
    # {% static %} under the manifest storage yields names only collectstatic wrote, e.g. pdf.3f9a.css.
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "pdf.3f9a.css").write_text("@page { size: A4 }")
    settings.STATIC_ROOT = tmp_path
    response = pdf.PdfUrlFetcher().fetch("file:///static/css/pdf.3f9a.css")
    try:
        assert response.read() == b"@page { size: A4 }"
    finally:
        response.close()


def test_url_fetcher_decodes_inline_data_uris():
    response = pdf.PdfUrlFetcher().fetch("data:text/plain;base64,5Y2X5a6B")
    assert response.read().decode() == "南宁"


def test_network_base_url_is_refused():
    with pytest.raises(pdf.PdfUrlRefused):
        pdf.render_pdf("pdf/test_sample.html", {"people": []}, base_url="https://example.com/")
