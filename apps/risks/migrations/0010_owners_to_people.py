"""Owners become people of the directory (2/3): each owner user becomes (or finds) a person.

For every user who owns a risk, a control or a treatment action, or is the owner in an
acceptance's snapshot: the person already linked to that user, else a new person —
employee number `USER-<user id>` (`USER-<user id>-2`, `-3`, … if that number is taken),
name = the user's full name (else e-mail), e-mail copied, active as the user is, linked to the
user when the user is a member of this tenant. Snapshots then name the person's id, so the
change of column is not an "owner changed" that voids approved acceptances. Idempotent.
"""

from django.db import migrations

OWNED = ("Risk", "Control", "TreatmentAction")


def employee_number(user_id: int, taken: set[str]) -> str:
    base = f"USER-{user_id}"
    number, n = base, 2
    while number in taken:
        number, n = f"{base}-{n}", n + 1
    return number


def owners_to_people(models: dict, schema_name: str) -> int:
    """Returns how many people were created. `models`: name → (historical or real) class:
    Risk, Control, TreatmentAction, RiskAcceptance, Person, User, Membership."""
    Person, User, Membership = models["Person"], models["User"], models["Membership"]
    user_ids: set[int] = set()
    for name in OWNED:
        owned = models[name].objects.filter(owner__isnull=False, owner_person__isnull=True)
        user_ids |= set(owned.values_list("owner_id", flat=True))
    acceptances = [
        a
        for a in models["RiskAcceptance"].objects.exclude(snapshot=None)
        if isinstance((a.snapshot or {}).get("owner_id"), int)
    ]
    user_ids |= {a.snapshot["owner_id"] for a in acceptances}
    people = {p.user_id: p for p in Person.objects.filter(user_id__in=user_ids)}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    members = set(
        Membership.objects.filter(
            user_id__in=user_ids, tenant__schema_name=schema_name
        ).values_list("user_id", flat=True)
    )
    taken = set(Person.objects.values_list("employee_number", flat=True))
    created = 0
    for user_id in sorted(user_ids - set(people)):
        user = users.get(user_id)
        number = employee_number(user_id, taken)
        taken.add(number)
        people[user_id] = Person.objects.create(
            employee_number=number,
            full_name=((user.full_name or user.email) if user else number)[:120],
            email=user.email if user else "",
            active=user.is_active if user else False,
            user_id=user_id if user_id in members else None,
        )
        created += 1
    # A data migration: no actor, no audit entry (the trail starts with the first edit).
    for name in OWNED:
        for user_id, person in people.items():
            models[name].objects.filter(owner_id=user_id, owner_person__isnull=True).update(
                owner_person=person
            )
    for acceptance in acceptances:
        acceptance.snapshot["owner_id"] = str(people[acceptance.snapshot["owner_id"]].pk)
        acceptance.save(update_fields=["snapshot"])
    return created


def forwards(apps, schema_editor):
    models = {name: apps.get_model("risks", name) for name in (*OWNED, "RiskAcceptance")}
    models["Person"] = apps.get_model("people", "Person")
    models["User"] = apps.get_model("accounts", "User")
    models["Membership"] = apps.get_model("accounts", "Membership")
    owners_to_people(models, schema_editor.connection.schema_name)


class Migration(migrations.Migration):
    dependencies = [("risks", "0009_owner_person"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
