"""Serving stored files: only ever as a download, never rendered by the browser."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers


def stored_file_response(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A download of a stored upload or PDF; 404 when the file is gone from storage.

    ``attachment`` disposition, ``nosniff`` and a sandboxing CSP: even a file whose content slipped past the
    upload checks cannot run as a page of the portal; ``no-store``: no cache keeps it.
    """
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    add_never_cache_headers(response)  # private whoever downloads it: never kept in a cache
    return response
