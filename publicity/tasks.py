from celery import shared_task


@shared_task
def close_due_notices() -> int:
    """Daily: close each public notice whose objection window has passed with no objection pending."""
    from publicity.services import notices_close_due

    return notices_close_due()


@shared_task
def render_notice_pdf(notice_id: int) -> None:
    """Render a just-published notice's PDF, so that the first reader downloads a stored file."""
    from publicity.models import Notice
    from publicity.pdf import notice_pdf_file

    notice = Notice.objects.filter(pk=notice_id, status__in=(Notice.Status.PUBLISHED, Notice.Status.CLOSED)).first()
    if notice is not None:
        notice_pdf_file(notice)
