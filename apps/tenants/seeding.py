"""Seed data a new tenant starts with. Apps register a seeder in their AppConfig.ready().

Seeders run inside the provisioning transaction, in the new tenant's schema: a failing seeder
leaves nothing behind.
"""

from collections.abc import Callable

Seeder = Callable[[], None]
_seeders: dict[str, Seeder] = {}


def register_seeder(name: str, seeder: Seeder) -> None:
    _seeders[name] = seeder


def run_seeders() -> None:
    for seeder in _seeders.values():
        seeder()
