"""Field validators for the agency filing form.

Each validator is a plain function that raises ``ValidationError`` with a translatable message and a
``code``. Validators check the value exactly as it will be stored; forms normalise first (for example with
``normalise_uscc``) so that a pasted code with spaces is accepted but stored without them.

The unified social credit code (统一社会信用代码, GB 32100-2015) has 18 characters drawn from
``USCC_CHARSET``: position 1 is the registration authority (登记管理部门代码), 2 the kind of organisation
(机构类别代码), 3–8 the region code, 9–17 the organisation code and 18 a check character. Some genuine
codes issued in the early years fail the check-character calculation, so the product treats a wrong check
character as a warning: ``validate_uscc(value, check_character=False)`` checks only the format, and
``uscc_check_character_ok`` lets a form show the warning separately. Positions 1 and 2 are not checked
against the lists of authorities and kinds, which have grown since the standard was published.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USCC_LENGTH = 18
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_FORBIDDEN_LETTERS = "IOSVZ"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_DIGITS = "0123456789"
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Area code 0 + 2–3 digits, an optional hyphen or space, a local number of 7–8 digits that never starts
# with 0 or 1, and an optional extension after a hyphen.
_LANDLINE = re.compile(r"0[0-9]{2,3}[- ]?[2-9][0-9]{6,7}(?:-[0-9]{1,6})?")


def _quoted(chars: str) -> str:
    """The distinct characters of ``chars`` in order of appearance, each in quotes, for a message."""
    return " ".join(f"“{ch}”" for ch in dict.fromkeys(chars))


def _sort_uscc_characters(value: str) -> tuple[str, str, str, str]:
    """The characters of ``value`` that are full-width, lower-case, forbidden letters or otherwise foreign.

    Spaces are left out (they have their own message); a lower-case i, o, s, v or z counts both as
    lower-case and as a forbidden letter, which is shown in capitals.
    """
    full_width = lower = forbidden = other = ""
    for ch in value:
        if ch.isspace() or ch in USCC_CHARSET:
            continue
        if "\uff01" <= ch <= "\uff5e":
            full_width += ch
            continue
        if "a" <= ch <= "z":
            lower += ch
        if ch.upper() in USCC_FORBIDDEN_LETTERS and ch.isascii():
            forbidden += ch.upper()
        elif not "a" <= ch <= "z":
            other += ch
    return full_width, lower, forbidden, other


def normalise_uscc(value: str | None) -> str:
    """``value`` without any spaces (including full-width ones); nothing else is changed.

    Lower-case letters and full-width characters are left as they are, so that ``validate_uscc`` can tell
    the user what to correct rather than silently storing something they did not type.
    """
    return "".join((value or "").split())


def uscc_expected_check_character(value: str) -> str:
    """The check character GB 32100-2015 gives for the first 17 characters of a well-formed ``value``."""
    total = sum(USCC_CHARSET.index(ch) * weight for ch, weight in zip(value[:17], USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_check_character_ok(value: str) -> bool:
    """Whether the 18th character of ``value`` matches the other 17; False for a malformed code."""
    if len(value) != USCC_LENGTH or any(ch not in USCC_CHARSET for ch in value):
        return False
    return value[17] == uscc_expected_check_character(value)


def validate_uscc(value: str | None, *, check_character: bool = True) -> None:
    """Raise ``ValidationError`` listing every format problem of a unified social credit code.

    A wrong check character is reported only when the format is otherwise right and ``check_character``
    is true; pass ``check_character=False`` to accept such codes (and warn with ``uscc_check_character_ok``).
    """
    if not value:
        raise ValidationError(_("Enter the unified social credit code."), code="uscc_blank")
    errors = []
    full_width, lower, forbidden, other = _sort_uscc_characters(value)
    if any(ch.isspace() for ch in value):
        errors.append(ValidationError(_("Remove the spaces from the unified social credit code."), code="uscc_spaces"))
    if full_width:
        errors.append(
            ValidationError(
                _(
                    "The unified social credit code contains full-width characters (%(chars)s); switch your "
                    "input method to half-width and type them again."
                ),
                code="uscc_full_width",
                params={"chars": _quoted(full_width)},
            )
        )
    if lower:
        errors.append(
            ValidationError(
                _("Use capital letters in the unified social credit code: %(chars)s."),
                code="uscc_lowercase",
                params={"chars": _quoted(lower)},
            )
        )
    if forbidden:
        errors.append(
            ValidationError(
                _(
                    "The unified social credit code never contains the letters I, O, S, V or Z; you entered "
                    "%(chars)s. Check the code on the certificate: an O is usually the digit 0 and an I the "
                    "digit 1."
                ),
                code="uscc_forbidden_letter",
                params={"chars": _quoted(forbidden)},
            )
        )
    if other:
        errors.append(
            ValidationError(
                _("The unified social credit code contains only digits and capital letters; remove %(chars)s."),
                code="uscc_invalid_character",
                params={"chars": _quoted(other)},
            )
        )
    length = len(normalise_uscc(value))
    if length != USCC_LENGTH:
        errors.append(
            ValidationError(
                _("The unified social credit code has 18 characters; you entered %(count)d."),
                code="uscc_length",
                params={"count": length},
            )
        )
    elif not errors and not all(ch in _DIGITS for ch in value[2:8]):
        errors.append(
            ValidationError(
                _(
                    "Characters 3 to 8 of the unified social credit code are the region code and must be "
                    "digits; you entered “%(region)s”."
                ),
                code="uscc_region",
                params={"region": value[2:8]},
            )
        )
    if errors:
        raise ValidationError(errors)
    if check_character and not uscc_check_character_ok(value):
        raise ValidationError(
            _(
                "The last character of the unified social credit code (the check character) does not match "
                "the others; compare the code with the registration certificate or business licence."
            ),
            code="uscc_check_character",
        )


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits starting with 13 to 19, without spaces or a country code."""
    if not _MOBILE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a mobile number of 11 digits starting with 13 to 19, for example 13877112345."),
            code="mobile_invalid",
        )


def validate_landline(value: str) -> None:
    """A landline number with its area code, such as 0771-5832198, 0771 5832198 or 07715832198-123."""
    if not _LANDLINE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "Enter a landline number with its area code, for example 0771-5832198; an extension may "
                "follow after a hyphen, as in 0771-5832198-123."
            ),
            code="landline_invalid",
        )


def validate_phone(value: str) -> None:
    """Either a mainland mobile number or a landline number with its area code."""
    if not (_MOBILE.fullmatch(value or "") or _LANDLINE.fullmatch(value or "")):
        raise ValidationError(
            _(
                "Enter a mobile number of 11 digits (for example 13877112345) or a landline number with its "
                "area code (for example 0771-5832198)."
            ),
            code="phone_invalid",
        )


def validate_not_future(value: dt.date) -> None:
    """Refuse a date after today (in the portal's time zone); an aware datetime is compared by its date."""
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    if day > timezone.localdate():
        raise ValidationError(
            _("The date %(date)s is in the future; enter a date no later than today."),
            code="date_in_future",
            params={"date": day.isoformat()},
        )


def validate_non_negative(value: int | Decimal | float) -> None:
    """A whole number of zero or more (a count of people, sites, sessions)."""
    try:
        whole = not isinstance(value, bool) and isinstance(value, int | Decimal | float) and value == int(value)
    except (ValueError, OverflowError):  # NaN and infinity
        whole = False
    if not whole:
        raise ValidationError(_("Enter a whole number."), code="not_whole_number")
    if value < 0:
        raise ValidationError(
            _("The number cannot be negative; you entered %(value)s."),
            code="negative_number",
            params={"value": value},
        )


def is_reachable(contact: str) -> bool:
    """A contact a department can answer: a mainland mobile or landline number, or an e-mail address."""
    for check in (validate_phone, validate_email):
        try:
            check(contact)
        except ValidationError:
            continue
        return True
    return False


def validate_contact(value: str) -> None:
    """A mobile number, a landline with its area code, or an e-mail address (objections, complaints)."""
    if not is_reachable(value):
        raise ValidationError(
            _("Give a mobile number, a landline with its area code (e.g. 0771-5832198) or an e-mail address."),
            code="contact_invalid",
        )
