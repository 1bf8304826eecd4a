"""JSON answers of the public API rendered once and served as bytes (issue 16).

A django-ninja operation that returns a dict has it validated against its response schema and encoded on every
request: for a directory page of 20 agencies that was two thirds of the request's time, although the answer
itself came from the cache. ``schema_json`` does that validation and encoding once, when the answer is computed
(the same schema, the same encoder and the same ``ensure_ascii=False`` as the API's renderer), so that the bytes
can be cached (``portal.lib.publiccache.cached_data``) and ``json_answer`` serves them as they are: ninja passes
an ``HttpResponse`` through untouched.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder


def schema_json(schema: type[Schema], data: object) -> bytes:
    """``data`` validated by ``schema`` and encoded as the API's renderer encodes an answer."""
    document = schema.model_validate(data).model_dump()
    return json.dumps(document, cls=NinjaJSONEncoder, ensure_ascii=False).encode()


def json_answer(body: bytes, *, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=f"application/json; charset={settings.DEFAULT_CHARSET}")
