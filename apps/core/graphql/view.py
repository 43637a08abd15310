"""The GraphQL HTTP view: sync (DESIGN pitfall 2), GraphiQL only where it is allowed.

A request strawberry cannot even read (a body that is not UTF-8 JSON, nested past what the
decoder recurses through, or not an operation) is answered 400 with a GraphQL-shaped error,
`{"errors": [{"message", "extensions": {"code": "BAD_REQUEST"}}]}`, never a 500 or plain text.

Bodies are read and answers written with orjson (a 10,000-row ingestion body, a 100-row page:
several times faster than the json module). Whatever orjson refuses or would write otherwise
(a lone surrogate, an integer past 64 bits, NaN, a datetime, a type it serialises on its own)
takes the json module's path as before, so answers and refusals are unchanged.
"""

import dataclasses
import json
from typing import Any

import orjson
from cross_web import HTTPException
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from strawberry.django.views import GraphQLView
from strawberry.types import ExecutionResult

from apps.core.graphql import persisted

# Types orjson would write in its own way are handed to `_not_native` (so to the json path).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _not_native(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _request_error(status: int, message: str) -> JsonResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    return JsonResponse(body, status=status)


class FengkongGraphQLView(GraphQLView):
    # Files of imports as multipart uploads (apps/core/graphql/uploads.py). A cookie-signed-in
    # multipart POST still needs Django's CSRF token; bearer-token clients do not use cookies.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("multipart_uploads_enabled", True)
        super().__init__(*args, **kwargs)

    def dispatch(self, request, *args: Any, **kwargs: Any):
        try:
            return self.run(request=request)
        except HTTPException as e:  # django.request logs the 4xx: one line, no traceback
            return _request_error(e.status_code, e.reason)

    def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        # A persisted query (apps/core/graphql/persisted.py): the registered document by its
        # hash, run by its compiled plan; refusals are coded errors, nothing runs.
        request_data = kwargs["request_data"]
        named = (request_data.extensions or {}).get("persistedQuery")
        if named is None:
            return super().execute_single(*args, **kwargs)
        try:
            document = persisted.resolve(self.schema, named, request_data.query)
        except persisted.Refused as refused:
            return ExecutionResult(data=None, errors=[refused.error])
        if document is None:  # an unregistered text: the ordinary way
            return super().execute_single(*args, **kwargs)
        kwargs["request_data"] = dataclasses.replace(request_data, query=document.text)
        token = persisted.CURRENT.set(document)
        try:
            return super().execute_single(*args, **kwargs)
        finally:
            persisted.CURRENT.reset(token)

    def parse_http_body(self, request: Any) -> Any:
        try:
            return super().parse_http_body(request)
        except UnicodeDecodeError:  # the adapter decodes the body before any JSON parsing
            raise HTTPException(400, "The request body is not valid UTF-8.") from None

    def decode_json(self, data: str | bytes) -> object:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # the json module decides, with its own errors (below)
        try:
            return json.loads(data)
        except UnicodeDecodeError:
            raise HTTPException(400, "The request body is not valid UTF-8.") from None
        except RecursionError:
            raise HTTPException(400, "The request body is nested too deeply.") from None

    def encode_json(self, data: object) -> str | bytes:
        try:
            return orjson.dumps(data, default=_not_native, option=_ORJSON_OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            return json.dumps(data, cls=DjangoJSONEncoder, separators=(",", ":"))

    def render_graphql_ide(self, request):
        # In production the IDE is for signed-in users only (it is an introspecting client).
        if settings.PRODUCTION and not request.user.is_authenticated:
            return HttpResponse("GraphiQL is not available here.", status=404)
        return super().render_graphql_ide(request)
