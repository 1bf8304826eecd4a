"""Fail closed for officials: until the session passed the second factor, only its own pages open.

Sits after Django's ``AuthenticationMiddleware``, django-otp's ``OTPMiddleware`` (``request.user.is_verified()``)
and ``LoginRequiredMiddleware``. For a signed-in official or administrator:

- not verified: every URL but the second step, the enrolment, the sign-out and the language switch answers
  with a redirect to the second step (or to the enrolment when no authenticator is enrolled yet), the admin
  site and the public pages included;
- verified, with a password ``PASSWORD_MAX_AGE_DAYS`` old or more: every URL but the password change, the
  sign-out and the language switch redirects to the password change.

Agencies and anonymous visitors pass through untouched.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from portal.lib.passwords import password_expired
from portal.second_factor.services import authenticator_of, needs_second_factor

# URL names an official may open before the second step.
BEFORE_SECOND_STEP = frozenset(
    {"second_step", "second_factor_enrol", "second_factor_qr", "logout", "set_language", "login"}
)
# URL names an official with an expired password may open (the recovery codes of a fresh enrolment included).
PASSWORD_EXPIRED_ALLOWS = frozenset(
    {"password_change", "logout", "set_language", "second_factor_recovery", "second_factor_recovery_action"}
)


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not needs_second_factor(user):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if not user.is_verified():
            if name in BEFORE_SECOND_STEP:
                return None
            target = "second_step" if authenticator_of(user) is not None else "second_factor_enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        if password_expired(user) and name not in PASSWORD_EXPIRED_ALLOWS:
            return redirect("password_change")  # the page says why
        return None
