"""Links from the agencies' pages to what the apps above keep about a call or an organisation.

``agencies`` sits below ``filings`` and ``supervision`` (import-linter's layers), so its pages cannot ask them
whether a call has a selection, or an organisation a supervision file. Each of those apps registers, in its
``AppConfig.ready``, a function answering for one user and one object with the links that user may follow
(``publicity.subjects`` works the same way for notices): a link is offered only where its page exists and opens
for the reader, never one that answers 404 or 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agencies.models import Call, Organisation
    from portal.models import User


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    icon: str = "bi-box-arrow-up-right"


CallLinks = Callable[["User", "Call"], Iterable[Link]]
OrganisationLinks = Callable[["User", "Organisation"], Iterable[Link]]

_call_sources: list[CallLinks] = []
_organisation_sources: list[OrganisationLinks] = []


def register_call_links(source: CallLinks) -> None:
    """``source(user, call)`` gives the links of the call's page for that user (idempotent)."""
    if source not in _call_sources:
        _call_sources.append(source)


def register_organisation_links(source: OrganisationLinks) -> None:
    """``source(user, organisation)`` gives the links of the organisation's page for that user (idempotent)."""
    if source not in _organisation_sources:
        _organisation_sources.append(source)


def call_links(user: User, call: Call) -> list[Link]:
    return [link for source in _call_sources for link in source(user, call)]


def organisation_links(user: User, organisation: Organisation) -> list[Link]:
    return [link for source in _organisation_sources for link in source(user, organisation)]
