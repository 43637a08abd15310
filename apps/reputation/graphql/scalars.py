"""`BigInt`: a mention's counts (reach, likes, shares, comments, views).

GraphQL's Int is 32-bit and a viral video's views or a news outlet's audience can pass
2,147,483,647; Float would be exact but say "a fraction may come". BigInt is a whole JSON
number, exact to 2^53 − 1 (a JavaScript number's safe range), which ingestion enforces.
"""

from typing import TYPE_CHECKING, NewType, TypeAlias

import strawberry

MAX_SAFE = 2**53 - 1


def _parse(value: object) -> int:
    if type(value) is not int or not -MAX_SAFE <= value <= MAX_SAFE:
        raise ValueError(f"BigInt cannot represent {value!r}: a whole number up to 2^53 - 1.")
    return value


if TYPE_CHECKING:  # to the type checker a plain int
    BigInt: TypeAlias = int
else:
    BigInt = strawberry.scalar(
        NewType("BigInt", int),
        name="BigInt",
        description="A whole number, exact up to 2^53 − 1 (9,007,199,254,740,991), as a JSON "
        "number: a count that may pass GraphQL's 32-bit Int.",
        serialize=int,
        parse_value=_parse,
    )
