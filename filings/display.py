"""Application data as people read it: labels and chosen options instead of field names and codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from agencies.models import CallVersion, Organisation
from filings.forms import SECTIONS, Section


@dataclass
class Describer:
    """The labels of a section's fields and the display text of their choices."""

    labels: dict[str, str]
    choices: dict[str, dict[str, str]]

    @classmethod
    def of(cls, section: Section, *, call_version: CallVersion, organisation: Organisation) -> Describer:
        form = section.form(call_version=call_version, organisation=organisation)
        return cls(
            labels={name: str(f.label) for name, f in form.fields.items()},
            choices={
                name: {str(value): str(text) for value, text in getattr(f, "choices", [])}
                for name, f in form.fields.items()
                if getattr(f, "choices", None)
            },
        )

    def show(self, name: str, value) -> str:
        value = "" if value is None else str(value)
        return self.choices.get(name, {}).get(value, value) if value else ""


@dataclass
class DisplaySection:
    key: str
    title: str
    many: bool
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)


def display_sections(data: dict, *, call_version: CallVersion, organisation: Organisation) -> list[DisplaySection]:
    result = []
    for section in SECTIONS:
        if not section.asked_in(call_version):
            continue
        describe = Describer.of(section, call_version=call_version, organisation=organisation)
        item = DisplaySection(section.key, str(section.title), section.many)
        if section.many:
            item.headers = list(describe.labels.values())
            item.rows = [
                [describe.show(name, row.get(name)) for name in describe.labels] for row in data.get(section.key) or []
            ]
        else:
            values = data.get(section.key) or {}
            item.fields = [(label, describe.show(name, values.get(name))) for name, label in describe.labels.items()]
        result.append(item)
    return result
