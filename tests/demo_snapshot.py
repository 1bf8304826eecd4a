"""The demo, seeded once per test process and copied back for every later test that asks for it (PostgreSQL).

``manage.py seed_demo`` walks every app's services (submissions, attachments, PDFs, notifications, the audit
chain): about 30 s on PostgreSQL. About forty tests start from the demo, most of them browser tests on one worker,
and seeding it for each took half of CI's time. The first seed in a process is the real command; its result, every
table's rows, is kept with COPY (binary) and written back with COPY into emptied tables for the next test. The
sequences only move forward, so rows a test adds never take an id an earlier test used.

The copy is only used on a database that holds nothing but reference data (no user yet), which is what the
command started from when the copy was taken; otherwise, and on SQLite, the command runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

# The tables with triggers of their own: the audit log refuses TRUNCATE (portal/migrations/0007_audit_trigger.py),
# and the applications keep the ranking tally (filings/migrations/0012_ranking_tally.py), which the copy brings
# as it was. The test harness, as the tables' owner, sets those triggers aside while it writes the rows back.
TRIGGERED = """
SELECT DISTINCT tbl.relname FROM pg_trigger trg JOIN pg_class tbl ON tbl.oid = trg.tgrelid
JOIN pg_namespace ns ON ns.oid = tbl.relnamespace
WHERE NOT trg.tgisinternal AND ns.nspname = current_schema()
ORDER BY tbl.relname
"""

SEQUENCES = """
SELECT seq.relname, tbl.relname, col.attname
FROM pg_class seq
JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')
JOIN pg_class tbl ON tbl.oid = dep.refobjid
JOIN pg_attribute col ON col.attrelid = tbl.oid AND col.attnum = dep.refobjsubid
JOIN pg_namespace ns ON ns.oid = seq.relnamespace
WHERE seq.relkind = 'S' AND ns.nspname = current_schema()
"""


@dataclass
class Snapshot:
    day: dt.date
    rows: dict[str, bytes]


_snapshot: Snapshot | None = None


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if name != "django_migrations")


def _empty_but_reference_data() -> bool:
    from portal.models import User

    return not User.objects.exists()


def usable() -> bool:
    return connection.vendor == "postgresql" and _empty_but_reference_data()


def restore() -> bool:
    """Writes the kept demo back; False when there is none for today or the database is not a fresh one."""
    if _snapshot is None or _snapshot.day != timezone.localdate() or not usable():
        return False
    write_back(_snapshot)
    return True


def write_back(snapshot: Snapshot) -> None:
    """Empties every table and writes the kept rows back; the sequences only move forward."""
    tables = list(snapshot.rows)
    quoted = ", ".join(connection.ops.quote_name(name) for name in tables)
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(TRIGGERED)
        triggered = [sql.Identifier(name) for (name,) in raw.fetchall()]
        for table in triggered:
            raw.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(table))
        raw.execute(f"TRUNCATE {quoted}")
        for name, data in snapshot.rows.items():
            if data:
                with raw.copy(f"COPY {connection.ops.quote_name(name)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(data)
        # The foreign keys are checked now (they are deferred), so that no event is pending when the triggers
        # come back on.
        raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in triggered:
            raw.execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER USER").format(table))
        raw.execute(SEQUENCES)
        for sequence, table, column in raw.fetchall():
            raw.execute(
                sql.SQL(
                    "SELECT setval({name}, GREATEST((SELECT last_value FROM {sequence}), "
                    "(SELECT COALESCE(MAX({column}), 1) FROM {table})))"
                ).format(
                    name=sql.Literal(sequence),
                    sequence=sql.Identifier(sequence),
                    column=sql.Identifier(column),
                    table=sql.Identifier(table),
                )
            )
    ContentType.objects.clear_cache()


def keep() -> Snapshot:
    """Keeps every table's rows as the command left them."""
    global _snapshot
    rows = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for name in _tables():
            with raw.copy(f"COPY {connection.ops.quote_name(name)} TO STDOUT (FORMAT BINARY)") as copy:
                rows[name] = b"".join(bytes(block) for block in copy)
    _snapshot = Snapshot(day=timezone.localdate(), rows=rows)
    return _snapshot
