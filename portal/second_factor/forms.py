from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The one field of the second step and of the enrolment."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 12}
        ),
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text
