from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=5)
def render_certificates(session_id: int) -> int:
    """Render the electronic certificates of a session still without their PDF; a retry or a second delivery
    renders only what is missing."""
    from certificates.services import certificates_render

    return certificates_render(session_id=session_id)


@shared_task(ignore_result=True)
def verification_log_flush() -> int:
    """Beat's: the public verifications buffered in Redis written to the database in bulk."""
    from certificates.verification import verification_log_flush as flush

    return flush()
