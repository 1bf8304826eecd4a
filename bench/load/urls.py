"""The portal's URLs, and the reference views the load harness compares every path with."""

from django.http import HttpResponse
from django.urls import path

from portal.lib.access import public
from portal.models import Region
from portal.urls import urlpatterns as portal_urlpatterns


@public
def bare(request):
    """A constant answer: what Django, gunicorn and the middleware cost with no database."""
    return HttpResponse(b"ok", content_type="text/plain")


@public
def floor(request):
    """The bare view plus one indexed PostgreSQL look-up (a region by its unique code)."""
    name = Region.objects.filter(code="450100").values_list("name", flat=True).first()
    return HttpResponse(name or "", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/bare/", bare), path("bench/floor/", floor), *portal_urlpatterns]
