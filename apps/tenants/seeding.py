"""Seed steps a new tenant starts with: each module's `seed_steps` (its manifest), in order.

Most starting data arrives by data migration (existing tenants get it too); a seed step is for
what cannot be a migration. Steps run inside the provisioning transaction, in the new tenant's
schema: a failing step leaves nothing behind.
"""

from collections.abc import Callable

from apps.core import modules

Seeder = Callable[[], None]


def seeders() -> dict[str, Seeder]:
    return {ref: modules.resolve(ref) for m in modules.modules() for ref in m.seed_steps}


def run_seeders() -> None:
    for seeder in seeders().values():
        seeder()
