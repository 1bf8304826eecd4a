"""The second factor's logic: who needs it, enrolment, the check of a code and recovery codes.

A wrong code counts as a failed sign-in for the lockout (``portal.lib.lockout``): the user name at the client
address and the address itself, as a wrong password does.
"""

from __future__ import annotations

import base64
import binascii
import re

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django_otp import login, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Role, User

# Officials and administrators; agencies keep the password alone.
SECOND_FACTOR_ROLES = (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.EXPERT, Role.ADMIN)
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
TOTP_CODE = re.compile(r"\d{6}")


def needs_second_factor(user) -> bool:
    return user.is_authenticated and (user.role in SECOND_FACTOR_ROLES or user.is_staff or user.is_superuser)


def authenticator_of(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enrolled one."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def enrolment_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled: a fresh secret, kept until it is confirmed with a code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret to type into an authenticator app by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def is_authenticator_code(code: str) -> bool:
    """Six digits, spaces aside: a code of the authenticator app, not a recovery code."""
    return TOTP_CODE.fullmatch(re.sub(r"\s+", "", code or "")) is not None


def _failed(request, user: User) -> None:
    """A wrong code is a failed sign-in of this user name from this address (django-axes counts it)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)


def code_check(*, request, user: User, code: str) -> bool:
    """Whether ``code`` is the user's current authenticator code (not used before) or an unused recovery code;
    on success the session is verified. A recovery code is spent."""
    code = re.sub(r"\s+", "", code or "").lower()
    device = None
    if TOTP_CODE.fullmatch(code):
        authenticator = authenticator_of(user)
        if authenticator is not None:
            # django_otp.verify_token locks the device row: two requests cannot both spend one code.
            device = verify_token(user, authenticator.persistent_id, code)
    elif code:
        for recovery in StaticDevice.objects.devices_for_user(user, confirmed=True):
            device = verify_token(user, recovery.persistent_id, code)
            if device is not None:
                break
    if device is None:
        _failed(request, user)
        return False
    login(request, device)
    return True


def throttled_seconds(user: User) -> int:
    """Seconds before django-otp's throttle lets the authenticator be tried again (0: now)."""
    device = authenticator_of(user)
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data or not data.get("locked_until"):
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)


@transaction.atomic
def enrolment_confirm(*, request, user: User, code: str) -> list[str] | None:
    """Confirms the authenticator being enrolled with its first code; returns the new recovery codes (shown
    once), or None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    code = re.sub(r"\s+", "", code or "")
    if device is None or not TOTP_CODE.fullmatch(code) or not device.verify_token(code):
        _failed(request, user)
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    login(request, device)
    return recovery_codes_new(user=user)


@transaction.atomic
def recovery_codes_new(*, user: User) -> list[str]:
    """Replaces the user's recovery codes with ``SECOND_FACTOR_RECOVERY_CODES`` new ones (8 characters each)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.SECOND_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def authenticator_set(*, user: User, secret: str) -> TOTPDevice:
    """Enrols the user with a known base32 secret (the demo officials: their secrets are in the README)."""
    try:
        key = base64.b32decode(secret.replace(" ", "").upper())
    except binascii.Error as error:
        raise ValueError("not a base32 secret") from error
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key.hex(), confirmed=True)
