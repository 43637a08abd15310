"""Where one in-process call's wall time goes, by wrapping a few named functions for that call.

    phases = Phases()
    with phases.patched([("SQL: upsert", ingestion, "_upsert"), ...]):
        phases.run(lambda: ingestion.ingest(points))
    phases.lines()  # exclusive wall time per phase, and the SQL time spent inside each

Time is exclusive (a phase called inside another is subtracted from its caller); whatever is
not inside a named phase is `other`. SQL time is the time inside Django's cursor.execute (which
includes PostgreSQL's work and the transfer of the rows) and is charged to the phase that ran
the statement. The wrappers cost ~1 µs a call: fine for functions called thousands of times,
not for per-row helpers. Everything is restored when the `with` ends, whatever happens.
"""

import contextlib
import functools
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any


class Phases:
    def __init__(self, other: str = "other") -> None:
        self.other = other
        self.wall: dict[str, float] = defaultdict(float)
        self.sql: dict[str, float] = defaultdict(float)
        self.statements: Counter = Counter()
        self.calls: Counter = Counter()
        self.by_statement: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.total = 0.0
        self._stack = [other]

    def wrap(self, name: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            self._stack.append(name)
            self.calls[name] += 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                self._stack.pop()
                self.wall[name] += elapsed
                self.wall[self._stack[-1]] -= elapsed  # exclusive: the caller loses it

        return timed

    def _sql(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            self.sql[self._stack[-1]] += elapsed
            self.statements[self._stack[-1]] += 1
            head = " ".join(sql.split())[:70]
            self.by_statement[(self._stack[-1], head)].append(elapsed)

    @contextlib.contextmanager
    def patched(self, specs: list[tuple[str, Any, str]]) -> Iterator["Phases"]:
        """Wrap `owner.attribute` as phase `name` for each (name, owner, attribute): a module,
        a class, or an instance (a manager, a connection: the wrapper shadows the method)."""
        saved = [
            (owner, attribute, getattr(owner, attribute), attribute in vars(owner))
            for _, owner, attribute in specs
        ]
        try:
            for (name, _, _), (owner, attribute, function, _) in zip(specs, saved, strict=True):
                setattr(owner, attribute, self.wrap(name, function))
            yield self
        finally:
            for owner, attribute, function, own in reversed(saved):
                if own:
                    setattr(owner, attribute, function)
                else:  # it was inherited or a method of the instance's class: unshadow it
                    vars(owner).pop(attribute, None)

    def run(self, call: Callable[[], Any]) -> Any:
        """Run `call` once, timed (SQL statements counted in whatever phase runs them)."""
        from django.db import connection

        with connection.execute_wrapper(self._sql):
            start = time.perf_counter()
            try:
                return call()
            finally:
                elapsed = time.perf_counter() - start
                self.total += elapsed
                self.wall[self.other] += elapsed

    def statement_lines(self, phase: str) -> list[str]:
        """The statements one phase ran, by their first 70 characters: total ms, count."""
        rows = [(sum(t), len(t), head) for (p, head), t in self.by_statement.items() if p == phase]
        return [
            f"      {total * 1000:8.1f} ms in {count:4d}x  {head}…"
            for total, count, head in sorted(rows, reverse=True)
        ]

    def ms(self) -> dict[str, float]:
        return {name: round(wall * 1000, 1) for name, wall in self.wall.items()}

    def lines(self) -> list[str]:
        """One line per phase, longest first: ms, share, SQL ms in N statements, name (calls)."""
        total = self.total or float("nan")
        return [
            f"  {wall * 1000:8.1f} ms {wall / total:6.1%}   SQL {self.sql[name] * 1000:7.1f} ms "
            f"in {self.statements[name]:4d} statements   {name}"
            + (f" ({self.calls[name]} calls)" if self.calls[name] else "")
            for name, wall in sorted(self.wall.items(), key=lambda item: -item[1])
        ]
