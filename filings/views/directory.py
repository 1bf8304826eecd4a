"""The public directory (目录) of filed agencies: the search page and one agency's page, for anyone.

The search form lives here rather than in ``filings.forms`` because it is not an edit form: the page and the
JSON API (``filings.api``) both read their query parameters through it, so both accept and refuse the same
values with the same messages.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Level, Occupation, Scope
from filings.models import DirectoryEntry, DirectoryStatusChange
from filings.selectors import directory_entry_public, directory_search
from portal.lib.access import public
from portal.models import Region

PAGE_SIZE = 25
ALL = "all"


class DirectorySearchForm(forms.Form):
    """The directory's filters. Every field is optional; an empty status means active agencies only."""

    q = forms.CharField(label=_("Name, institution code or credit code"), max_length=100, required=False)
    city = forms.CharField(label=_("Region"), max_length=6, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=20, required=False)
    level = forms.TypedChoiceField(
        label=_("Level"), choices=[("", ""), *Level.choices], coerce=int, empty_value=None, required=False
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=[("", ""), *Scope.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", ""), *DirectoryEntry.Status.choices, (ALL, _("All"))], required=False
    )

    def clean_city(self) -> Region | None:
        code = self.cleaned_data["city"]
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(_("No region has the code %(code)s."), code="unknown", params={"code": code})
        return region

    def clean_occupation(self) -> Occupation | None:
        code = self.cleaned_data["occupation"]
        if not code:
            return None
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            raise ValidationError(_("No occupation has the code %(code)s."), code="unknown", params={"code": code})
        return occupation

    def filters(self) -> dict:
        """The keyword arguments of ``directory_search`` (call after ``is_valid``)."""
        return {name: self.cleaned_data[name] for name in ("city", "occupation", "level", "scope", "status", "q")}


def approvals(entry: DirectoryEntry) -> list[dict]:
    """The entry's approved occupations, each with its levels (from the prefetched rows, lowest level first)."""
    grouped: dict[int, dict] = {}
    for row in entry.occupations.all():
        group = grouped.setdefault(row.occupation_id, {"occupation": row.occupation, "levels": []})
        group["levels"].append({"level": row.level, "label": Level(row.level).label})
    return list(grouped.values())


def status_history(entry: DirectoryEntry) -> list[DirectoryStatusChange]:
    """The entry's status changes, oldest first; an entry filed without any is active since its filing."""
    return list(entry.history.all()) or [
        DirectoryStatusChange(entry=entry, status=DirectoryEntry.Status.ACTIVE, changed_on=entry.filed_on)
    ]


def region_options() -> list[dict]:
    """The regions of the search form by province, each city (and county) indented under its province."""
    groups: list[dict] = []
    for region in Region.objects.order_by("path"):
        depth = region.path.count("/") - 1
        if depth == 0 or not groups:
            groups.append({"label": region.name, "options": []})
        groups[-1]["options"].append((region.code, "\u3000" * depth + region.name))
    return groups


def verify_url() -> str:
    """The public receipt verification page, built beside the directory at the fixed path /verify/."""
    try:
        return reverse("public:receipt_lookup")
    except NoReverseMatch:
        return "/verify/"


@public
def directory(request):
    form = DirectorySearchForm(request.GET)
    valid = form.is_valid()
    entries = directory_search(**form.filters()) if valid else DirectoryEntry.objects.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.approvals = approvals(entry)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "regions": region_options(),
        "occupations": Occupation.objects.order_by("code"),
        "levels": Level.choices,
        "scopes": Scope.choices,
        "statuses": DirectoryEntry.Status.choices,
        "showing_all": valid and form.cleaned_data["status"] == ALL,
    }
    return render(request, "filings/directory.html", context, status=200 if valid else 400)


@public
def directory_entry(request, pk: int):
    entry = directory_entry_public(pk)
    if entry is None:
        raise Http404
    context = {
        "entry": entry,
        "approvals": approvals(entry),
        "history": status_history(entry),
        "verify_url": verify_url(),
    }
    return render(request, "filings/directory_entry.html", context)
