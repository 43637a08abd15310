"""What a tenant's tick runs: the tick handlers the modules declare in their manifests.

Each handler decides from the tenant's own data what is due (frequencies live in data, not in
code), and must be idempotent: the tick may run twice.
"""

from collections.abc import Callable

from apps.core import modules

TickHandler = Callable[[], dict]


def tick_handlers() -> dict[str, TickHandler]:
    return modules.tick_handlers()
