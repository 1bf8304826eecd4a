"""Background jobs of the portal core."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.models import Notification


# smtplib.SMTPException and socket errors are both OSErrors: a mail server that is down is retried with backoff.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> None:
    """E-mail one notification to its recipient, once: a retry or a duplicate delivery of the task sends nothing
    more after the row has been marked as e-mailed."""
    with transaction.atomic():
        # The lock makes a concurrent duplicate wait, then find the row already marked.
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed=False)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return
        url = settings.PORTAL_BASE_URL + (notification.link or reverse("inbox"))
        with translation.override(settings.LANGUAGE_CODE):
            body = notification.body + "\n\n" + _("Open it in the portal: %(url)s") % {"url": url}
        send_mail(notification.subject, body, None, [notification.recipient.email])
        notification.emailed = True
        notification.save(update_fields=["emailed"])


@shared_task
def send_password_reset_email(email: str, language: str) -> None:
    """The link to set a new password, to the accounts of ``email`` (none when no active account has it)."""
    from portal.services import password_reset_email_send

    password_reset_email_send(email=email, language=language)


@shared_task
def sweep_notification_emails() -> int:
    from portal.services import notification_emails_sweep

    return notification_emails_sweep()


@shared_task
def audit_archive() -> str:
    """Monthly: audit rows past the retention period to an archive file (``portal.services.audit_archive``)."""
    from portal.services import audit_archive as archive

    path = archive()
    return str(path or "")
