"""URLs of a tenant host: the tenant's GraphQL API, its admin, health."""

from django.urls import path

from apps.core.admin_site import tenant_admin_site
from apps.core.graphql.view import FengkongGraphQLView
from apps.core.health import HealthView
from config.schema import schema

urlpatterns = [
    path("graphql/", FengkongGraphQLView.as_view(schema=schema)),
    path("admin/", tenant_admin_site.urls),
    path("healthz", HealthView.as_view()),
]
