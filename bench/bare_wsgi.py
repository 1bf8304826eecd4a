"""The portal's WSGI application with one more URL, ``/bench/bare/``: a bare view (no database, no template)
behind the same middleware, the floor the certificate verification is compared with (bench/certificates.py)."""

from portal.wsgi import application


def _add_bare_view() -> None:
    """Imported after ``portal.wsgi`` has set Django up: the URL patterns and the gate need the app registry."""
    from django.http import HttpResponse
    from django.urls import path

    import portal.urls
    from portal.lib.access import public

    @public
    def bare(request):
        return HttpResponse(b'{"ok": true}', content_type="application/json")

    portal.urls.urlpatterns.append(path("bench/bare/", bare, name="bench_bare"))


_add_bare_view()

__all__ = ["application"]
