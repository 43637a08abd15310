"""Owners become people of the directory (3/3): the user columns go, the new ones take the name."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("risks", "0010_owners_to_people")]

    operations = [
        *(migrations.RemoveField(model_name=m, name="owner") for m in ("risk", "control", "treatmentaction")),
        *(
            migrations.RenameField(model_name=m, old_name="owner_person", new_name="owner")
            for m in ("risk", "control", "treatmentaction")
        ),
    ]
