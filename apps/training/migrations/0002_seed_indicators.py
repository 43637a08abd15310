"""The built-in training indicators, for new and existing tenants, through the early-warning
service (it needs the register's seeded categories). Idempotent."""

from django.db import migrations


def seed(apps, schema_editor):
    if schema_editor.connection.schema_name == "public":
        return  # tenant tables only
    from apps.training.services.indicators import ensure_indicators

    ensure_indicators()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("risks", "0002_seed_register"),
        ("early_warning", "0003_admin_labels"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
