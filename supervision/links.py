"""The links an organisation's page (``agencies``, 评价机构) shows to its supervision file (``agencies.links``):
one per directory entry of the organisation whose file the reader may open (``entries_supervised_by``, the file
page's own scope), none otherwise — an organisation never filed has no file."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.links import Link
from agencies.models import Organisation
from portal.models import User
from supervision.selectors import entries_supervised_by


def organisation_links(user: User, organisation: Organisation) -> list[Link]:
    entries = entries_supervised_by(user).filter(organisation=organisation).order_by("filed_on", "pk")
    return [
        Link(
            _("Supervision file (%(code)s, %(status)s)")
            % {"code": entry.institution_code, "status": entry.get_status_display()},
            reverse("supervision:agency_file", args=[entry.pk]),
            "bi-folder2-open",
        )
        for entry in entries
    ]
