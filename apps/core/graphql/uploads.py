"""What every spreadsheet import's mutation shares: the base64-encoded file, and its row errors
as the app's typed `<App>ImportError`s."""

import base64
import binascii
from enum import Enum
from typing import Any

import strawberry

from apps.core.graphql.errors import UserError, graphql_enum


class UploadRefused(ValueError):
    """The file cannot be taken at all; the message is for the whole file (row 0)."""


def decode_base64_file(content_base64: str, *, max_bytes: int) -> bytes:
    """The file's bytes; its size is checked before decoding, so a huge string costs nothing."""
    if len(content_base64) > (max_bytes // 3 + 1) * 4:
        raise UploadRefused(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused("contentBase64 is not valid base64.") from None


def row_errors(error_type: type, codes: type[Enum], errors: list[Any]) -> list[Any]:
    """Rows' errors (row, column, message, code value) as `error_type`s; an unknown code is the
    app's IMPORT_INVALID."""
    known = {code.value: code for code in codes}
    fallback = codes["IMPORT_INVALID"]
    return [
        error_type(
            row=e.row, column=e.column, message=e.message, code=known.get(e.code, fallback)
        )
        for e in errors
    ]


def import_error_type(name: str, codes: type[Enum]) -> type:
    """The `<App>ImportError` type: a problem of an import file, at a row and column of it."""
    code_enum = graphql_enum(codes)

    class ImportError(UserError):
        field: str | None = strawberry.field(
            default="contentBase64",
            description="Always contentBase64: the file; row and column say where in it.",
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
