"""Scoped reads of agencies: the one place that decides which organisations and calls a user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import (
    Call,
    CallVersion,
    DirectoryEntry,
    DirectoryOccupation,
    DirectoryStatusChange,
    Occupation,
    Organisation,
    Scope,
)
from portal.lib.provinces import FILING_PROVINCES
from portal.models import Region, Role, User


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """An agency user sees their own organisation; an official, those registered in their jurisdiction;
    an admin, all; anyone else, none."""
    organisations = Organisation.objects.select_related("region")
    if not user.is_authenticated:
        return organisations.none()
    if user.role == Role.ADMIN:
        return organisations
    if user.role == Role.AGENCY:
        return organisations.filter(pk=user.organisation_id)
    if user.jurisdiction is not None:
        return organisations.filter(region__path__startswith=user.jurisdiction.path)
    return organisations.none()


def organisations_pending_code(user: User) -> QuerySet[Organisation]:
    """The organisations of the user's jurisdiction whose credit code awaits the city bureau's confirmation (it
    fails the check character): the one definition of 待确认代码 for the home's link and the list's filter."""
    return organisations_visible_to(user).filter(uscc_needs_confirmation=True)


def occupations_active() -> QuerySet[Occupation]:
    return Occupation.objects.filter(active=True)


def _ancestor_paths(path: str) -> list[str]:
    """The materialised paths of a region and of every region above it ("450000/450100/" → both)."""
    codes = [code for code in path.split("/") if code]
    return ["".join(f"{code}/" for code in codes[: i + 1]) for i in range(len(codes))]


def calls_visible_to(user: User) -> QuerySet[Call]:
    """The centre sees every call of its province, drafts included; an administrator, all calls. An agency
    sees the published calls of the province its organisation is registered in; other officials, the
    published calls of the province of their jurisdiction; anyone else, none."""
    calls = Call.objects.select_related("province").prefetch_related("versions__profile")
    if not user.is_authenticated:
        return calls.none()
    if user.role == Role.ADMIN:
        return calls
    if user.role == Role.AGENCY:
        region = user.organisation.region if user.organisation_id else None
    else:
        region = user.jurisdiction
    if region is None:
        return calls.none()
    calls = calls.filter(province__path__in=_ancestor_paths(region.path))
    if user.role == Role.CENTRE:
        return calls
    if user.role in (Role.AGENCY, Role.CITY_HR, Role.POLICE):
        published = CallVersion.objects.filter(call=OuterRef("pk"), published_at__isnull=False)
        return calls.filter(Exists(published))
    return calls.none()


def calls_public() -> QuerySet[Call]:
    """The published calls, for anyone (a call for applications is a public document): each read at its current
    version, the latest published; drafts never."""
    published = CallVersion.objects.filter(call=OuterRef("pk"), published_at__isnull=False)
    return Call.objects.filter(Exists(published)).select_related("province").prefetch_related("versions")


def call_managed_by(user: User, call: Call) -> bool:
    """Whether the user may edit and publish the call (the centre of its province; the views also gate)."""
    return user.role == Role.CENTRE and calls_visible_to(user).filter(pk=call.pk).exists()


def open_calls_for(organisation: Organisation, today: dt.date) -> list[Call]:
    """The calls an organisation may apply to today: the current (latest published) version is open and the
    call's province contains the organisation's region. Ordered by closing date, soonest first."""
    calls = (
        Call.objects.filter(province__path__in=_ancestor_paths(organisation.region.path))
        .filter(
            Exists(
                CallVersion.objects.filter(
                    call=OuterRef("pk"), published_at__isnull=False, opens_on__lte=today, closes_on__gte=today
                )
            )
        )
        .select_related("province")
        .prefetch_related("versions")
    )
    open_calls = [call for call in calls if call.current_version.is_open(today)]
    return sorted(open_calls, key=lambda call: call.current_version.closes_on)


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not yet open")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed for applications")


def call_status(call: Call, today: dt.date) -> CallStatus:
    """The status applicants see: from the current (latest published) version; a call never published is a
    draft."""
    version = call.current_version
    if version is None:
        return CallStatus.DRAFT
    if today < version.opens_on:
        return CallStatus.UPCOMING
    if today > version.closes_on:
        return CallStatus.CLOSED
    return CallStatus.OPEN


# ---------------------------------------------------------------- the public directory (目录)


def approved_occupations() -> Prefetch:
    return Prefetch(
        "occupations",
        queryset=DirectoryOccupation.objects.select_related("occupation").order_by("occupation__code", "-level"),
    )


def directory_search(
    *,
    city: Region | str | None = None,
    occupation: Occupation | str | None = None,
    level: int | None = None,
    scope: str | None = None,
    status: str | None = None,
    q: str = "",
) -> QuerySet[DirectoryEntry]:
    """The public directory (目录), for anyone. ``city`` is a region or its code: it lists the agencies based in it
    (a city, its counties included) and those whose filing covers it (``_reaching``) — for a district or county,
    city-wide in its city, province-wide in its province, nationwide; for a city, province-wide in its province,
    nationwide; for a province, nationwide;
    ``occupation`` (or its code) and ``level`` are one approval when both are given;
    ``status`` None means active agencies only and "all" every status, a removed agency staying listed as removed;
    ``q`` matches part of the name or of the institution code, or the whole credit code; of several words
    (“柳州 神盾”) each must match, in the name, the institution code or the name of the agency's region.

    Rows come with their organisation, region and approved occupations, so a page costs the same number of
    queries whatever its size."""
    entries = DirectoryEntry.objects.select_related("organisation", "region").prefetch_related(approved_occupations())
    if city:
        if not isinstance(city, Region):
            city = Region.objects.filter(code=city).first()
            if city is None:
                return entries.none()
        entries = entries.filter(_reaching(city))
    if occupation or level:
        # EXISTS rather than a join: an agency approved at several levels of the occupation is listed once.
        approved = DirectoryOccupation.objects.filter(entry=OuterRef("pk"))
        if isinstance(occupation, Occupation):
            approved = approved.filter(occupation=occupation)
        elif occupation:
            approved = approved.filter(occupation__code=occupation)
        if level:
            approved = approved.filter(level=level)
        entries = entries.filter(Exists(approved))
    if scope:
        entries = entries.filter(scope=scope)
    if not status:
        entries = entries.filter(status=DirectoryEntry.Status.ACTIVE)
    elif status != "all":
        entries = entries.filter(status=status)
    q = q.strip()
    if q:
        # One table, so that PostgreSQL can OR three index scans (the trigram indexes on the name and the code,
        # the organisation's key for the credit code) instead of scanning every entry.
        words = q.split()
        if len(words) == 1:
            by_uscc = list(Organisation.objects.filter(uscc=q.upper()).values_list("pk", flat=True)[:5])
            entries = entries.filter(
                Q(name__icontains=q) | Q(institution_code__icontains=q) | Q(organisation__in=by_uscc)
            )
        else:
            for word in words[:MAX_SEARCH_WORDS]:
                entries = entries.filter(
                    Q(name__icontains=word) | Q(institution_code__icontains=word) | Q(region__in=_regions_named(word))
                )
    return entries.order_by("region_code", "name", "pk")


def county_surroundings(county: Region) -> tuple[NamedRegion | None, NamedRegion | None]:
    """The city (设区市) and the province a district or county lies in; a county directly under a municipality
    (重庆市巫溪县) has the municipality as both. From the cached list of regions (``search_vocabulary``): no
    query."""
    by_path = {region.path: region for region in search_vocabulary().regions}
    above = [by_path[path] for path in _ancestor_paths(county.path)[:-1] if path in by_path]
    city = next((region for region in reversed(above) if region.level != Region.Level.COUNTY), None)
    province = next((region for region in above if region.level == Region.Level.PROVINCE), None)
    return city, province


def province_of(region: Region) -> NamedRegion | None:
    """The province a city or a county lies in (None for a province itself), from the cached regions."""
    by_path = {named.path: named for named in search_vocabulary().regions}
    above = [by_path[path] for path in _ancestor_paths(region.path)[:-1] if path in by_path]
    return next((named for named in above if named.level == Region.Level.PROVINCE), None)


def _reaching(region: Region) -> Q:
    """The entries a region filter lists: every agency that may evaluate there. A district or county: those
    based in it, or filed city-wide in its city, province-wide in its province, or nationwide (first-day tester:
    青秀区 left out the agencies filed city-wide in 南宁). A city (设区市): those based in it, its counties
    included, or filed province-wide in its province, or nationwide (first-day tester: 柳州市 listed fewer than
    its district 城中区, and 桂林 none, though 广西's province-wide agencies may evaluate there). A province:
    those based in it, or nationwide. A city-wide agency of another city never reaches a city: its filing
    covers its own city only.

    Region keys from the cached regions rather than a join on their paths, so that PostgreSQL ORs index scans:
    the entries' region key, and their (scope, region) index."""
    regions = search_vocabulary().regions

    def under(path: str) -> list[int]:
        return [named.pk for named in regions if named.path.startswith(path)]

    reach = Q(region__in={region.pk, *under(region.path)}) | Q(scope=Scope.NATIONAL)
    if region.level == Region.Level.COUNTY:
        city, province = county_surroundings(region)
        if city is not None:
            reach |= Q(scope=Scope.CITY, region__in=under(city.path))
    else:
        province = province_of(region)
    if province is not None:
        reach |= Q(scope=Scope.REGION, region__in=under(province.path))
    return reach


MAX_SEARCH_WORDS = 5
MAX_REGIONS_NAMED = 50


def _regions_named(word: str) -> list[int]:
    """The regions whose name (or whose city's or province's name) holds ``word`` (“柳州” → 柳州市 and its
    counties), as keys: the entries' region key is indexed, a join on the region's name would not be. A word of
    one character (“市”) or naming too many regions names none. Read from the cached list of regions
    (``search_vocabulary``): no query."""
    if len(word) < 2:
        return []
    regions = search_vocabulary().regions
    word = word.casefold()
    paths = tuple(region.path for region in regions if word in region.name.casefold())
    if not paths or len(paths) > MAX_REGIONS_NAMED:
        return []
    return [region.pk for region in regions if region.path.startswith(paths)][:1000]


# ---------------------------------------------------------------- the directory's search box: words as filters

SEARCH_VOCABULARY_KEY = "directory:search-vocabulary:1"  # the number changes with the shape of the value
# The names of regions and occupations change a few times a year, through the reference data or the admin; each
# change forgets the cached list (``agencies.signals``), and this bounds how long a change made otherwise (a
# bulk update in a shell) goes unseen.
SEARCH_VOCABULARY_SECONDS = 6 * 60 * 60
MIN_FILTER_WORD = 2  # one character (“南”, “市”) starts too many names to be a filter
QUOTES = '"“”'
# The names of the skill levels in the national skill standards (五级/初级工 … 一级/高级技师; the seeds: “三级/高级工、
# 二级/技师、一级/高级技师”), each alone or both as the directory prints them. Whole words only: “技师学院” and
# “高级技工学校” are words of names.
LEVEL_NAMES = {
    1: ("一级", "高级技师"),
    2: ("二级", "技师"),
    3: ("三级", "高级工"),
    4: ("四级", "中级工"),
    5: ("五级", "初级工"),
}
LEVEL_WORDS = {
    word: level
    for level, (grade, title) in LEVEL_NAMES.items()
    for word in (grade, title, f"{grade}/{title}", f"{grade}／{title}")
}


class NamedRegion(NamedTuple):
    pk: int
    code: str
    name: str
    level: str
    path: str

    def model(self) -> Region:
        """The region as a model instance (unsaved, with its key: what a filter or a page needs of it)."""
        return Region(pk=self.pk, code=self.code, name=self.name, level=self.level, path=self.path)


class NamedOccupation(NamedTuple):
    pk: int
    code: str
    name: str

    def model(self) -> Occupation:
        return Occupation(pk=self.pk, code=self.code, name=self.name)


@dataclass(frozen=True)
class SearchVocabulary:
    """Every region and occupation, by name: what the search box recognises, and the regions a word names. Plain
    tuples: cheap to read from the cache, and no pickled model to outlive a change of the model."""

    regions: tuple[NamedRegion, ...]
    occupations: tuple[NamedOccupation, ...]


def search_vocabulary() -> SearchVocabulary:
    """The regions and occupations, from Django's cache (shared by every process; one read of Redis, no query):
    reading two tables on every search would cost the page queries it must not (issue 16)."""
    vocabulary = cache.get(SEARCH_VOCABULARY_KEY)
    if vocabulary is None:
        regions = Region.objects.order_by("path").values_list("pk", "code", "name", "level", "path")
        occupations = Occupation.objects.order_by("code").values_list("pk", "code", "name")
        vocabulary = SearchVocabulary(
            regions=tuple(NamedRegion(*row) for row in regions),
            occupations=tuple(NamedOccupation(*row) for row in occupations),
        )
        cache.set(SEARCH_VOCABULARY_KEY, vocabulary, timeout=SEARCH_VOCABULARY_SECONDS)
    return vocabulary


@dataclass(frozen=True)
class SearchWords:
    """What the search box's words ask for: a region, an occupation and a level the words name, and the other
    words, to be found in the agencies' names. ``city_words``, ``occupation_words`` and ``level_words`` are the
    words taken as filters; ``rest`` the other words as typed (a quoted word keeps its quotes, so that a link
    built from them does not turn it into a filter)."""

    city: Region | None = None
    occupation: Occupation | None = None
    level: int | None = None
    city_words: tuple[str, ...] = ()
    occupation_words: tuple[str, ...] = ()
    level_words: tuple[str, ...] = ()
    rest: tuple[str, ...] = ()

    @property
    def names(self) -> str:
        """The words to look for in names, codes and regions' names (``directory_search``'s ``q``)."""
        return " ".join(word for word in (token.strip(QUOTES) for token in self.rest) if word)

    @property
    def recognised(self) -> bool:
        return self.city is not None or self.occupation is not None or self.level is not None


def _named(word: str, items) -> list:
    """The items called ``word``; failing that, those whose name starts with it."""
    exact = [item for item in items if item.name == word]
    return exact or [item for item in items if item.name.startswith(word)]


def _narrowed(regions: list[NamedRegion], city: NamedRegion | None) -> list[NamedRegion]:
    """Of several regions a word names, the one it must mean: the only one within (or around) the region an
    earlier word named (“南宁 西乡” → 西乡塘区, not 汉中's 西乡县); failing that, the only one in a province with a
    filing route (``FILING_PROVINCES``): several provinces have a 城中区, only 柳州's is in the portal's."""
    if len(regions) < 2:
        return regions
    if city is not None:
        near = [region for region in regions if region.path.startswith(city.path) or city.path.startswith(region.path)]
        if len(near) == 1:
            return near
    filed = [region for region in regions if region.path.split("/", 1)[0] in FILING_PROVINCES]
    return filed if len(filed) == 1 else regions


def search_words(q: str) -> SearchWords:
    """Read the search box: a word that is an occupation's whole name (“保安员”), a level's whole name (“三级”,
    “高级工”, “三级/高级工”: ``LEVEL_WORDS``), or a region's name or the start of only one region's name (“南宁” →
    南宁市, “青秀” → 青秀区), is a filter, as if chosen in the dropdowns; the other words stay a search of the names
    (“保安”, “南宁保安”, “技师学院”: looked for in the names).

    A whole name wins over the names it only starts (“电工”: the occupation, not a “电工区”); a word that is the
    whole name of a region and of an occupation alike, or only the start of several names (“城”), filters
    nothing. A word in quotes (“"南宁"”) is never a filter: the way to look for it in names only. Of two
    region words, the one inside the other wins (“南宁 青秀” → 青秀区); a second region, occupation or level
    elsewhere stays a word of the names (“三级 高级工” are one level). A region word naming several regions is
    the one within the region named before it, or the only one in the portal's provinces (``_narrowed``).
    Costs no query (``search_vocabulary``)."""
    tokens = q.split()
    if not any(len(token) >= MIN_FILTER_WORD and token[0] not in QUOTES for token in tokens):
        return SearchWords(rest=tuple(tokens))
    vocabulary = search_vocabulary()
    city, occupation, level = None, None, None
    city_words: list[str] = []
    occupation_words: list[str] = []
    level_words: list[str] = []
    rest: list[str] = []
    for token in tokens:
        if len(token) < MIN_FILTER_WORD or token[0] in QUOTES or token[-1] in QUOTES:
            rest.append(token)
            continue
        if token in LEVEL_WORDS:
            if level in (None, LEVEL_WORDS[token]):
                level = LEVEL_WORDS[token]
                level_words.append(token)
            else:
                rest.append(token)
            continue
        regions = _narrowed(_named(token, vocabulary.regions), city)
        # An occupation by its whole name only: agencies are often named after their trade (“…保安服务有限公司”),
        # so the start of an occupation's name (“保安”) is looked for in the names (first-day tester).
        occupations = [item for item in vocabulary.occupations if item.name == token]
        exact = [item for item in (*regions, *occupations) if item.name == token]
        found = exact if exact else [*regions, *occupations]
        if len(found) != 1:
            rest.append(token)
        elif isinstance(found[0], NamedOccupation) and occupation is None:
            occupation = found[0]
            occupation_words.append(token)
        elif isinstance(found[0], NamedRegion) and (city is None or found[0].path.startswith(city.path)):
            city = found[0]
            city_words.append(token)
        elif isinstance(found[0], NamedRegion) and city.path.startswith(found[0].path):
            city_words.append(token)  # “青秀 南宁”: the district is in the city
        else:
            rest.append(token)
    return SearchWords(
        city=city.model() if city else None,
        occupation=occupation.model() if occupation else None,
        level=level,
        city_words=tuple(city_words),
        occupation_words=tuple(occupation_words),
        level_words=tuple(level_words),
        rest=tuple(rest),
    )


def directory_entries_public() -> QuerySet[DirectoryEntry]:
    """Every agency of the directory, whatever its status, with its approvals and its status history."""
    return DirectoryEntry.objects.select_related("organisation", "region__parent__parent").prefetch_related(
        approved_occupations(),
        Prefetch("history", queryset=DirectoryStatusChange.objects.order_by("changed_on", "pk")),
    )


NEW_ORGANISATIONS_SHOWN = 20


def home_panel(user: User) -> dict:
    """The organisations an official's home page lists: those of the jurisdiction, the city's newest first."""
    if user.role not in (Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN):
        if user.role != Role.AGENCY:
            return {}
        # A filed agency's place in the directory (its status: a suspension or a removal is the first thing it
        # must see), also for one filed before the portal, which has no application.
        entries = DirectoryEntry.objects.filter(organisation=user.organisation).order_by("-status_changed_on", "-pk")
        return {"organisation": user.organisation, "directory_entries": list(entries) if user.organisation else []}
    organisations = organisations_visible_to(user)
    context = {
        "organisation_count": organisations.count(),
        "recent_organisations": list(organisations.order_by("-created")[:8]),
    }
    if user.role == Role.CITY_HR:
        # Self-registered organisations of the city; those whose code awaits the bureau's confirmation first.
        # At most NEW_ORGANISATIONS_SHOWN of them with their count: a province-sized city registers thousands
        # (issue 16: the page rendered every one of them).
        since = timezone.now() - dt.timedelta(days=30)
        new = organisations.filter(created__gte=since)
        context["new_organisations"] = list(
            new.order_by("-uscc_needs_confirmation", "-created")[:NEW_ORGANISATIONS_SHOWN]
        )
        context["new_organisation_count"] = new.count()
        # Every code awaiting confirmation, whatever its age: the number the link's list (?pending=1) shows.
        context["pending_code_count"] = organisations_pending_code(user).count()
    return context
