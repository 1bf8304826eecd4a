from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.periods import Period
from reports.services import FREE_TEXT_LIMIT


class PeriodForm(forms.Form):
    """Which period to generate: a year and a quarter, or the whole year."""

    year = forms.IntegerField(
        label=_("Year"), min_value=2024, max_value=2100, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        choices=[
            ("", _("Whole year")),
            ("1", _("Quarter 1")),
            ("2", _("Quarter 2")),
            ("3", _("Quarter 3")),
            ("4", _("Quarter 4")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def clean(self):
        data = super().clean()
        if "year" in data and not self.errors:
            period = Period(data["year"], data.get("quarter"))
            if not period.required:
                self.add_error("quarter", _("Quarterly reports start with the second quarter of 2024."))
            data["period"] = period
        return data


class FreeTextForm(forms.Form):
    experience = forms.CharField(
        label=_("Typical experience"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=FREE_TEXT_LIMIT,
    )
    difficulties = forms.CharField(
        label=_("Difficulties and problems"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=FREE_TEXT_LIMIT,
    )
