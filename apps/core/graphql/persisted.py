"""Persisted documents: a frontend build registers its documents by hash; a request names one.

The request shape is Apollo's automatic persisted queries (APQ):

    {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<sha256 of the text>"}},
     "variables": {...}, "operationName": ...}

- A registered hash runs its document, parsed and validated once (at registration), by the
  compiled plan of apps/core/graphql/plan.py.
- An unknown hash without the text is `PERSISTED_QUERY_NOT_FOUND` (message
  `PersistedQueryNotFound`, what Apollo's link reacts to by sending the text along).
- A hash with a text that does not hash to it is `PERSISTED_QUERY_HASH_MISMATCH`; a malformed
  `persistedQuery` is `PERSISTED_QUERY_INVALID`. Nothing runs.
- An unknown hash *with* its text: registered on first use only where
  `GRAPHQL_PERSISTED_REGISTER_ON_USE` is on (development default); elsewhere (production) it
  runs as an ordinary request and is not remembered — only the build's documents get plans,
  so no client can grow the registry or choose what is compiled (docs/decisions.md).

The registry of a schema is the manifest file `GRAPHQL_PERSISTED_DOCUMENTS` (Apollo's
persisted-query manifest: `{"format": "apollo-persisted-query-manifest", "version": 1,
"operations": [{"id", "name", "type", "body"}]}`, written by `manage.py persisted_queries`),
read once per process, plus what this process registered. Each document is validated against
the schema that serves it; one that does not validate is left out (and reported by
`manage.py persisted_queries check`).
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, parse, validate
from graphql.validation import specified_rules
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from apps.core.graphql import execution

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "apollo-persisted-query-manifest"
SHA256 = re.compile(r"[0-9a-f]{64}")
# What validation at registration covers: graphql-core's rules and strawberry's two. The rules
# that read the request (its variables, its user) still run on every request.
STATIC_RULES = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)
# Documents a process registers on first use (development), at most.
MAX_REGISTERED_ON_USE = 1000

# The document of the request being executed (set by the view around one execution).
CURRENT: contextvars.ContextVar[PersistedDocument | None] = contextvars.ContextVar(
    "fengkong_persisted_document", default=None
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(eq=False)
class PersistedDocument:
    sha256: str
    text: str
    document: DocumentNode
    name: str | None = None
    shape: Any = None  # the limits' measure (apps/core/graphql/limits.py), once
    plans: dict = field(default_factory=dict)  # by operation: (type, selection) -> steps


class Refused(Exception):
    """A persisted-query request refused before anything runs (a coded GraphQL error)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.error = GraphQLError(message, extensions={"code": code})


def compile_document(schema: Any, text: str, name: str | None = None) -> PersistedDocument:
    """Parse and validate once against `schema` (a strawberry schema); GraphQLErrors raised
    as a list in ValueError's args when the text is not a valid document of it."""
    from apps.core.graphql.limits import document_shape

    document = parse(text)
    errors = validate(schema._schema, document, STATIC_RULES)
    if errors:
        raise ValueError(errors)
    return PersistedDocument(
        sha256=sha256(text), text=text, document=document, name=name, shape=document_shape(document)
    )


class Registry:
    """The persisted documents one schema serves (thread-safe: gunicorn gthread workers)."""

    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._documents: dict[str, PersistedDocument] = {}
        self._registered_on_use = 0
        self._lock = threading.Lock()
        self._loaded_from: str | None = None

    def _load(self) -> None:
        path = str(getattr(settings, "GRAPHQL_PERSISTED_DOCUMENTS", "") or "")
        if self._loaded_from == path:
            return
        with self._lock:
            if self._loaded_from == path:
                return
            for entry in read_manifest(path) if path else []:
                try:
                    self._add(compile_document(self.schema, entry["body"], entry.get("name")))
                except (ValueError, GraphQLError) as error:
                    # (a tenant document on the platform schema, or one the schema outgrew)
                    logger.info("persisted document %s left out: %s", entry.get("id"), error)
            self._loaded_from = path

    def _add(self, document: PersistedDocument) -> PersistedDocument:
        kept = self._documents.setdefault(document.sha256, document)
        for definition in kept.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                execution.PLANS.setdefault(id(definition), kept.plans)
        return kept

    def get(self, sha: str) -> PersistedDocument | None:
        self._load()
        return self._documents.get(sha)

    def register(self, text: str, name: str | None = None) -> PersistedDocument:
        """Register a document in this process (tests, bench, first use in development);
        ValueError when it does not validate."""
        self._load()
        document = compile_document(self.schema, text, name)
        with self._lock:
            return self._add(document)

    def register_on_use(self, text: str) -> PersistedDocument | None:
        if self._registered_on_use >= MAX_REGISTERED_ON_USE:
            return None
        try:
            document = self.register(text)
        except (ValueError, GraphQLError):
            return None  # the ordinary path reports what is wrong with it
        self._registered_on_use += 1
        return document

    def forget(self, sha: str) -> None:
        """Drop a document registered in this process (tests)."""
        with self._lock:
            document = self._documents.pop(sha, None)
        for definition in document.document.definitions if document else ():
            execution.PLANS.pop(id(definition), None)


_REGISTRIES: dict[int, Registry] = {}


def registry(schema: Any) -> Registry:
    found = _REGISTRIES.get(id(schema))
    if found is None:
        found = _REGISTRIES.setdefault(id(schema), Registry(schema))
    return found


def read_manifest(path: str) -> list[dict[str, Any]]:
    file = Path(path)
    if not file.exists():
        return []
    data = json.loads(file.read_text(encoding="utf-8"))
    if data.get("format") != MANIFEST_FORMAT or data.get("version") != 1:
        raise ValueError(f"{path} is not an {MANIFEST_FORMAT} (version 1)")
    return list(data.get("operations") or [])


def write_manifest(path: str, operations: list[dict[str, Any]]) -> None:
    body = {"format": MANIFEST_FORMAT, "version": 1, "operations": operations}
    Path(path).write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def resolve(schema: Any, persisted: Any, query: str | None) -> PersistedDocument | None:
    """The registered document a request names (None: run `query` the ordinary way), or
    Refused."""
    if (
        not isinstance(persisted, dict)
        or persisted.get("version") != 1
        or not isinstance(persisted.get("sha256Hash"), str)
        or not SHA256.fullmatch(persisted["sha256Hash"])
    ):
        raise Refused(
            "extensions.persistedQuery must be {version: 1, sha256Hash: <64 lower-case hex>}.",
            "PERSISTED_QUERY_INVALID",
        )
    sha = persisted["sha256Hash"]
    if query is not None and sha256(query) != sha:
        raise Refused(
            "The query text does not hash to sha256Hash.", "PERSISTED_QUERY_HASH_MISMATCH"
        )
    found = registry(schema).get(sha)
    if found is not None:
        return found
    if query is None:
        raise Refused("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    if getattr(settings, "GRAPHQL_PERSISTED_REGISTER_ON_USE", False):
        return registry(schema).register_on_use(query)
    return None


class PersistedDocuments(SchemaExtension):
    """For a request naming a persisted document: its parsed document (the registry's node,
    which the plans are keyed by) and validation by the per-request rules only — the static
    rules and the limits' measure ran at registration."""

    def on_parse(self):
        yield
        document = CURRENT.get()
        if document is not None:
            self.execution_context.graphql_document = document.document

    def on_validate(self):
        document = CURRENT.get()
        context = self.execution_context
        if document is not None and context.graphql_document is document.document:
            context._fengkong_shape = document.shape  # type: ignore[attr-defined]
            context.validation_rules = tuple(
                rule for rule in context.validation_rules if rule not in STATIC_RULES
            )
        yield
