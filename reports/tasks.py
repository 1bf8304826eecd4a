from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=3)
def generate_report(report_id: int, user_id: int | None = None) -> int:
    """Compute a report's numbers into a new version (the page polls its progress)."""
    from reports.services import report_compute

    return report_compute(report_id=report_id, user_id=user_id)


@shared_task
def generate_due_reports(today: str | None = None) -> int:
    """The schedule's entry (django-celery-beat, editable in the admin): every report due soon, generated.
    ``today`` (ISO date) stands in for the date, for a catch-up run or a test."""
    import datetime as dt

    from reports.services import reports_generate_due

    return len(reports_generate_due(dt.date.fromisoformat(today) if today else None))
