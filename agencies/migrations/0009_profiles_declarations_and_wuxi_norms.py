"""The condition profiles again from ``agencies.profiles``: Guangxi's 附件1 三 and 一（五） as declarations, Wuxi's
rooms, single theory room, seat spacing, head of agency, finance staff and management systems. Calls keep the
rules of the version they were published with; a new version takes these."""

from django.db import migrations

from agencies.profiles import load_profiles


def forwards(apps, schema_editor):
    load_profiles(apps.get_model("agencies", "ConditionProfile"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0008_directory")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
