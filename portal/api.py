"""The public read-only JSON API (/api/v1/): one django-ninja ``NinjaAPI`` assembling the apps' routers.

The routers are added by import path (``add_router("/directory/", "agencies.api.router")``), as ``portal.urls``
includes the apps' URL modules by name: portal stays the lowest layer and imports no feature app. The URLs are
mounted by ``filings.urls_public`` in its ``public`` namespace (``public:api_directory`` …), which is therefore
the API's ``urls_namespace``.

What the API adds to ninja's defaults:

- every view it generates is gated ``public`` (the project's rule: each view declares its gate), answers GET
  (HEAD as GET, like Django's class-based views), and any other method with a JSON 405 — except the methods an
  operation declares itself (``@router.post``: the certificate verification, a look-up that takes personal data,
  which has no place in a query string or a server log);
- invalid parameters are a 400 (not ninja's 422) ``{"detail": "name: message; …", "errors": {name: [message]}}``;
- JSON keeps Chinese as is (``ensure_ascii=False``);
- the OpenAPI document is an operation of the API, so that it is described in itself, at /api/v1/openapi.json;
- the interactive docs (/api/v1/docs) are Swagger UI from ninja's own static files (``ninja`` is an installed app,
  so its template and static files are found), with no request to any other host.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, reverse
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from portal.lib.access import public
from portal.lib.ratelimit import TooManyLookups

READ_METHODS = ("GET", "HEAD")


class UnicodeJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class LocalSwagger(Swagger):
    """Swagger UI pointed at the API's own OpenAPI operation (ninja's built-in one is switched off)."""

    def get_openapi_url(self, api: NinjaAPI, path_params: dict) -> str:
        return reverse(f"{api.urls_namespace}:api_openapi", kwargs=path_params)


def read_only(view: Callable, declared: tuple[str, ...] = ()) -> Callable:
    """GET and HEAD (HEAD answered as GET: ninja's operations are declared for GET), and the methods the path's
    operations declare besides; else a JSON 405."""
    allowed = (*READ_METHODS, *(method for method in declared if method not in READ_METHODS))

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in allowed:
            response = JsonResponse({"detail": "method not allowed"}, status=405)
            response["Allow"] = ", ".join(allowed)
            return response
        if request.method == "HEAD":
            request.method = "GET"
        return view(request, *args, **kwargs)

    return wrapper


def _marked(view: Callable, counting: bool) -> Callable:
    if counting:
        view.counts_public_lookup = True
    return view


class PublicAPI(NinjaAPI):
    """A ninja API whose views are all public and read-only, without ninja's root view (a bare 404)."""

    def declared_methods(self) -> dict[str, tuple[str, ...]]:
        """The methods other than GET that each URL name's operations declare (``@router.post``)."""
        declared: dict[str, tuple[str, ...]] = {}
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    if operation.url_name:
                        declared[operation.url_name] = (*declared.get(operation.url_name, ()), *operation.methods)
        return declared

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
    detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


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
