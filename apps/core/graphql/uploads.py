"""What every spreadsheet import's mutation shares: the file — an `Upload` (the GraphQL multipart
request spec, https://github.com/jaydenseric/graphql-multipart-request-spec) or, for small
files, a base64 string — and its row errors as the app's typed `<App>ImportError`s.

An input takes both, optional, and `read_file` accepts exactly one:

    file: Upload | None = strawberry.field(default=None, description=FILE_DESCRIPTION)
    content_base64: str | None = strawberry.field(default=None, description=BASE64_DESCRIPTION)
"""

import base64
import binascii
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry

from apps.core.graphql.errors import UserError, graphql_enum
from apps.core.tabular import FILE_ROW, RowError, RowsRejected

T = TypeVar("T")


class UploadRefused(ValueError):
    """The file cannot be taken at all; the message is for the whole file (row 0)."""


FILE_DESCRIPTION = (
    "The file as a multipart upload (GraphQL multipart request spec); or give contentBase64."
)
BASE64_DESCRIPTION = "The file, base64-encoded (small files); or upload it as `file`."


def read_file(*, content_base64: str | None, file: Any, max_bytes: int) -> tuple[bytes, str]:
    """The file's bytes and the input field it came in (`file` or `contentBase64`). An upload
    is read no further than the limit; sending both or neither is refused."""
    if (content_base64 is None) == (file is None):
        raise UploadRefused("Send the file once: as `file` (an upload) or as contentBase64.")
    if content_base64 is not None:
        return decode_base64_file(content_base64, max_bytes=max_bytes), "contentBase64"
    if not callable(getattr(file, "read", None)):  # a JSON value where a multipart part goes
        raise UploadRefused("`file` is a multipart upload (the GraphQL multipart request spec).")
    too_large = f"The file is larger than {max_bytes // (1024 * 1024)} MB."
    if (getattr(file, "size", None) or 0) > max_bytes:
        raise UploadRefused(too_large)
    content = file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise UploadRefused(too_large)
    return content, "file"


def decode_base64_file(content_base64: str, *, max_bytes: int) -> bytes:
    """The file's bytes; its size is checked before decoding, so a huge string costs nothing."""
    if len(content_base64) > (max_bytes // 3 + 1) * 4:
        raise UploadRefused(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused("contentBase64 is not valid base64.") from None


def row_errors(
    error_type: type, codes: type[Enum], errors: list[Any], *, field: str | None = "contentBase64"
) -> list[Any]:
    """Rows' errors (row, column, message, code value) as `error_type`s; an unknown code is the
    app's IMPORT_INVALID. `field` is the input the file came in."""
    known = {code.value: code for code in codes}
    fallback = codes["IMPORT_INVALID"]
    return [
        error_type(
            field=field,
            row=e.row,
            column=e.column,
            message=e.message,
            code=known.get(e.code, fallback),
        )
        for e in errors
    ]


def import_error_type(name: str, codes: type[Enum]) -> type:
    """The `<App>ImportError` type: a problem of an import file, at a row and column of it."""
    code_enum = graphql_enum(codes)

    class ImportError(UserError):
        field: str | None = strawberry.field(
            default="contentBase64",
            description="The input the file came in (file or contentBase64); row and column "
            "say where in it.",
        )
        row: int = strawberry.field(
            description="Spreadsheet row: header 1, first data row 2; 0 = the file."
        )
        column: str | None = strawberry.field(description="The column's heading as in the file.")
        message: str = strawberry.field(description="What is wrong, for a person.")
        code: code_enum = strawberry.field(  # type: ignore[valid-type]
            description="Stable machine-readable code."
        )

    ImportError.__name__ = ImportError.__qualname__ = name
    return strawberry.type(ImportError, name=name, description="A problem of an import file.")


def import_file(
    input: Any,
    *,
    max_bytes: int,
    error_type: type,
    codes: type[Enum],
    run: Callable[[bytes], T],
) -> tuple[T | None, list[Any]]:
    """The path every import mutation shares: read the input's file (`file` or
    `content_base64`), give its bytes to `run` (the service, all rows or none), and answer
    `(run's result, [])` — or `(None, every problem)` as the app's `error_type`s naming the input
    the file came in: the file refused whole (row 0, IMPORT_INVALID) or the rows rejected."""
    source = "file" if input.file is not None else "contentBase64"
    try:
        content, source = read_file(
            content_base64=input.content_base64, file=input.file, max_bytes=max_bytes
        )
        return run(content), []
    except UploadRefused as refused:
        whole = RowError(FILE_ROW, None, str(refused), codes["IMPORT_INVALID"].value)
        return None, row_errors(error_type, codes, [whole], field=source)
    except RowsRejected as rejected:
        return None, row_errors(error_type, codes, rejected.errors, field=source)
