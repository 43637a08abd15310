"""Schema extensions every Fengkong schema uses, configured once (DESIGN "GraphQL conventions")."""

import re
from collections.abc import Callable
from typing import Any

import orjson
from django.conf import settings
from graphql import GraphQLError, GraphQLSyntaxError, StringValueNode
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry_django.optimizer import DjangoOptimizerExtension

from apps.core.errors import Refusal
from apps.core.graphql.ids import CanonicalIds
from apps.core.graphql.limits import MaxAliasesLimiter, MaxSelectionsLimiter, QueryDepthLimiter
from apps.core.graphql.persisted import PersistedDocuments


def should_mask(error: GraphQLError) -> bool:
    """Mask only unexpected failures: syntax, validation, permission and ApiError stay visible.

    Errors we raise on purpose are GraphQLErrors (original_error None once located); anything
    else that escaped a resolver is a bug, and its text may leak internals.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError | Refusal)


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


# PostgreSQL refuses NUL in text and jsonb, and UTF-8 cannot encode a lone surrogate: no string a
# client sends may carry either (checked once, for every String, ID, JSON and enum-free value).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Strings may not contain NUL characters or unpaired surrogates"


def _unstorable_path(value: Any, path: str) -> str | None:
    """Where in a variable's value (strings, dict keys, lists) an unstorable string is."""
    if isinstance(value, str):
        return path if UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}"
            if UNSTORABLE.search(str(key)):
                return where
            if found := _unstorable_path(item, where):
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _unstorable_path(item, f"{path}.{index}"):
                return found
    return None


def _may_hold_unstorable(variables: dict[str, Any] | None) -> bool:
    """False only when no string of the variables can hold NUL or a lone surrogate: orjson
    refuses a lone surrogate and writes NUL as `\\u0000` (a literal backslash-u in a value
    shows there too: then the slow walk decides). One C pass instead of a walk per value."""
    if not variables:
        return False
    try:
        return b"\\u0000" in orjson.dumps(variables, default=str)
    except (orjson.JSONEncodeError, TypeError):
        return True


def _string_rule(variables: dict[str, Any]) -> type[ValidationRule]:
    class NoUnstorableStrings(ValidationRule):
        """Refuses NUL and lone surrogates in literals and in the request's variables."""

        def enter_operation_definition(self, node, *_args) -> None:
            if not _may_hold_unstorable(variables):
                return
            for name, value in (variables or {}).items():
                if where := _unstorable_path(value, f"${name}"):
                    self.report_error(
                        GraphQLError(
                            f"{UNSTORABLE_MESSAGE} ({where}).",
                            node,
                            extensions={"code": "BAD_USER_INPUT", "variable": where},
                        )
                    )
                    return

        def enter_string_value(self, node: StringValueNode, *_args) -> None:
            if UNSTORABLE.search(node.value):
                self.report_error(
                    GraphQLError(
                        f"{UNSTORABLE_MESSAGE}.", node, extensions={"code": "BAD_USER_INPUT"}
                    )
                )

    return NoUnstorableStrings


class SafeStrings(SchemaExtension):
    """Every string a client sends is one PostgreSQL and UTF-8 can store, or a coded error.

    The rule sees this request's variables: a ValidationCache keyed by the document alone
    would skip it for a repeated query (which is why there is none).
    """

    def on_operation(self):
        context = self.execution_context
        rule = _string_rule(context.variables or {})
        context.validation_rules = (*context.validation_rules, rule)
        yield


SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def client_code(error: GraphQLError) -> str:
    """The code of an error we show: its own, or one named after where it arose."""
    code = (error.extensions or {}).get("code")
    if code:
        return code
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    if error.message.startswith("Variable '$"):
        return "BAD_USER_INPUT"  # a variable its type refuses ("got invalid value")
    if error.path is None:
        return "GRAPHQL_VALIDATION_FAILED"
    return "BAD_REQUEST"


class ClientErrors(MaskErrors):
    """What a client sees of errors: unexpected ones masked, every one with `extensions.code`
    (INTERNAL_SERVER_ERROR for the masked), and in production no "Did you mean …?" hints —
    graphql-core offers them for arguments, input fields and enum values, which
    `disable_field_suggestions` does not cover."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            error.extensions = {**(error.extensions or {}), "code": client_code(error)}
            if settings.PRODUCTION and "Did you mean" in error.message:
                error.message = SUGGESTION.sub("", error.message)
        return processed


def default_extensions() -> list[Callable | type]:
    # Classes or factories, never instances (DESIGN pitfall 5).
    return [
        IntrospectionPolicy,
        PersistedDocuments,  # before the limits: a persisted document's measure is known
        lambda: QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=settings.GRAPHQL_MAX_ALIASES),
        lambda: MaxSelectionsLimiter(max_selections=settings.GRAPHQL_MAX_SELECTIONS),
        lambda: MaxTokensLimiter(max_token_count=settings.GRAPHQL_MAX_TOKENS),
        lambda: ParserCache(maxsize=256),
        DjangoOptimizerExtension,
        SafeStrings,
        CanonicalIds,
        lambda: ClientErrors(should_mask_error=should_mask),
    ]
