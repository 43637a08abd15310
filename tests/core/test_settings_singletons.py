"""A tenant's settings rows exist once: a second row (two racing first reads) is refused by the
database, and the read creates the row when it is missing."""

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from apps.early_warning.models import WarningSettings
from apps.risks.models import RegisterSettings


@pytest.mark.parametrize("model", [RegisterSettings, WarningSettings])
def test_a_second_settings_row_is_refused(world, model):
    with schema_context(world.a.schema_name):
        if not model.objects.exists():
            model.objects.create()
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create()
        assert model.objects.count() == 1


def test_the_reads_create_the_missing_row_once(world):
    from apps.early_warning.selectors import warning_settings
    from apps.risks.selectors import register_settings

    with schema_context(world.a.schema_name):
        RegisterSettings.objects.all().delete()
        WarningSettings.objects.all().delete()
        first, again = register_settings(), register_settings()
        assert first.pk == again.pk and RegisterSettings.objects.count() == 1
        first, again = warning_settings(), warning_settings()
        assert first.pk == again.pk and WarningSettings.objects.count() == 1
