"""Register the frontend build's GraphQL documents as persisted queries (docs/graphql.md).

    manage.py persisted_queries add src/**/*.graphql     # one document per file, or
    manage.py persisted_queries add --manifest build/persisted-query-manifest.json
    manage.py persisted_queries list
    manage.py persisted_queries check                    # exit 1 when one no longer validates

The registry is the manifest file `GRAPHQL_PERSISTED_DOCUMENTS` (Apollo's persisted-query
manifest format); every document is validated against the tenant schema before it is written.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.graphql import persisted


def _schema():
    from config.schema import schema

    return schema


def _operation(text: str) -> tuple[str | None, str]:
    from graphql import OperationDefinitionNode, parse

    for definition in parse(text).definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = definition.name.value if definition.name else None
            return name, definition.operation.value
    return None, "query"


class Command(BaseCommand):
    help = "Add, list or check the persisted GraphQL documents (GRAPHQL_PERSISTED_DOCUMENTS)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "list", "check"])
        parser.add_argument("files", nargs="*", help="GraphQL files, one document each (add)")
        parser.add_argument("--manifest", help="an Apollo persisted-query manifest to add")

    def handle(self, *args, action, files, manifest, **options):
        path = settings.GRAPHQL_PERSISTED_DOCUMENTS
        entries = {e["id"]: e for e in persisted.read_manifest(path)}
        if action == "list":
            for entry in entries.values():
                self.stdout.write(f"{entry['id']}  {entry.get('name') or '(anonymous)'}")
            return
        if action == "check":
            failed = [e for e in entries.values() if self._problem(e["body"])]
            for entry in failed:
                self.stderr.write(f"{entry['id']}: {self._problem(entry['body'])}")
            if failed:
                raise CommandError(f"{len(failed)} persisted document(s) no longer validate")
            self.stdout.write(f"{len(entries)} persisted document(s) validate")
            return
        texts = [Path(f).read_text(encoding="utf-8") for f in files]
        if manifest:
            texts += [e["body"] for e in persisted.read_manifest(manifest)]
        if not texts:
            raise CommandError("nothing to add: give GraphQL files or --manifest")
        for text in texts:
            if problem := self._problem(text):
                raise CommandError(f"not added (nothing was written): {problem}")
        for text in texts:
            name, kind = _operation(text)
            sha = persisted.sha256(text)
            entries[sha] = {"id": sha, "name": name, "type": kind, "body": text}
            self.stdout.write(f"{sha}  {name or '(anonymous)'}")
        persisted.write_manifest(path, list(entries.values()))
        self.stdout.write(f"wrote {path} ({len(entries)} documents)")

    @staticmethod
    def _problem(text: str) -> str | None:
        try:
            persisted.compile_document(_schema(), text)
        except ValueError as error:
            problems = list(error.args[0]) if error.args else [error]
            return "; ".join(getattr(p, "message", str(p)) for p in problems)
        except Exception as error:  # noqa: BLE001 - a syntax error, reported as text
            return json.dumps(str(error))
        return None
