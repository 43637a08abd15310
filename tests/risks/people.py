"""Owners are people of the directory: the person of a member user, made on first use."""

from apps.people.selectors import person_of_user
from apps.people.services.people import person_create


def person_for(user, *, number: str | None = None):
    """The person linked to `user` in the current tenant schema (created, linked, if none)."""
    return person_of_user(user.pk) or person_create(
        employee_number=number or f"T-{user.email.split('@')[0].upper()}",
        full_name=user.full_name or user.email,
        email=user.email,
        user_id=user.pk,
    )


def unlinked_person(number: str, name: str, *, active: bool = True):
    """Someone on the staff list who never logs in."""
    return person_create(employee_number=number, full_name=name, active=active)
