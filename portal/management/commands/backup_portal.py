"""``manage.py backup_portal [--to FOLDER]``: the database (pg_dump, custom format) and the media folder (tar.gz)
into a new dated folder under ``BACKUP_DIR`` (default ``var/backups``), with a manifest of checksums.
See ``portal.lib.backup`` and the README's "Backup and restore"."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and the media folder into a new dated folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", type=Path, default=None, help="the folder to put the dated backup in")

    def handle(self, *args, to: Path | None, **options) -> None:
        try:
            folder = backup(
                database=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
                destination=to or Path(settings.BACKUP_DIR),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
