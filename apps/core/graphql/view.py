"""The GraphQL HTTP view: sync (DESIGN pitfall 2), GraphiQL only where it is allowed."""

from django.conf import settings
from strawberry.django.views import GraphQLView


class FengkongGraphQLView(GraphQLView):
    def render_graphql_ide(self, request):
        # In production the IDE is for signed-in users only (it is an introspecting client).
        if settings.PRODUCTION and not request.user.is_authenticated:
            from django.http import HttpResponseNotFound

            return HttpResponseNotFound("GraphiQL is not available here.")
        return super().render_graphql_ide(request)
