"""Supervision's scheduled work: thin tasks that call a service."""

from celery import shared_task


@shared_task
def end_suspensions() -> int:
    """Nightly: lift every suspension whose last day has passed."""
    from supervision.services.sanctions import suspensions_end

    return suspensions_end()


@shared_task
def remind_overdue_complaints() -> int:
    """Working mornings: tell each department about its complaints past their reply date."""
    from supervision.services.complaints import complaints_overdue_notify

    return complaints_overdue_notify()
