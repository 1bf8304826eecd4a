"""Who is told what when an application moves. Messages are queued after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from filings.models import Application
from filings.selectors import reviewers_for
from filings.tasks import send_email


def notify_submitted(application_id: int, version: int) -> None:
    application = Application.objects.select_related("organisation", "region").get(pk=application_id)
    recipients = [user.email for user in reviewers_for(application) if user.email]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New filing application to review: %(name)s") % {"name": application.organisation.name}
        body = _(
            "%(name)s has submitted version %(version)d of its filing application %(reference)s.\n"
            "What to do next: review it in the portal; recommend it, ask for corrections or decline.\n"
            "%(link)s"
        ) % {
            "name": application.organisation.name,
            "version": version,
            "reference": application.reference,
            "link": settings.PORTAL_BASE_URL + reverse("filings:application_detail", args=[application.pk]),
        }
    send_email.delay(subject=subject, body=body, recipients=recipients)
