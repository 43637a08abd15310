"""Schema extensions every Fengkong schema uses, configured once (DESIGN "GraphQL conventions")."""

from collections.abc import Callable

from django.conf import settings
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry_django.optimizer import DjangoOptimizerExtension

from apps.core.graphql.limits import MaxAliasesLimiter, MaxSelectionsLimiter, QueryDepthLimiter


def should_mask(error: GraphQLError) -> bool:
    """Mask only unexpected failures: syntax, validation, permission and ApiError stay visible.

    Errors we raise on purpose are GraphQLErrors (original_error None once located); anything
    else that escaped a resolver is a bug, and its text may leak internals.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


class IntrospectionPolicy(SchemaExtension):
    """In production, anonymous requests may not introspect the schema."""

    def on_operation(self):
        request = self.execution_context.context.request
        if settings.PRODUCTION and not request.user.is_authenticated:
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        yield


def default_extensions() -> list[Callable | type]:
    # Classes or factories, never instances (DESIGN pitfall 5).
    return [
        IntrospectionPolicy,
        lambda: QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES),
        lambda: MaxSelectionsLimiter(max_selections=settings.GRAPHQL_MAX_SELECTIONS),
        lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
        lambda: ParserCache(maxsize=256),
        DjangoOptimizerExtension,
        lambda: MaskErrors(should_mask_error=should_mask),
    ]
