"""Which provinces the portal files agencies of, and which province's documents a page may cite.

The portal serves Guangxi (city first) and Shaanxi (police first). Some of its rules come from one province's
document only — registering with the police of each city (报备登记) and the 保卫管理员 exam parts are written in
Shaanxi's 陕公通字〔2023〕64号 — yet the portal applies them everywhere. A page shows a document as the basis only
to readers of the province that issued it; elsewhere the rule is worded as the portal's own, or cites the
province's own document where it has one (DESIGN.md §4 and the seeds say which rule comes from where).

Only these two provinces have a filing route — a call of their centre, Guangxi's city bureaus or Shaanxi's police
to receive an application (``agencies.models.Workflow``). The regions table also holds other provinces (Jiangsu's
norms are quoted, an administrator may add more), but an agency registered there could never apply: registration
offers ``filing_regions`` only.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from portal.models import Region

GUANGXI = "450000"
SHAANXI = "610000"

SHAANXI_SECURITY_MANAGER = "陕公通字〔2023〕64号"

# The provinces with a filing route, in the order the portal lists them.
FILING_PROVINCES = (GUANGXI, SHAANXI)


def province_code(region: Region | None) -> str:
    """The six-digit code of the province a region lies in ("" for none)."""
    if region is None:
        return ""
    return region.path.split("/", 1)[0]


def in_shaanxi(region: Region | None) -> bool:
    return province_code(region) == SHAANXI


def filing_regions() -> QuerySet[Region]:
    """The regions of the provinces with a filing route, the provinces themselves included."""
    return Region.objects.filter(reduce(operator.or_, (Q(path__startswith=f"{code}/") for code in FILING_PROVINCES)))


def filing_province_names() -> list[str]:
    """The names of the provinces with a filing route ("广西壮族自治区", "陕西省"), in ``FILING_PROVINCES``'s order."""
    names = dict(Region.objects.filter(code__in=FILING_PROVINCES).values_list("code", "name"))
    return [names[code] for code in FILING_PROVINCES if code in names]
