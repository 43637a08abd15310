"""One settings row per tenant: extra rows (two racing first reads) go, then a unique constant."""

from django.db import migrations, models


def keep_first(apps, schema_editor):
    model = apps.get_model("early_warning", "WarningSettings")
    first = model.objects.order_by("created_at", "id").first()
    if first is not None:
        model.objects.exclude(pk=first.pk).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("early_warning", "0003_admin_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="warningsettings",
            name="singleton",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.RunPython(keep_first, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="warningsettings",
            name="singleton",
            field=models.BooleanField(default=True, editable=False, unique=True),
        ),
        migrations.AddConstraint(
            model_name="warningsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("singleton", True)), name="warning_settings_one_row"
            ),
        ),
    ]
