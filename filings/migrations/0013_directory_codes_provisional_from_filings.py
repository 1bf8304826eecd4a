"""Directory entries whose code the portal generated provisionally say so (the receipt always did)."""

from django.db import migrations


def mark_provisional(apps, schema_editor):
    DirectoryEntry = apps.get_model("agencies", "DirectoryEntry")
    InstitutionCode = apps.get_model("filings", "InstitutionCode")
    codes = InstitutionCode.objects.filter(provisional=True).values("code")
    DirectoryEntry.objects.filter(institution_code__in=codes).update(code_provisional=True)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0012_directory_code_provisional"),
        ("filings", "0012_ranking_tally"),
    ]

    operations = [migrations.RunPython(mark_provisional, migrations.RunPython.noop)]
