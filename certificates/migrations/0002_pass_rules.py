from django.db import migrations

from certificates.reference import load_pass_rules


def forwards(apps, schema_editor):
    load_pass_rules(apps.get_model("certificates", "PassRule"), apps.get_model("agencies", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_reference_occupations"),
        ("certificates", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
