"""Backup and restore of a PostgreSQL deployment (``manage.py backup_portal`` / ``restore_portal``).

A backup is one dated folder: ``database.dump`` (``pg_dump`` custom format: compressed, restorable table by
table with ``pg_restore``), ``media.tar.gz`` (the uploads and rendered documents under ``MEDIA_ROOT``) and
``manifest.json`` (when, what, the SHA-256 of both files, and each table's row count and checksum at the time
of the dump). A restore checks the files against the manifest, restores the database into the database named
(``--clean``: whatever was there is replaced), unpacks the media, and compares every table's row count and
checksum with the manifest.

The checksum of a table is the MD5 of its rows as text, in the order of that text (``table_checksums``): equal
tables, equal checksums, whatever order the rows were stored in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import psycopg
from django.db.utils import load_backend
from psycopg import sql

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _conninfo(database: dict[str, Any]) -> dict[str, str]:
    return {
        "host": database.get("HOST") or "127.0.0.1",
        "port": str(database.get("PORT") or 5432),
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
        "dbname": database["NAME"],
    }


def _env(info: dict[str, str]) -> dict[str, str]:
    # The password goes through the environment, never on a command line another user could read with ps.
    return {**os.environ, "PGPASSWORD": info["password"]}


def _client_args(info: dict[str, str]) -> list[str]:
    return ["--host", info["host"], "--port", info["port"], "--username", info["user"], "--no-password"]


def _require_postgresql(database: dict[str, Any]) -> None:
    engine = database.get("ENGINE")
    if not engine or load_backend(engine).DatabaseWrapper.vendor != "postgresql":
        raise BackupError(
            "Backups are made of a PostgreSQL database (DATABASE_URL=postgres://…); the development SQLite file "
            "var/db.sqlite3 is copied as a file."
        )
    for program in ("pg_dump", "pg_restore"):
        if shutil.which(program) is None:
            raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client).")


def _run(program: str, arguments: list[str], info: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client program found on PATH (checked by ``_require_postgresql``), without a shell."""
    executable = shutil.which(program) or program
    return subprocess.run(  # noqa: S603  a fixed program; its arguments come from the settings, no shell
        [executable, *arguments], env=_env(info), capture_output=True, text=True, check=False
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def table_checksums(database: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Row count and MD5 checksum of every table of the ``public`` schema."""
    with psycopg.connect(**_conninfo(database)) as connection, connection.cursor() as cursor:
        return _checksums(cursor)


def _checksums(cursor) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    for (table,) in cursor.fetchall():
        query = sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t")
        cursor.execute(query.format(sql.Identifier(table)))
        count, checksum = cursor.fetchone()
        result[table] = {"rows": count, "md5": checksum}
    return result


def backup(*, database: dict[str, Any], media_root: Path, destination: Path, now: dt.datetime | None = None) -> Path:
    """Dump ``database`` and pack ``media_root`` into a new dated folder under ``destination``; its path."""
    _require_postgresql(database)
    info = _conninfo(database)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H%M%SZ")
    folder = destination / stamp
    folder.mkdir(parents=True, exist_ok=False)
    dump = folder / DUMP
    # The checksums and the dump see the same snapshot of the database, however busy it is meanwhile.
    with psycopg.connect(**info) as connection, connection.cursor() as cursor:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        checksums = _checksums(cursor)
        completed = _run(
            "pg_dump",
            [*_client_args(info), "--format", "custom", "--snapshot", snapshot, "--file", str(dump), info["dbname"]],
            info,
        )
    if completed.returncode != 0:
        raise BackupError(f"pg_dump failed: {completed.stderr.strip()[:2000]}")
    media = folder / MEDIA
    with tarfile.open(media, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "made": stamp,
        "database": info["dbname"],
        "files": {DUMP: _sha256(dump), MEDIA: _sha256(media)},
        "tables": checksums,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder


def restore(*, folder: Path, database: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Restore the backup in ``folder`` into ``database`` and ``media_root``, then compare every table with the
    manifest. Returns the differences (empty when the restore is faithful)."""
    _require_postgresql(database)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for name, expected in manifest["files"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is not the file that was backed up (its SHA-256 differs).")
    info = _conninfo(database)
    completed = _run(
        "pg_restore",
        [
            *_client_args(info),
            "--dbname",
            info["dbname"],
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            str(folder / DUMP),
        ],
        info,
    )
    if completed.returncode != 0:
        raise BackupError(f"pg_restore failed: {completed.stderr.strip()[:2000]}")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media").lstrip("/") or "."
        archive.extractall(media_root, members=members, filter="data")
    restored = table_checksums(database)
    return {
        table: {"backed_up": expected, "restored": restored.get(table)}
        for table, expected in manifest["tables"].items()
        if restored.get(table) != expected
    }
