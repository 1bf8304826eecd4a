"""What changed between two submitted versions, section by section, in the reviewer's words (labels)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from filings.display import Describer
from filings.forms import SECTIONS
from filings.models import ApplicationVersion


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class SectionChanges:
    key: str
    title: str
    changes: list[Change] = field(default_factory=list)


def _compare(describe: Describer, before: dict, after: dict, prefix: str = "") -> list[Change]:
    return [
        Change(
            f"{prefix}{label}",
            describe.show(name, before.get(name)) or "—",
            describe.show(name, after.get(name)) or "—",
        )
        for name, label in describe.labels.items()
        if str(before.get(name, "")) != str(after.get(name, ""))
    ]


def compare_versions(old: ApplicationVersion, new: ApplicationVersion) -> list[SectionChanges]:
    result = []
    for section in SECTIONS:
        describe = Describer.of(section, call_version=new.call_version, organisation=new.application.organisation)
        changes = SectionChanges(section.key, str(section.title))
        if section.many:
            before, after = old.data.get(section.key) or [], new.data.get(section.key) or []
            for index in range(max(len(before), len(after))):
                a = before[index] if index < len(before) else {}
                b = after[index] if index < len(after) else {}
                changes.changes.extend(_compare(describe, a, b, prefix=f"#{index + 1} "))
        else:
            changes.changes.extend(_compare(describe, old.data.get(section.key) or {}, new.data.get(section.key) or {}))
        if changes.changes:
            result.append(changes)
    old_files = {i for ids in old.attachments.values() for i in ids}
    new_files = {i for ids in new.attachments.values() for i in ids}
    if old_files != new_files:
        materials = SectionChanges("materials", _("Materials"))
        materials.changes.append(
            Change(
                _("Attachments"),
                _("%(n)d files") % {"n": len(old_files)},
                _("%(n)d files") % {"n": len(new_files)},
            )
        )
        result.append(materials)
    return result
