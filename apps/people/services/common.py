"""What the people services share: refusals (several at once), row locks, membership."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model

from apps.accounts.selectors import members_here
from apps.core.errors import Problems  # noqa: F401  (the services import it from here)
from apps.core.errors import refuse as refusal
from apps.people.errors import PeopleErrorCode as Code

M = TypeVar("M", bound=Model)


def get_for_update(model: type[M], pk: Any, *, field: str = "id") -> M:
    """Lock the row and return it, or refuse with NOT_FOUND."""
    rows = model._default_manager.select_for_update(of=("self",))
    obj = rows.filter(pk=pk).first() if pk else None
    if obj is None:
        raise refusal(field, f"No such {model._meta.verbose_name}.", Code.NOT_FOUND)
    return obj


def is_member(user_id) -> bool:
    return user_id in members_here([user_id])


def full_clean(obj: Model, *, exclude: list[str] | None = None) -> None:
    """Model validation with Django's own codes turned into ours (unique → …_TAKEN)."""
    taken = {"code": Code.CODE_TAKEN, "employee_number": Code.EMPLOYEE_NUMBER_TAKEN}
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        for field, errors in exc.error_dict.items():
            for error in errors:
                if error.code == "unique" and field in taken:
                    error.code = taken[field].value
        raise
