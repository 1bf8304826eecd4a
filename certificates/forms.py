from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certificates.idnumbers import validate_id_number

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _new_token() -> str:
    return uuid.uuid4().hex


class UploadForm(forms.Form):
    """A workbook upload with a one-time token: a second submission of the same form (a double click, a reload
    that posts again) is recognised by the service and answered with the first one's result."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32, initial=_new_token)


class ImportForm(UploadForm):
    workbook = forms.FileField(
        label=_("Results workbook"),
        help_text=_("The template filled in (.xlsx). Nothing is imported until every row is correct."),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class CorrectionForm(UploadForm):
    workbook = forms.FileField(
        label=_("Corrected results"),
        help_text=_(
            "The template with the rows to correct (.xlsx), found by ID number; rows left as they were change "
            "nothing. Only the changed results are publicised again."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class ResubmitForm(forms.Form):
    answer = forms.CharField(
        label=_("Explanation to the HR bureau"),
        max_length=2000,
        help_text=_("Why no result changes (for example, the missing signatures are now on file)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    answer = forms.CharField(
        label=_("What was corrected (for the HR bureau)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG or PNG, at most 2 MB: printed on the electronic certificate."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,.jpg,.jpeg,.png"}),
    )


class PubliciseForm(forms.Form):
    window_days = forms.IntegerField(
        label=_("Notice period (working days)"),
        initial=5,
        min_value=1,
        max_value=30,
        help_text=_("At least 5 working days (桂人社函〔2020〕203号 三（五）)."),
    )


class DecideForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for returning the results"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    """By certificate number and name, or by ID number and name; the answer never says which field did not match.
    An ID number that cannot be anyone's (its length, region, birth date or check character: GB 11643) is told
    beside its field, like a typing mistake: "not found" would say the certificate does not exist."""

    number = forms.CharField(label=_("Certificate number"), max_length=40, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=20, required=False)
    name = forms.CharField(label=_("Holder's name"), max_length=50)

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if value:
            validate_id_number(value)
        return value

    def clean(self):
        data = super().clean()
        given = data.get("number", "").strip() or data.get("id_number", "").strip() or self.has_error("id_number")
        if not given:
            raise forms.ValidationError(_("Enter the certificate number or the ID number."))
        return data


def verify_given_plainly(given: dict[str, str]) -> dict[str, str] | None:
    """What ``VerifyForm`` would clean ``given`` (strings) to, when it is plainly valid; None when the form must
    say what is wrong (the API's busy path skips building a form for a valid request: ~10 % of its time)."""
    cleaned = {}
    for name, field in VerifyForm.base_fields.items():
        value = given.get(name, "").strip()
        if len(value) > field.max_length or "\x00" in value:
            return None
        cleaned[name] = value
    if not cleaned["name"] or not (cleaned["number"] or cleaned["id_number"]):
        return None
    if cleaned["id_number"] and not _possible_id_number(cleaned["id_number"]):
        return None
    return cleaned


def _possible_id_number(value: str) -> bool:
    try:
        validate_id_number(value)
    except ValidationError:
        return False
    return True
