"""The two GraphQL schemas: one per tenant host, one for the platform (public) host.

The roots are composed from the module manifests (apps/<app>/module.py), in INSTALLED_APPS
order: adding a module never touches this file.
"""

from typing import Annotated

import strawberry
from django.conf import settings
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import Info

from apps.core import modules
from apps.core.graphql import execution, fast_inputs
from apps.core.graphql.errors import Schema
from apps.core.graphql.extensions import default_extensions
from apps.core.graphql.ids import resolve_node, use_pk_as_node_id
from apps.core.graphql.permissions import IsViewer

CONFIG = StrawberryConfig(
    relay_max_results=settings.GRAPHQL_PAGE_MAX, disable_field_suggestions=True
)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        permission_classes=[IsViewer],
        description="Any object of this tenant by its global id; null when none.",
    )
    def node(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="A global id (any type).")],
    ) -> relay.Node | None:
        return resolve_node(info, id)


def _root(name: str, kind: str, *extra: type) -> type:
    return merge_types(name, (*modules.roots(kind), *extra))


Query = _root("Query", "query", NodeQuery)
Mutation = _root("Mutation", "mutation")
# Served over websockets by the ASGI process only (config/asgi.py); the HTTP view refuses them.
Subscription = _root("Subscription", "subscription")
PlatformQuery = _root("Query", "platform_query")
PlatformMutation = _root("Mutation", "platform_mutation")
use_pk_as_node_id()
fast_inputs.install()

schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=default_extensions(),
    config=CONFIG,
    execution_context_class=execution.FastExecutionContext,
)
platform_schema = Schema(
    query=PlatformQuery,
    mutation=PlatformMutation,
    extensions=default_extensions(),
    config=CONFIG,
    execution_context_class=execution.FastExecutionContext,
)
# Fast paths for the fields that need no per-field machinery (apps/core/graphql/execution.py).
FAST_FIELDS = {"tenant": execution.install(schema), "platform": execution.install(platform_schema)}
