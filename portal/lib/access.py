"""View gates: every view declares exactly one of these, and the role-matrix test checks that it does.

- ``public``: anyone, signed in or not.
- ``signed_in``: any signed-in user.
- ``roles(...)``: signed-in users of the named roles; others get 403.

Behind them, Django's ``LoginRequiredMiddleware`` fails closed: a view with no gate at all asks for a sign-in,
and only ``public`` views are marked ``login_not_required``.

The object a view acts on is loaded by the app's loaders (``<app>/loaders.py``: ``application_for(request, pk)``,
children through their parent), so an object outside the user's organisation or jurisdiction is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from portal.models import Role


def public(view: Callable) -> Callable:
    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapper.gate = "public"
    return wrapper


def signed_in(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.gate = "signed_in"
    return wrapper


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.gate = "roles:" + ",".join(sorted(allowed))
        return wrapper

    return decorator
