"""The directory moves to ``agencies`` and notices with their objections to ``publicity`` (generic over what
they publish). The rows are copied with their ids, so links and tracking codes keep working, before the old
tables are dropped; the application now points at its directory entry."""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models


def copy_rows(apps, schema_editor):
    Application = apps.get_model("filings", "Application")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = {name: apps.get_model("filings", name) for name in (
        "DirectoryEntry", "DirectoryOccupation", "DirectoryStatusChange", "Notice", "Objection", "ObjectionAttachment"
    )}
    new = {
        "DirectoryEntry": apps.get_model("agencies", "DirectoryEntry"),
        "DirectoryOccupation": apps.get_model("agencies", "DirectoryOccupation"),
        "DirectoryStatusChange": apps.get_model("agencies", "DirectoryStatusChange"),
        "Notice": apps.get_model("publicity", "Notice"),
        "NoticeItem": apps.get_model("publicity", "NoticeItem"),
        "Objection": apps.get_model("publicity", "Objection"),
        "ObjectionAttachment": apps.get_model("publicity", "ObjectionAttachment"),
    }
    for entry in old["DirectoryEntry"].objects.all():
        new["DirectoryEntry"].objects.create(
            pk=entry.pk,
            organisation_id=entry.organisation_id,
            region_id=entry.region_id,
            scope=entry.scope,
            institution_code=entry.institution_code,
            status=entry.status,
            filed_on=entry.filed_on,
            status_changed_on=entry.status_changed_on,
        )
        Application.objects.filter(pk=entry.application_id).update(directory_entry_id=entry.pk)
    new["DirectoryOccupation"].objects.bulk_create(
        new["DirectoryOccupation"](pk=row.pk, entry_id=row.entry_id, occupation_id=row.occupation_id, level=row.level)
        for row in old["DirectoryOccupation"].objects.all()
    )
    new["DirectoryStatusChange"].objects.bulk_create(
        new["DirectoryStatusChange"](
            pk=row.pk,
            entry_id=row.entry_id,
            status=row.status,
            changed_on=row.changed_on,
            reason=row.reason,
            actor_id=row.actor_id,
        )
        for row in old["DirectoryStatusChange"].objects.all()
    )
    notices = list(old["Notice"].objects.select_related("call").prefetch_related("applications__organisation"))
    if notices:
        application_type, _ = ContentType.objects.get_or_create(app_label="filings", model="application")
    items = {}
    for notice in notices:
        version = notice.call.versions.order_by("-number").first()
        new["Notice"].objects.create(
            pk=notice.pk,
            kind="filing_selection",
            region_id=notice.call.province_id,
            subtitle=version.title if version else notice.call.code,
            title=notice.title,
            body=notice.body,
            window_days=notice.window_days,
            status=notice.status,
            published_at=notice.published_at,
            opens_on=notice.opens_on,
            closes_on=notice.closes_on,
            closed_at=notice.closed_at,
            created_by_id=notice.created_by_id,
            published_by_id=notice.published_by_id,
        )
        for application in notice.applications.all():
            upheld = notice.objections.filter(application=application, status="upheld").order_by("handled_at").first()
            items[notice.pk, application.pk] = new["NoticeItem"].objects.create(
                notice_id=notice.pk,
                content_type=application_type,
                object_id=application.pk,
                label=application.organisation.name,
                withdrawn_at=upheld.handled_at if upheld else None,
            )
    for objection in old["Objection"].objects.all():
        new["Objection"].objects.create(
            pk=objection.pk,
            notice_id=objection.notice_id,
            item=items[objection.notice_id, objection.application_id],
            name=objection.name,
            contact=objection.contact,
            content=objection.content,
            tracking_code=objection.tracking_code,
            created=objection.created,
            ip=objection.ip,
            status=objection.status,
            reply=objection.reply,
            handled_by_id=objection.handled_by_id,
            handled_at=objection.handled_at,
        )
    new["ObjectionAttachment"].objects.bulk_create(
        new["ObjectionAttachment"](
            pk=row.pk,
            objection_id=row.objection_id,
            file=row.file,
            original_name=row.original_name,
            content_type=row.content_type,
            size=row.size,
        )
        for row in old["ObjectionAttachment"].objects.all()
    )
    # Rows were inserted with explicit ids: move each sequence past them (PostgreSQL; a no-op on SQLite).
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), list(new.values()))
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0008_directory"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("filings", "0004_notice_published_by"),
        ("publicity", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="directory_entry",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="application",
                to="agencies.directoryentry",
                verbose_name="directory entry",
            ),
        ),
        migrations.RunPython(copy_rows, migrations.RunPython.noop),
        migrations.DeleteModel(name="ObjectionAttachment"),
        migrations.DeleteModel(name="Objection"),
        migrations.DeleteModel(name="Notice"),
        migrations.DeleteModel(name="DirectoryStatusChange"),
        migrations.DeleteModel(name="DirectoryOccupation"),
        migrations.DeleteModel(name="DirectoryEntry"),
    ]
