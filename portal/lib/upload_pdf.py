"""A PDF upload read in depth before it is accepted (``portal.lib.uploads`` calls ``pdf_refusal``).

A file that starts with ``%PDF-`` may still be something else as well: a ZIP archive or an HTML page glued to
it (a polyglot, opened as the other thing by another program or a browser), a document that runs JavaScript
or launches a program when opened, one that carries other files inside it, an encrypted one nobody can check,
or a compression bomb (a few hundred KB that inflate to gigabytes in the reader's memory). The bytes are read
first (what comes after the last ``%%EOF``, ZIP and HTML signatures), then the document is parsed with pypdf
and every object reachable from its trailer is walked, without decoding a stream through pypdf; Flate streams
are inflated here in bounded steps that stop at ``PDF_STREAM_LIMIT``, so a bomb never takes more than a chunk
of memory.

Each check returns the reason of its refusal as a short English phrase (translated by the caller), or None.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

# What one stream may inflate to, and all of them together. A 600 dpi greyscale A4 page stored with Flate is
# about 35 MB; a scan stored as JPEG (DCTDecode) is not inflated at all.
PDF_STREAM_LIMIT = 50 * 1024 * 1024
PDF_TOTAL_LIMIT = 150 * 1024 * 1024
_INFLATE_STEP = 1024 * 1024
# At most this many objects are walked: a real document of a few hundred pages has tens of thousands.
_MAX_OBJECTS = 200_000

# Keys (anywhere in the document) that carry active content, other files or forms a viewer would run.
_ACTIVE_KEYS = {
    "/JavaScript": _("JavaScript"),
    "/JS": _("JavaScript"),
    "/Launch": _("an action that starts a program"),
    "/EmbeddedFile": _("embedded files"),
    "/EmbeddedFiles": _("embedded files"),
    "/RichMedia": _("embedded multimedia"),
    "/XFA": _("an XFA form"),
}
# Action types (``/S``) refused wherever they appear.
_ACTIVE_ACTIONS = {
    "/JavaScript": _("JavaScript"),
    "/Launch": _("an action that starts a program"),
    "/ImportData": _("an action that imports data"),
    "/SubmitForm": _("an action that sends data away"),
}
# What a browser or another program would take as HTML or script; a real PDF has none of them outside its
# compressed streams (where six bytes matching by chance are beyond any real odds).
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed)[\s>/]", re.IGNORECASE)
_TRAILING_ALLOWED = b" \t\r\n\x00\x0c"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def bytes_refusal(data: bytes) -> str | None:
    """The reason to refuse the raw bytes of a file, whatever its type: an antivirus test file, a ZIP archive
    a ZIP reader would open, an HTML page inside."""
    if EICAR in data:
        return _("it contains a virus signature (the EICAR test file)")
    if zipfile.is_zipfile(io.BytesIO(data)) or b"PK\x03\x04" in data[:1024]:
        return _("a ZIP archive is hidden in it")
    if _HTML.search(data):
        return _("it contains an HTML page or a script")
    return None


def pdf_refusal(data: bytes) -> str | None:
    """The reason to refuse a PDF, or None when it is a plain document."""
    found = bytes_refusal(data)
    if found:
        return found
    end = data.rfind(b"%%EOF")
    if end < 0:
        return _("it is not a complete PDF document (its end marker is missing)")
    if data[end + 5 :].strip(_TRAILING_ALLOWED):
        return _("other data follows the end of the document")
    try:
        # pypdf's own limits bound what it inflates itself (object streams, cross-reference streams).
        with apply_configuration(
            zlib_maximum_output_length=PDF_STREAM_LIMIT,
            lzw_maximum_output_length=PDF_STREAM_LIMIT,
            run_length_maximum_output_length=PDF_STREAM_LIMIT,
            maximum_declared_stream_length=PDF_STREAM_LIMIT,
        ):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return _("it is encrypted, so its content cannot be checked")
            return _walk(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, zlib.error):
        return _("it could not be read as a PDF document")


def _walk(reader: PdfReader) -> str | None:
    """Every object reachable from the trailer, once each: active keys and actions, and each stream's size."""
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    total = 0
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > _MAX_OBJECTS:
            return _("it has too many objects to be checked")
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in _ACTIVE_KEYS:
                    return _("it contains %(what)s") % {"what": _ACTIVE_KEYS[name]}
                if name in ("/S", "/Subtype", "/Type") and isinstance(value, NameObject):
                    what = _ACTIVE_ACTIONS.get(value) or _ACTIVE_KEYS.get(value)
                    if what:
                        return _("it contains %(what)s") % {"what": what}
                if name == "/OpenAction" and _is_action(value):
                    return _("it runs an action when opened")
                pending.append(value)
            if isinstance(item, StreamObject):
                inflated = _inflated_size(item)
                if inflated is None:
                    return _("a compressed part of it inflates beyond %(limit)d MB (a compression bomb)") % {
                        "limit": PDF_STREAM_LIMIT // (1024 * 1024)
                    }
                total += inflated
                if total > PDF_TOTAL_LIMIT:
                    return _("its compressed parts inflate beyond %(limit)d MB (a compression bomb)") % {
                        "limit": PDF_TOTAL_LIMIT // (1024 * 1024)
                    }
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return None


def _is_action(value) -> bool:
    """An ``/OpenAction`` that is an action dictionary (runs something), not a destination (shows a page)."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return isinstance(value, DictionaryObject)


def _inflated_size(stream: StreamObject) -> int | None:
    """The size of a stream once its Flate filters are undone, or None when it passes ``PDF_STREAM_LIMIT``.

    Inflated here in steps of ``_INFLATE_STEP`` bytes, each thrown away once counted, never through pypdf (which
    would keep the whole result). Filters other than Flate are counted at their stored size: images (DCT, JPX,
    CCITT, JBIG2) are not inflated by anything on the server."""
    filters = stream.get("/Filter")
    filters = filters.get_object() if isinstance(filters, IndirectObject) else filters
    names = list(filters) if isinstance(filters, ArrayObject) else [filters] if filters else []
    data = stream._data  # the stored (encoded) bytes: pypdf's get_data() of an encoded stream would decode them
    if not names or names[0] not in ("/FlateDecode", "/Fl"):
        return len(data)
    inflater = zlib.decompressobj()
    size = 0
    pending = data
    while pending:
        try:
            chunk = inflater.decompress(pending, _INFLATE_STEP)
        except zlib.error:
            return size  # damaged data: a viewer stops here too
        size += len(chunk)
        if size > PDF_STREAM_LIMIT:
            return None
        pending = inflater.unconsumed_tail
        if not chunk and not pending:
            break
        if inflater.eof:
            break
    return size
