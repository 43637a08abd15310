"""What every spreadsheet import's mutation shares: the base64-encoded file, and its row errors
as the app's typed `<App>ImportError`s."""

import base64
import binascii
from enum import Enum
from typing import Any


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
