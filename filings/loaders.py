"""Object loaders: the gate between a request and an application or anything under one.

Every view fetches its application here and nowhere else, and a child (an attachment, a version, a review
record's photo, a panel seat, a receipt) only through its already-loaded parent, so an id that belongs to
another application is a 404 even when its own parent is the user's. What a user may see is decided by the
selectors (``applications_visible_to``, ``application_editable_by``); these turn "not yours" into 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from agencies.models import Call
from filings.models import Application, ApplicationVersion, Attachment, PanelMember, RecordPhoto
from filings.selectors import application_editable_by, applications_visible_to, attachments_readable_by, versions_of
from portal.lib.http import object_or_404


def application_for(request: HttpRequest, pk: int | str, *, write: bool = False) -> Application:
    """The application the user may read (an agency's own, an official's jurisdiction, an expert's assignment),
    or with ``write`` the one the user may edit (the agency's own); otherwise 404."""
    queryset = application_editable_by(request.user) if write else applications_visible_to(request.user)
    return object_or_404(queryset, pk)


def call_application_for(request: HttpRequest, call: Call, pk: int | str) -> Application:
    """An application of the call, among those the user may read."""
    return object_or_404(applications_visible_to(request.user).filter(call=call), pk)


def attachment_for(request: HttpRequest, application: Application, pk: int | str) -> Attachment:
    """An attachment of the application that the user may download (see ``attachments_readable_by``)."""
    return object_or_404(attachments_readable_by(request.user, application), pk)


def working_attachment_for(application: Application, pk: int | str) -> Attachment:
    """A file of the application's working copy (not removed), for the agency to remove."""
    return object_or_404(application.attachments.all(), pk, removed=False)


def version_for(application: Application, number: int) -> ApplicationVersion:
    """A submitted version of the application, by its number."""
    return get_object_or_404(versions_of(application), number=number)


def record_photo_for(application: Application, pk: int | str) -> RecordPhoto:
    return object_or_404(RecordPhoto.objects.select_related("record"), pk, record__application=application)


def panel_member_of(application: Application, pk: int | str) -> PanelMember:
    return object_or_404(application.panel.select_related("expert"), pk)
