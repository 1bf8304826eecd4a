"""Forms of supervision. They parse and offer choices; the rules (roster, dates, scope) are the services', whose
field errors the views put back beside these fields (``portal.lib.errors.add_to_form``)."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import DirectoryEntry, DirectoryOccupation, Level, Occupation, Scope
from portal.lib.workdays import holidays_within
from portal.models import Region
from supervision.selectors import plan_roster


class DateInput(forms.DateInput):
    input_type = "date"


def cities_for(entry: DirectoryEntry):
    """The cities an entry may work in: its own for a city scope, its province's otherwise."""
    cities = Region.objects.filter(level=Region.Level.CITY)
    if entry.scope == Scope.CITY:
        return cities.filter(pk=entry.region_id)
    if entry.scope == Scope.NATIONAL:
        return cities.order_by("code")
    return cities.filter(path__startswith=entry.region.path[:7]).order_by("code")


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class RegistrationForm(forms.Form):
    city = CityChoiceField(
        label=_("Public-security organ of"), queryset=Region.objects.none(), empty_label=_("Choose…")
    )
    responsible = forms.CharField(label=_("Person responsible"), max_length=50)
    phone = forms.CharField(label=_("Telephone"), max_length=20)
    sites = forms.CharField(
        label=_("Evaluation sites in the city, with addresses"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, entry: DirectoryEntry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities_for(entry)
        self.fields["city"].initial = entry.region_id


class ResubmitForm(forms.Form):
    """Optional fields: the service says what is missing, beside each field."""

    answer = forms.CharField(label=_("What you corrected"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible = forms.CharField(label=_("Person responsible"), max_length=50, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=20, required=False)
    sites = forms.CharField(
        label=_("Evaluation sites in the city, with addresses"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PlanForm(forms.Form):
    city = CityChoiceField(label=_("City of the evaluation"), queryset=Region.objects.none(), empty_label=_("Choose…"))
    occupation = forms.ModelChoiceField(label=_("Occupation"), queryset=Occupation.objects.none(), empty_label=None)
    work_type = forms.CharField(label=_("Work type (if any)"), max_length=50, required=False)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=())
    first_day = forms.DateField(label=_("First exam day"), widget=DateInput)
    last_day = forms.DateField(label=_("Last exam day"), widget=DateInput)
    venue = forms.CharField(label=_("Venue"), max_length=100)
    venue_address = forms.CharField(label=_("Venue address"), max_length=200)
    expected_candidates = forms.IntegerField(label=_("Expected candidates"), min_value=1, max_value=100000)
    examiners = forms.MultipleChoiceField(
        label=_("Examiners (at least 3, of this occupation)"), widget=forms.CheckboxSelectMultiple, required=False
    )
    supervisor = forms.ChoiceField(label=_("Internal quality supervisor"), required=False)
    fee = forms.DecimalField(label=_("Fee per candidate (yuan)"), min_value=0, max_digits=8, decimal_places=2)
    notes = forms.CharField(
        label=_("Announcement text (registration, requirements, contact)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, entry: DirectoryEntry, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.fields["city"].queryset = cities_for(entry)
        approvals = list(entry.occupations.select_related("occupation").order_by("occupation__code", "-level"))
        occupations = {row.occupation_id for row in approvals}
        self.fields["occupation"].queryset = Occupation.objects.filter(pk__in=occupations).order_by("code")
        levels = sorted({row.level for row in approvals}, reverse=True)
        self.fields["level"].choices = [(level, Level(level).label) for level in levels]
        roster = plan_roster(entry)
        self.roster = roster
        self.fields["examiners"].choices = [
            (name, f"{name}（{occupation}）") for occupation, names in roster["examiners"].items() for name in names
        ]
        self.fields["supervisor"].choices = [("", _("Choose…"))] + [(name, name) for name in roster["supervisors"]]
        if not self.is_bound and roster["sites"]:
            self.fields["venue"].initial = roster["sites"][0]["name"]
            self.fields["venue_address"].initial = roster["sites"][0]["address"]
            self.fields["city"].initial = entry.region_id

    def exam_day_holidays(self) -> list[tuple]:
        """The public holidays among the exam days entered (or, unbound, those of the plan being changed):
        a warning beside the dates, not a refusal — an agency may examine on a holiday, but should mean to."""
        if self.is_bound:
            data = getattr(self, "cleaned_data", {})
            first, last = data.get("first_day"), data.get("last_day")
        else:
            first, last = self.initial.get("first_day"), self.initial.get("last_day")
        if first is None:
            return []
        return holidays_within(first, last if last is not None and last >= first else first)

    def plan_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["notes"] = data.get("notes") or ""
        data["work_type"] = data.get("work_type") or ""
        return data

    @classmethod
    def for_plan(cls, plan, **kwargs) -> PlanForm:
        initial = {
            "city": plan.city_id,
            "occupation": plan.occupation_id,
            "work_type": plan.work_type,
            "level": plan.level,
            "first_day": plan.first_day,
            "last_day": plan.last_day,
            "venue": plan.venue,
            "venue_address": plan.venue_address,
            "expected_candidates": plan.expected_candidates,
            "examiners": plan.examiners,
            "supervisor": plan.supervisor,
            "fee": plan.fee,
            "notes": plan.notes,
        }
        return cls(initial=initial, entry=plan.entry, **kwargs)


class PlanChangeForm(forms.Form):
    """What an announced plan may still change before its first exam day: its venue and its examiners (of the
    plan's occupation, from the filed roster)."""

    venue = forms.CharField(label=_("Venue"), max_length=100, required=False)
    venue_address = forms.CharField(label=_("Venue address"), max_length=200, required=False)
    examiners = forms.MultipleChoiceField(
        label=_("Examiners (at least 3, of this occupation)"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, plan, **kwargs):
        if not args or args[0] is None:
            kwargs.setdefault(
                "initial", {"venue": plan.venue, "venue_address": plan.venue_address, "examiners": plan.examiners}
            )
        super().__init__(*args, **kwargs)
        names = plan_roster(plan.entry)["examiners"].get(plan.occupation.name, [])
        # A name of the plan no longer on the roster stays visible (and is refused if kept).
        names = list(dict.fromkeys([*names, *plan.examiners]))
        self.fields["examiners"].choices = [(name, name) for name in names]


class EvaluationSearchForm(forms.Form):
    """The public list of announced evaluations: every filter optional."""

    city = CityChoiceField(
        label=_("City name"),
        queryset=Region.objects.filter(level=Region.Level.CITY).order_by("code"),
        required=False,
        empty_label=_("All"),
    )
    occupation = forms.ModelChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.order_by("code"), required=False, empty_label=_("All")
    )
    level = forms.TypedChoiceField(
        label=_("Level"), choices=[("", _("All")), *Level.choices], coerce=int, empty_value=None, required=False
    )
    # One agency's evaluations, from its directory page ("its announced evaluations").
    entry = forms.ModelChoiceField(queryset=DirectoryEntry.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from supervision.models import Plan

        super().__init__(*args, **kwargs)
        # The cities of the provinces whose evaluations are announced here, not every city of the country (the
        # filter offered Jiangsu's to a Guangxi and Shaanxi portal): those with an announced plan or a filed agency
        # (Shaanxi's cities were missing while its filed agencies had announced nothing yet).
        filed = DirectoryEntry.objects.filter(status=DirectoryEntry.Status.ACTIVE).values_list(
            "region__path", flat=True
        )
        codes = {path[:6] for path in filed.distinct() if path}
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).filter(
            Q(code__in=Plan.objects.filter(status=Plan.Status.ANNOUNCED).values("city__parent__code"))
            | Q(code__in=codes)
        )
        self.fields["city"].queryset = Region.objects.filter(level=Region.Level.CITY, parent__in=provinces).order_by(
            "code"
        )


# ---------------------------------------------------------------- sanctions


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sanction"), choices=())
    facts = forms.CharField(label=_("Facts found"), widget=forms.Textarea(attrs={"rows": 4}))
    # Left empty: the clause depends on the measure and on the document the agency was filed under, and a clause
    # filled in beforehand (the pilot notice's removal clause) was signed under warnings it does not cover.
    basis = forms.CharField(
        label=_("Basis (quote the clause: document, article, text)"),
        help_text=_(
            "Three parts: the name of the document the agency was filed under, between book-title marks; the "
            "number of the clause that fits this measure; the clause's text as written. A removal of a pilot "
            "agency, for example, rests on clause 4(1) of the 2020 pilot notice."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Each date belongs to one measure, named on its field (``data-measure``): the page's script (sanction-form.js)
    # shows it for that measure only; without script both show, their help says which measure, and the service
    # refuses a date given for another measure beside its field.
    rectify_by = forms.DateField(
        label=_("Rectify by"),
        help_text=_("Only for an order to rectify."),
        required=False,
        widget=DateInput(attrs={"data-measure": "rectification"}),
    )
    until = forms.DateField(
        label=_("Last day of the suspension"),
        help_text=_("Only for a suspension."),
        required=False,
        widget=DateInput(attrs={"data-measure": "suspension"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["kind"].widget.attrs["data-measure-choice"] = ""


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the suspension is lifted (the rectification verified)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


# ---------------------------------------------------------------- complaints


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DirectoryEntry) -> str:
        return f"{obj.organisation.name}（{obj.region.name}）"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.first_day:%Y-%m-%d} · {obj.occupation.name} · {obj.city.name} · {obj.venue}"


class ComplaintForm(forms.Form):
    """The public complaint form; the rules (contact, dates, files) are ``complaint_submit``'s."""

    entry = EntryChoiceField(
        label=_("Agency (from the directory)"),
        queryset=DirectoryEntry.objects.none(),
        empty_label=_("Choose…"),
        required=False,
    )
    plan = PlanChoiceField(
        label=_("Evaluation (if the complaint is about one)"),
        queryset=None,
        required=False,
        empty_label=_("— the agency in general —"),
    )
    happened_on = forms.DateField(label=_("When it happened"), widget=DateInput, required=False)
    content = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous (no name; a contact is still welcome for questions)"), required=False
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    contact = forms.CharField(label=_("Mobile number, landline or e-mail address"), max_length=100, required=False)

    def __init__(self, *args, entries, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["plan"].queryset = plans


class ComplaintStepForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("upheld", _("Complaint upheld")), ("not_upheld", _("Complaint not upheld"))],
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "type": "search",
                "placeholder": _("Number, agency or words of the complaint"),
            }
        ),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    overdue = forms.BooleanField(
        label=_("Overdue only"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, **kwargs):
        from supervision.models import Complaint

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *Complaint.Status.choices]


# ---------------------------------------------------------------- inspections


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    requirement = forms.CharField(
        label=_("Rectification required (leave empty for a finding without an order)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    workdays = forms.IntegerField(label=_("Working days to rectify"), required=False, min_value=0, max_value=999)


class CompleteForm(forms.Form):
    rating = forms.ChoiceField(label=_("Rating"), required=False, widget=forms.RadioSelect, choices=())
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        from supervision.models import Inspection

        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = Inspection.Rating.choices


class RectificationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What was rectified, and how"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class SanctionReportForm(forms.Form):
    """The agency's rectification report on an order to rectify; its PDF is read from the request's files."""

    text = forms.CharField(
        label=_("What was rectified, and how"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RectificationDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


# ---------------------------------------------------------------- random inspection draws


class DrawForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    city = CityChoiceField(
        label=_("City (empty: the whole jurisdiction)"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— all —"),
    )
    occupation = forms.ModelChoiceField(
        label=_("Occupation (empty: any)"), queryset=Occupation.objects.none(), required=False, empty_label=_("— all —")
    )
    status = forms.ChoiceField(label=_("Directory status"), required=False, choices=())
    period_from = forms.DateField(label=_("Evaluations announced from"), required=False, widget=DateInput)
    period_to = forms.DateField(label=pgettext_lazy("date range", "to"), required=False, widget=DateInput)
    n = forms.IntegerField(label=_("Agencies to draw (N)"), required=False, min_value=0, max_value=9999)
    m = forms.IntegerField(label=_("Inspectors per agency (M)"), required=False, min_value=0, max_value=99)
    seed_source = forms.CharField(
        label=_("Public source of the seed, fixed now (e.g. the 福彩3D numbers of a named day)"),
        max_length=300,
        required=False,
    )
    seed_published_on = forms.DateField(label=_("The source publishes its value on"), widget=DateInput)

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = Region.objects.filter(
            level=Region.Level.CITY, path__startswith=region.path
        ).order_by("code")
        # The occupations some directory entry is approved for: a semi-join (EXISTS) stopping at the first entry,
        # not a DISTINCT over every approval (15,000 at province scale, 30-40 ms, issue 16).
        approved = DirectoryOccupation.objects.filter(occupation=OuterRef("pk"))
        self.fields["occupation"].queryset = Occupation.objects.filter(Exists(approved)).order_by("code")
        self.fields["status"].choices = [
            ("active", _("Active")),
            ("suspended", _("Suspended")),
            ("", _("Active or suspended")),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if bool(start) != bool(end):
            self.add_error("period_to", _("Give both ends of the period, or neither."))
        elif start and end and end < start:
            self.add_error("period_to", _("The end of the period is before its start."))
        return data


class DrawRunForm(forms.Form):
    seed_value = forms.CharField(label=_("The value the seed source produced"), max_length=300, required=False)
