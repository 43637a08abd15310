"""Benchmarks: `python -m bench NAME` or `python -m bench all` (see bench/README.md).

Nothing is imported here on purpose: `bench.loadgen` runs in its own process without Django,
and `bench.settings` must be importable before Django is configured.
"""
