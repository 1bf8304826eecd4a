"""Which province's documents a page may cite.

The portal serves Guangxi (city first) and Shaanxi (police first). Some of its rules come from one province's
document only — registering with the police of each city (报备登记) and the 保卫管理员 exam parts are written in
Shaanxi's 陕公通字〔2023〕64号 — yet the portal applies them everywhere. A page shows a document as the basis only
to readers of the province that issued it; elsewhere the rule is worded as the portal's own, or cites the
province's own document where it has one (DESIGN.md §4 and the seeds say which rule comes from where).
"""

from __future__ import annotations

from portal.models import Region

GUANGXI = "450000"
SHAANXI = "610000"

SHAANXI_SECURITY_MANAGER = "陕公通字〔2023〕64号"


def province_code(region: Region | None) -> str:
    """The six-digit code of the province a region lies in ("" for none)."""
    if region is None:
        return ""
    return region.path.split("/", 1)[0]


def in_shaanxi(region: Region | None) -> bool:
    return province_code(region) == SHAANXI
