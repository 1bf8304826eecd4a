"""On PostgreSQL, the audit log refuses UPDATE and TRUNCATE always, and DELETE of a row younger than 184 days
(six months, the legal floor; ``AUDIT_RETENTION_DAYS`` may keep rows longer, never shorter). SQLite has no such
trigger: there the model (``WrittenOnce``) and the chain are the only guard."""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION portal_auditevent_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit rows are never changed (portal_auditevent %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    ELSIF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'the audit log is never truncated' USING ERRCODE = 'insufficient_privilege';
    ELSIF TG_OP = 'DELETE' AND OLD.time > now() - interval '184 days' THEN
        RAISE EXCEPTION 'audit rows are kept at least 184 days (portal_auditevent % of %)', OLD.id, OLD.time
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_auditevent_rows ON portal_auditevent;
DROP TRIGGER IF EXISTS portal_auditevent_truncate ON portal_auditevent;
CREATE TRIGGER portal_auditevent_rows BEFORE UPDATE OR DELETE ON portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_guard();
CREATE TRIGGER portal_auditevent_truncate BEFORE TRUNCATE ON portal_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION portal_auditevent_guard();
"""

REMOVE = """
DROP TRIGGER IF EXISTS portal_auditevent_rows ON portal_auditevent;
DROP TRIGGER IF EXISTS portal_auditevent_truncate ON portal_auditevent;
DROP FUNCTION IF EXISTS portal_auditevent_guard();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_audit_chain")]

    operations = [migrations.RunPython(install, remove)]
