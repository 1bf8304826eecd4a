"""Object loaders: the gate between a request and a notice or anything under one. A view never fetches a notice,
an objection or an attachment any other way; a child is always found through its parent."""

from __future__ import annotations

from django.http import HttpRequest

from portal.lib.http import object_or_404
from publicity.models import Notice, Objection, ObjectionAttachment
from publicity.selectors import notices_public, notices_visible_to


def notice_for(request: HttpRequest, pk: int | str) -> Notice:
    """A notice the official manages (their role's kinds, their jurisdiction), or 404."""
    return object_or_404(notices_visible_to(request.user), pk)


def public_notice_for(pk: int | str) -> Notice:
    """A published or closed notice, for anyone; a draft is a 404."""
    return object_or_404(notices_public(), pk)


def objection_for(notice: Notice, pk: int | str) -> Objection:
    return object_or_404(notice.objections.select_related("item"), pk)


def objection_attachment_for(notice: Notice, pk: int | str) -> ObjectionAttachment:
    return object_or_404(ObjectionAttachment.objects.all(), pk, objection__notice=notice)
