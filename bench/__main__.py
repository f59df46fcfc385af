"""Run every ``bench/*.py`` module that has ``measure()``, merge the figures, write JSON and print it.

Usage: ``python -m bench [--out _build/bench.json] [--only NAME ...]``
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

import bench


def modules(only: list[str] | None = None) -> list[str]:
    """Names of the bench modules that define ``measure()``, in alphabetical order."""
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise SystemExit(f"unknown bench module(s) {unknown}; available: {names}")
        names = [n for n in names if n in only]
    return [n for n in names if callable(getattr(importlib.import_module(f"bench.{n}"), "measure", None))]


def run(only: list[str] | None = None) -> dict:
    figures: dict = {}
    for name in modules(only):
        start = time.perf_counter()
        result = importlib.import_module(f"bench.{name}").measure()
        if not isinstance(result, dict):
            raise TypeError(f"bench.{name}.measure() must return a dict; got {type(result).__name__}")
        clash = sorted(set(result) & set(figures))
        if clash:
            raise ValueError(f"bench.{name} reports figures another module already reported: {clash}")
        figures.update(result)
        print(f"bench.{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the book's benchmarks.")
    parser.add_argument("--out", type=Path, default=Path("_build/bench.json"))
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these bench modules")
    args = parser.parse_args(argv)
    figures = run(args.only)
    text = json.dumps(figures, indent=2, sort_keys=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
