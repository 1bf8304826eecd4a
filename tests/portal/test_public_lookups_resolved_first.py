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
