"""The sections of the filing application form (附件2), one Django form per section or per repeating row.

Drafts keep exactly what the agency typed (raw strings, see ``filings.drafts``); these forms decide, when the
page is shown and when the application is submitted, what is complete and what is wrong, field by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from agencies.models import CallVersion, Level, Organisation, Scope, scope_label
from portal.lib.validators import (
    normalise_uscc,
    uscc_check_character_ok,
    validate_not_future,
    validate_phone,
    validate_uscc,
)

GENDER_CHOICES = [("", "—"), ("男", _("Male")), ("女", _("Female"))]
EDUCATION_CHOICES = [
    ("", "—"),
    ("博士研究生", _("Doctorate")),
    ("硕士研究生", _("Master's degree")),
    ("大学本科", _("Bachelor's degree")),
    ("大学专科", _("Junior college")),
    ("中专/高中", _("Secondary school")),
    ("其他", _("Other")),
]
OWNERSHIP_CHOICES = [("", "—"), ("owned", _("Owned")), ("leased", _("Leased"))]
SITE_OWNERSHIP_CHOICES = [*OWNERSHIP_CHOICES, ("other", _("Other"))]
EMPLOYMENT_CHOICES = [("", "—"), ("full_time", _("Full-time")), ("part_time", _("Part-time"))]
YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]

# The rooms a norm may ask the office premises to have (溪人社发〔2021〕62号 四（一）), by the codes its rules use.
ROOMS = {
    "exam_office": _("Separate exam affairs office"),
    "paper_vault": _("Secure room for the question bank and papers"),
    "archive_room": _("Archive room"),
}
# The head of the agency's qualification (溪人社发〔2021〕62号 六（一）1: "中级以上专业技术职务任职资格或二级及以上国家
# 职业资格（技能等级）"), from the highest down.
HEAD_QUALIFICATIONS = [
    ("", "—"),
    ("senior_title", _("Senior professional title")),
    ("intermediate_title", _("Intermediate professional title")),
    ("junior_title", _("Junior professional title")),
    ("level_1", _("Skill level 1 (senior technician)")),
    ("level_2", _("Skill level 2 (technician)")),
    ("level_3", _("Skill level 3 (senior worker) or below")),
    ("none", _("None")),
]
MANAGEMENT_SYSTEMS = [
    ("exam_affairs", _("Examination affairs rules")),
    ("examiners", _("Examiner management rules")),
    ("quality_supervision", _("Internal quality supervision rules")),
    ("question_bank_certificates", _("Question bank and certificate management rules")),
    ("job_duties", _("Duties of each post")),
    ("exam_rules", _("Theory exam and skill test rules")),
    ("archives_finance", _("Archive and financial management")),
    ("equipment", _("Equipment and facility management")),
    ("other", _("Other")),
]

COUNT_ERRORS = {
    "invalid": _("Enter a whole number, such as 12."),
    "min_value": _("The number cannot be negative."),
}


def count_field(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, error_messages=COUNT_ERRORS, **kwargs)


def past_date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2019-03-01.")},
    )


WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {f"{WIDGETS}{name}.html" for name in ("input", "text", "number", "date", "email")}


def _value(value) -> str:
    """``{{ value|stringformat:'s' }}``: a value as text (never localised), escaped unless it is already safe."""
    return conditional_escape(value)


def _text(value) -> str:
    """``{{ value }}``: localised, then escaped."""
    return conditional_escape(localize(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        "" if value is False else f" {_text(name)}" if value is True else f' {_text(name)}="{_value(value)}"'
        for name, value in attrs.items()
    )


class WidgetRenderer(DjangoTemplates):
    """Django's form renderer, with the widgets the section forms use written out in Python.

    A large application (50 occupation rows and 30 rows in each personnel table) shows some 1,200 fields, and
    rendering each widget through Django's widget templates took three quarters of the edit page's time. These
    functions give the same HTML as those templates, byte for byte (tests/filings/test_application_form.py
    compares them field by field); any other template, a form's own layout included, goes to Django's templates.
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in INPUT_TEMPLATES:
            value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
            return (
                f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
            )
        if template_name == f"{WIDGETS}textarea.html":
            value = _text(widget["value"]) if widget["value"] else ""
            return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
        if template_name == f"{WIDGETS}select.html" and all(
            option["template_name"] == f"{WIDGETS}select_option.html"
            for _name, options, _index in widget["optgroups"]
            for option in options
        ):
            return self._select(widget)
        return super().render(template_name, context, request)

    @staticmethod
    def _select(widget: dict) -> str:
        html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{_value(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return "".join(html)


def rules_of(call_version: CallVersion, *kinds: str) -> list[dict]:
    """The call version's condition rules of these kinds: some sections ask what a rule needs to be checked."""
    return [rule for rule in call_version.rules or [] if rule.get("kind") in kinds]


class SectionForm(forms.Form):
    """Base for section forms: knows the call version it is filed under and the organisation."""

    default_renderer = WidgetRenderer()

    # Fields whose choices are the call's occupations, by name (examiners, stations, equipment).
    occupation_name_fields: tuple[str, ...] = ()

    def __init__(self, *args, call_version: CallVersion, organisation: Organisation, **kwargs):
        self.call_version = call_version
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        if self.occupation_name_fields:
            names = [occupation.name for occupation in call_version.offered_occupations]
            for field_name in self.occupation_name_fields:
                self.fields[field_name] = forms.ChoiceField(
                    label=self.fields[field_name].label,
                    choices=[("", "—")] + [(name, name) for name in names],
                )


class BasicForm(SectionForm):
    name = forms.CharField(label=_("Full name of the organisation"), max_length=100)
    address = forms.CharField(label=_("Detailed address"), max_length=200)
    office_ownership = forms.ChoiceField(label=_("Office premises"), choices=OWNERSHIP_CHOICES)
    registration_authority = forms.CharField(label=_("Registration authority"), max_length=100)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=1)
    scope = forms.ChoiceField(label=_("Evaluation scope"))
    supervising_department = forms.CharField(label=_("Supervising department"), max_length=100)
    nature = forms.ChoiceField(label=_("Nature of the organisation"), choices=[("", "—"), *Organisation.Nature.choices])
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=50)
    legal_phone = forms.CharField(label=_("Legal representative's phone"), max_length=30, validators=[validate_phone])
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_title = forms.CharField(label=_("Position"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, validators=[validate_phone])
    email = forms.EmailField(
        label=_("E-mail"), error_messages={"invalid": _("Enter an e-mail address such as name@example.cn.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.call_version.call.province.code
        self.fields["scope"].choices = [("", "—")] + [
            (value, scope_label(value, province))
            for value, _label in Scope.choices
            if value in self.call_version.scopes
        ]
        # Registered facts, printed on the receipt: shown read-only, changed only through the organisation's
        # record (the service ignores what a request sends for them).
        for name in ("name", "uscc"):
            self.fields[name].widget.attrs["readonly"] = True
            self.fields[name].help_text = _("As registered; ask your city HR bureau to correct it.")

    def clean_uscc(self) -> str:
        value = normalise_uscc(self.cleaned_data["uscc"])
        validate_uscc(value, check_character=False)
        return value

    @property
    def uscc_warning(self) -> bool:
        """A well-formed code whose check character does not match: shown as a warning, never refused."""
        value = self.cleaned_data.get("uscc") if hasattr(self, "cleaned_data") else None
        return bool(value) and not uscc_check_character_ok(value)


class OccupationRowForm(SectionForm):
    occupation = forms.ChoiceField(label=_("Occupation"))
    work_type = forms.CharField(label=_("Work type"), max_length=50, required=False)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int)
    basis = forms.CharField(label=_("Basis of evaluation"), max_length=100, initial="国家职业技能标准")
    person_times = count_field(_("Person-times trained or evaluated"))
    start_date = past_date_field(_("Training and evaluation since"))
    theory_items = count_field(_("Theory question bank items"), required=False)
    skill_items = count_field(_("Skill question bank items"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [("", "—")] + [
            (occupation.code, occupation.name) for occupation in self.call_version.offered_occupations
        ]
        levels = sorted({lvl for offering in self.call_version.offerings for lvl in offering["levels"]})
        self.fields["level"].choices = [("", "—")] + [(lvl, Level(lvl).label) for lvl in levels]

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        validate_not_future(value)
        return value

    def clean(self):
        cleaned = super().clean()
        code, level = cleaned.get("occupation"), cleaned.get("level")
        if code and level and level not in self.call_version.levels_for(code):
            self.add_error("level", _("This call does not offer this level for the chosen occupation."))
        return cleaned


class PersonRowForm(SectionForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=GENDER_CHOICES)
    education = forms.ChoiceField(label=_("Education"), choices=EDUCATION_CHOICES)
    title = forms.CharField(label=_("Technical title or skill level"), max_length=100)


class ManagerRowForm(PersonRowForm):
    responsibility = forms.CharField(label=_("Responsibility in the evaluation work"), max_length=100)
    employment = forms.ChoiceField(label=_("Full- or part-time"), choices=EMPLOYMENT_CHOICES)


class ExaminerRowForm(PersonRowForm):
    occupation_name_fields = ("occupation",)

    employer = forms.CharField(label=_("Employer"), max_length=100)
    occupation = forms.CharField(label=_("Occupation examined"), max_length=50)
    examiner_number = forms.CharField(label=_("Examiner number"), max_length=50)


class ExpertRowForm(PersonRowForm):
    employer = forms.CharField(label=_("Employer"), max_length=100)
    specialty = forms.CharField(label=_("Specialty"), max_length=100)


class SupervisorRowForm(PersonRowForm):
    employer = forms.CharField(label=_("Employer"), max_length=100)
    duty = forms.CharField(label=_("Post or duty"), max_length=100)


class SiteForm(SectionForm):
    ownership = forms.ChoiceField(label=_("Ownership of the exam sites"), choices=SITE_OWNERSHIP_CHOICES)
    lease_years = count_field(_("Lease term (years)"), required=False)
    standard_rooms = count_field(_("Standard exam rooms"))
    standard_seats = count_field(_("Single seats in standard rooms"))
    smart_rooms = count_field(_("Smart (computer) exam rooms"))
    smart_seats = count_field(_("Computer seats in smart rooms"))
    office_area = count_field(_("Office area (m²)"), required=False)
    skill_site_area = count_field(_("Skill test site area (m²)"), required=False)
    video_surveillance = forms.ChoiceField(label=_("Video surveillance installed"), choices=YES_NO)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only where the call's norms check them (Wuxi 四（一）、四（二）).
        if any(r["params"].get("min_seats_in_one_room") for r in rules_of(self.call_version, "theory_rooms")):
            self.fields["largest_room_seats"] = count_field(_("Single seats in the largest standard room"))
        if rules_of(self.call_version, "desk_spacing"):
            self.fields["desk_spacing_cm"] = count_field(_("Spacing between seats in theory rooms (cm)"))
        for rule in rules_of(self.call_version, "rooms_present"):
            for code in rule["params"]["rooms"]:
                self.fields[code] = forms.ChoiceField(label=ROOMS[code], choices=YES_NO)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ownership") == "leased" and cleaned.get("lease_years") in (None, ""):
            self.add_error("lease_years", _("Enter the lease term for leased sites."))
        return cleaned


class StationRowForm(SectionForm):
    occupation_name_fields = ("occupation",)

    occupation = forms.CharField(label=_("Occupation (work type)"), max_length=50)
    stations = count_field(_("Skill stations"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class EquipmentRowForm(SectionForm):
    occupation_name_fields = ("occupation",)

    name = forms.CharField(label=_("Equipment"), max_length=100)
    model = forms.CharField(label=_("Model"), max_length=100, required=False)
    quantity = count_field(_("Quantity (units or sets)"))
    occupation = forms.CharField(label=_("Used for occupation"), max_length=50)


class AdvantagesForm(SectionForm):
    text = forms.CharField(
        label=_("Advantages of the organisation"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text=_(
            "Evaluation and professional strengths: work on national skill standards, evaluation norms, "
            "national question banks, syllabuses, textbooks or competition standards; quality digital "
            "training resources; "
            "the quality and scale of training; representativeness in the region."
        ),
    )


class SystemsForm(SectionForm):
    """The nine management-system categories: established or not, and the attachment that holds each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.systems = systems_of(self.call_version)
        for code, label in self.systems:
            self.fields[f"{code}_established"] = forms.ChoiceField(label=label, choices=YES_NO)
            self.fields[f"{code}_attachment"] = forms.CharField(
                label=_("Attachment number"), max_length=50, required=False
            )

    def rows(self):
        """(established, attachment) bound-field pairs, one per category, for the table."""
        return [(self[f"{code}_established"], self[f"{code}_attachment"]) for code, _label in self.systems]

    def clean(self):
        cleaned = super().clean()
        for code, _label in self.systems:
            if cleaned.get(f"{code}_established") == "yes" and not cleaned.get(f"{code}_attachment"):
                self.add_error(f"{code}_attachment", _("Name the attachment that holds this system."))
        return cleaned


def systems_of(call_version: CallVersion) -> list[tuple[str, str]]:
    """The management systems the form asks about: the nine categories of 附件2, then those a norm of the call
    lists by its own names (``params.catalogue`` of a ``management_systems`` rule, such as Wuxi's eight)."""
    systems = list(MANAGEMENT_SYSTEMS)
    known = {code for code, _label in systems}
    for rule in rules_of(call_version, "management_systems"):
        for code, name in rule["params"].get("catalogue", []):
            if code not in known:
                systems.append((code, name))
                known.add(code)
    return systems


class DeclarationsForm(SectionForm):
    """The declarations the call's conditions ask for (``declaration`` rules): each statement answered yes or
    no, with the detail a statement asks for (the registered business scope, say)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rule in rules_of(self.call_version, "declaration"):
            params = rule["params"]
            label = params["statement"]
            if params.get("natures"):  # asked of some kinds of organisation only: the others leave it blank
                natures = dict(Organisation.Nature.choices)
                label = _("%(statement)s (only for: %(natures)s)") % {
                    "statement": label,
                    "natures": "、".join(str(natures[n]) for n in params["natures"]),
                }
            self.fields[params["key"]] = forms.ChoiceField(
                label=label, choices=YES_NO, required=not params.get("natures")
            )
            if params.get("detail"):
                self.fields[f"{params['key']}_detail"] = forms.CharField(
                    label=params["detail"], max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
                )


class ManagementForm(SectionForm):
    """The head of the agency and the finance staff, where the call's norms set conditions on them (Wuxi 六（一））."""

    head_name = forms.CharField(label=_("Head of the agency"), max_length=50)
    head_birth_date = past_date_field(_("Head's date of birth"))
    head_education = forms.ChoiceField(label=_("Head's education"), choices=EDUCATION_CHOICES)
    head_qualification = forms.ChoiceField(
        label=_("Head's highest professional title or skill level"), choices=HEAD_QUALIFICATIONS
    )
    head_years = count_field(_("Head's years in education, training or evaluation"))
    finance_staff = count_field(_("Finance staff"))

    def clean_head_birth_date(self):
        value = self.cleaned_data["head_birth_date"]
        validate_not_future(value)
        return value


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    form: type[SectionForm]
    many: bool = False
    min_rows: int = 0
    required: bool = True
    # A section only some calls ask for: part of the application when the call has a rule of one of these kinds.
    asked_by: tuple[str, ...] = ()

    def asked_in(self, call_version: CallVersion) -> bool:
        return not self.asked_by or bool(rules_of(call_version, *self.asked_by))


SECTIONS: list[Section] = [
    Section("basic", _("Basic information"), BasicForm),
    Section("occupations", _("Occupations to evaluate"), OccupationRowForm, many=True, min_rows=1),
    Section("advantages", _("Advantages"), AdvantagesForm),
    Section("managers", _("Managers"), ManagerRowForm, many=True, min_rows=1),
    Section("examiners", _("Examiners"), ExaminerRowForm, many=True, min_rows=1),
    Section("experts", _("Expert team"), ExpertRowForm, many=True, min_rows=1),
    Section("supervisors", _("Internal quality supervisors"), SupervisorRowForm, many=True, min_rows=1),
    Section("site", _("Exam sites"), SiteForm),
    Section("stations", _("Skill test stations"), StationRowForm, many=True, min_rows=1),
    Section("equipment", _("Assessment equipment"), EquipmentRowForm, many=True, min_rows=1),
    Section(
        "testing_equipment",
        _("Testing equipment (precision testing only)"),
        EquipmentRowForm,
        many=True,
        required=False,
    ),
    Section("systems", _("Management systems"), SystemsForm),
    Section(
        "management",
        _("Head of the agency and finance staff"),
        ManagementForm,
        asked_by=("head_of_agency", "finance_staff"),
    ),
    Section("declarations", _("Declarations"), DeclarationsForm, asked_by=("declaration",)),
]
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
