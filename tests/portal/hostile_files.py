"""The hostile corpus of issue 14, made by code: each file a probe of the portal found accepted on every upload
surface (attachments, photos, objection and complaint files). Nothing here is a stored binary blob."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

from PIL import Image

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf(objects: list[bytes], *, trailer: bytes = b"/Root 1 0 R") -> bytes:
    """A well-formed PDF of ``objects`` (numbered from 1) with a correct cross-reference table."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return out


PAGE = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def plain_pdf() -> bytes:
    return pdf(PAGE)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def pdf_zip_polyglot() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", "<script>alert(1)</script>")
    return plain_pdf() + archive.getvalue()


def pdf_openaction_javascript() -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            *PAGE[1:],
            b"<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\)) >>",
        ]
    )


def pdf_then_html() -> bytes:
    return b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"


def jpeg_then_html() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00<html><script>alert(1)</script>"


@cache
def flate_bomb(inflated: int = 100 * 1024 * 1024) -> bytes:
    """A PDF whose one content stream inflates to ``inflated`` bytes of zeros: about 100 KB stored."""
    compressor = zlib.compressobj(9)
    block = b"\0" * (1024 * 1024)
    data = b"".join(compressor.compress(block) for _ in range(inflated // len(block))) + compressor.flush()
    return pdf([*PAGE[:2], b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", stream(data, b"/Filter /FlateDecode")])


@cache
def huge_png(width: int = 20000, height: int = 20000) -> bytes:
    """A 20000×20000 one-bit PNG: a valid header and a few KB of compressed rows (never drawn here)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\0" + b"\0" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    rows = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def eicar_pdf() -> bytes:
    """The EICAR test string in a PDF's uncompressed stream (a plain EICAR file is not a PDF and refused anyway)."""
    return pdf([*PAGE[:2], b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", stream(EICAR)])


def image(kind: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


# (name, content) of each item, the names as an attacker would send them.
CORPUS = {
    "pdf_zip_polyglot": ("证明.pdf", pdf_zip_polyglot),
    "pdf_openaction_javascript": ("证明.pdf", pdf_openaction_javascript),
    "pdf_then_html": ("证明.pdf", pdf_then_html),
    "jpeg_then_html": ("照片.jpg", jpeg_then_html),
    "flate_bomb": ("证明.pdf", flate_bomb),
    "huge_png": ("照片.png", huge_png),
    "eicar": ("证明.pdf", eicar_pdf),
    "valid_jpeg_then_html": ("照片.jpg", lambda: image("JPEG") + b"<html><script>alert(1)</script></html>"),
}
