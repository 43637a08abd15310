"""Seed every tenant schema with the taxonomy, the default matrix and register settings.

A migration (not only a provisioning seeder) so tenants that existed before the register was
installed get the same starting point as new ones. Idempotent.
"""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from apps.risks.matrix import default_definition
    from apps.risks.models.setup import default_residual_rule, default_review_cadence
    from apps.risks.services.configuration import SEED_CATEGORIES

    RiskCategory = apps.get_model("risks", "RiskCategory")
    RiskMatrix = apps.get_model("risks", "RiskMatrix")
    RegisterSettings = apps.get_model("risks", "RegisterSettings")
    for code, name_en, name_zh in SEED_CATEGORIES:
        RiskCategory.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_zh": name_zh, "path": code, "seeded": True})
    if not RiskMatrix.objects.exists():
        RiskMatrix.objects.create(name="Default 5×5", version=1, is_active=True,
                                  definition=default_definition(), activated_at=timezone.now())
    if not RegisterSettings.objects.exists():
        RegisterSettings.objects.create(review_cadence_days=default_review_cadence(),
                                        residual_steps=default_residual_rule())


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
