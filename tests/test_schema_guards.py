"""Schema-driven guards: every root field of the tenant schema has a row in the role matrix, and
every root connection a pinned SQL count, or a test here fails naming it. Adding a query or a
mutation is not done until tests/kit/registry.py (and its probe or list query) says so."""

import importlib
from pathlib import Path

from config.schema import schema
from tests.kit.registry import DETAIL_PINS, MINIMUM_ROLE, SQL_PINS, SUBSCRIPTION_MINIMUM_ROLE
from tests.kit.roles import ANYONE, ROLES

TESTS = Path(__file__).parent


def _root_fields(type_name: str) -> dict:
    return schema._schema.type_map[type_name].fields


def _root_connections() -> set[str]:
    return {
        name
        for name, field in _root_fields("Query").items()
        if str(field.type).rstrip("!").endswith("Connection")
    }


def _list_queries() -> dict[str, str]:
    """CONNECTIONS of every tests/<module>/test_query_counts.py, merged."""
    merged: dict[str, str] = {}
    for path in sorted(TESTS.glob("*/test_query_counts.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.test_query_counts")
        for field, query in getattr(module, "CONNECTIONS", {}).items():
            assert field not in merged, f"{field}: list query in two modules"
            merged[field] = query
    return merged


def test_every_root_field_has_a_minimum_role():
    fields = set(_root_fields("Query")) | set(_root_fields("Mutation"))
    missing = sorted(fields - set(MINIMUM_ROLE))
    assert not missing, f"root fields without a row in MINIMUM_ROLE: {missing}"
    gone = sorted(set(MINIMUM_ROLE) - fields)
    assert not gone, f"MINIMUM_ROLE rows for fields the schema no longer has: {gone}"
    assert set(MINIMUM_ROLE.values()) <= {ANYONE, *ROLES}


def test_every_subscription_field_has_a_minimum_role_and_a_websocket_probe():
    from tests.subscriptions.test_roles import PROBES

    fields = set(_root_fields("Subscription"))
    assert {"jobProgress", "warningSignalEvents"} <= fields  # the walk sees what it should
    assert fields == set(SUBSCRIPTION_MINIMUM_ROLE), "rows of SUBSCRIPTION_MINIMUM_ROLE"
    assert set(SUBSCRIPTION_MINIMUM_ROLE.values()) <= {ANYONE, *ROLES}
    assert set(PROBES) == fields, "tests/subscriptions/test_roles.py PROBES"


def test_every_root_connection_has_a_pinned_sql_count():
    connections = _root_connections()
    assert "risks" in connections and "risk" not in connections  # the walk sees what it should
    unpinned = sorted(field for field in connections if SQL_PINS.get(field) is None)
    assert not unpinned, f"root connections without a pin in SQL_PINS: {unpinned}"
    assert not set(SQL_PINS) - connections, set(SQL_PINS) - connections


def test_every_pin_has_a_list_query_that_checks_it():
    queries = _list_queries()
    unchecked = sorted(set(SQL_PINS) - set(queries))
    assert not unchecked, f"pins no test_query_counts.py CONNECTIONS checks: {unchecked}"
    for field, query in queries.items():
        # `first: PAGE` first among the arguments (a filter may follow it).
        paged = f"{field}(first: PAGE)" in query or f"{field}(first: PAGE," in query
        assert paged, f"{field}: its query must page with PAGE"


def test_detail_pins_are_set():
    assert all(isinstance(pin, int) for pin in DETAIL_PINS.values()), DETAIL_PINS
