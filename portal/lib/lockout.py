"""Sign-in lockout (django-axes): per user name at one client address, and per client address.

- ``AXES_FAILURE_LIMIT`` (5) failures of one user name from one address lock that name *at that address* for
  ``AXES_COOLOFF_TIME``. Locking the name everywhere let anyone lock an official out with five requests; now
  the official still signs in from the office while the stranger's address is locked.
- ``LOCKOUT_ADDRESS_LIMIT`` (20) failures from one address, whatever the names, lock the address: one address
  can no longer try four passwords on every account.

A wrong second-factor code is a failure too (``portal.second_factor``). A success resets the failures of that
name at that address only, so signing in to one's own account does not wipe out the address's record.

Axes compares one count with one limit; the handler returns the larger of the name-and-address count and the
address count scaled to the same limit (``floor(n × 5 / 20) ≥ 5`` exactly when ``n ≥ 20``).

After a refused sign-in the form warns when ``LOCKOUT_WARNING_ATTEMPTS`` or fewer attempts are left
(``attempts_left``, ``attempts_warning``), counted from the same records: axes records a failure whether or not
the name exists, so the warning tells nothing of which names do. The second step warns the same way after a
refused code: its failures are these records too, and the password's success has just reset the name's count at
the address, so an official has ``AXES_FAILURE_LIMIT`` codes (fewer when the address is near its own limit).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def _address_failures(request) -> int:
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class AccountAndAddressHandler(AxesDatabaseHandler):
    def failures_by_name_and_address(self, request, credentials: dict | None = None) -> tuple[int, int]:
        """The failures of the name at this address (AXES_LOCKOUT_PARAMETERS), and of the address, unscaled."""
        return super().get_failures(request, credentials), _address_failures(request)

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_name, address = self.failures_by_name_and_address(request, credentials)
        by_address = address * settings.AXES_FAILURE_LIMIT // settings.LOCKOUT_ADDRESS_LIMIT
        request.lockout_by_address = by_address >= settings.AXES_FAILURE_LIMIT > by_name
        return max(by_name, by_address)


def attempts_left(request, credentials: dict | None = None) -> int:
    """How many more sign-ins of the name in ``credentials`` (the posted form's when None) at the request's
    address may fail before the lockout; the failure that leaves none is the one that locks."""
    AxesProxyHandler.update_request(request)
    by_name, address = AccountAndAddressHandler().failures_by_name_and_address(request, credentials)
    return max(0, min(settings.AXES_FAILURE_LIMIT - by_name, settings.LOCKOUT_ADDRESS_LIMIT - address))


def attempts_warning(request, credentials: dict | None = None) -> int | None:
    """The attempts left to warn of after a refused sign-in or code (``templates/registration/
    _lockout_warning.html``): ``LOCKOUT_WARNING_ATTEMPTS`` or fewer, None when more are left or none (the failure
    that leaves none answers with the lockout page instead)."""
    left = attempts_left(request, credentials)
    return left if 0 < left <= settings.LOCKOUT_WARNING_ATTEMPTS else None


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """The lockout page (429), saying whether the account name or the whole address is locked."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.LOCKOUT_ADDRESS_LIMIT,
        "minutes": cooloff_minutes(),
        "by_address": getattr(request, "lockout_by_address", False),
        "username": get_client_username(request, credentials),
    }
    return render(request, "registration/locked_out.html", context, status=429)
