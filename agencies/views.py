"""Agencies' pages: organisations and their registration, calls for applications, and the public directory.

The directory's search form lives here rather than in ``agencies.forms`` because it is not an edit form: the
page and the JSON API both read their query parameters through it, so both accept and refuse the same values
with the same messages.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import services
from agencies.forms import MATERIAL_CONDITIONS, CallVersionForm, RegistrationForm, RegistrationResendForm
from agencies.links import call_links, organisation_links
from agencies.loaders import call_for, directory_entry_for, organisation_for, public_call_for
from agencies.models import DirectoryEntry, DirectoryStatusChange, Level, Occupation, Scope, scope_label
from agencies.selectors import (
    CallStatus,
    SearchWords,
    call_managed_by,
    call_status,
    calls_public,
    calls_visible_to,
    county_surroundings,
    directory_search,
    organisations_pending_code,
    organisations_visible_to,
    province_of,
    search_words,
)
from portal.lib import ratelimit
from portal.lib.access import public, roles
from portal.lib.errors import add_to_form, refusal
from portal.lib.excel import xlsx_response
from portal.lib.http import client_ip
from portal.lib.publiccache import cached_page
from portal.models import Region, Role


@roles(Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
def organisation_list(request):
    organisations = organisations_visible_to(request.user)
    pending_count = organisations_pending_code(request.user).count()
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(uscc__icontains=query))
    pending = request.GET.get("pending") == "1"
    if pending:
        organisations = organisations & organisations_pending_code(request.user)
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    params = {key: value for key, value in (("q", query), ("pending", "1" if pending else "")) if value}
    context = {
        "page": page,
        "search": query,
        "pending": pending,
        "pending_count": pending_count,
        "query": urlencode(params),
    }
    return render(request, "agencies/organisation_list.html", context)


@roles(Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
def organisation_detail(request, pk: int):
    organisation = organisation_for(request, pk)
    context = {"organisation": organisation, "links": organisation_links(request.user, organisation)}
    return render(request, "agencies/organisation_detail.html", context)


@roles(Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
def call_list(request):
    """The centre sees every call of its province with its latest version, drafts included; the others see
    the published calls that concern them, as published."""
    today = timezone.localdate()
    manager = request.user.role in (Role.CENTRE, Role.ADMIN)
    rows = []
    for call in calls_visible_to(request.user):
        version = call.latest_version if manager else call.current_version
        rows.append(
            {
                "call": call,
                "version": version,
                "status": call_status(call, today),
                "pending_draft": bool(manager and version.published_at is None and call.current_version),
            }
        )
    rows.sort(key=lambda row: (row["status"] != CallStatus.OPEN, -row["version"].opens_on.toordinal()))
    return render(request, "agencies/call_list.html", {"rows": rows, "can_create": request.user.role == Role.CENTRE})


@public
def call_detail(request, pk: int):
    """A version of a call (the current one unless ``?version=N``) and its history. Drafts are shown to the
    centre that manages the call only. Someone not signed in is sent to the call's public page (a link to a call
    is passed around: it should open for anyone), not to the sign-in."""
    if not request.user.is_authenticated:
        return redirect("public_calls:detail", pk)
    call = call_for(request, pk)
    manager = request.user.role in (Role.CENTRE, Role.ADMIN)
    versions = [v for v in sorted(call.versions.all(), key=lambda v: -v.number) if manager or v.published_at]
    if not versions:
        raise Http404
    requested = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == requested), None)
    if version is None:
        version = call.current_version or versions[0]
    latest = versions[0]
    context = {
        **_version_facts(call, version),
        "versions": versions,
        "can_manage": call_managed_by(request.user, call),
        "draft": latest if latest.published_at is None else None,
        "links": call_links(request.user, call),
    }
    return render(request, "agencies/call_detail.html", context)


def _version_facts(call, version) -> dict:
    """What a call's version says, as its pages show it: offerings with their occupations' names, materials with
    when each is due, scopes, the status today."""
    occupations = Occupation.objects.in_bulk([o["occupation"] for o in version.offerings], field_name="code")
    offerings = [
        {
            "occupation": occupations.get(offering["occupation"]),
            "code": offering["occupation"],
            "levels": [Level(level).label for level in sorted(offering["levels"], reverse=True)],
        }
        for offering in version.offerings
    ]
    conditions = dict(MATERIAL_CONDITIONS)
    materials = [{**m, "when_label": conditions.get(m.get("when", ""), m.get("when"))} for m in version.materials]
    return {
        "call": call,
        "version": version,
        "status": call_status(call, timezone.localdate()),
        "offerings": offerings,
        "materials": materials,
        "scopes": [scope_label(scope, call.province.code) for scope in version.scopes if scope in Scope.values],
    }


@public
def public_call_list(request):
    """The published calls for anyone: open ones first, then those not yet open, then the closed, each at its
    current version."""
    today = timezone.localdate()
    order = {CallStatus.OPEN: 0, CallStatus.UPCOMING: 1, CallStatus.CLOSED: 2}
    rows = [
        {"call": call, "version": call.current_version, "status": call_status(call, today)} for call in calls_public()
    ]
    rows.sort(key=lambda row: (order.get(row["status"], 3), row["version"].closes_on, row["call"].pk))
    return render(request, "agencies/public/call_list.html", {"rows": rows})


@public
def public_call_detail(request, pk: int):
    """A call's current version as published: what it offers, the conditions, the materials; nothing internal
    (no drafts, no history of versions, no workflow or code, no links to the selection)."""
    call = public_call_for(pk)
    return render(request, "agencies/public/call_detail.html", _version_facts(call, call.current_version))


@roles(Role.CENTRE)
def call_create(request):
    province = request.user.jurisdiction
    form = CallVersionForm(request.POST or None, creating=True, province_code=province.code if province else "")
    if request.method == "POST" and form.is_valid():
        call = services.call_create(
            by=request.user, province=province, code=form.cleaned_data["code"], **form.version_fields()
        )
        messages.success(request, _("The call was saved as a draft. Publish it when it is ready."))
        return redirect("agencies:call_detail", pk=call.pk)
    return render(request, "agencies/call_form.html", {"form": form, "province": province})


@roles(Role.CENTRE)
def call_edit(request, pk: int):
    """Edit the draft, or start the next version from the published one (which stays as it is)."""
    call = call_for(request, pk)
    latest = call.latest_version
    if request.method == "POST":
        form = CallVersionForm(request.POST, province_code=call.province.code)
        if form.is_valid():
            version = services.call_version_save(call=call, by=request.user, **form.version_fields())
            messages.success(
                request,
                _("Version %(number)s was saved as a draft. Publish it when it is ready.") % {"number": version.number},
            )
            return redirect(f"{reverse('agencies:call_detail', args=[call.pk])}?version={version.number}")
    else:
        form = CallVersionForm.for_version(latest, province_code=call.province.code)
    context = {"form": form, "call": call, "latest": latest, "province": call.province}
    return render(request, "agencies/call_form.html", context)


@roles(Role.CENTRE)
@require_POST
def call_publish(request, pk: int):
    call = call_for(request, pk)
    with refusal(request, errors_as_message=True) as refused:
        version = services.call_publish(call=call, by=request.user)
    if not refused:
        messages.success(
            request,
            _("Version %(number)s is published; applicants now see it.") % {"number": version.number},
        )
    return redirect("agencies:call_detail", pk=call.pk)


# Registration (public) and the city bureau's confirmation of a code that fails the check character.

_REGISTRATION_FIELDS = (
    "name",
    "uscc",
    "region",
    "nature",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
    "email",
    "username",
    "full_name",
)


# Registrations and verification e-mails per client address: enough for an office, too few for a flood.
REGISTER_LIMITS = (ratelimit.Limit(5, 60 * 60),)
RESEND_LIMITS = (ratelimit.Limit(3, 10 * 60), ratelimit.Limit(10, 24 * 60 * 60))


@public
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        limit = ratelimit.exceeded("register", client_ip(request), REGISTER_LIMITS)
        if limit:
            return ratelimit.too_many_response(request, limit)
    if request.method == "POST" and form.is_valid():
        ratelimit.hit("register", client_ip(request), REGISTER_LIMITS)
        data = form.cleaned_data
        with refusal(request) as refused:
            user = services.organisation_register(
                **{name: data[name] for name in _REGISTRATION_FIELDS},
                password=data["password1"],
                request=request,
            )
        # Taken between the form's checks and the save: shown beside the field it concerns.
        add_to_form(form, refused.errors)
        if not refused:
            context = {"email": user.email, "flagged": user.organisation.uscc_needs_confirmation}
            return render(request, "agencies/registration_sent.html", context)
    return render(request, "agencies/registration_form.html", {"form": form})


@public
def registration_verify(request, token: str):
    with refusal(request, errors_as_message=True, queue_message=False) as refused:
        account = services.registration_verify(token=token)
    if refused:
        context = {"message": refused.message, "form": RegistrationResendForm()}
        return render(request, "agencies/registration_link_invalid.html", context, status=400)
    return render(request, "agencies/registration_verified.html", {"account": account})


@public
def registration_resend(request):
    """A new verification link; the answer is the same whether or not the address is registered."""
    form = RegistrationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data["email"].lower()
        limit = ratelimit.exceeded("resend", client_ip(request), RESEND_LIMITS) or ratelimit.exceeded(
            "resend-address", address, RESEND_LIMITS
        )
        if limit:
            return ratelimit.too_many_response(request, limit)
        ratelimit.hit("resend", client_ip(request), RESEND_LIMITS)
        ratelimit.hit("resend-address", address, RESEND_LIMITS)
        services.registration_link_resend(email=form.cleaned_data["email"], request=request)
        context = {"email": form.cleaned_data["email"], "resent": True}
        return render(request, "agencies/registration_sent.html", context)
    return render(request, "agencies/registration_resend.html", {"form": form})


@roles(Role.CITY_HR)
@require_POST
def organisation_confirm_uscc(request, pk: int):
    organisation = organisation_for(request, pk)
    with refusal(request, errors_as_message=True) as refused:
        services.organisation_confirm_uscc(organisation=organisation, by=request.user, request=request)
    if not refused:
        messages.success(
            request,
            _("The unified social credit code %(uscc)s of %(name)s is confirmed.")
            % {"uscc": organisation.uscc, "name": organisation.name},
        )
    return redirect("agencies:organisation_detail", pk=organisation.pk)


# ---------------------------------------------------------------- the public directory (目录)

PAGE_SIZE = 25
ALL = "all"


class DirectorySearchForm(forms.Form):
    """The directory's filters. Every field is optional; an empty status means active agencies only."""

    q = forms.CharField(label=gettext_lazy("Name, institution code or credit code"), max_length=100, required=False)
    city = forms.CharField(label=gettext_lazy("Region"), max_length=6, required=False)
    occupation = forms.CharField(label=gettext_lazy("Occupation"), max_length=20, required=False)
    level = forms.TypedChoiceField(
        label=gettext_lazy("Level"), choices=[("", ""), *Level.choices], coerce=int, empty_value=None, required=False
    )
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=[("", ""), *Scope.choices], required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", ""), *DirectoryEntry.Status.choices, (ALL, gettext_lazy("All"))],
        required=False,
    )

    def clean_city(self) -> Region | None:
        code = self.cleaned_data["city"]
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise ValidationError(
                gettext_lazy("No region has the code %(code)s."), code="unknown", params={"code": code}
            )
        return region

    def clean_occupation(self) -> Occupation | None:
        code = self.cleaned_data["occupation"]
        if not code:
            return None
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            raise ValidationError(
                gettext_lazy("No occupation has the code %(code)s."), code="unknown", params={"code": code}
            )
        return occupation

    def __init__(self, *args, read_words: bool = True, **kwargs):
        """``read_words``: the page's search box (words naming a region, an occupation or a level are filters); the API
        passes False: its ``q`` is a name search, as its schema says, beside parameters given explicitly."""
        super().__init__(*args, **kwargs)
        self.read_words = read_words
        self.words = SearchWords()

    def clean(self) -> dict:
        """A word of the search box naming a region, an occupation or a level is that filter, over the dropdown's choice
        (the page shows the word in the dropdown, so a word typed after it is the latest wish); the other words
        are looked for in names (``search_words``)."""
        cleaned = super().clean()
        if not self.read_words:
            return cleaned
        self.words = search_words(cleaned.get("q") or "")
        if self.words.city is not None:
            cleaned["city"] = self.words.city
        if self.words.occupation is not None:
            cleaned["occupation"] = self.words.occupation
        if self.words.level is not None:
            cleaned["level"] = self.words.level
        cleaned["q"] = self.words.names
        return cleaned

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


def region_options(chosen: Region | None = None) -> list[dict]:
    """The regions of the search form by province, each city indented under its province: only those where the
    directory has an agency (whatever its status), so that no choice leads to an empty list — and the region
    chosen, which a word of the search box may name without any agency in it (“桂林”)."""
    # order_by(): the entries' default ordering (by name) would make DISTINCT run over every entry.
    paths = set(DirectoryEntry.objects.order_by().values_list("region__path", flat=True).distinct())
    if chosen is not None:
        paths.add(chosen.path)
    codes = {code for path in paths for code in path.split("/") if code}
    groups: list[dict] = []
    for region in Region.objects.filter(code__in=codes).order_by("path"):
        depth = region.path.count("/") - 1
        if depth == 0 or not groups:
            groups.append({"label": region.name, "options": []})
        groups[-1]["options"].append((region.code, "\u3000" * depth + region.name))
    return groups


WORD_FILTER_LABELS = {
    Region.Level.PROVINCE: gettext_lazy("province “%(name)s”"),
    Region.Level.CITY: gettext_lazy("city “%(name)s”"),
    Region.Level.COUNTY: gettext_lazy("district or county “%(name)s”"),
}


def words_applied(query, form: DirectorySearchForm) -> dict | None:
    """The filters the search box's words were read as, for the line under the form: its sentence ("已按城市
    “南宁市”、职业“保安员”、等级“三级/高级工”筛选"), a link removing each filter (with its words, the other
    filters kept), and one looking for those words in the names instead (quoted: ``search_words`` takes no quoted
    word as a filter)."""
    words = form.words
    if not words.recognised:
        return None
    city, occupation, level = (form.cleaned_data[name] for name in ("city", "occupation", "level"))
    kept = {
        "city": city.code if city else "",
        "occupation": occupation.code if occupation else "",
        "level": str(level) if level else "",
    }

    def link(**params: str) -> str:
        changed = query.copy()
        for key, value in params.items():
            if value:
                changed[key] = value
            else:
                changed.pop(key, None)
        return changed.urlencode()

    rest = " ".join(words.rest)
    filters = []
    if words.city is not None:
        filters.append(
            {
                "label": WORD_FILTER_LABELS[words.city.level] % {"name": words.city.name},
                "name": words.city.name,
                "remove": link(q=rest, **(kept | {"city": ""})),
            }
        )
    if words.occupation is not None:
        filters.append(
            {
                "label": _("occupation “%(name)s”") % {"name": words.occupation.name},
                "name": words.occupation.name,
                "remove": link(q=rest, **(kept | {"occupation": ""})),
            }
        )
    if words.level is not None:
        label = Level(words.level).label
        filters.append(
            {
                "label": _("level “%(name)s”") % {"name": label},
                "name": label,
                "remove": link(q=rest, **(kept | {"level": ""})),
            }
        )
    taken = {*words.city_words, *words.occupation_words, *words.level_words}
    typed = query.get("q", "").split()
    separator = "、" if (get_language() or "zh-hans").startswith("zh") else ", "
    sentence = _("Filtered by %(filters)s") % {"filters": separator.join(f["label"] for f in filters)}
    names = None
    if words.names:
        # The words left over are a condition too (first-day tester: “西安 保卫” said only 已按城市“西安市”筛选 and
        # found nothing, the names having to contain 保卫 as well).
        quoted = separator.join(f"“{word}”" for word in words.names.split())
        sentence = _("%(filters)s, and the agency's name contains %(words)s") % {"filters": sentence, "words": quoted}
        names = {"name": _("Name contains %(words)s") % {"words": quoted}, "remove": link(q="", **kept)}
    return {
        "sentence": sentence,
        "filters": filters,
        "names": names,
        "words": separator.join(f"“{word}”" for word in typed if word in taken),
        "in_names": link(
            q=" ".join(f'"{word}"' if word in taken else word for word in typed),
            city="" if words.city is not None else query.get("city", ""),
            occupation="" if words.occupation is not None else query.get("occupation", ""),
            level="" if words.level is not None else query.get("level", ""),
        ),
    }


def region_reach(region: Region | None) -> str | None:
    """For a region chosen, what the list takes in beside the agencies based there: a visitor seeing an agency of
    another district or city learns why (its filing covers the region)."""
    if region is None:
        return None
    if region.level == Region.Level.PROVINCE:
        return _("Listed: the agencies based in %(region)s, and those filed nationwide.") % {"region": region.name}
    if region.level == Region.Level.COUNTY:
        city, province = county_surroundings(region)
        return _(
            "Listed: the agencies based in %(district)s, and those whose filing covers it — city-wide in %(city)s, "
            "across %(province)s (%(whole)s), or nationwide."
        ) % {
            "district": region.name,
            "city": city.name if city else "—",
            "whole": scope_label(Scope.REGION, province.code if province else ""),
            "province": province.name if province else "—",
        }
    province = province_of(region)
    return _(
        "Listed: the agencies based in %(city)s, and those whose filing covers it — across %(province)s "
        "(%(whole)s), or nationwide."
    ) % {
        "city": region.name,
        "whole": scope_label(Scope.REGION, province.code if province else ""),
        "province": province.name if province else "—",
    }


@public
def directory_export(request):
    """The directory under the same search as the page, every entry, as an Excel file (public, like the page)."""
    form = DirectorySearchForm(request.GET)
    entries = directory_search(**form.filters()) if form.is_valid() else DirectoryEntry.objects.none()
    entries = entries.select_related("organisation", "region")

    def occupations_text(entry: DirectoryEntry) -> str:
        return "；".join(
            f"{group['occupation'].name}（{'、'.join(str(level['label']) for level in group['levels'])}）"
            for group in approvals(entry)
        )

    return xlsx_response(
        filename=f"directory-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Directory of filed agencies"),
        header=[
            _("Organisation"),
            _("Institution code"),
            _("City"),
            _("Scope"),
            _("Occupations and levels"),
            _("Status"),
            _("Filed on"),
            _("Address"),
            _("Telephone"),
        ],
        rows=(
            (
                entry.organisation.name,
                entry.institution_code,
                entry.region.name,
                entry.get_scope_display(),
                occupations_text(entry),
                entry.get_status_display(),
                entry.filed_on.isoformat(),
                entry.organisation.address,
                entry.organisation.contact_phone,
            )
            for entry in entries
        ),
    )


def verify_url() -> str:
    """The public receipt verification page, built beside the directory at the fixed path /verify/."""
    try:
        return reverse("public:receipt_lookup")
    except NoReverseMatch:
        return "/verify/"


@public
@cached_page("directory")
def directory(request):
    form = DirectorySearchForm(request.GET)
    valid = form.is_valid()
    entries = directory_search(**form.filters()) if valid else DirectoryEntry.objects.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    hidden = 0
    if valid and form.cleaned_data["q"].strip() and not form.cleaned_data["status"]:
        # The default shows active agencies only: say when a suspended or removed one matches the words too.
        hidden = directory_search(**(form.filters() | {"status": ALL})).count() - page.paginator.count
    for entry in page:
        entry.approvals = approvals(entry)
    query = request.GET.copy()
    query.pop("page", None)
    with_all = query.copy()
    with_all["status"] = ALL
    city = form.cleaned_data["city"] if valid else None
    occupation = form.cleaned_data["occupation"] if valid else None
    level = form.cleaned_data["level"] if valid else None
    context = {
        "form": form,
        # What the form shows: the dropdowns as searched (a region or occupation the box's words named), the box
        # with the words looked for in names.
        "chosen_city": city.code if city else form.data.get("city", ""),
        "chosen_occupation": occupation.code if occupation else form.data.get("occupation", ""),
        "chosen_level": str(level) if level else form.data.get("level", ""),
        "region_reach": region_reach(city),
        "search_text": " ".join(form.words.rest) if valid else form.data.get("q", ""),
        "words_applied": words_applied(query, form) if valid else None,
        "page": page,
        "query_all_statuses": with_all.urlencode(),
        "query": query.urlencode(),
        "regions": region_options(city),
        "occupations": Occupation.objects.order_by("code"),
        "levels": Level.choices,
        "scopes": Scope.choices,
        "statuses": DirectoryEntry.Status.choices,
        "showing_all": valid and form.cleaned_data["status"] == ALL,
        "hidden": hidden,
    }
    return render(request, "agencies/directory.html", context, status=200 if valid else 400)


@public
@cached_page("directory")
def directory_entry(request, pk: int):
    entry = directory_entry_for(pk)
    context = {
        "entry": entry,
        "approvals": approvals(entry),
        "history": status_history(entry),
        "verify_url": verify_url(),
        # An official signed in (never cached: the public cache serves visitors without a session only) finds the
        # way to the agency's supervision file from its directory entry too.
        "links": organisation_links(request.user, entry.organisation),
    }
    return render(request, "agencies/directory_entry.html", context)
