"""Supervision's scheduled work: thin tasks that call a service."""

from celery import shared_task


@shared_task
def end_suspensions() -> int:
    """Nightly: lift every suspension whose last day has passed."""
    from supervision.services.sanctions import suspensions_end

    return suspensions_end()
