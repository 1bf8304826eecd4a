"""The public read-only JSON API (/api/v1/): one django-ninja ``NinjaAPI`` assembling the apps' routers.

The routers are added by import path (``add_router("/directory/", "agencies.api.router")``), as ``portal.urls``
includes the apps' URL modules by name: portal stays the lowest layer and imports no feature app. The URLs are
mounted by ``filings.urls_public`` in its ``public`` namespace (``public:api_directory`` …), which is therefore
the API's ``urls_namespace``.

What the API adds to ninja's defaults:

- every view it generates is gated ``public`` (the project's rule: each view declares its gate) and answers the
  methods its operations declare (GET, with HEAD as GET like Django's class-based views; ``@router.post`` for the
  certificate verification, a look-up that takes personal data, which has no place in a query string or a server
  log); any other method is a JSON 405 with ``Allow``;
- every error is JSON ``{"detail": "<a message in the portal's language>"}``: invalid parameters a 400 (not
  ninja's 422) with ``"errors": {name: [message]}`` besides, a malformed body a 400, a body of another media type
  a 415 (``request_data``), an unknown object or address under /api/ a 404 (``portal.views.not_found``), the
  wrong method a 405; the OpenAPI document lists them on every operation (``PublicAPI.get_openapi_schema``);
- JSON keeps Chinese as is (``ensure_ascii=False``);
- the OpenAPI document is an operation of the API, so that it is described in itself, at /api/v1/openapi.json;
- the interactive docs (/api/v1/docs) are Swagger UI from ninja's own static files (``ninja`` is an installed app,
  so its template and static files are found), with no request to any other host.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import URLPattern, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from portal.lib.access import public
from portal.lib.ratelimit import TooManyLookups

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


def api_error(status: int, message: str, **extra) -> JsonResponse:
    """An API error as the API answers every error: ``{"detail": message}``, Chinese kept as is."""
    return JsonResponse({"detail": str(message), **extra}, status=status, json_dumps_params={"ensure_ascii": False})


def error_detail(errors: dict[str, list[str]], labels: Mapping[str, str] | None = None) -> str:
    """Errors by field as the one sentence of ``detail``: a field's messages after its name, the form's own
    (``__all__``, such as "请填写证书编号或身份证号。") as plain sentences.

    With ``labels`` (a form's fields' labels, in the request's language) a field is named by its label, and not
    at all when its message already names it ("请填写持证人姓名。"): the detail reads as Chinese sentences, not
    as "name: …" (first-day finding qa5 item 8). ``errors`` keeps the fields' names for programs."""
    if labels is None:
        parts = []
        for name, messages in errors.items():
            text = " ".join(str(message) for message in messages)
            parts.append(text if name == NON_FIELD_ERRORS else f"{name}: {text}")
        return "; ".join(parts)
    sentences = []
    for name, messages in errors.items():
        label = str(labels.get(name, "")).strip()
        for message in map(str, messages):
            named = name == NON_FIELD_ERRORS or not label or label in message
            sentences.append(message if named else _("%(field)s: %(message)s") % {"field": label, "message": message})
    return "".join(
        sentence if sentence.endswith(("。", ".", "？", "！")) else f"{sentence}。" for sentence in sentences
    )


def not_found_response() -> JsonResponse:
    return api_error(404, _("Nothing was found at this address."))


def method_not_allowed(request: HttpRequest, allowed: tuple[str, ...]) -> JsonResponse:
    response = api_error(
        405,
        _("This address does not accept %(method)s requests; it accepts %(allowed)s.")
        % {"method": request.method, "allowed": ", ".join(allowed)},
    )
    response["Allow"] = ", ".join(allowed)
    return response


def request_data(request: HttpRequest, fields) -> dict[str, str]:
    """The named fields of a POST's body, sent as JSON (an object) or as a form; ``HttpError`` 400 for a body that
    is not a JSON object, 415 for any other media type. Values are strings (``None`` and missing: empty)."""
    if request.content_type == JSON_TYPE:
        try:
            # Decoded already when it is JSON (portal.middleware.RefuseControlCharacters checked its text).
            data = request.json_document if hasattr(request, "json_document") else json.loads(request.body or b"{}")
        except ValueError:
            raise HttpError(400, _("The request body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise HttpError(400, _("The request body must be a JSON object."))
        return {key: "" if data.get(key) is None else str(data[key]) for key in fields}
    if request.content_type in (FORM_TYPE, "multipart/form-data", ""):  # "": no body at all
        return {key: request.POST.get(key, "") for key in fields}
    raise HttpError(
        415,
        _("Send the body as %(json)s or %(form)s.") % {"json": JSON_TYPE, "form": FORM_TYPE},
    )


class UnicodeJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class LocalSwagger(Swagger):
    """Swagger UI pointed at the API's own OpenAPI operation (ninja's built-in one is switched off)."""

    def get_openapi_url(self, api: NinjaAPI, path_params: dict) -> str:
        return reverse(f"{api.urls_namespace}:api_openapi", kwargs=path_params)


def allowed_methods(declared: tuple[str, ...]) -> tuple[str, ...]:
    """The methods a path answers: those its operations declare (GET when none do), HEAD wherever GET is."""
    methods = tuple(dict.fromkeys(declared or ("GET",)))
    return (*methods, "HEAD") if "GET" in methods and "HEAD" not in methods else methods


def read_only(view: Callable, declared: tuple[str, ...] = ()) -> Callable:
    """The methods the path's operations declare, HEAD answered as GET (ninja's operations are declared for GET);
    any other method a JSON 405 with ``Allow``."""
    allowed = allowed_methods(declared)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in allowed:
            return method_not_allowed(request, allowed)
        if request.method == "HEAD":
            request.method = "GET"
        return view(request, *args, **kwargs)

    return wrapper


def _error_body(example: str) -> dict:
    """The JSON body of an error answer in the OpenAPI document, with an example of its own status."""
    return {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "detail": {"type": "string", "description": "What went wrong, in the portal's language."}
                },
                "required": ["detail"],
            },
            "example": {"detail": example},
        }
    }


# The errors any operation can answer besides its own: 400 where it takes parameters or a body, 415 a body.
# The examples are the Chinese messages the portal answers (the default language).
ERROR_RESPONSES = {
    "400": {
        "description": "Invalid parameters, or a body that is not a JSON object.",
        "content": _error_body("请求体不是有效的 JSON。"),
    },
    "404": {
        "description": "Nothing at this address (any unknown path under /api/ answers the same).",
        "content": _error_body("此地址下没有找到内容。"),
    },
    "405": {
        "description": "A method the path does not accept; the Allow header lists those it does.",
        "headers": {"Allow": {"schema": {"type": "string"}, "example": "GET, HEAD"}},
        "content": _error_body("此地址不接受 PUT 请求，可用的请求方法：GET, HEAD。"),
    },
    "415": {
        "description": "A body neither application/json nor a form.",
        "content": _error_body("请求体的类型须为 application/json 或 application/x-www-form-urlencoded。"),
    },
}


def _marked(view: Callable, counting: bool) -> Callable:
    if counting:
        view.counts_public_lookup = True
    return view


class PublicAPI(NinjaAPI):
    """A ninja API whose views are all public and read-only, without ninja's root view (a bare 404)."""

    def declared_methods(self) -> dict[str, tuple[str, ...]]:
        """The methods each URL name's operations declare (``@router.get``, ``@router.post``)."""
        declared: dict[str, tuple[str, ...]] = {}
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    if operation.url_name:
                        declared[operation.url_name] = (*declared.get(operation.url_name, ()), *operation.methods)
        return declared

    def get_openapi_schema(self, *args, **kwargs):
        """ninja's document, with the errors every operation can answer (``ERROR_RESPONSES``) added to each."""
        document = super().get_openapi_schema(*args, **kwargs)
        for operations in document["paths"].values():
            for method, operation in operations.items():
                # ninja keys an operation's own responses by int (``response={400: Error}``): one key per status,
                # or the JSON document would carry "400" twice, which Swagger UI refuses to read.
                responses = {str(status): answer for status, answer in operation.get("responses", {}).items()}
                takes_input = method == "post" or bool(operation.get("parameters"))
                for status, response in ERROR_RESPONSES.items():
                    if (status != "400" or takes_input) and (status != "415" or method == "post"):
                        responses.setdefault(status, response)
                operation["responses"] = responses
        return document

    def counting_with_answer(self) -> set[str]:
        """The URL names whose every operation counts its public look-up with its cached answer
        (``portal.lib.publiccache.counts_public_lookup``)."""
        marks: dict[str, bool] = {}
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    if operation.url_name:
                        marked = getattr(operation.view_func, "counts_public_lookup", False)
                        marks[operation.url_name] = marks.get(operation.url_name, True) and marked
        return {name for name, marked in marks.items() if marked}

    @property
    def urls(self) -> tuple[list[URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        declared = self.declared_methods()
        counting = self.counting_with_answer()
        return (
            [
                URLPattern(
                    pattern.pattern,
                    _marked(
                        public(read_only(pattern.callback, declared.get(pattern.name, ()))), pattern.name in counting
                    ),
                    pattern.default_args,
                    pattern.name,
                )
                for pattern in patterns
                if pattern.name != "api-root"
            ],
            app_name,
            namespace,
        )


api = PublicAPI(
    title="Directory of filed vocational-skill evaluation agencies",
    version="1.0.0",
    description=(
        "Public API: the directory (目录) of filed evaluation agencies, the verification of filing receipts "
        "(备案回执) and of skill-level certificates (职业技能等级证书). No authentication. "
        "Labels are in the portal's language (Simplified "
        "Chinese by default)."
    ),
    urls_namespace="public",
    openapi_url=None,  # served by the operation below, which the document then describes
    docs_url=None,  # likewise
    docs=LocalSwagger(settings={"validatorUrl": None}),  # no badge fetched from validator.swagger.io
    renderer=UnicodeJSON(),
)
api.add_router("/directory/", "agencies.api.router")
api.add_router("/receipts/", "filings.api.router")
api.add_router("/certificates/", "certificates.api.router")


# pydantic's error types, said in the portal's language (its own messages are English only).
MESSAGES = {
    "string_pattern_mismatch": gettext_lazy("The value is not in the expected form."),
    "string_too_long": gettext_lazy("The value is too long."),
    "greater_than_equal": gettext_lazy("The value is too small."),
    "less_than_equal": gettext_lazy("The value is too large."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "literal_error": gettext_lazy("The value is not one of those allowed."),
    "enum": gettext_lazy("The value is not one of those allowed."),
    "missing": gettext_lazy("This parameter is required."),
}


def _message(error: dict) -> str:
    known = MESSAGES.get(error.get("type", ""))
    return str(known) if known is not None else str(error["msg"])


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return not_found_response()


@api.exception_handler(TooManyLookups)
def too_many_lookups(request: HttpRequest, exc: TooManyLookups):
    """A public look-up past its limit, found when its count rode along with the cached answer's read."""
    from portal.middleware import too_many_lookups_response

    return too_many_lookups_response(request, exc.limit)


@api.exception_handler(ValidationError)
def bad_parameters(request: HttpRequest, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc is (source, name) – ("query", "level") – or (source, schema, name) for a Query[Schema] parameter.
        name = str(error["loc"][-1]) if len(error["loc"]) > 1 else str(error["loc"][0])
        errors.setdefault(name, []).append(_message(error))
    return api.create_response(request, {"detail": error_detail(errors), "errors": errors}, status=400)


@api.get(
    "/openapi.json",
    response={200: dict[str, Any]},
    url_name="api_openapi",
    operation_id="openapi",
    summary="This document",
    tags=["meta"],
)
def openapi(request: HttpRequest):
    # The API's root is where this operation is mounted, less its own path.
    return api.get_openapi_schema(path_prefix=request.path.removesuffix("openapi.json"))


@api.get("/docs", url_name="api_docs", include_in_schema=False)
def docs(request: HttpRequest):
    return api.docs.render_page(request, api)
