"""Command-line knobs shared by every benchmark."""

import argparse
from dataclasses import dataclass, field, fields
from typing import Any


def _option(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Options:
    """Knobs shared by every benchmark (`python -m bench --help`); each uses what applies."""

    requests: int = _option(2000, "recorded requests per target")
    concurrency: int = _option(8, "client threads, one keep-alive connection each")
    warmup: int = _option(200, "unrecorded requests per target before measuring")
    rounds: int = _option(8, "alternating phases the recorded requests are split into")
    workers: int = _option(2, "gunicorn worker processes")
    threads: int = _option(4, "gthread threads per worker")
    max_seconds: float = _option(90.0, "hard time bound of one load (seconds)")
    fresh: bool = _option(False, "drop and recreate the bench database first")
    history: int = _option(0, "warning_scan/ingest: also measure with this many observations")
    migrate_schemas: int = _option(0, "tenants: schemas given the pending migration (0: all)")

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        for f in fields(cls):
            flag = "--" + f.name.replace("_", "-")
            help_text = f.metadata["help"]
            if isinstance(f.default, bool):
                parser.add_argument(flag, action="store_true", help=help_text)
            else:
                parser.add_argument(
                    flag,
                    type=type(f.default),
                    default=f.default,
                    metavar="N",
                    help=f"{help_text} (default {f.default})",
                )

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "Options":
        return cls(**{f.name: getattr(args, f.name) for f in fields(cls)})
