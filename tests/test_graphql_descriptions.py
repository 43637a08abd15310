"""Descriptions, strictly, for the apps whose schema is fully described (docs/graphql.md
"Descriptions"): every type, field, argument and enum value they define says what it is. An app
joins DESCRIBED_APPS once it is done; the others are held by the allow-lists of
tests/test_graphql_conventions.py."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from config.schema import platform_schema, schema

DESCRIBED_APPS = (
    "apps.accounts",
    "apps.core",
    "apps.early_warning",
    "apps.notifications",
    "apps.people",
)


def _undescribed(built) -> list[str]:
    missing = []
    for name, gql_type in built._schema.type_map.items():
        definition = (getattr(gql_type, "extensions", None) or {}).get("strawberry-definition")
        module = getattr(getattr(definition, "origin", None), "__module__", "") or ""
        if not module.startswith(DESCRIBED_APPS):
            continue
        if not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in gql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(gql_type, GraphQLEnumType):
            missing += [
                f"{name}.{v}" for v, value in gql_type.values.items() if not value.description
            ]
    return sorted(missing)


def test_every_type_field_argument_and_enum_value_of_the_described_apps_is_described():
    assert _undescribed(schema) == []


def test_the_platform_schema_parts_of_the_described_apps_are_described():
    assert _undescribed(platform_schema) == []
