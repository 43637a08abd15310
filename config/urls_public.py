"""URLs of the platform host (public schema): operator API, operator admin, health."""

from django.contrib import admin
from django.urls import path

from apps.core.graphql.view import FengkongGraphQLView
from apps.core.health import HealthView
from config.schema import platform_schema

urlpatterns = [
    path("graphql/", FengkongGraphQLView.as_view(schema=platform_schema)),
    path("admin/", admin.site.urls),
    path("healthz", HealthView.as_view()),
]
