from celery import shared_task


@shared_task
def flag_overdue() -> int:
    """Daily: tell the responsible department about each application past its stage deadline, once a day."""
    from filings.services.review import overdue_notify

    return overdue_notify()
