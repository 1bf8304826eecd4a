"""A trigram index on the applications' reference numbers for the officials' text search (issue 16): the
search ``UPPER(reference) LIKE '%…%'`` scanned every application. PostgreSQL only (pg_trgm, created by
agencies' migration 0011); elsewhere (SQLite) the search scans, as before."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS application_reference_trgm ON filings_application "
    "USING gin (UPPER(reference) gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS application_reference_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0011_directory_sort_key_and_trigram_search"),
        ("filings", "0009_call_ranking_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
