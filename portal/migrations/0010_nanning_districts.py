"""Nanning's districts and counties (GB/T 2260), for the agencies of the capital to register in (first-day
finding: 西乡塘区 was missing). ``load_regions`` updates or creates, so the regions already loaded stay as they are."""

from django.db import migrations

from portal.reference import load_regions


def forwards(apps, schema_editor):
    load_regions(apps.get_model("portal", "Region"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0009_notification_todo")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
