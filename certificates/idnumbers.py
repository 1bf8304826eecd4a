"""Resident identity numbers (公民身份号码, GB 11643-1999) and how a holder's name and number are shown.

An 18-character number is a 6-digit address code (GB/T 2260), an 8-digit birth date, a 3-digit sequence (odd
for men, even for women) and a check character computed by ISO 7064 MOD 11-2 over the first seventeen.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ISO 7064 MOD 11-2 as GB 11643-1999 states it: weights 2^(18-i) mod 11, check characters by remainder.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

# The provinces of GB/T 2260 (the first two digits of an address code); 71 Taiwan, 81 Hong Kong, 82 Macao are
# listed by the standard but their residents hold other documents, 83 is the Taiwan residents' residence permit.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43"}
    | {"44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"}
)

ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def normalise(value: str | None) -> str:
    """As typed, less spaces, with a lower-case x made upper-case and full-width digits made ASCII."""
    text = (value or "").strip().replace(" ", "").replace("\u3000", "")
    text = text.translate(str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX"))
    return text.upper()


def check_character(first17: str) -> str:
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender(number: str) -> str:
    """ "M" or "F", from the parity of the sequence code."""
    return "M" if int(number[16]) % 2 else "F"


def validate_id_number(value: str | None, *, today: dt.date | None = None) -> str:
    """The number normalised, or a ValidationError saying what is wrong with it (one message)."""
    number = normalise(value)
    if not ID_PATTERN.match(number):
        raise ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."), code="format")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("The ID number does not begin with a province's code."), code="region")
    born = birth_date(number)
    if born is None or not EARLIEST_BIRTH <= born <= (today or dt.date.today()):
        raise ValidationError(_("The ID number does not hold a valid date of birth."), code="birth")
    if check_character(number[:17]) != number[17]:
        raise ValidationError(_("The ID number's check character is wrong: check every digit."), code="check")
    return number


def mask_id(number: str) -> str:
    """4501**********1234: the first four and the last four characters, the rest hidden."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """张*三, 李*, 欧**明: the first and (from three characters) the last character, the rest hidden."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
