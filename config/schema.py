"""The two GraphQL schemas: one per tenant host, one for the platform (public) host.

Each app contributes a Query and a Mutation class; adding a module means adding it here.
"""

import strawberry
from django.conf import settings
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from apps.accounts.graphql.mutations import AccountsMutation, LoginMutation
from apps.accounts.graphql.queries import AccountsQuery, MeQuery
from apps.core.graphql.errors import Schema
from apps.core.graphql.extensions import default_extensions
from apps.core.graphql.ids import resolve_node, use_pk_as_node_id
from apps.core.graphql.mutations import CoreMutation
from apps.core.graphql.permissions import IsViewer
from apps.core.graphql.queries import CoreQuery
from apps.early_warning.graphql.mutations import EarlyWarningMutation
from apps.early_warning.graphql.queries import EarlyWarningQuery
from apps.notifications.graphql.mutations import NotificationsMutation
from apps.notifications.graphql.queries import NotificationsQuery
from apps.risks.graphql.mutations import RisksMutation
from apps.risks.graphql.queries import RisksQuery
from apps.tenants.graphql.mutations import TenantsMutation
from apps.tenants.graphql.queries import TenantsQuery

use_pk_as_node_id()
CONFIG = StrawberryConfig(
    relay_max_results=settings.GRAPHQL_PAGE_MAX, disable_field_suggestions=True
)


@strawberry.type
class Query(AccountsQuery, CoreQuery, RisksQuery, EarlyWarningQuery, NotificationsQuery):
    @strawberry.field(
        permission_classes=[IsViewer],
        description="Any object of this tenant by its global id; null when none.",
    )
    def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        return resolve_node(info, id)


@strawberry.type
class Mutation(
    AccountsMutation, CoreMutation, RisksMutation, EarlyWarningMutation, NotificationsMutation
):
    pass


@strawberry.type(name="Query")
class PlatformQuery(MeQuery, TenantsQuery):
    pass


@strawberry.type(name="Mutation")
class PlatformMutation(LoginMutation, TenantsMutation):
    pass


schema = Schema(
    query=Query, mutation=Mutation, extensions=default_extensions(), config=CONFIG
)
platform_schema = Schema(
    query=PlatformQuery, mutation=PlatformMutation, extensions=default_extensions(), config=CONFIG
)
