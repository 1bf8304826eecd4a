"""The image challenge of the public forms (objections, complaints, registration): django-simple-captcha.

The portal draws the picture itself (``/captcha/<key>/``, no outside service). A challenge is five capital
letters from an alphabet without look-alikes (no I, L, O, Q, nor A, B, G, S, Z, which the noise turns into 4, 8,
6, 5 and 2), drawn with Python's ``secrets``; the answer is case-insensitive. The store row is removed at the
first attempt, right or wrong: each picture is answered once, and a wrong answer brings a new picture. Rate
limits per client address (``portal.lib.ratelimit``) stay in front of it.

Forms add ``CaptchaField`` (``captcha_0``: the key, ``captcha_1``: the answer); hand-written forms render the
field of ``CaptchaForm`` and check ``CaptchaForm(request.POST).is_valid()``.
"""

from __future__ import annotations

import secrets

from captcha import fields
from django import forms
from django.utils.translation import gettext_lazy as _

ALPHABET = "CDEFHJKMNPRTUVWXY"
LENGTH = 5


def challenge() -> tuple[str, str]:
    """(what the picture shows, the expected answer) — ``CAPTCHA_CHALLENGE_FUNCT``."""
    text = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return text, text.lower()


class CaptchaInput(fields.CaptchaTextInput):
    template_name = "portal/widgets/captcha.html"

    def __init__(self):
        # Named by itself as well: crispy's label points at the field, not at this answer box (captcha_1).
        super().__init__(
            attrs={
                "class": "form-control captcha-answer",
                "maxlength": LENGTH * 2,
                "size": LENGTH + 3,
                "aria-label": _("Characters in the picture"),
            }
        )

    def get_context(self, name, value, attrs):
        """A refused answer is marked like any other field: the answer box red, and the picture's box carries
        ``is-invalid`` so that Bootstrap shows the message that follows it (``.is-invalid ~ .invalid-feedback``).
        crispy-forms marks only plain inputs; on this pair of inputs the message stayed hidden and a wrong answer
        showed nothing but the banner at the top of the form."""
        context = super().get_context(name, value, attrs)
        invalid = str((attrs or {}).get("aria-invalid", "")).lower() == "true"
        context["widget"]["invalid"] = invalid
        if invalid:
            answer = context["widget"]["subwidgets"][1]["attrs"]
            answer["class"] = f"{answer.get('class', '')} is-invalid".strip()
        return context


class CaptchaField(fields.CaptchaField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Characters in the picture"))
        kwargs.setdefault(
            "help_text",
            _("Type the five letters of the picture (capitals or not); it keeps automated submissions out."),
        )
        kwargs["error_messages"] = {
            "invalid": _("The letters do not match the picture. Type the letters of the new picture."),
            "required": _("Type the letters shown in the picture."),
            "incomplete": _("Type the letters shown in the picture."),
        }
        super().__init__(widget=CaptchaInput(), **kwargs)


class CaptchaForm(forms.Form):
    captcha = CaptchaField()
