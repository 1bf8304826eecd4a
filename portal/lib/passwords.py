"""Password rules (MLPS level 3, 复杂度) beyond Django's own validators, and the officials' password age.

Django's validators (``AUTH_PASSWORD_VALIDATORS``) check the length (12), the user's attributes and the list of
20,000 common passwords. The portal adds:

- ``CharacterClassesValidator``: at least three of four classes (lower case, capitals, digits, symbols);
- ``UnlikeNamesValidator``: not containing or resembling the user name, the person's name, the organisation's
  name or credit code, or the department — Django's similarity check misses a user name with a suffix
  (``zhangsan-2026-Good``) and knows nothing of the organisation;
- ``GuessableWordValidator``: not a common password or a local word (place names, the usual example names)
  dressed with digits and symbols (``Nanning2026!``, ``Password@2026``): the first thing a guesser tries.

The validators read ``user.organisation`` and ``user.department``; a registration passes an unsaved user whose
organisation is the unsaved one being registered, so its name counts before anything is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from difflib import SequenceMatcher

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Words a guesser tries first in this portal's region, in pinyin, beside Django's common passwords.
LOCAL_WORDS = frozenset(
    """
    guangxi nanning liuzhou guilin wuzhou beihai yulin baise hechi laibin chongzuo qinzhou fangchenggang hezhou
    guigang shaanxi shanxi xian baoji xianyang weinan yanan hanzhong ankang shangluo tongchuan china zhongguo
    beijing shanghai renshe rensheju shebao gongan jianding zhongxin jigou beian pingtai zhangsan lisi wangwu
    zhaoliu woaini nihao mima yonghu guanliyuan admin administrator portal demo test
    """.split()  # noqa: SIM905 (a list of words reads better this way)
)

SIMILARITY = 0.7  # as Django's UserAttributeSimilarityValidator


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if _classes(password) < self.min_classes:
            raise ValidationError(self._text(), code="password_too_simple")

    def _text(self) -> str:
        return ngettext(
            "Use at least %(count)d kind of character among lower-case letters, capital letters, digits and symbols.",
            "Use at least %(count)d of these four kinds of character: lower-case letters, capital letters, "
            "digits and symbols.",
            self.min_classes,
        ) % {"count": self.min_classes}

    def get_help_text(self) -> str:
        return self._text()


def _names_of(user) -> list[str]:
    """The names a password must not contain or resemble (lower case, at least 3 characters)."""
    if user is None:
        return []
    names = [user.username, user.get_full_name(), (user.email or "").partition("@")[0]]
    if user.organisation is not None:  # an unsaved one too, during a registration
        names += [user.organisation.name, user.organisation.uscc]
    if user.department is not None:
        names.append(user.department.name)
    return [name.lower() for name in names if name and len(name) >= 3]


class UnlikeNamesValidator:
    def validate(self, password: str, user=None) -> None:
        typed = password.lower()
        for name in _names_of(user):
            if name in typed or SequenceMatcher(a=typed, b=name).ratio() >= SIMILARITY:
                raise ValidationError(self.get_help_text(), code="password_like_names")

    def get_help_text(self) -> str:
        return _("The password must not contain or resemble your user name, your name or your organisation.")


def _core(password: str) -> str:
    """The letters of the password in lower case: ``Nanning-2026!`` → ``nanning``."""
    return re.sub(r"[^a-z]", "", password.lower())


class GuessableWordValidator:
    def __init__(self):
        self.common = CommonPasswordValidator().passwords

    def validate(self, password: str, user=None) -> None:
        core = _core(password)
        if len(core) >= 3 and (core in LOCAL_WORDS or core in self.common):
            raise ValidationError(self.get_help_text(), code="password_guessable")

    def get_help_text(self) -> str:
        return _(
            "The password must not be a common word or place name with digits or symbols added: a guesser tries "
            "those first."
        )


def password_expired(user, *, now: dt.datetime | None = None) -> bool:
    """Whether the official's password is ``PASSWORD_MAX_AGE_DAYS`` days old or more (unknown counts as old)."""
    if user.password_changed_at is None:
        return True
    age = (now or timezone.now()) - user.password_changed_at
    return age >= dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
