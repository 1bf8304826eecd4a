"""What a notice can publicise, as handlers the owning apps register (``register`` in their ``AppConfig.ready``).

The notice machinery (windows on the working-day calendar, objections, tracking codes, closing) is the same
for a filing selection and for an evaluation's results; what each step does to the subject is not. A handler
says it, so this app depends on nobody: ``filings`` registers ``filing_selection`` today, ``certificates``
will register its results publicity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db.models import Model, QuerySet
    from django.http import HttpRequest

    from portal.models import Role, User
    from publicity.models import Notice, NoticeItem


@dataclass
class Entry:
    """One line of a notice as the public and the managing officials read it."""

    item: NoticeItem
    name: str
    city: str = ""
    occupations: list[dict] = field(default_factory=list)
    scope: str = ""
    # For the officials' page: where the subject is managed, and its state there.
    link: str = ""
    state: str = ""
    # False: the entry stands for what the notice publicises as a whole, not for a line of its list (an evaluation
    # where nobody is proposed as qualified publishes no list, yet its results may be objected to). It is not a row
    # of the public table, but the objection form offers it.
    listed: bool = True

    @property
    def removed(self) -> bool:
        return self.item.withdrawn


@dataclass(frozen=True)
class Headings:
    """The column headings of a notice's table (public page, officials' page, PDF): what an ``Entry``'s fields
    mean for this kind. A subject without ``headings`` publishes agencies (the filing selection's wording)."""

    caption: str = _("Agencies proposed for filing")
    name: str = _("Agency name")
    occupations: str = _("Occupations")
    levels: str = _("Levels")
    scope: str = _("Scope")
    city: str = _("Home city")
    # The label of the objection form's choice of entry.
    objected: str = _("Agency you object to")
    # What the public table says when no entry is listed on it (or none remains).
    empty: str = _("No agency remains on this notice.")


DEFAULT_HEADINGS = Headings()


@dataclass(frozen=True)
class Wording:
    """What the managing official's page says about a kind: its name in the list of notices, the heading of its
    entries, and what upholding an objection does. A subject without ``wording`` speaks of a filing selection."""

    label: str = _("Filing selection")
    entries: str = _("Agencies on the notice")
    uphold_confirm: str = _("Uphold the objection? The agency will be taken out of the selection.")
    # With %(name)s, the entry's name.
    upheld: str = _("Objection upheld: %(name)s is out of the selection.")


DEFAULT_WORDING = Wording()


def headings_for(kind: str) -> Headings:
    return getattr(subject_for(kind), "headings", DEFAULT_HEADINGS)


def wording_for(kind: str) -> Wording:
    return getattr(subject_for(kind), "wording", DEFAULT_WORDING)


def notice_headings(notice: Notice) -> Headings:
    """The headings of this notice: its kind's, unless the handler words this notice otherwise
    (``headings_of(notice)``, e.g. a results notice on which nobody is proposed as qualified)."""
    headings_of = getattr(subject_for(notice.kind), "headings_of", None)
    return headings_of(notice) if headings_of is not None else headings_for(notice.kind)


def notice_wording(notice: Notice) -> Wording:
    """The wording of this notice: its kind's, unless the handler words this notice otherwise (``wording_of``)."""
    wording_of = getattr(subject_for(notice.kind), "wording_of", None)
    return wording_of(notice) if wording_of is not None else wording_for(notice.kind)


class NoticeSubject(Protocol):
    """The behaviour a notice kind contributes. Every hook runs inside the notice's transaction."""

    kind: str
    # The roles whose officials manage notices of this kind, within their jurisdiction.
    manager_roles: Sequence[Role]

    def may_manage(self, user: User, notice: Notice) -> bool: ...

    def entries(self, items: Sequence[NoticeItem]) -> list[Entry]: ...

    def on_publish(self, *, notice: Notice, items: Sequence[NoticeItem], by: User, request: HttpRequest | None): ...

    def on_uphold(self, *, item: NoticeItem, by: User, reply: str, request: HttpRequest | None) -> None: ...

    def on_close(self, *, notice: Notice, items: Sequence[NoticeItem], by: User, request: HttpRequest | None): ...

    def managers(self, notice: Notice) -> QuerySet[User]: ...

    def objection_link(self, item: NoticeItem) -> str: ...

    def management_link(self) -> str:
        """The managing officials' list of notices of this kind."""
        ...


_SUBJECTS: dict[str, NoticeSubject] = {}


def register(subject: NoticeSubject) -> None:
    _SUBJECTS[subject.kind] = subject


def subject_for(kind: str) -> NoticeSubject:
    try:
        return _SUBJECTS[kind]
    except KeyError:
        raise LookupError(f"No notice subject is registered for the kind {kind!r}.") from None


def kind_choices(kinds: Sequence[str]) -> list[tuple[str, str]]:
    """(kind, label) for the registered kinds among ``kinds``, in the order given."""
    return [(kind, str(wording_for(kind).label)) for kind in kinds if kind in _SUBJECTS]


def unlisted_models() -> list[type[Model]]:
    """The models whose notice items stand for a notice as a whole (``Entry.listed`` False), as the handlers declare
    them (``unlisted_models``): the public list does not count them as entries."""
    return [model for subject in _SUBJECTS.values() for model in getattr(subject, "unlisted_models", ())]


def kinds_managed_by(role: str) -> list[str]:
    return [kind for kind, subject in _SUBJECTS.items() if role in subject.manager_roles]
