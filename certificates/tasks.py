from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=5)
def render_certificates(session_id: int) -> int:
    """Render the electronic certificates of a session still without their PDF; a retry or a second delivery
    renders only what is missing."""
    from certificates.services import certificates_render

    return certificates_render(session_id=session_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=120, max_retries=3)
def check_results(attempt_id: int, language: str | None = None) -> str:
    """Check an uploaded results workbook and import it whole or refuse it whole (the page polls its progress);
    an attempt already checked is left as it is. ``language``: that of the page that sent it, for its errors."""
    from certificates.services import results_check

    return results_check(attempt_id=attempt_id, language=language).status


@shared_task
def notify_overdue_reports(today: str | None = None) -> int:
    """Daily: tell the agency and the HR bureau, once per report, that a results report is past its due day.
    ``today`` (ISO date) stands in for the date, for a catch-up run or a test."""
    import datetime as dt

    from certificates.services import reports_overdue_notify

    return reports_overdue_notify(dt.date.fromisoformat(today) if today else None)


@shared_task(ignore_result=True)
def verification_log_flush() -> int:
    """Beat's: the public verifications buffered in Redis written to the database in bulk."""
    from certificates.verification import verification_log_flush as flush

    return flush()
