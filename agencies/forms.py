"""Forms of agencies. A call for applications: the content of one version of it.

The occupations and levels a call offers are one field (``OfferingsField``) drawn as a table, one row per
occupation with a checkbox per level; the materials are a small formset owned by the form. A bound form
re-renders exactly what was typed, so nothing is lost when the page comes back with errors.
"""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth.forms import SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agencies.models import (
    Call,
    CallVersion,
    ConditionProfile,
    Level,
    Occupation,
    Organisation,
    Scope,
    Workflow,
    scope_label,
)
from agencies.selectors import occupations_active
from portal.lib.captcha import CaptchaField
from portal.lib.http import is_digits
from portal.lib.provinces import FILING_PROVINCES, filing_province_names, filing_regions
from portal.lib.validators import normalise_uscc, uscc_check_character_ok, validate_phone, validate_uscc
from portal.models import Region, User

# When a material applies; interpreted by the filing application (the facts it records about sites and staff).
MATERIAL_CONDITIONS = [
    ("", _("Always")),
    ("leased", _("When the exam sites are leased")),
    ("external_staff", _("When external experts, examiners or supervisors are engaged")),
]

CALL_CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MATERIAL_CODE_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
DATE_ERRORS = {"invalid": _("Enter a date such as 2019-03-01.")}


def date_input() -> forms.DateInput:
    # ISO format whatever the language: <input type="date"> only understands YYYY-MM-DD.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfferingsWidget(forms.Widget):
    """One row per occupation with a checkbox per level; posted as ``<name>-<occupation code>`` = levels."""

    template_name = "agencies/widgets/offerings.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.occupations: list[Occupation] = []

    def value_from_datadict(self, data, files, name) -> dict[str, list[str]]:
        prefix = f"{name}-"
        selected = {}
        for key in data:
            if key.startswith(prefix):
                values = data.getlist(key) if hasattr(data, "getlist") else data[key]
                values = values if isinstance(values, list) else [values]
                selected[key[len(prefix) :]] = [str(v) for v in values]
        return selected

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False  # unticked checkboxes are not posted: no key means no level

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = _selected_levels(value)
        occupations = {o.code: o for o in self.occupations}
        # An occupation no longer active, or unknown, keeps its row while it is selected, so nothing vanishes.
        extra_codes = [code for code in selected if code not in occupations]
        known = {o.code: o for o in Occupation.objects.filter(code__in=extra_codes)}
        rows = []
        for index, code in enumerate([*occupations, *extra_codes]):
            occupation = occupations.get(code) or known.get(code)
            offered = set(occupation.levels) if occupation else set()
            ticked = selected.get(code, set())
            levels = sorted(offered | {int(v) for v in ticked if is_digits(v)}, reverse=True)
            rows.append(
                {
                    "code": code,
                    "name": occupation.name if occupation else "",
                    "field_name": f"{name}-{code}",
                    "selected": bool(ticked),
                    "levels": [
                        {
                            "value": level,
                            "label": Level(level).label if level in Level.values else str(level),
                            "checked": str(level) in ticked,
                            "offered": level in offered,
                            "id": f"{attrs.get('id', 'id_' + name)}_{index}_{level}",
                        }
                        for level in levels
                    ],
                }
            )
        context["widget"]["rows"] = rows
        return context


def _selected_levels(value) -> dict[str, set[str]]:
    """Posted data ({code: ["3", "2"]}) or stored offerings ([{"occupation": code, "levels": [3, 2]}])."""
    if isinstance(value, dict):
        return {code: {str(v) for v in levels if str(v) != ""} for code, levels in value.items()}
    if isinstance(value, list):
        return {o["occupation"]: {str(v) for v in o.get("levels", [])} for o in value if isinstance(o, dict)}
    return {}


class OfferingsField(forms.Field):
    """Cleans to ``[{"occupation": code, "levels": [3, 2, 1]}]``, levels highest first, in catalogue order."""

    widget = OfferingsWidget
    default_error_messages = {
        "required": _("Tick at least one level of at least one occupation."),
        "unknown": _("The occupation code %(code)s is not in the occupation catalogue."),
        "level": _("%(occupation)s is not certified at %(level)s; tick only the levels shown for it."),
    }

    def __init__(self, *, occupations=(), **kwargs):
        super().__init__(**kwargs)
        self.occupations = list(occupations)

    @property
    def occupations(self) -> list[Occupation]:
        return self._occupations

    @occupations.setter
    def occupations(self, value) -> None:
        self._occupations = list(value)
        self.widget.occupations = self._occupations

    def to_python(self, value) -> list[dict]:
        selected = {code: levels for code, levels in _selected_levels(value).items() if levels}
        catalogue = {o.code: o for o in Occupation.objects.filter(code__in=selected)}
        order = [o.code for o in self.occupations]
        errors, offerings = [], []
        for code in sorted(selected, key=lambda c: (order.index(c) if c in order else len(order), c)):
            occupation = catalogue.get(code)
            if occupation is None:
                message = self.error_messages["unknown"]
                errors.append(ValidationError(message, code="unknown", params={"code": code}))
                continue
            levels = sorted({int(v) for v in selected[code] if is_digits(v)}, reverse=True)
            for level in levels:
                if level not in occupation.levels:
                    label = Level(level).label if level in Level.values else str(level)
                    errors.append(
                        ValidationError(
                            self.error_messages["level"],
                            code="level",
                            params={"occupation": str(occupation), "level": label},
                        )
                    )
            offerings.append({"occupation": code, "levels": levels})
        if errors:
            raise ValidationError(errors)
        return offerings


class MaterialForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=50,
        error_messages={
            "invalid": _(
                "Use only lower-case letters, digits and underscores in a material code, such as credit_report."
            )
        },
    )
    label = forms.CharField(label=_("Material"), max_length=200)
    required = forms.BooleanField(label=_("Must be submitted"), required=False)
    when = forms.ChoiceField(label=_("Applies"), choices=MATERIAL_CONDITIONS, required=False)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not MATERIAL_CODE_RE.match(code):
            raise ValidationError(self.fields["code"].error_messages["invalid"], code="invalid")
        return code


class BaseMaterialFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            code = form.cleaned_data["code"]
            if code in seen:
                form.add_error(
                    "code",
                    ValidationError(
                        _(
                            "Another material in this list already uses the code %(code)s; "
                            "each material needs its own code."
                        ),
                        code="duplicate",
                        params={"code": code},
                    ),
                )
            seen.add(code)
        if not seen:
            raise ValidationError(_("List at least one material that applicants must provide."), code="min")

    def kept_forms(self) -> list[MaterialForm]:
        """Filled-in rows not marked for removal."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data.get("code")
        ]

    def materials(self) -> list[dict]:
        return [
            {
                "code": form.cleaned_data["code"],
                "label": form.cleaned_data["label"],
                "required": form.cleaned_data["required"],
                "when": form.cleaned_data["when"],
            }
            for form in self.kept_forms()
        ]


MaterialFormSet = forms.formset_factory(MaterialForm, formset=BaseMaterialFormSet, extra=2, can_delete=True)


class CallVersionForm(forms.Form):
    """The content of one call version; with ``creating=True`` also the call's code."""

    code = forms.CharField(
        label=_("Call code"),
        max_length=50,
        help_text=_(
            "Lower-case letters, digits and hyphens, such as gx-security-manager-2026; it cannot be changed later."
        ),
        error_messages={
            "invalid": _(
                "Use only lower-case letters, digits and hyphens in the code, such as gx-security-manager-2026."
            )
        },
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        help_text=_("The departments issuing the call, separated by spaces."),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    workflow = forms.ChoiceField(
        label=_("Review workflow"),
        choices=Workflow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who reviews the applications first.")},
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=date_input(), error_messages=DATE_ERRORS)
    closes_on = forms.DateField(label=_("Closes on"), widget=date_input(), error_messages=DATE_ERRORS)
    scopes = forms.MultipleChoiceField(
        label=_("Evaluation scopes applicants may choose"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one evaluation scope.")},
    )
    offerings = OfferingsField(label=_("Occupations and levels offered"))
    profile = forms.ModelChoiceField(
        label=_("Condition profile"),
        queryset=ConditionProfile.objects.all(),
        required=False,
        empty_label=_("No condition profile"),
        help_text=_(
            "The profile's conditions are copied into this version when you save; "
            "later changes to the profile do not change it."
        ),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args,
        creating: bool = False,
        materials_initial: list[dict] | None = None,
        province_code: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]
        # The province's own word for its whole territory: 全区 in Guangxi, 全省 in Shaanxi.
        self.fields["scopes"].choices = [(value, scope_label(value, province_code)) for value, _label in Scope.choices]
        self.fields["offerings"].occupations = occupations_active()
        self.materials = MaterialFormSet(self.data or None, prefix="materials", initial=materials_initial)

    @classmethod
    def for_version(cls, version: CallVersion, *args, **kwargs) -> CallVersionForm:
        """A form showing a version's content, to edit it (or to start the next version from it)."""
        initial = {
            "title": version.title,
            "issuer": version.issuer,
            "document_number": version.document_number,
            "workflow": version.workflow,
            "opens_on": version.opens_on,
            "closes_on": version.closes_on,
            "scopes": version.scopes,
            "offerings": version.offerings,
            "profile": version.profile_id,
            "notes": version.notes,
        }
        return cls(*args, initial=initial, materials_initial=version.materials, **kwargs)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not CALL_CODE_RE.match(code):
            raise ValidationError(self.fields["code"].error_messages["invalid"], code="invalid")
        if Call.objects.filter(code=code).exists():
            raise ValidationError(
                _("A call with the code %(code)s already exists; choose another code."),
                code="duplicate",
                params={"code": code},
            )
        return code

    def clean(self) -> dict:
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error(
                "closes_on",
                ValidationError(
                    _("The closing date cannot be before the opening date (%(opens_on)s)."),
                    code="before_opening",
                    params={"opens_on": opens_on.isoformat()},
                ),
            )
        return cleaned

    def is_valid(self) -> bool:
        valid = super().is_valid()  # both, so that every error shows at once
        return self.materials.is_valid() and valid

    def version_fields(self) -> dict:
        """The keyword arguments for ``call_version_save`` (and ``call_create``, without the code)."""
        fields = {name: value for name, value in self.cleaned_data.items() if name != "code"}
        fields["materials"] = self.materials.materials()
        return fields


class RegistrationForm(SetPasswordMixin, forms.Form):
    """An agency registers its organisation and its first user.

    A code in the wrong format is refused with the validator's messages. A well-formed code whose check
    character is wrong is not refused, because a few genuine codes fail the check: the form shows a warning
    and a box to tick once the code has been compared with the certificate, and the organisation is then
    flagged for its city HR bureau to confirm.
    """

    name = Organisation._meta.get_field("name").formfield()
    # No max_length: a pasted code with spaces is longer than 18 characters before normalise_uscc, and the
    # validator's own message tells the user how many characters they typed.
    uscc = forms.CharField(
        label=capfirst(Organisation._meta.get_field("uscc").verbose_name),
        help_text=_("18 digits and capital letters, as printed on the registration certificate or licence."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    uscc_checked = forms.BooleanField(label=_("I have checked the code against the certificate"), required=False)
    # Only the cities and counties of the provinces with a filing route (portal.lib.provinces): elsewhere an agency
    # could register but never apply. A region of another province (a page from before, a forged form) is
    # refused beside the field with the provinces named.
    region = forms.ModelChoiceField(
        label=capfirst(Organisation._meta.get_field("region").verbose_name),
        queryset=filing_regions().filter(level__in=[Region.Level.CITY, Region.Level.COUNTY]),
        empty_label=_("Choose…"),
    )
    nature = Organisation._meta.get_field("nature").formfield()
    legal_representative = Organisation._meta.get_field("legal_representative").formfield()
    address = Organisation._meta.get_field("address").formfield()
    contact_name = Organisation._meta.get_field("contact_name").formfield()
    contact_phone = Organisation._meta.get_field("contact_phone").formfield(validators=[validate_phone])
    email = forms.EmailField(
        label=capfirst(Organisation._meta.get_field("email").verbose_name),
        help_text=_("We send a link to this address; the account works once you have opened it."),
    )
    # With the model's character check (no spaces…), so that it is refused with the other fields' errors: left
    # to the service, it showed only once everything else, the picture's letters included, had passed.
    username = User._meta.get_field("username").formfield(validators=[User.username_validator])
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields()
    captcha = CaptchaField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", self.fields["region"].empty_label), *_regions_by_province()]
        provinces = {"provinces": "、".join(filing_province_names())}
        self.fields["region"].help_text = (
            _(
                "The portal receives the filings of %(provinces)s. The city bureau of this region reviews your "
                "applications."
            )
            % provinces
        )
        self.fields["region"].error_messages["invalid_choice"] = (
            _(
                "The portal receives the filings of %(provinces)s only: choose a city or county of these provinces, "
                "where your organisation is registered."
            )
            % provinces
        )
        # A select's blank choice says what to do, not "---------".
        self.fields["nature"].choices = [("", _("Choose…")), *Organisation.Nature.choices]
        self.uscc_warning = self.is_bound and _uscc_fails_only_check_character(self.data.get("uscc", ""))
        uscc_fields = ["uscc"]
        if self.uscc_warning:
            uscc_fields += [HTML('{% include "agencies/_uscc_warning.html" %}'), "uscc_checked"]
        else:
            del self.fields["uscc_checked"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Organisation"),
                "name",
                *uscc_fields,
                Row(Column("region", css_class="col-md-6"), Column("nature", css_class="col-md-6")),
                "legal_representative",
                "address",
            ),
            Fieldset(
                _("Contact"),
                Row(
                    Column("contact_name", css_class="col-md-6"),
                    Column("contact_phone", css_class="col-md-6"),
                ),
                "email",
            ),
            Fieldset(
                _("Your account"),
                Row(Column("username", css_class="col-md-6"), Column("full_name", css_class="col-md-6")),
                Row(Column("password1", css_class="col-md-6"), Column("password2", css_class="col-md-6")),
            ),
            "captcha",
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(name=name).exists():
            raise ValidationError(
                _(
                    "An organisation with this name is already registered. If it is yours, sign in with its "
                    "account, or ask the HR and social security bureau of your city."
                ),
                code="name_taken",
            )
        return name

    def clean_uscc(self) -> str:
        uscc = normalise_uscc(self.cleaned_data["uscc"])
        validate_uscc(uscc, check_character=False)
        if Organisation.objects.filter(uscc=uscc).exists():
            raise ValidationError(
                _(
                    "An organisation with this unified social credit code is already registered. If it is "
                    "yours, sign in with its account, or ask the HR and social security bureau of your city."
                ),
                code="uscc_taken",
            )
        return uscc

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(User._meta.get_field("username").error_messages["unique"], code="unique")
        return username

    def clean(self):
        cleaned = super().clean()
        if self.uscc_warning and not cleaned.get("uscc_checked"):
            self.add_error(
                "uscc_checked",
                _("Compare the code with the certificate; if it is printed like this, tick the box."),
            )
        self.validate_passwords()
        # The organisation being registered counts too (portal.lib.passwords): neither is saved yet.
        organisation = Organisation(name=cleaned.get("name") or "", uscc=cleaned.get("uscc") or "")
        user = User(
            username=cleaned.get("username", ""),
            last_name=cleaned.get("full_name", ""),
            email=cleaned.get("email", ""),
            organisation=organisation,
        )
        self.validate_password_for_user(user, password_field_name="password1")  # noqa: S106  a field name, not a password
        return cleaned


class RegistrationResendForm(forms.Form):
    email = forms.EmailField(label=capfirst(Organisation._meta.get_field("email").verbose_name))


def _uscc_fails_only_check_character(raw: str) -> bool:
    """Whether ``raw`` is a well-formed code whose check character is wrong (the case that only warns)."""
    uscc = normalise_uscc(raw)
    try:
        validate_uscc(uscc, check_character=False)
    except ValidationError:
        return False
    return not uscc_check_character_ok(uscc)


def _regions_by_province() -> list[tuple[str, list[tuple[int, str]]]]:
    """The city- and county-level regions of the provinces with a filing route, grouped by province in the
    order of ``FILING_PROVINCES`` (Guangxi, Shaanxi), each city followed by its counties, labelled "省 · 市 · 区"
    so that a choice reads whole where a browser does not show the group (a phone's picker)."""
    regions = list(filing_regions().order_by("code"))
    by_code = {r.code: r for r in regions}

    groups: dict[str, list[tuple[int, str]]] = {}
    for r in sorted(regions, key=lambda r: (FILING_PROVINCES.index(r.path[:6]), r.path)):
        if r.level == Region.Level.PROVINCE:
            continue
        names = [by_code[code].name for code in r.path.strip("/").split("/") if code in by_code]
        province = by_code.get(r.path[:6])
        groups.setdefault(province.name if province else "", []).append((r.pk, " · ".join(names)))
    return list(groups.items())
