"""The two GraphQL schemas: one per tenant host, one for the platform (public) host.

Each app contributes a Query and a Mutation class; adding a module means adding it here.
"""

import strawberry
from strawberry import relay
from strawberry.schema.config import StrawberryConfig

from apps.accounts.graphql.mutations import AccountsMutation, LoginMutation
from apps.accounts.graphql.queries import AccountsQuery, MeQuery
from apps.core.graphql.extensions import default_extensions
from apps.core.graphql.mutations import CoreMutation
from apps.core.graphql.queries import CoreQuery
from apps.tenants.graphql.mutations import TenantsMutation
from apps.tenants.graphql.queries import TenantsQuery

CONFIG = StrawberryConfig(relay_max_results=100)


@strawberry.type
class Query(AccountsQuery, CoreQuery):
    node: relay.Node = relay.node(description="Any object of this tenant by its global id.")


@strawberry.type
class Mutation(AccountsMutation, CoreMutation):
    pass


@strawberry.type(name="Query")
class PlatformQuery(MeQuery, TenantsQuery):
    pass


@strawberry.type(name="Mutation")
class PlatformMutation(LoginMutation, TenantsMutation):
    pass


schema = strawberry.Schema(
    query=Query, mutation=Mutation, extensions=default_extensions(), config=CONFIG
)
platform_schema = strawberry.Schema(
    query=PlatformQuery, mutation=PlatformMutation, extensions=default_extensions(), config=CONFIG
)
