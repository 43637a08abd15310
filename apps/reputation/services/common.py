"""What the reputation services share: refusals collected per call, row locks."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model

from apps.core.errors import Problems as CoreProblems
from apps.core.errors import refuse
from apps.reputation.errors import ReputationErrorCode as Code

M = TypeVar("M", bound=Model)


class Problems(CoreProblems):
    """Core's collector; Django's own codes of a model check become this app's."""

    def merge(self, exc: ValidationError) -> None:
        known = {c.value for c in Code}
        for key, errors in exc.error_dict.items():
            for error in errors:
                if error.code == "unique":
                    error.code = Code.CODE_TAKEN.value
                elif error.code not in known:
                    error.code = Code.INVALID.value
            self.errors.setdefault(key, []).extend(errors)


def get_for_update(model: type[M], pk, *, field: str = "id") -> M:
    """Lock the row and return it, or refuse with NOT_FOUND."""
    obj = (
        model._default_manager.select_for_update(of=("self",)).filter(pk=pk).first() if pk else None
    )
    if obj is None:
        raise refuse(field, f"No such {model._meta.verbose_name}.", Code.NOT_FOUND)
    return obj


def full_clean(obj: Model, problems: Problems, *, exclude: list[str] | None = None) -> None:
    """The model's own checks, except on fields our checks already refused."""
    skip = sorted(set(exclude or []) | {f.removesuffix("_id") for f in problems.errors})
    try:
        obj.full_clean(exclude=skip, validate_constraints=False)
    except ValidationError as exc:
        problems.merge(exc)
