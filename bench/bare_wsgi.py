"""The portal's WSGI application with one more URL, ``/bench/bare/``: a bare view (no database, no template)
behind the same middleware, the floor the certificate verification is compared with (bench/certificates.py)."""

from django.http import HttpResponse
from django.urls import path

from portal.lib.access import public
from portal.wsgi import application  # sets Django up


@public
def bare(request):
    return HttpResponse(b'{"ok": true}', content_type="application/json")


import portal.urls  # noqa: E402  (after the setup)

portal.urls.urlpatterns.append(path("bench/bare/", bare, name="bench_bare"))

__all__ = ["application"]
