"""The read-only JSON API of the public directory and of receipt verification, under /api/v1/.

Plain Django views returning ``JsonResponse`` (no framework for four GET endpoints). They read through the same
selectors and the same search form as the HTML pages, so the API lists exactly what the directory page shows.
``OPENAPI`` below describes them (OpenAPI 3.0, served at /api/v1/openapi.json); its enumerations are built
from the model choices so the document cannot drift from what the views accept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from agencies.models import DirectoryEntry, Level, Scope
from agencies.selectors import directory_entries_public, directory_search
from agencies.views import ALL, DirectorySearchForm, approvals, status_history
from filings.models import Receipt
from filings.selectors import receipt_verify
from portal.lib.access import public
from portal.lib.http import is_digits

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(detail: str, status: int, errors: dict | None = None) -> JsonResponse:
    return _json({"detail": detail, **({"errors": errors} if errors else {})}, status=status)


class BadParameter(Exception):
    pass


def api_get(view: Callable) -> Callable:
    """GET (and HEAD) only; any other method is a JSON 405."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _error("method not allowed", 405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper


def _positive_int(params, name: str, default: int, maximum: int | None = None) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not is_digits(raw) or int(raw) < 1:
        raise BadParameter(f"{name} must be a whole number of at least 1, not {raw!r}")
    if maximum is not None and int(raw) > maximum:
        raise BadParameter(f"{name} must be at most {maximum}, not {raw}")
    return int(raw)


# ---------------------------------------------------------------- serialisation


def _occupations(entry: DirectoryEntry) -> list[dict]:
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


def entry_data(entry: DirectoryEntry) -> dict:
    return {
        "id": entry.pk,
        "name": entry.organisation.name,
        "uscc": entry.organisation.uscc,
        "city": {"code": entry.region.code, "name": entry.region.name},
        "scope": entry.scope,
        "institution_code": entry.institution_code,
        "status": entry.status,
        "status_since": entry.status_changed_on.isoformat(),
        "filed_on": entry.filed_on.isoformat(),
        "occupations": _occupations(entry),
    }


def receipt_data(receipt: Receipt) -> dict:
    """What the receipt itself states, and nothing more (no contact data, no current status)."""
    application = receipt.application
    entry = application.directory_entry
    code = getattr(application, "institution_code", None)
    return {
        "number": receipt.number,
        "agency_name": application.organisation.name,
        "uscc": application.organisation.uscc,
        "institution_code": entry.institution_code if entry else (code.code if code else None),
        "scope": entry.scope if entry else application.scope,
        "occupations": _occupations(entry) if entry else [],
        "issued_on": timezone.localdate(receipt.created).isoformat(),
    }


# ---------------------------------------------------------------- views


@public
@api_get
def directory_list(request):
    try:
        page = _positive_int(request.GET, "page", 1)
        page_size = _positive_int(request.GET, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    except BadParameter as error:
        return _error(str(error), 400)
    form = DirectorySearchForm(request.GET)
    if not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
        return _error(detail, 400, errors)
    entries = directory_search(**form.filters())
    count = entries.count()
    start = (page - 1) * page_size
    results = list(entries[start : start + page_size]) if start < count else []
    return _json(
        {
            "count": count,
            "page": page,
            "page_size": page_size,
            "results": [entry_data(entry) for entry in results],
        }
    )


@public
@api_get
def directory_detail(request, pk: int):
    entry = directory_entries_public().filter(pk=pk).first()
    if entry is None:
        return _error("not found", 404)
    history = [
        {"status": change.status, "date": change.changed_on.isoformat(), "reason": change.reason}
        for change in status_history(entry)
    ]
    return _json({**entry_data(entry), "history": history})


@public
@api_get
def receipt_verify_view(request):
    token = request.GET.get("token", "").strip()
    number = request.GET.get("number", "").strip()
    agency = request.GET.get("agency", "").strip()
    if not token and not (number and agency):
        return _error("give token, or both number and agency (the agency's full name)", 400)
    receipt = receipt_verify(token=token or None, number=number or None, agency_name=agency or None)
    if receipt is None:
        return _error("not found", 404)
    return _json(receipt_data(receipt))


@public
@api_get
def openapi(request):
    return _json(OPENAPI)


# ---------------------------------------------------------------- the OpenAPI document


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


STATUS_VALUES = [*DirectoryEntry.Status.values, ALL]
DATE = {"type": "string", "format": "date"}

DIRECTORY_PARAMETERS = [
    _query(
        "city",
        "GB/T 2260 code of a province, city or county; takes in every region under it.",
        {"type": "string", "pattern": "^[0-9]{6}$", "example": "450100"},
    ),
    _query(
        "occupation", "Occupation code of the national classification.", {"type": "string", "example": "3-02-02-00"}
    ),
    _query(
        "level",
        "Approved skill level, 1 (highest) to 5; with occupation, the level of that occupation.",
        {"type": "integer", "enum": Level.values},
    ),
    _query("scope", "Evaluation scope.", {"type": "string", "enum": Scope.values}),
    _query(
        "status",
        "Directory status; absent means active only, 'all' includes suspended and removed agencies.",
        {"type": "string", "enum": STATUS_VALUES, "default": DirectoryEntry.Status.ACTIVE.value},
    ),
    _query(
        "q",
        "Part of the agency's name or institution code, or its whole unified social credit code.",
        {"type": "string", "maxLength": 100},
    ),
    _query("page", "Page number, from 1. A page past the last one has no results.", {"type": "integer", "minimum": 1}),
    _query(
        "page_size",
        "Results per page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    ),
]

OPENAPI: dict = {
    "openapi": "3.0.3",
    "info": {
        "title": "Directory of filed vocational-skill evaluation agencies",
        "version": "1.0.0",
        "description": (
            "Read-only public API: the directory (目录) of filed evaluation agencies and the verification of "
            "filing receipts (备案回执). No authentication. Labels are in the portal's language (Simplified "
            "Chinese by default)."
        ),
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/v1/directory/": {
            "get": {
                "operationId": "directoryList",
                "summary": "Search the directory",
                "parameters": DIRECTORY_PARAMETERS,
                "responses": {
                    "200": {
                        "description": "One page of agencies, ordered by region code and name.",
                        "content": {"application/json": {"schema": _ref("DirectoryPage")}},
                    },
                    "400": _error_response("A parameter is invalid; errors names each one."),
                },
            }
        },
        "/api/v1/directory/{id}/": {
            "get": {
                "operationId": "directoryDetail",
                "summary": "One agency of the directory, whatever its status, with its status history",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
                ],
                "responses": {
                    "200": {
                        "description": "The agency.",
                        "content": {"application/json": {"schema": _ref("DirectoryEntryDetail")}},
                    },
                    "404": _error_response("No agency has this id."),
                },
            }
        },
        "/api/v1/receipts/verify/": {
            "get": {
                "operationId": "receiptVerify",
                "summary": "Verify a filing receipt",
                "description": "By the token of the receipt's QR code, or by its number with the agency's full name. "
                "Only exact matches of an issued receipt are found.",
                "parameters": [
                    _query("token", "The token printed in the receipt's QR code.", {"type": "string"}),
                    _query("number", "The receipt number (with agency).", {"type": "string"}),
                    _query(
                        "agency", "The agency's full name, exactly as on the receipt (with number).", {"type": "string"}
                    ),
                ],
                "responses": {
                    "200": {
                        "description": "What the receipt states.",
                        "content": {"application/json": {"schema": _ref("Receipt")}},
                    },
                    "400": _error_response("Neither a token nor both number and agency were given."),
                    "404": _error_response("No issued receipt matches."),
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "parameters": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Region": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {"code": {"type": "string", "example": "450100"}, "name": {"type": "string"}},
            },
            "Approval": {
                "type": "object",
                "description": "An approved occupation at one level.",
                "required": ["code", "name", "level", "level_label"],
                "properties": {
                    "code": {"type": "string", "example": "3-02-02-00"},
                    "name": {"type": "string", "example": "保卫管理员"},
                    "level": {"type": "integer", "enum": Level.values},
                    "level_label": {"type": "string", "example": "三级/高级工"},
                },
            },
            "DirectoryEntry": {
                "type": "object",
                "required": [
                    "id",
                    "name",
                    "uscc",
                    "city",
                    "scope",
                    "institution_code",
                    "status",
                    "status_since",
                    "filed_on",
                    "occupations",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "uscc": {"type": "string", "description": "Unified social credit code."},
                    "city": _ref("Region"),
                    "scope": {"type": "string", "enum": Scope.values},
                    "institution_code": {"type": "string"},
                    "status": {"type": "string", "enum": DirectoryEntry.Status.values},
                    "status_since": {**DATE, "description": "When the current status began (removal date)."},
                    "filed_on": DATE,
                    "occupations": {"type": "array", "items": _ref("Approval")},
                },
            },
            "StatusChange": {
                "type": "object",
                "required": ["status", "date", "reason"],
                "properties": {
                    "status": {"type": "string", "enum": DirectoryEntry.Status.values},
                    "date": DATE,
                    "reason": {"type": "string"},
                },
            },
            "DirectoryEntryDetail": {
                "allOf": [
                    _ref("DirectoryEntry"),
                    {
                        "type": "object",
                        "required": ["history"],
                        "properties": {"history": {"type": "array", "items": _ref("StatusChange")}},
                    },
                ]
            },
            "DirectoryPage": {
                "type": "object",
                "required": ["count", "page", "page_size", "results"],
                "properties": {
                    "count": {"type": "integer", "description": "Agencies matching, over all pages."},
                    "page": {"type": "integer"},
                    "page_size": {"type": "integer"},
                    "results": {"type": "array", "items": _ref("DirectoryEntry")},
                },
            },
            "Receipt": {
                "type": "object",
                "required": ["number", "agency_name", "uscc", "institution_code", "scope", "occupations", "issued_on"],
                "properties": {
                    "number": {"type": "string"},
                    "agency_name": {"type": "string"},
                    "uscc": {"type": "string"},
                    "institution_code": {"type": "string", "nullable": True},
                    "scope": {"type": "string", "enum": Scope.values},
                    "occupations": {"type": "array", "items": _ref("Approval")},
                    "issued_on": DATE,
                },
            },
            "Error": {
                "type": "object",
                "required": ["detail"],
                "properties": {
                    "detail": {"type": "string", "example": "not found"},
                    "errors": {
                        "type": "object",
                        "description": "Messages by parameter name (invalid parameters only).",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        }
    },
}
