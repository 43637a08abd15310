"""Depth, alias and selection limits that cost one pass over the document, whatever it spreads.

strawberry's QueryDepthLimiter and MaxAliasesLimiter re-walk a fragment at every spread, so a
fragment that spreads the next one twice, thirty times over (1.5 KB), costs 2³⁰ walks: hours of
CPU for an anonymous request. Here each fragment is measured once, dependencies first, and a
spread reuses the measure; counts saturate at CAP so they stay small numbers.

The checks run before validation (`on_validate`, ahead of graphql-core's rules) and refuse the
document on their own: the refusal is a coded GraphQL error (`QUERY_TOO_COMPLEX`) that keeps
strawberry's messages for depth and aliases. Cycles of fragments are left to graphql-core's
NoFragmentCycles rule: a spread back into a fragment being measured counts as nothing.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from graphql import GraphQLError
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

CAP = 1_000_000  # counts saturate here: anything above is refused anyway
CODE = "QUERY_TOO_COMPLEX"


@dataclass(frozen=True)
class Shape:
    """What a selection set costs once its fragments are expanded."""

    height: int = 0  # how many field levels below its own selections (strawberry's depth)
    aliases: int = 0  # aliased fields
    selections: int = 0  # fields


def _add(a: int, b: int) -> int:
    return min(a + b, CAP)


class _Measurer:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.done: dict[str, Shape] = {}
        for name in self._dependencies_first():
            self.done[name] = self.measure(self.fragments[name].selection_set)

    def _dependencies_first(self) -> list[str]:
        """Fragment names so that each comes after those it spreads (iterative: no recursion
        limit however long the chain); a spread closing a cycle is simply not followed."""
        order: list[str] = []
        state: dict[str, str] = {}  # "open" while its dependencies are visited, then "closed"
        for root in self.fragments:
            if root in state:
                continue
            stack: list[tuple[str, Iterator[str]]] = [(root, self._spreads_of(root))]
            state[root] = "open"
            while stack:
                name, pending = stack[-1]
                child = next(pending, None)
                if child is None:
                    stack.pop()
                    state[name] = "closed"
                    order.append(name)
                elif child in self.fragments and child not in state:
                    state[child] = "open"
                    stack.append((child, self._spreads_of(child)))
        return order

    def _spreads_of(self, name: str) -> Iterator[str]:
        pending = [self.fragments[name].selection_set]
        while pending:
            selection_set = pending.pop()
            for selection in selection_set.selections if selection_set else ():
                if isinstance(selection, FragmentSpreadNode):
                    yield selection.name.value
                elif (inner := getattr(selection, "selection_set", None)) is not None:
                    pending.append(inner)  # a field's or an inline fragment's

    def measure(self, selection_set: SelectionSetNode | None) -> Shape:
        # Recursion follows the document's own nesting only (spreads are looked up, not
        # walked), so it is never deeper than the parser's was.
        height = aliases = selections = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                selections = _add(selections, 1)
                if selection.alias is not None:
                    aliases = _add(aliases, 1)
                if not (selection.selection_set and selection.selection_set.selections):
                    continue
                inner = self.measure(selection.selection_set)
                if not selection.name.value.startswith("__"):
                    # introspection counts for aliases and fields, not depth (as in strawberry)
                    height = max(height, 1 + inner.height)
            elif isinstance(selection, FragmentSpreadNode):
                # Unknown, or still being measured (a cycle): graphql-core reports those.
                inner = self.done.get(selection.name.value, Shape())
                height = max(height, inner.height)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.measure(selection.selection_set)
                height = max(height, inner.height)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            aliases = _add(aliases, inner.aliases)
            selections = _add(selections, inner.selections)
        return Shape(height=height, aliases=aliases, selections=selections)


@dataclass(frozen=True)
class DocumentShape:
    operations: dict[str, Shape]  # by operation name ("anonymous" when unnamed)

    @property
    def aliases(self) -> int:
        return min(sum(s.aliases for s in self.operations.values()), CAP)

    @property
    def selections(self) -> int:
        return min(sum(s.selections for s in self.operations.values()), CAP)


def document_shape(document: DocumentNode) -> DocumentShape:
    measurer = _Measurer(document)
    operations = {
        (d.name.value if d.name else "anonymous"): measurer.measure(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    }
    return DocumentShape(operations)


def refusal(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": CODE})


class _DocumentLimit(SchemaExtension):
    """Refuses the document before validation when `check` finds it too costly."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context.pre_execution_errors is None and document is not None:
            shape = getattr(context, "_fengkong_shape", None)
            if shape is None:  # measured once per request, shared by the three limits
                shape = document_shape(document)
                context._fengkong_shape = shape  # type: ignore[attr-defined]
            error = self.check(shape)
            if error is not None:
                context.pre_execution_errors = [error]
        yield

    def check(self, shape: DocumentShape) -> GraphQLError | None:  # pragma: no cover
        raise NotImplementedError


class QueryDepthLimiter(_DocumentLimit):
    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth

    def check(self, shape: DocumentShape) -> GraphQLError | None:
        for name, operation in shape.operations.items():
            if operation.height > self.max_depth:
                return refusal(f"'{name}' exceeds maximum operation depth of {self.max_depth}")
        return None


class MaxAliasesLimiter(_DocumentLimit):
    def __init__(self, max_alias_count: int) -> None:
        self.max_alias_count = max_alias_count

    def check(self, shape: DocumentShape) -> GraphQLError | None:
        total = shape.aliases
        if total <= self.max_alias_count:
            return None
        found = str(total) if total < CAP else f"More than {CAP}"
        return refusal(f"{found} aliases found. Allowed: {self.max_alias_count}")


class MaxSelectionsLimiter(_DocumentLimit):
    """The number of fields once every fragment is expanded: what execution would walk."""

    def __init__(self, max_selections: int) -> None:
        self.max_selections = max_selections

    def check(self, shape: DocumentShape) -> GraphQLError | None:
        if shape.selections <= self.max_selections:
            return None
        return refusal(
            f"The query selects more than {self.max_selections} fields once its fragments "
            "are expanded."
        )


class DeadlineExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Execution with a time budget (GRAPHQL_TIME_BUDGET_SECONDS from the start of execution).

    Past the budget every object still to be completed fails at once with a coded error
    (`TIME_BUDGET_EXCEEDED`; non-null fields carry it up to the nearest nullable one), so an
    expensive query ends instead of holding a gunicorn thread: with gthread workers gunicorn's
    --timeout only restarts a worker whose main loop is stuck, never one long request. One clock
    read per object, no per-field hook (DESIGN pitfall 15). A single slow SQL statement is
    PostgreSQL's to bound (statement_timeout).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = time.monotonic() + settings.GRAPHQL_TIME_BUDGET_SECONDS

    def build_per_event_executor(self, payload):
        # A subscription's events each get the whole budget, from when they arrive.
        executor = super().build_per_event_executor(payload)
        # the executor is one of this class (graphql-core builds it from type(self))
        executor.deadline = time.monotonic() + settings.GRAPHQL_TIME_BUDGET_SECONDS  # type: ignore[attr-defined]
        return executor

    def check_deadline(self) -> None:
        if time.monotonic() >= self.deadline:
            raise GraphQLError(
                "The request ran out of its time budget: ask for less at once.",
                extensions={"code": "TIME_BUDGET_EXCEEDED"},
            )

    def execute_fields(self, parent_type, source_value, path, *args, **kwargs):
        self.check_deadline()
        return super().execute_fields(parent_type, source_value, path, *args, **kwargs)
