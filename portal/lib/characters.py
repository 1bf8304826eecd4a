"""Characters that text in the portal cannot hold: the C0 control characters other than tab, line feed and
carriage return (NUL, ESC, form feed …).

PostgreSQL refuses NUL in any text; XML 1.0 — hence the Excel exports (openpyxl) and the PDFs' HTML — refuses
all of them. Nobody types them: they come from tampered requests or from copying binary data. The portal
refuses them at the door (``portal.middleware.RefuseControlCharacters``) and, for text stored before that door
existed or arriving by another path (a management command, the admin's shell), shows them as visible symbols
where a document must be written (``visible``).
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def visible(text: str) -> str:
    """``text`` with each control character replaced by its Unicode control picture (ESC → ␛, NUL → ␀), so a
    document shows that something odd was typed rather than failing or hiding it."""
    return CONTROL_CHARACTERS.sub(lambda match: chr(0x2400 + ord(match.group())), text)
