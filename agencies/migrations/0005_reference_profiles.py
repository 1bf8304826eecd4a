from django.db import migrations

from agencies.profiles import load_profiles


def forwards(apps, schema_editor):
    load_profiles(apps.get_model("agencies", "ConditionProfile"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0004_conditionprofile_call_callversion")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
