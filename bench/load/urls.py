"""The portal's URLs, and the reference views the load harness compares every path with."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.lib.access import public
from portal.models import Region
from portal.urls import urlpatterns as portal_urlpatterns


@public
def bare(request):
    """A constant answer: what Django, gunicorn and the middleware cost with no database."""
    return HttpResponse(b"ok", content_type="text/plain")


@csrf_exempt
@public
def bare_post(request):
    """The bare view for a POST: the same constant, whatever the body (not CSRF-checked, as the API is not).
    Loaded with the verification paths' own wrk script and bodies, so that wrk's work building each request, the
    larger request and the middleware's reading of the body are on both sides of the ratio."""
    return HttpResponse(b"ok", content_type="text/plain")


@public
def floor(request):
    """The bare view plus one indexed PostgreSQL look-up (a region by its unique code)."""
    name = Region.objects.filter(code="450100").values_list("name", flat=True).first()
    return HttpResponse(name or "", content_type="text/plain; charset=utf-8")


@csrf_exempt
@public
def floor_redis(request):
    """The bare view plus one Redis round trip (PING, with the client the verification's script uses): the least
    any answer counted and logged in Redis can cost. GET, or a POST whose body is ignored."""
    from certificates.verification import _redis

    _redis(settings.REDIS_URL).ping()
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-post/", bare_post),
    path("bench/floor/", floor),
    path("bench/floor-redis/", floor_redis),
    *portal_urlpatterns,
]
