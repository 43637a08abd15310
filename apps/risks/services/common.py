"""Small helpers the register's services share."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model

from apps.accounts.selectors import members_here
from apps.core.errors import refuse as refusal
from apps.risks.errors import RiskErrorCode as Code

M = TypeVar("M", bound=Model)


def invalid(field: str | None, message: str, code: Code = Code.INVALID) -> ValidationError:
    return refusal(field, message, code)


def get_for_update(model: type[M], pk, *, field: str = "id", related: tuple = ()) -> M:
    """Lock the row (joining `related`, unlocked) and return it, or refuse with NOT_FOUND."""
    rows = model._default_manager.select_for_update(of=("self",)).select_related(*related)
    obj = rows.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise invalid(field, f"No such {model._meta.verbose_name}.", Code.NOT_FOUND)
    return obj


def check_member(user_id, *, field: str):
    """Owners and assessors must be members of the request's tenant."""
    if user_id is None:
        return None
    user = members_here([user_id]).get(user_id)
    if user is None:
        raise invalid(field, "Not a member of this tenant.", Code.NOT_A_MEMBER)
    return user


def check_person(person_id, *, field: str, current=None):
    """Owners are people of this tenant's directory, active when named. `current` (the owner
    already named) passes unchecked, so an edit keeps an owner who has since left."""
    if person_id is None or (current is not None and str(person_id) == str(current)):
        return None
    from apps.people.selectors import person_by_id

    person = person_by_id(person_id)
    if person is None:
        raise invalid(field, "No such person in the directory.", Code.NOT_FOUND)
    if not person.active:
        raise invalid(field, "This person is inactive (has left).", Code.PERSON_INACTIVE)
    return person
