"""The database connection as django-tenants extends it, typed (django-tenants ships no types):
`tenant_connection().schema_name` instead of an unchecked attribute of Django's connection."""

from typing import Any, Protocol, cast

from django.db import connection


class TenantConnection(Protocol):
    schema_name: str
    tenant: Any

    def set_schema(self, schema_name: str, include_public: bool = True) -> None: ...

    def set_schema_to_public(self) -> None: ...

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...


def tenant_connection(conn: Any = None) -> TenantConnection:
    """`conn` (default: this thread's connection) with django-tenants' schema attributes."""
    return cast(TenantConnection, connection if conn is None else conn)
