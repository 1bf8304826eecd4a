from celery import Task, shared_task


@shared_task
def flag_overdue() -> int:
    """Daily: tell the responsible department about each application past its stage deadline, once a day."""
    from filings.services.review import overdue_notify

    return overdue_notify()


class ReceiptTask(Task):
    """Records each failed rendering on the receipt; after the last retry it marks the receipt failed."""

    def on_retry(self, exc, task_id, args, kwargs, einfo) -> None:
        from filings.services.filing import receipt_note_error

        receipt_note_error(receipt_id=args[0], error=exc, final=False)

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        from filings.services.filing import receipt_note_error

        receipt_note_error(receipt_id=args[0], error=exc, final=True)


@shared_task(base=ReceiptTask, autoretry_for=(Exception,), retry_backoff=5, retry_backoff_max=300, max_retries=5)
def render_receipt(receipt_id: int) -> str | None:
    """Render one filing receipt's PDF; idempotent, so a retry or a second delivery changes nothing."""
    from filings.models import Receipt
    from filings.services.filing import receipt_render

    receipt = Receipt.objects.filter(pk=receipt_id).first()
    return receipt_render(receipt).status if receipt is not None else None


@shared_task
def sweep_receipts() -> int:
    """Every minute: queue again the receipts still pending (the broker was down when they were approved)."""
    from filings.services.filing import receipts_sweep

    return receipts_sweep()
