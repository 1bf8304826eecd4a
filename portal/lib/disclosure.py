"""Least knowledge (issue 14, item 8): who may learn the names of the people who assessed an application.

An agency sees what its assessors found — the records, the opinions, the findings — but not who they are: the
names of the police officers and experts who assessed it (or registered it with the police) are shown only to
officials. The agency still sees each note's role and department, which is what it needs to answer it; knowing
the person would only open a door to pressure or favour."""

from __future__ import annotations

from portal.models import Role

# Whose names an agency does not see.
ASSESSOR_ROLES = frozenset({Role.POLICE, Role.EXPERT})


def name_for(person, viewer) -> str:
    """``person``'s name as ``viewer`` may see it: empty when ``viewer`` is an agency and ``person`` assessed it."""
    if person is None:
        return ""
    if getattr(viewer, "role", None) == Role.AGENCY and person.role in ASSESSOR_ROLES:
        return ""
    return person.display_name
