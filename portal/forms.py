from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditEvent.Action.choices]
    )
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", _("All results")), *AuditEvent.Result.choices]
    )
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The filters to apply: the valid ones only, so one bad field does not hide the whole log."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {key: data.get(key) or ("" if key in ("action", "result", "username") else None) for key in self.fields}


class _UserNameLengthChecked:
    """The user name's length checked before anyone tries to sign in with it.

    Django's sign-in forms set the field's ``max_length`` after building it, which only reaches the browser's
    ``maxlength``: a longer name typed past the browser went on to the sign-in backends, and django-axes' record
    of the failure (its column holds 255 characters) ended in a server error on PostgreSQL."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(
                self.fields["username"].max_length,
                message=_("A user name has at most %(limit_value)d characters."),
            )
        )


class SignInForm(_UserNameLengthChecked, AuthenticationForm):
    pass


class AdminSignInForm(_UserNameLengthChecked, AdminAuthenticationForm):
    pass


class _NewPasswordChecks:
    """What a new password is told beside its own field: its weaknesses (Django puts them under the confirmation,
    leaving the field typed into unmarked), and the current password refused as the new one (the officials'
    90-day change would otherwise be passed by typing the same password again, on the change page or through a
    reset link)."""

    def validate_password_for_user(self, user, password_field_name="new_password1"):  # noqa: S107  a field name
        super().validate_password_for_user(user, "new_password1")

    def clean(self):
        new = self.cleaned_data.get("new_password1")  # before the checks below take it out with their messages
        cleaned = super().clean()
        if new and self.user.check_password(new):
            self.add_error("new_password1", _("The new password must differ from your current password."))
        return cleaned


class NewPasswordChangeForm(_NewPasswordChecks, PasswordChangeForm):
    """The password change (the current password asked first)."""


class NewPasswordSetForm(_NewPasswordChecks, SetPasswordForm):
    """The new password of an e-mailed reset link."""
