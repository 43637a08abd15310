"""Who holds a role (a plan's organisation, an activation's terms, a task, a plan's owner): a
person of the directory or a member of the tenant — the `RoleHolder` union (docs/decisions.md,
"Emergency role holders"). A member who also has a directory entry is always held as that
Person, so one human is one holder."""

from typing import Annotated, Any

import strawberry
from strawberry import relay

from apps.accounts.graphql.types import UserType
from apps.people.graphql.types import PersonType

RoleHolder = Annotated[
    PersonType | UserType,
    strawberry.union(
        "RoleHolder",
        description="Who holds a role: a Person of the directory (most never log in) or a "
        "member's User (a member with a directory entry is always that Person).",
    ),
]

HOLDER_ID = (
    "a Person of the directory or a member's User (the id's type says which; a member with "
    "a directory entry is kept as that Person)"
)


def holder_ids(gid: relay.GlobalID | None, *, person: str, member: str) -> dict[str, Any]:
    """Service arguments for a holder id: `{person: pk}` for a Person, `{member: pk}` for a
    User; an id of any other type names no person (so NOT_FOUND, never a guess)."""
    from apps.accounts.models import User
    from apps.emergency.graphql.mutations.common import pk
    from apps.people.models import Person

    if gid is None:
        return {person: None, member: None}
    if gid.type_name == "User":
        return {person: None, member: pk(gid, "User", User)}
    return {person: pk(gid, "Person", Person), member: None}
