"""Risks get reference numbers (R-0001, …): the existing ones in creation order."""

from django.db import migrations, models


def number_existing(apps, schema_editor):
    Risk = apps.get_model("risks", "Risk")
    for number, pk in enumerate(
        Risk.objects.order_by("created_at", "id").values_list("pk", flat=True), start=1
    ):
        Risk.objects.filter(pk=pk).update(number=number)


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0011_owner_person_replaces_user"),
    ]

    operations = [
        migrations.AddField(
            model_name="risk",
            name="number",
            field=models.PositiveIntegerField(
                blank=True,
                editable=False,
                help_text="Its reference is R-<number>.",
                null=True,
                unique=True,
            ),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop, elidable=True),
    ]
