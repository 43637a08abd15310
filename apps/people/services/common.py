"""What the people services share: refusals (several at once), row locks, membership."""

from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from apps.accounts.selectors import members_here
from apps.core.errors import refuse as refusal
from apps.people.errors import PeopleErrorCode as Code

M = TypeVar("M", bound=Model)


class Problems:
    """Collects refusals so one call reports every problem of its input, not the first one."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str | None, message: str, code: Code = Code.INVALID) -> None:
        error = refusal(field, message, code)
        for key, errors in getattr(error, "error_dict", {NON_FIELD_ERRORS: [error]}).items():
            self.errors.setdefault(key, []).extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


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
