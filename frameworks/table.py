"""Render the convention map's live rows from chapters/gru_book/data/frameworks.json as a Markdown table.

    .venv/bin/python frameworks/table.py            # prints the table

In a chapter (the JSON is package data of gru_book.data)::

    import json
    from gru_book import data
    rows = json.loads((data.folder() / "frameworks.json").read_text())["rows"]
    # then: from IPython.display import Markdown; Markdown(render(rows))
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "chapters" / "gru_book" / "data" / "frameworks.json"


def _diff(value: float | None, note: str | None) -> str:
    if value is not None:
        return f"{value:.0e}"
    return "refused" if note and "refused" in note else "–"


def render(rows: list[dict]) -> str:
    """A Markdown table: framework, version, update, reset, gate order, biases, max |Δ| float32 and float64."""
    lines = ["| framework | version | update | reset | gate order | biases | max \\|Δ\\| f32 | max \\|Δ\\| f64 |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "update" not in r:  # not run here / not installed / failed: say why
            lines.append(f"| {r['name']} | – | {r['status']}: {r.get('why', '')} | | | | | |")
            continue
        order = r["gate_order"].replace(",", ", ")
        lines.append(f"| {r['name']} | {r['version']} | {r['update']} | {r['reset']} | {order} | {r['bias']} | "
                     f"{_diff(r['max_abs_diff_float32'], None)} | "
                     f"{_diff(r['max_abs_diff_float64'], r.get('float64_note'))} |")
    return "\n".join(lines)


def main() -> int:
    print(render(json.loads(DATA.read_text(encoding="utf-8"))["rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
