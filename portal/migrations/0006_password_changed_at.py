from django.db import migrations, models
from django.db.models.functions import Now


def start_the_clock(apps, schema_editor):
    """Existing passwords count from the day the rule came in, rather than all expiring at once."""
    apps.get_model("portal", "User").objects.filter(password_changed_at=None).update(password_changed_at=Now())


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_rendered_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="password_changed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="password changed"),
        ),
        migrations.RunPython(start_the_clock, migrations.RunPython.noop),
    ]
