"""Object loaders: the gate between a request and an organisation, a call or a directory entry. A view
fetches these here and nowhere else; "not yours" is a 404."""

from __future__ import annotations

from django.http import HttpRequest

from agencies.models import Call, DirectoryEntry, Organisation
from agencies.selectors import calls_public, calls_visible_to, directory_entries_public, organisations_visible_to
from portal.lib.http import object_or_404


def organisation_for(request: HttpRequest, pk: int | str) -> Organisation:
    return object_or_404(organisations_visible_to(request.user), pk)


def call_for(request: HttpRequest, pk: int | str) -> Call:
    """A call the user may see: the centre's province, or a published call for an agency."""
    return object_or_404(calls_visible_to(request.user), pk)


def public_call_for(pk: int | str) -> Call:
    """A published call, for anyone; a call never published does not exist here."""
    return object_or_404(calls_public(), pk)


def directory_entry_for(pk: int | str) -> DirectoryEntry:
    """One agency of the public directory, whatever its status, for anyone."""
    return object_or_404(directory_entries_public(), pk)
