"""Between the page and the stored draft: raw form input in, bound section forms out.

A draft stores exactly what was typed (strings), so nothing is ever lost to a validation error; the section
forms are rebuilt from it to show what is complete and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from agencies.models import CallVersion, Organisation
from filings.forms import SECTIONS, Section
from filings.models import Application

MAX_ROWS = 200


def parse_post(post: QueryDict, sections: list[Section], *, call_version: CallVersion) -> dict:
    """Collect the raw values of the given sections from a POST; rows left wholly empty are dropped. Some fields
    exist only for some calls (those their conditions ask about), hence ``call_version``."""
    data = {}
    for section in sections:
        if not section.asked_in(call_version):
            continue
        names = list(_field_names(section, call_version))
        if section.many:
            try:
                total = min(int(post.get(f"{section.key}-TOTAL_FORMS", 0)), MAX_ROWS)
            except ValueError:
                total = 0
            rows = []
            for index in range(total):
                row = {name: post.get(f"{section.key}-{index}-{name}", "").strip() for name in names}
                if any(row.values()):
                    rows.append(row)
            data[section.key] = rows
        else:
            data[section.key] = {name: post.get(f"{section.key}-{name}", "").strip() for name in names}
    return data


def _field_names(section: Section, call_version: CallVersion):
    # The dynamic fields of a section form exist only on an instance; a throwaway one lists them.
    return section.form(call_version=call_version, organisation=Organisation()).fields.keys()


@dataclass
class SectionState:
    section: Section
    forms: list[forms.Form]
    bound: bool
    template: forms.Form | None = None
    too_few_rows: bool = False

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def complete(self) -> bool:
        """Filled in and valid (an optional section left empty counts as complete)."""
        if not self.bound:
            return not self.section.required
        return not self.too_few_rows and all(form.is_valid() for form in self.forms)

    @property
    def has_errors(self) -> bool:
        return self.bound and (self.too_few_rows or any(not form.is_valid() for form in self.forms))

    @property
    def started(self) -> bool:
        return self.bound


def _has_input(values: dict) -> bool:
    return any(str(value).strip() for value in values.values())


def build_sections(
    application: Application, *, data: dict | None = None, validate_all: bool = False
) -> list[SectionState]:
    """The section forms for the page or for submission.

    A section the agency has typed into is bound to what was saved, so its errors show beside the fields;
    an untouched one is shown blank without errors, unless ``validate_all`` (submitting) asks for everything.
    """
    data = application.data if data is None else data
    context = {"call_version": application.call_version, "organisation": application.organisation}
    states = []
    for section in SECTIONS:
        if not section.asked_in(application.call_version):
            continue
        saved = data.get(section.key) or ([] if section.many else {})
        if section.many:
            rows = [row for row in saved if _has_input(row)]
            bound = bool(rows) or (validate_all and section.required)
            row_forms = [
                section.form(
                    {f"{section.key}-{i}-{name}": value for name, value in row.items()},
                    prefix=f"{section.key}-{i}",
                    **context,
                )
                for i, row in enumerate(rows)
            ]
            if not row_forms and section.min_rows:
                row_forms = [section.form(prefix=f"{section.key}-0", **context)]
            state = SectionState(
                section,
                row_forms,
                bound=bound,
                template=section.form(prefix=f"{section.key}-__prefix__", **context),
                too_few_rows=bound and len(rows) < section.min_rows,
            )
        else:
            bound = _has_input(saved) or (validate_all and section.required)
            values = {f"{section.key}-{name}": value for name, value in saved.items()}
            form = section.form(values if bound else None, prefix=section.key, **context)
            state = SectionState(section, [form], bound=bound)
        states.append(state)
    return states
