from celery import shared_task


@shared_task
def close_due_notices() -> int:
    """Daily: close each public notice whose objection window has passed with no objection pending."""
    from publicity.services import notices_close_due

    return notices_close_due()
