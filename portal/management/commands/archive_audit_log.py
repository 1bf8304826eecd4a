"""``manage.py archive_audit_log``: move audit rows older than ``AUDIT_RETENTION_DAYS`` (at least 184) to a gzip
JSON-lines file under ``AUDIT_ARCHIVE_DIR``, then delete them (the beat task ``portal.tasks.audit_archive`` runs
it monthly). Keep the files: ``verify_audit_chain`` verifies them with the table."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.services import audit_archive


class Command(BaseCommand):
    help = "Archive audit rows past the retention period to a gzip JSON-lines file, then delete them."

    def handle(self, *args, **options) -> None:
        path = audit_archive()
        self.stdout.write(f"Archived to {path}." if path else "No audit rows are past the retention period.")
