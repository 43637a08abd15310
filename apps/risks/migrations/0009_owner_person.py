"""Owners become people of the directory (1/3): the new columns, next to the old user ones."""

import django.db.models.deletion
from django.db import migrations, models


def _owner(help_text: str) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True,
        help_text=help_text,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="people.person",
    )


class Migration(migrations.Migration):
    dependencies = [("risks", "0008_risklossevent"), ("people", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="risk",
            name="owner_person",
            field=_owner("The person accountable (the directory's)."),
        ),
        migrations.AddField(
            model_name="control",
            name="owner_person",
            field=_owner("The person who owns it (the directory's)."),
        ),
        migrations.AddField(
            model_name="treatmentaction",
            name="owner_person",
            field=_owner("The person who does it (the directory's)."),
        ),
    ]
