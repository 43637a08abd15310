"""The printed table, the stage clock, and the one JSON line that ends every run."""

import json
import time
from dataclasses import dataclass
from typing import Any

from bench.traffic import Stats


class Clock:
    """Wall time of a run's stages, for the report ("setup 1.2 s, boot 1.4 s, load 9.8 s")."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append((name, now - self.last))
        self.last = now

    def summary(self) -> str:
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.laps)
        return f"{parts}; total {time.monotonic() - self.started:.1f} s"


def ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 2) if denominator else float("nan")


COLUMNS = [
    ("name", "target", "{}"),
    ("conns", "conns", "{}"),
    ("requests", "requests", "{:d}"),
    ("errors", "errors", "{:d}"),
    ("p50_ms", "p50 ms", "{:.2f}"),
    ("p95_ms", "p95 ms", "{:.2f}"),
    ("p99_ms", "p99 ms", "{:.2f}"),
    ("mean_ms", "mean ms", "{:.2f}"),
    ("rps", "req/s", "{:.0f}"),
    ("app_cpu_ms", "app CPU ms", "{:.2f}"),
    ("db_cpu_ms", "db CPU ms", "{:.2f}"),
    ("sql_queries", "SQL/req", "{}"),
]


def print_table(
    title: str,
    rows: list[dict[str, Any]],
    notes: list[str] = (),
    columns: list[tuple[str, str, str]] = COLUMNS,
) -> None:
    """A fixed-width table: rows are dicts keyed by the columns' first element."""
    cells = [[header for _, header, _ in columns]]
    for row in rows:
        cells.append(
            ["-" if row.get(key) is None else fmt.format(row[key]) for key, _, fmt in columns]
        )
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = [title, "-" * len(title)]
    for n, line in enumerate(cells):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", *notes]
    print("\n".join(lines), flush=True)


def stats_row(name: str, stats: Stats, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        **{
            k: getattr(stats, k)
            for k in (
                "requests",
                "errors",
                "p50_ms",
                "p95_ms",
                "p99_ms",
                "mean_ms",
                "rps",
                "app_cpu_ms",
                "db_cpu_ms",
            )
        },
        **extra,
    }


@dataclass(frozen=True)
class Result:
    """What a benchmark returns; `python -m bench` prints it as the run's last line."""

    bench: str
    metrics: dict[str, Any]
    floor: dict[str, Any]
    ratio: float

    def json_line(self) -> str:
        return json.dumps(
            {
                "bench": self.bench,
                "metrics": self.metrics,
                "floor": self.floor,
                "ratio": self.ratio,
            },
            sort_keys=False,
        )
