"""The links a call's page (``agencies``) shows to the filing pages about that call (``agencies.links``): the
centre's ranking and selection once an application of the call has finished its technical assessment, and for
every reader the selection's public notices (公示) of the call."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.links import Link
from agencies.models import Call
from filings.models import Application
from filings.selectors import applications_visible_to
from filings.services.selection import KIND, RANKED_STATES
from portal.models import Role, User
from publicity.selectors import notices_public


def call_links(user: User, call: Call) -> list[Link]:
    links = []
    # The selection page's own gate (the centre of the call's province: the call's page loaded it for this user).
    if user.role == Role.CENTRE and applications_visible_to(user).filter(call=call, state__in=RANKED_STATES).exists():
        links.append(Link(_("Ranking and selection"), reverse("filings:selection", args=[call.pk]), "bi-list-ol"))
    on_notice = Application.objects.filter(call=call).values("pk")
    notices = (
        notices_public()
        .filter(
            kind=KIND,
            items__content_type=ContentType.objects.get_for_model(Application),
            items__object_id__in=on_notice,
        )
        .distinct()
        .order_by("published_at", "pk")
    )
    links += [
        Link(
            _("Selection notice: %(title)s") % {"title": notice.title},
            reverse("notices:notice_detail", args=[notice.pk]),
            "bi-megaphone",
        )
        for notice in notices
    ]
    return links
