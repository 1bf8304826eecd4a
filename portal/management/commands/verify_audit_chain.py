"""``manage.py verify_audit_chain [ARCHIVE.jsonl.gz ...]``: verify the audit log's HMAC-SM3 chain.

Archive files (``manage.py archive_audit_log``) given oldest first are verified before the table. Exits 0 when
the chain holds; otherwise names the first broken row and exits 1."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import AuditEvent
from portal.services import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's HMAC-SM3 chain and name the first broken row."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archives", nargs="*", type=Path, help="archive files, oldest first")

    def handle(self, *args, archives: list[Path], **options) -> None:
        broken = audit_chain_verify(archives=archives)
        if broken is not None:
            raise CommandError(
                f"The audit chain is broken at row seq={broken.seq} (id={broken.row_id}): {broken.reason}."
            )
        count = AuditEvent.objects.exclude(seq=None).count()
        self.stdout.write(
            f"The audit chain holds: {count} rows in the table"
            + (f", {len(archives)} archive files." if archives else ".")
        )
