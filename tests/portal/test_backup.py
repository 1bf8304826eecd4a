"""Backup and restore drill (issue 14, item 9): data seeded, backed up, restored into a fresh database, and every
table compared by row count and checksum. PostgreSQL only: the backup is pg_dump's."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portal.lib.backup import table_checksums
from portal.models import AuditEvent, RenderedDocument
from portal.services import audit_chain_verify, audit_record

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL (pg_dump/pg_restore)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    settings_dict = dict(connection.settings_dict)
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**settings_dict, "NAME": name}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_table_for_table(
    reference_data, people, settings, tmp_path, fresh_database
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for n in range(5):
        audit_record(action="login", actor=people.centre, detail=f"第{n}次")
    RenderedDocument.objects.create(kind="t", object_id="1", file=ContentFile(b"%PDF-1.4 receipt", name="r.pdf"))
    stored = RenderedDocument.objects.get().file.name

    call_command("backup_portal", "--to", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    restored_media = tmp_path / "restored-media"
    url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{**fresh_database, "HOST": fresh_database["HOST"] or "127.0.0.1", "PORT": fresh_database["PORT"] or 5432}
    )
    call_command("restore_portal", str(folder), "--yes", "--database-url", url, "--media-root", str(restored_media))

    source, copy = table_checksums(connection.settings_dict), table_checksums(fresh_database)
    assert source == copy
    assert copy["portal_auditevent"]["rows"] == AuditEvent.objects.count() >= 5
    assert copy["portal_user"]["rows"] > 0
    assert (restored_media / stored).read_bytes() == b"%PDF-1.4 receipt"
    assert audit_chain_verify() is None


def test_a_damaged_backup_is_refused(reference_data, people, settings, tmp_path, fresh_database):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("backup_portal", "--to", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"x")
    url = "postgres://{USER}:{PASSWORD}@127.0.0.1:5432/{NAME}".format(**fresh_database)
    with pytest.raises(CommandError, match="SHA-256 differs"):
        call_command("restore_portal", str(folder), "--yes", "--database-url", url)


def test_a_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_portal", str(tmp_path))
