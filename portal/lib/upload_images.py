"""A JPEG or PNG upload opened, checked and drawn again before it is stored (``portal.lib.uploads``).

The size in pixels is read from the header and refused above ``MAX_IMAGE_PIXELS`` before anything is decoded
(a 20000×20000 PNG of a few KB decodes to 1.2 GB). Data after the image's end (a JPEG's EOI marker, a PNG's
IEND chunk) is refused: it is how an HTML page or an archive rides along with a picture. What is stored is the
picture drawn again by Pillow — JPEG at quality 90, PNG losslessly — with the camera's orientation applied and
nothing else kept: no EXIF (GPS position, device), no comments, no extra chunks or frames.
"""

from __future__ import annotations

import io
import struct
import warnings

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# 50 megapixels: the largest phone cameras (8160×6120) and any scanned A4 page at 600 dpi (4960×7016).
MAX_IMAGE_PIXELS = 50_000_000
JPEG_QUALITY = 90


class ImageRefused(Exception):
    """The reason (translatable text) an image is refused."""


def reencoded_image(data: bytes, extension: str) -> bytes:
    """The picture in ``data`` (a ``jpg`` or ``png``) drawn again without metadata; raises ``ImageRefused``."""
    end = _jpeg_end(data) if extension == "jpg" else _png_end(data)
    if end is None:
        raise ImageRefused(_("it is not a complete image"))
    if data[end:].strip(b"\x00"):
        raise ImageRefused(_("other data follows the end of the picture"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["JPEG" if extension == "jpg" else "PNG"])
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageRefused(
                    _("it is %(width)d × %(height)d pixels; pictures may have at most %(max)d million pixels")
                    % {"width": width, "height": height, "max": MAX_IMAGE_PIXELS // 1_000_000}
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            return _encoded(image, extension)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit (twice its MAX_IMAGE_PIXELS) refuses the file before the size could be read here.
        raise ImageRefused(
            _("it has more than %(max)d million pixels") % {"max": MAX_IMAGE_PIXELS // 1_000_000}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning):
        raise ImageRefused(_("the picture could not be read")) from None


def _encoded(image: Image.Image, extension: str) -> bytes:
    transparency = image.info.get("transparency")
    image.info = {}  # Pillow writes back a JPEG's comment, a PNG's text and ICC profile from here otherwise
    out = io.BytesIO()
    if extension == "jpg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1", "I;16"):
            image = image.convert("RGBA")
        # Only what draws the picture: a palette's transparency, nothing else (no text chunks, no EXIF).
        params = {"transparency": transparency} if transparency is not None else {}
        image.save(out, format="PNG", optimize=False, **params)
    return out.getvalue()


def _png_end(data: bytes) -> int | None:
    """The offset just past a PNG's IEND chunk, walking its chunks; None when it has none."""
    position = 8
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position if position <= len(data) else None
    return None


def _jpeg_end(data: bytes) -> int | None:
    """The offset just past a JPEG's last EOI marker, walking its segments and entropy-coded data.

    Phones store a second, smaller picture (MPF, the "multi-picture" preview) after the first one's EOI: a
    following complete JPEG is walked as well, so such photos are accepted; anything else after EOI is not."""
    position = 0
    end = None
    while position < len(data) and data.startswith(b"\xff\xd8", position):
        found = _one_jpeg_end(data, position + 2)
        if found is None:
            return end
        end = position = found
    return end


def _one_jpeg_end(data: bytes, position: int) -> int | None:
    size = len(data)
    while position + 2 <= size:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        if position + 4 > size:
            return None
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker that is not a stuffed 0
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= size:
                    return None
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    position += 1 if following == 0xFF else 2
                    continue
                break
    return None
