"""Evidence for the ingest benchmark: what the shape of a GraphQL input costs for 10,000 points.

A small strawberry schema built here (not the project's), each mutation turning its input into
the same 10,000 `PointIn` and stopping there (no database): the time of `execute_sync` is parse,
validation, variable coercion by graphql-core, conversion by strawberry, and the resolver's loop.

- objects: `points: [ObservationInput!]!`, the project's own input type (what
  observationsIngest takes): one input object of 4 fields per point;
- columns: `indicators: [String!]!, observedAt: [DateTime!]!, values: [Float!]!`: three lists
  of scalars, the same data column by column;
- rows: `points: JSON!`, `[[code, "2023-…Z", value], …]`: one scalar, left to the service
  (`ingest()` already checks every point and parses the time of a text point);
- csv: `csv: String!`, the text observationsIngestCsv takes, split by `points_from_csv()`.
"""

import gc
import time
from datetime import datetime

import numpy as np

MUTATIONS = {
    "objects": (
        "mutation($p: [ObservationInput!]!) { objects(points: $p) }",
        lambda block: {
            "p": [{"indicator": c, "observedAt": t.isoformat(), "value": v} for c, t, v in block]
        },
    ),
    "columns": (
        "mutation($i: [String!]!, $t: [DateTime!]!, $v: [Float!]!) "
        "{ columns(indicators: $i, observedAt: $t, values: $v) }",
        lambda block: {
            "i": [c for c, _, _ in block],
            "t": [t.isoformat() for _, t, _ in block],
            "v": [v for _, _, v in block],
        },
    ),
    "rows": (
        "mutation($p: JSON!) { rows(points: $p) }",
        lambda block: {"p": [[c, t.isoformat(), v] for c, t, v in block]},
    ),
    "csv": (
        "mutation($csv: String!) { csv(text: $csv) }",
        lambda block: {
            "csv": "indicator,observed_at,value\n"
            + "\n".join(f"{c},{t.isoformat()},{v!r}" for c, t, v in block)
        },
    ),
}


def _schema():
    import strawberry
    from strawberry.scalars import JSON

    from apps.early_warning.graphql.mutations import ObservationInput
    from apps.early_warning.services.ingestion import PointIn, points_from_csv

    @strawberry.type
    class Query:
        ok: bool = True

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def objects(self, points: list[ObservationInput]) -> int:
            made = [PointIn(p.indicator, p.observed_at, p.value, p.dimensions) for p in points]
            return len(made)

        @strawberry.mutation
        def columns(
            self, indicators: list[str], observed_at: list[datetime], values: list[float]
        ) -> int:
            made = [
                PointIn(i, t, v) for i, t, v in zip(indicators, observed_at, values, strict=True)
            ]
            return len(made)

        @strawberry.mutation
        def rows(self, points: JSON) -> int:
            return len([PointIn(i, t, v) for i, t, v in points])

        @strawberry.mutation
        def csv(self, text: str) -> int:
            return len(points_from_csv(text)[0])

    return strawberry.Schema(query=Query, mutation=Mutation)


def input_shapes(block: list, repeats: int = 3) -> dict[str, float]:
    """Median seconds of execute_sync per shape, for the points of `block`."""
    schema = _schema()
    times: dict[str, list[float]] = {name: [] for name in MUTATIONS}
    for n in range(repeats + 1):  # the first round is a warm-up
        for name, (query, make) in MUTATIONS.items():
            variables = make(block)  # as a request's body would have it, freshly decoded
            gc.collect()
            start = time.perf_counter()
            result = schema.execute_sync(query, variable_values=variables)
            elapsed = time.perf_counter() - start
            if result.errors or next(iter(result.data.values())) != len(block):
                raise RuntimeError(f"input shape {name}: {result.errors or result.data}")
            if n:
                times[name].append(elapsed)
    return {name: float(np.median(seconds)) for name, seconds in times.items()}
