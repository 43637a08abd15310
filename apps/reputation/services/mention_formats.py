"""The two bulk forms of mentions: compact JSON rows and CSV, each read into MentionIn with
every problem reported by position (services/ingestion.py stores them)."""

import csv
import io
from operator import itemgetter

from apps.reputation.services.ingestion import (
    CSV_REQUIRED,
    MAX_MENTIONS,
    ROW_FIELDS,
    IngestRejected,
    MentionError,
    MentionIn,
    checked_rows,
    too_many,
)


def mentions_from_rows(rows: object) -> list[MentionIn]:
    """The compact JSON form (ROW_FIELDS order). Shape errors are reported by position, with
    the value errors of the well-shaped rows: every problem of the call at once."""
    if not isinstance(rows, list):
        raise IngestRejected(
            [MentionError(0, None, "rows is a list of [source, externalId, …] lists.", "invalid")]
        )
    if len(rows) > MAX_MENTIONS:
        raise too_many()
    mentions, positions, errors = [], [], []
    for index, row in enumerate(rows):
        if not isinstance(row, list) or not 4 <= len(row) <= len(ROW_FIELDS):
            errors.append(
                MentionError(
                    index,
                    None,
                    "Expected [source, externalId, publishedAt, text, author?, reach?, likes?, "
                    "shares?, comments?, views?, url?, language?].",
                    "invalid",
                )
            )
            continue
        mentions.append(MentionIn._make(row) if len(row) == len(ROW_FIELDS) else MentionIn(*row))
        positions.append(index)
    if errors:
        value_errors, _ = checked_rows(mentions, positions)
        raise IngestRejected(sorted(errors + value_errors, key=lambda e: e.index))
    return mentions


def mentions_from_csv(text: str) -> tuple[list[MentionIn], list[int]]:
    """CSV with a header naming its columns (any order): source, external_id, published_at,
    text required; author, reach, likes, shares, comments, views, url, language optional.
    Returns the mentions and their row numbers (header = 1) for error reports."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [name for name in CSV_REQUIRED if name not in header]
    unknown = [name for name in header if name not in ROW_FIELDS]
    if missing or unknown or len(set(header)) != len(header):
        raise IngestRejected(
            [
                MentionError(
                    1,
                    None,
                    f"The header names {', '.join(CSV_REQUIRED)} (and optionally "
                    f"{', '.join(ROW_FIELDS[4:])}), each once.",
                    "invalid",
                )
            ]
        )
    # Each field's column, or one past the last (an empty cell) when the header lacks it.
    pick = itemgetter(*(header.index(f) if f in header else len(header) for f in ROW_FIELDS))
    width = len(header) + 1
    mentions: list[MentionIn] = []
    numbers: list[int] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(mentions) >= MAX_MENTIONS:
            raise too_many()
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        mentions.append(MentionIn._make(pick(cells)))
        numbers.append(number)
    return mentions, numbers
