from django.db import migrations

from agencies.reference import load_occupations


def forwards(apps, schema_editor):
    load_occupations(apps.get_model("agencies", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
