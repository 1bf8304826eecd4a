"""The second step after the password, the enrolment of an authenticator and the recovery codes.

Each view is ``signed_in``: the middleware (``portal.second_factor.middleware``) lets an official who has not
passed the second step reach these and nothing else. A wrong code counts toward the sign-in lockout
(``portal.lib.lockout``); after a refused code the page warns, as the sign-in form does, once
``LOCKOUT_WARNING_ATTEMPTS`` or fewer attempts are left.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.lib.access import signed_in
from portal.lib.lockout import attempts_warning, cooloff_minutes, lockout_response
from portal.second_factor import services
from portal.second_factor.forms import CodeForm

RECOVERY_SESSION_KEY = "second_factor_recovery_codes"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _credentials(request) -> dict:
    """The half-signed-in user's name, as the lockout counts it (``services._failed`` records the code's failure)."""
    return {"username": request.user.username}


def _locked(request) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(request))


def _warning(request, form) -> dict:
    """The lockout warning's context after a refused code: how many attempts are left when few are."""
    if not form.errors:
        return {}
    return {"attempts_left": attempts_warning(request, _credentials(request)), "lockout_minutes": cooloff_minutes()}


def _lock_out(request):
    """The name (or the address) is locked: the half-signed-in session ends and the lockout page says why."""
    response = lockout_response(request, credentials=_credentials(request))
    logout(request)
    return response


def _wrong_length(code: str) -> bool:
    """Digits only, but neither an authenticator code (6 digits) nor a recovery code (8 characters)."""
    return code.isdigit() and len(code) not in (6, 8)


@never_cache
@signed_in
def second_step(request):
    user = request.user
    if not services.needs_second_factor(user) or user.is_verified():
        return redirect(_next(request))
    if services.authenticator_of(user) is None:
        return redirect("second_factor_enrol")
    form = CodeForm(
        request.POST or None,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
    )
    if request.method == "POST":
        if _locked(request):
            return _lock_out(request)
        if form.is_valid() and _wrong_length(form.cleaned_data["code"]):
            # A typo, not a guess: said beside the field and not counted toward the lockout.
            form.add_error("code", _("The code of your authenticator app has 6 digits: check that none is missing."))
        elif form.is_valid():
            code = form.cleaned_data["code"]
            wait = services.throttled_seconds(user)
            if wait and services.is_authenticator_code(code):
                # django-otp refuses the authenticator's codes for a few seconds after a wrong one without checking
                # them: a code typed then is not a guess, so it is neither checked nor counted toward the lockout.
                # The delay follows a single wrong code too: said plainly, without "too many" (which alarmed), and
                # of the previous code (this one, unchecked, may be right).
                message = ngettext(
                    "The previous code was wrong: wait %(seconds)d second before typing the next one.",
                    "The previous code was wrong: wait %(seconds)d seconds before typing the next one.",
                    wait,
                )
                form.add_error("code", message % {"seconds": wait})
            elif services.code_check(request=request, user=user, code=code):
                return redirect(_next(request))
            elif _locked(request):
                return _lock_out(request)
            else:
                form.add_error(
                    "code",
                    _(
                        "This code is wrong or was already used. Type the 6 digits your app shows now, "
                        "or an unused recovery code."
                    ),
                )
    context = {"form": form, "next": _next(request), **_warning(request, form)}
    return render(request, "registration/second_step.html", context, status=400 if form.errors else 200)


@never_cache
@signed_in
def enrol(request):
    user = request.user
    if not services.needs_second_factor(user):
        return redirect("home")
    if not user.is_verified() and services.authenticator_of(user) is not None:
        return redirect("second_step")  # replacing an authenticator needs the current one first
    device = services.enrolment_device(user)
    form = CodeForm(request.POST or None, help_text=_("The 6 digits your authenticator app shows now."))
    if request.method == "POST":
        if _locked(request):
            return _lock_out(request)
        if form.is_valid():
            codes = services.enrolment_confirm(request=request, user=user, code=form.cleaned_data["code"])
            if codes is not None:
                request.session[RECOVERY_SESSION_KEY] = codes
                return redirect(f"{reverse('second_factor_recovery')}?{urlencode({'next': _next(request)})}")
            if _locked(request):
                return _lock_out(request)
            form.add_error(
                "code",
                _("This code does not match. Type the current 6 digits of the portal's entry in the app."),
            )
    context = {
        "form": form,
        "secret": services.secret_of(device),
        "next": _next(request),
        "replacing": services.authenticator_of(user) is not None,
        **_warning(request, form),
    }
    return render(request, "registration/second_factor_enrol.html", context, status=400 if form.errors else 200)


@never_cache
@signed_in
def enrol_qr(request):
    """The QR code of the authenticator being enrolled (SVG), for the signed-in user only."""
    if not services.needs_second_factor(request.user):
        raise Http404
    device = services.enrolment_device(request.user)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    out = io.BytesIO()
    image.save(out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")  # never_cache: no-store


@never_cache
@signed_in
def recovery_codes(request):
    """The new recovery codes, shown (and downloadable) until the user says they kept them; or new ones."""
    user = request.user
    if not services.needs_second_factor(user):
        return redirect("home")
    codes = request.session.get(RECOVERY_SESSION_KEY)
    if codes and request.GET.get("download"):
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        lines = [_("Recovery codes of %(user)s, %(time)s") % {"user": user.username, "time": stamp}]
        lines += ["", *codes, "", _("Each code works once, in place of the authenticator's code.")]
        response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="recovery-codes-{user.username}.txt"'
        return response
    context = {"codes": codes, "left": services.recovery_codes_left(user), "next": _next(request)}
    return render(request, "registration/second_factor_recovery.html", context)


@signed_in
@require_POST
def recovery_codes_action(request):
    """``new``: replace the recovery codes; ``kept``: the codes were saved, stop showing them."""
    user = request.user
    if not services.needs_second_factor(user):
        return redirect("home")
    if request.POST.get("action") == "new":
        request.session[RECOVERY_SESSION_KEY] = services.recovery_codes_new(user=user)
        return redirect("second_factor_recovery")
    request.session.pop(RECOVERY_SESSION_KEY, None)
    return redirect(_next(request))
