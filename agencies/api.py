"""The public directory as JSON: a django-ninja router, mounted under /api/v1/directory/ by ``portal.api``.

It reads through the same selectors and the same search form as the HTML pages, so the API lists exactly what
the directory page shows. The query schema types and documents the parameters (OpenAPI is generated from it);
the form then does what the page does (an unknown region or occupation is an error, the filters it builds).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.schema import DjangoGetter
from pydantic import field_validator, model_validator

from agencies import models
from agencies.models import Level, Scope
from agencies.selectors import directory_entries_public, directory_search
from agencies.views import ALL, DirectorySearchForm, approvals, status_history
from portal.lib.apijson import json_answer, schema_json
from portal.lib.http import is_digits
from portal.lib.publiccache import cached_data, counts_public_lookup

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

# The enumerations come from the model choices, so the document cannot drift from what the views accept.
LevelValue = Literal[tuple(Level.values)]  # type: ignore[valid-type]
ScopeValue = Literal[tuple(Scope.values)]  # type: ignore[valid-type]
StatusValue = Literal[tuple(models.DirectoryEntry.Status.values)]  # type: ignore[valid-type]
StatusFilter = Literal[(*models.DirectoryEntry.Status.values, ALL)]  # type: ignore[valid-type]

router = Router(tags=["directory"])


# ---------------------------------------------------------------- schemas


class Error(Schema):
    detail: str = Field(examples=["not found"])
    errors: dict[str, list[str]] = Field(None, description="Messages by parameter name (invalid parameters only).")


class Region(Schema):
    code: str = Field(examples=["450100"])
    name: str


class Approval(Schema):
    """An approved occupation at one level."""

    code: str = Field(examples=["3-02-02-00"])
    name: str = Field(examples=["保卫管理员"])
    level: LevelValue
    level_label: str = Field(examples=["三级/高级工"])


class DirectoryEntry(Schema):
    id: int
    name: str
    uscc: str = Field(description="Unified social credit code.")
    city: Region
    scope: ScopeValue
    institution_code: str
    status: StatusValue
    status_since: dt.date = Field(description="When the current status began (removal date).")
    suspended_until: dt.date | None = Field(
        default=None, description="The last day of a suspension in force (null unless suspended)."
    )
    filed_on: dt.date
    occupations: list[Approval]


class StatusChange(Schema):
    status: StatusValue
    date: dt.date
    reason: str


class DirectoryEntryDetail(DirectoryEntry):
    history: list[StatusChange]


class DirectoryPage(Schema):
    count: int = Field(description="Agencies matching, over all pages.")
    page: int
    page_size: int
    results: list[DirectoryEntry]


class DirectoryQuery(Schema):
    """The directory's filters (those of the page's search form) and the page wanted. All optional."""

    city: str = Field(
        "",
        pattern=r"^[0-9]{6}$",
        description=(
            "GB/T 2260 code of a province, city or county; takes in every region under it, and the agencies whose "
            "scope covers it: for a county (district), city-wide in its city, province-wide in its province, "
            "nationwide; for a city, province-wide in its province, nationwide; for a province, nationwide."
        ),
        examples=["450100"],
    )
    occupation: str = Field(
        "", max_length=20, description="Occupation code of the national classification.", examples=["3-02-02-00"]
    )
    level: LevelValue = Field(
        None, description="Approved skill level, 1 (highest) to 5; with occupation, the level of that occupation."
    )
    scope: ScopeValue = Field(None, description="Evaluation scope.")
    status: StatusFilter = Field(
        None,
        description="Directory status; absent means active only, 'all' includes suspended and removed agencies.",
    )
    q: str = Field(
        "",
        max_length=100,
        description="Part of the agency's name or institution code, or its whole unified social credit code.",
    )
    page: int = Field(1, ge=1, description="Page number, from 1. A page past the last one has no results.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Results per page.")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        """As in the page's form, an empty parameter (``level=``) is no filter. ninja's own validator, which runs
        first, hands the parameters over wrapped in its ``DjangoGetter``: the dict is inside."""
        if isinstance(data, DjangoGetter):
            data = data._obj
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if not (isinstance(value, str) and not value.strip())}
        return data

    @field_validator("level", mode="before")
    @classmethod
    def _level_from_the_query_string(cls, value: Any) -> Any:
        """A literal is compared, not coerced: the query string's "3" is the level 3."""
        return int(value) if isinstance(value, str) and is_digits(value.strip()) else value


# ---------------------------------------------------------------- serialisation


def occupations(entry) -> list[dict]:
    return [
        {
            "code": group["occupation"].code,
            "name": group["occupation"].name,
            "level": level["level"],
            "level_label": str(level["label"]),
        }
        for group in approvals(entry)
        for level in group["levels"]
    ]


def entry_data(entry) -> dict:
    return {
        "id": entry.pk,
        "name": entry.organisation.name,
        "uscc": entry.organisation.uscc,
        "city": {"code": entry.region.code, "name": entry.region.name},
        "scope": entry.scope,
        "institution_code": entry.institution_code,
        "status": entry.status,
        "status_since": entry.status_changed_on,
        "suspended_until": entry.suspended_until if entry.status == entry.Status.SUSPENDED else None,
        "filed_on": entry.filed_on,
        "occupations": occupations(entry),
    }


# ---------------------------------------------------------------- endpoints


@router.get(
    "/",
    response={200: DirectoryPage, 400: Error},
    url_name="api_directory",
    operation_id="directoryList",
    summary="Search the directory",
    description="One page of agencies, ordered by region code and name. A 400 names each invalid parameter.",
)
@counts_public_lookup
def directory_list(request, filters: Query[DirectoryQuery]):
    # The form checks what the schema cannot: that a region or occupation with the code given exists. Without
    # either, every value the schema let through is one the form accepts (the same lengths and choices), so the
    # form is built only when the answer is computed: a cached page costs no form (issue 16; building and
    # cleaning it was a third of the API's Python).
    form = _valid_form(filters) if filters.city or filters.occupation else None
    # Cached as the encoded answer: validating and encoding 20 agencies on every request cost more than the rest.
    body = cached_data(
        ("directory",),
        f"api-json:{get_language()}:{filters.model_dump_json()}",
        lambda: schema_json(DirectoryPage, _page(form or _valid_form(filters), filters)),
    )
    return json_answer(body)


def _valid_form(filters: DirectoryQuery) -> DirectorySearchForm:
    form = DirectorySearchForm(
        filters.model_dump(include={"q", "city", "occupation", "level", "scope", "status"}), read_words=False
    )
    if not form.is_valid():
        # The form's errors answer like the schema's: one handler (portal.api) turns both into the 400.
        raise ValidationError(
            [
                {"loc": ("query", field), "msg": str(message), "type": "invalid"}
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    return form


def _page(form: DirectorySearchForm, filters: DirectoryQuery) -> dict:
    entries = directory_search(**form.filters())
    count = entries.count()
    start = (filters.page - 1) * filters.page_size
    results = list(entries[start : start + filters.page_size]) if start < count else []
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [entry_data(entry) for entry in results],
    }


@router.get(
    "/{int:id}/",
    response={200: DirectoryEntryDetail, 404: Error},
    url_name="api_directory_entry",
    operation_id="directoryDetail",
    summary="One agency of the directory, whatever its status, with its status history",
)
def directory_detail(request, id: int):  # "id": the name the document gives the path parameter
    entry = directory_entries_public().filter(pk=id).first()
    if entry is None:
        raise HttpError(404, _("Nothing was found at this address."))
    history = [
        {"status": change.status, "date": change.changed_on, "reason": change.reason}
        for change in status_history(entry)
    ]
    return {**entry_data(entry), "history": history}
