"""The public look-ups (the JSON API under /api/v1/, receipts under /verify/) are resolved before the other
catch-all includes: Django tries the patterns in order, and resolving the certificate verification API behind
every other "" include cost several times the bare view's resolution (bench/README.md, issue-ver3's section)."""

from __future__ import annotations

from django.urls import URLResolver, resolve

from portal import urls


def _catch_all_includes() -> list[str]:
    return [
        p.urlconf_name.__name__ if hasattr(p.urlconf_name, "__name__") else str(p.urlconf_name)
        for p in urls.urlpatterns
        if isinstance(p, URLResolver) and str(p.pattern) == ""
    ]


def test_the_public_api_and_receipts_are_the_first_catch_all_include():
    assert _catch_all_includes()[0] == "filings.urls_public"


def test_every_public_look_up_still_resolves_to_its_view():
    assert resolve("/api/v1/certificates/verify/").url_name == "api_certificate_verify"
    assert resolve("/api/v1/receipts/verify/").url_name == "api_receipt_verify"
    assert resolve("/api/v1/directory/").url_name == "api_directory"
    assert resolve("/verify/").url_name == "receipt_lookup"
    assert resolve("/verify/abc/").url_name == "receipt_verify"
    assert resolve("/certificates/verify/").url_name == "verify"
    assert resolve("/directory/").url_name is not None


def test_the_directory_and_the_verification_page_come_next():
    assert _catch_all_includes()[:3] == ["filings.urls_public", "agencies.urls_directory", "certificates.urls_public"]
    assert resolve("/directory/").url_name == "search" and resolve("/directory/").namespace == "directory"
    assert resolve("/directory/export.xlsx").url_name == "export"
    assert resolve("/directory/12/").url_name == "entry"
    assert resolve("/certificates/verify/").namespace == "certificate_check"


def test_no_pattern_before_their_old_place_starts_with_their_prefixes():
    """Moved up, they can only take an address from a pattern that used to come first and matched it."""
    moved = ("agencies.urls_directory", "certificates.urls_public")
    for pattern in urls.urlpatterns[: urls.urlpatterns.index(_include("publicity.urls_public")) + 1]:
        if getattr(pattern, "urlconf_name", None) is not None and _name(pattern) in moved:
            continue
        route = str(pattern.pattern)
        inner = (
            [str(p.pattern) for p in getattr(pattern, "url_patterns", [])] if isinstance(pattern, URLResolver) else [""]
        )
        for tail in inner:
            address = route + tail
            assert not address.startswith(("directory", "certificates/verify")), address
            assert not address.startswith("<"), address  # a converter first could match anything


def _name(pattern) -> str:
    conf = pattern.urlconf_name
    return conf.__name__ if hasattr(conf, "__name__") else str(conf)


def _include(name: str):
    return next(p for p in urls.urlpatterns if isinstance(p, URLResolver) and _name(p) == name)
