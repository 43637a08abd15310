"""The published contract, and the guard that no root field ships without authorisation."""

from pathlib import Path

import pytest
from django.conf import settings
from strawberry.permission import PermissionExtension

from apps.core.management.commands.export_graphql import CONTRACTS, render
from config.schema import platform_schema, schema

# Fields anyone may call: signing in, accepting an invitation, and the Relay `node` lookup
# (which resolves through each type's get_queryset and is itself guarded below).
PUBLIC_FIELDS = {"login", "inviteAccept"}


@pytest.mark.parametrize("filename,attribute", CONTRACTS.items())
def test_exported_sdl_is_current(filename, attribute):
    exported = (Path(settings.BASE_DIR) / filename).read_text()
    assert exported == render(attribute), (
        f"{filename} is stale: run `python manage.py export_graphql` and commit it"
    )


def _root_fields(s):
    for type_name in ("Query", "Mutation", "Subscription"):
        root = s.get_type_by_name(type_name)
        for field in root.fields if root else ():  # the platform schema has no Subscription
            yield type_name, field


@pytest.mark.parametrize("s", [schema, platform_schema], ids=["tenant", "platform"])
def test_every_root_field_requires_a_permission(s):
    unguarded = []
    for type_name, field in _root_fields(s):
        name = s.config.name_converter.get_graphql_name(field)
        guarded = field.permission_classes or any(
            isinstance(ext, PermissionExtension) for ext in field.extensions
        )
        if not guarded and name not in PUBLIC_FIELDS and name != "node":
            unguarded.append(f"{type_name}.{name}")
    assert unguarded == []


def test_node_lookup_requires_membership(api, world):
    from tests.conftest import HOST_A, Api, error_codes

    body = Api(HOST_A)('{ node(id: "Sm9iOjE=") { id } }')
    assert error_codes(body) == ["UNAUTHENTICATED"]
