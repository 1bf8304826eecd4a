"""Checks for uploaded attachments: judged by their content, never by their name.

Only PDF, JPEG and PNG files are accepted, each recognised twice — by the ``filetype`` package and by its
own magic bytes — so an HTML page or a program renamed to ``.pdf`` is refused. The stored name is
generated (``attachments/<yyyy>/<mm>/<uuid4 hex>.<ext>``) with the extension of the detected type; the
user's file name is kept only as a cleaned label for display and downloads. Files should be served with
the detected content type, ``X-Content-Type-Options: nosniff`` and ``Content-Disposition: attachment``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from portal.lib import clamd
from portal.lib.upload_images import ImageRefused, reencoded_image
from portal.lib.upload_pdf import bytes_refusal, pdf_refusal

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 100
FALLBACK_NAME = "attachment"
_HEAD_BYTES = 8192  # as much as filetype ever looks at
_MB = 1024 * 1024


@dataclass(frozen=True)
class AllowedType:
    content_type: str
    extension: str
    magic: bytes
    filetype_mimes: frozenset[str]


ALLOWED_TYPES = (
    AllowedType("application/pdf", "pdf", b"%PDF-", frozenset({"application/pdf"})),
    AllowedType("image/jpeg", "jpg", b"\xff\xd8\xff", frozenset({"image/jpeg"})),
    # An animated PNG is still a PNG; filetype calls it image/apng.
    AllowedType("image/png", "png", b"\x89PNG\r\n\x1a\n", frozenset({"image/png", "image/apng"})),
)
ALLOWED_EXTENSIONS = frozenset(t.extension for t in ALLOWED_TYPES)
# What the file chooser offers; a hint only, the content is what counts.
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"

_EXECUTABLE_MAGIC = (b"\x7fELF", b"MZ", b"#!")
_EXECUTABLE_MIMES = frozenset({"application/x-executable", "application/x-msdownload"})
# Characters Windows refuses in file names; replaced so a downloaded copy can be saved as it is labelled.
_RESERVED = re.compile(r'[<>:"|?*]')
# Text-direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) and control characters (C0, DEL, C1).
_DECEPTIVE_NAME = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class UploadInfo:
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def safe_original_name(name: str | None, *, fallback: str = FALLBACK_NAME) -> str:
    """The base name of a user's file name, safe to show and to offer as a download name.

    Directory parts (with ``/`` or ``\\``), control and invisible formatting characters (such as the
    right-to-left override that disguises ``exe.pdf``), leading dots and surrounding spaces are removed,
    and the name is cut to ``MAX_NAME_LENGTH`` characters keeping its extension; ``fallback`` when nothing
    is left.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _RESERVED.sub("_", name).strip().lstrip(".").strip()
    if not name:
        return fallback
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def generated_name(ext: str) -> str:
    """A fresh storage name ``attachments/<yyyy>/<mm>/<uuid4 hex>.<ext>`` for a detected type's extension."""
    if ext not in ALLOWED_EXTENSIONS:
        raise ValueError(f"not an allowed upload extension: {ext!r}")
    today = timezone.localdate()
    return f"attachments/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{ext}"


@deconstructible
class UploadTo:
    """``upload_to`` for a model ``FileField``: ignores the user's file name and uses the detected type.

    Django passes ``upload_to`` only the instance and the user's name, so this reads the file being saved
    from the instance's ``field_name`` attribute; a file that did not come through ``CheckedFileField`` is
    checked here (and refused with ``ValidationError`` if it fails).
    """

    def __init__(self, field_name: str) -> None:
        self.field_name = field_name

    def __call__(self, instance: Any, filename: str) -> str:
        file = getattr(getattr(instance, self.field_name), "file", None)
        info = getattr(file, "checked_info", None) or check_upload(file)
        return generated_name(info.extension)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadTo) and other.field_name == self.field_name

    def __hash__(self) -> int:
        return hash(self.field_name)


# For models whose file field is called ``file`` (``filings.Attachment``).
attachment_upload_to = UploadTo("file")


def _size_mb(size: int) -> str:
    """``size`` in MB rounded up to one decimal, so that 20 MB and 1 byte reads 20.1 rather than 20.0."""
    return f"{math.ceil(size * 10 / _MB) / 10:.1f}"


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s MB; files may be at most %(max)s MB."),
        code="upload_too_large",
        params={"size": _size_mb(size), "max": MAX_UPLOAD_BYTES // _MB},
    )


def _detect(head: bytes, mime: str | None) -> AllowedType | None:
    """The allowed type both ``filetype`` (``mime``) and the type's own magic bytes recognise, if any."""
    for allowed in ALLOWED_TYPES:
        if head.startswith(allowed.magic) and mime in allowed.filetype_mimes:
            return allowed
    return None


def check_upload(uploaded_file: File) -> UploadInfo:
    """Check an uploaded file's size and content and describe it; raise ``ValidationError`` if refused.

    The file is read in chunks (for the type and the SHA-256) and left at position 0. A refusal is a security
    event of the audit log (a program or a disguised file is how an attack arrives).
    """
    try:
        return _checked(uploaded_file)
    except ValidationError as error:
        from portal.models import AuditEvent
        from portal.services import security_event

        with translation.override(settings.LANGUAGE_CODE):
            reason = " ".join(error.messages)
        security_event(action=AuditEvent.Action.UPLOAD_REJECTED, detail=reason)
        raise


def _checked(uploaded_file: File) -> UploadInfo:
    given_name = getattr(uploaded_file, "name", None)
    original_name = safe_original_name(given_name)
    if given_name and _DECEPTIVE_NAME.search(given_name):
        raise ValidationError(
            _(
                "The name of “%(name)s” contains invisible control or text-direction characters, which can disguise "
                "what a file is. Rename the file and choose it again."
            ),
            code="upload_name",
            params={"name": original_name},
        )
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > MAX_UPLOAD_BYTES:
        raise _too_large(declared)

    chunks = []
    size = 0
    uploaded_file.seek(0)
    try:
        for chunk in uploaded_file.chunks():
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise _too_large(size)
            chunks.append(chunk)
    finally:
        uploaded_file.seek(0)
    data = b"".join(chunks)
    head = data[:_HEAD_BYTES]

    if size == 0:
        raise ValidationError(
            _("“%(name)s” is empty. Choose the file again."),
            code="upload_empty",
            params={"name": original_name},
        )
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    allowed = _detect(head, mime)
    if allowed is None:
        if head.startswith(_EXECUTABLE_MAGIC) or mime in _EXECUTABLE_MIMES:
            raise ValidationError(
                _("“%(name)s” is a program, which cannot be uploaded. Only PDF, JPEG and PNG files are accepted."),
                code="upload_executable",
                params={"name": original_name},
            )
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, JPEG or PNG file, whatever its name says: its content was checked. "
                "Only PDF, JPEG and PNG files are accepted."
            ),
            code="upload_type",
            params={"name": original_name},
        )
    data = _in_depth(uploaded_file, data, allowed, original_name)
    return UploadInfo(
        content_type=allowed.content_type,
        extension=allowed.extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=safe_original_name(given_name, fallback=f"{FALLBACK_NAME}.{allowed.extension}"),
    )


def _unsafe(name: str, reason: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” cannot be accepted: %(reason)s. Upload a plain PDF, JPEG or PNG file."),
        code="upload_unsafe",
        params={"name": name, "reason": reason},
    )


def _in_depth(uploaded_file: File, data: bytes, allowed: AllowedType, name: str) -> bytes:
    """The bytes to store once ``data`` (of the detected type ``allowed``) passed the checks in depth; an image
    comes back drawn again and replaces the uploaded content, so that the drawn copy is what is saved."""
    reason = pdf_refusal(data) if allowed.extension == "pdf" else bytes_refusal(data)
    if reason:
        raise _unsafe(name, reason)
    _scan(data, name)
    if allowed.extension == "pdf":
        return data
    try:
        drawn = reencoded_image(data, allowed.extension)
    except ImageRefused as refused:
        raise _unsafe(name, refused.args[0]) from None
    _replace_content(uploaded_file, drawn)
    return drawn


def _scan(data: bytes, name: str) -> None:
    """Stream the file to ClamAV when ``CLAMD_SOCKET`` is set; refuse on a signature or when it cannot answer."""
    address = getattr(settings, "CLAMD_SOCKET", "")
    if not address:
        return
    try:
        result = clamd.scan_stream(address, [data], timeout=settings.CLAMD_TIMEOUT_SECONDS)
    except clamd.ClamdUnavailable:
        logger.exception("The virus scanner did not answer; the upload is refused.")
        raise ValidationError(
            _("“%(name)s” could not be checked for viruses just now. Try again in a few minutes."),
            code="upload_scanner",
            params={"name": name},
        ) from None
    if result.infected:
        raise ValidationError(
            _("“%(name)s” cannot be accepted: the virus scanner found %(signature)s in it."),
            code="upload_virus",
            params={"name": name, "signature": result.signature[:100]},
        )


def _replace_content(uploaded_file: File, data: bytes) -> None:
    """Make ``data`` the content that saving ``uploaded_file`` stores (a temporary file on disk is rewritten in
    place, since storage moves it rather than reading it)."""
    if hasattr(uploaded_file, "temporary_file_path"):
        uploaded_file.file.seek(0)
        uploaded_file.file.write(data)
        uploaded_file.file.truncate()
        uploaded_file.file.seek(0)
    else:
        uploaded_file.file = io.BytesIO(data)
    uploaded_file.size = len(data)
    uploaded_file.seek(0)


class CheckedFileField(forms.FileField):
    """A file field that accepts only PDF, JPEG and PNG content up to ``MAX_UPLOAD_BYTES``.

    A newly uploaded file gets the result of ``check_upload`` as ``uploaded.checked_info``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data: Any, initial: Any = None) -> Any:
        uploaded = super().clean(data, initial)
        if isinstance(uploaded, UploadedFile):
            uploaded.checked_info = check_upload(uploaded)
        return uploaded
