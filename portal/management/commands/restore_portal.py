"""``manage.py restore_portal FOLDER --yes [--database-url URL] [--media-root PATH]``: restore a backup made by
``backup_portal`` — replacing the database's tables and adding the media files — then compare every table's row
count and checksum with the backup's manifest (exit 1 on any difference). See the README's "Backup and restore"."""

from __future__ import annotations

from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into the database and the media folder, then verify every table."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--database-url", default="", help="restore into this database instead of DATABASE_URL")
        parser.add_argument("--media-root", type=Path, default=None, help="instead of MEDIA_ROOT")
        parser.add_argument("--yes", action="store_true", help="confirm: the database's tables are replaced")

    def handle(self, *args, folder: Path, database_url: str, media_root: Path | None, yes: bool, **options):
        if not yes:
            raise CommandError("A restore replaces the database's tables: run it again with --yes.")
        database = environ.Env.db_url_config(database_url) if database_url else settings.DATABASES["default"]
        try:
            differences = restore(folder=folder, database=database, media_root=media_root or Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        if differences:
            raise CommandError(f"Restored, but {len(differences)} tables differ from the backup: {sorted(differences)}")
        self.stdout.write(f"Restored {folder} into {database['NAME']}: every table matches the backup.")
