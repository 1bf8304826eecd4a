"""Every district and county of Guangxi and Shaanxi (GB/T 2260), the provinces with a filing route (first-day
tester: the directory's search box ignored 柳南区 and 雁塔区, which the table lacked). ``load_regions`` updates or
creates, so the regions already loaded stay as they are."""

from django.db import migrations

from portal.reference import load_regions


def forwards(apps, schema_editor):
    load_regions(apps.get_model("portal", "Region"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0010_nanning_districts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
