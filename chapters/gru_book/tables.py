"""Small tables for chapter outputs.

The book renders a cell's Markdown output with CommonMark, which has no tables, so chapters
show tables as HTML. :func:`html_table` builds one from a header and rows, escaping every cell.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any


def _strings(name: str, value: Any) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of strings; got {type(value).__name__} {value!r}")
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{name} must be a list of strings; got non-strings {bad!r}")
    return list(value)


class HTMLTable(str):
    """An HTML table string that Jupyter and the book display as a table."""

    def _repr_html_(self) -> str:
        return str(self)


def html_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, formats: Sequence[str] | None = None
) -> HTMLTable:
    """A table with the given column ``header`` and ``rows`` (each as long as the header).

    ``header``: a list of strings; ``rows``: a list of lists (not strings); ``formats`` gives a
    format spec string per column (e.g. ``"+.4f"``) that must suit every value of its column.
    Cells are escaped, except that header cells may use ``<sub>``/``<sup>`` for indices.
    """
    header = _strings("header", header)
    n = len(header)
    if formats is not None:
        formats = _strings("formats", formats)
        if len(formats) != n:
            raise ValueError(f"formats must have one entry per column ({n}); got {len(formats)}")
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a list of rows (lists of cells); got {type(rows).__name__}")
    for i, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
            raise TypeError(f"rows[{i}] must be a list of cells; got {type(row).__name__} {row!r}")
        if len(row) != n:
            raise ValueError(f"row {i} must have {n} cells like the header; got {len(row)}")
        for j, value in enumerate(row):
            if formats is not None:
                try:
                    format(value, formats[j])
                except (TypeError, ValueError) as exc:
                    raise ValueError(
                        f"formats[{j}] = {formats[j]!r} does not suit rows[{i}][{j}] = {value!r} ({exc})"
                    ) from exc

    def head(text: str) -> str:
        escaped = html.escape(str(text))
        for tag in ("sub", "sup"):
            escaped = escaped.replace(f"&lt;{tag}&gt;", f"<{tag}>").replace(f"&lt;/{tag}&gt;", f"</{tag}>")
        return escaped

    def cell(value: Any, j: int) -> str:
        return html.escape(format(value, formats[j]) if formats is not None else str(value))

    thead = "".join(f"<th>{head(h)}</th>" for h in header)
    tbody = "".join("<tr>" + "".join(f"<td>{cell(v, j)}</td>" for j, v in enumerate(row)) + "</tr>" for row in rows)
    return HTMLTable(f'<table class="table"><thead><tr>{thead}</tr></thead><tbody>{tbody}</tbody></table>')


# ------------------------------------------------------------------ the live convention map
FRAMEWORK_HEADER = ["framework", "version", "update", "reset", "gate order", "biases", "max |Δ| f32, f64"]


def _gap(value: Any, note: Any) -> str:
    if value is not None:
        return f"{float(value):.0e}"
    return "refused" if isinstance(note, str) and "refused" in note else "–"


def framework_cells(rows: Sequence[dict[str, Any]]) -> list[list[str]]:
    """One row of :data:`FRAMEWORK_HEADER` per entry of ``frameworks.json`` (``make frameworks``).

    A row that did not run (e.g. cuDNN without a GPU) says so in its update column, with the reason.
    """
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise TypeError(f"rows must be a list of frameworks.json rows; got {type(rows).__name__}")
    out = []
    for r in rows:
        if not isinstance(r, dict) or "name" not in r or "status" not in r:
            raise ValueError(f"each row must be a frameworks.json row with 'name' and 'status'; got {r!r}")
        if "update" not in r:
            out.append([r["name"], "–", f"{r['status']}: {r.get('why', '')}".strip(), "", "", "", ""])
            continue
        version = str(r["version"]).split(" (")[0]  # "onnx 1.23.2 (its evaluator)" -> "onnx 1.23.2"
        gaps = f"{_gap(r['max_abs_diff_float32'], None)}, {_gap(r['max_abs_diff_float64'], r.get('float64_note'))}"
        out.append([r["name"], version, r["update"], r["reset"], r["gate_order"].replace(",", ", "), r["bias"], gaps])
    return out


def framework_table(rows: Sequence[dict[str, Any]]) -> HTMLTable:
    """The live convention map as an HTML table (see :func:`framework_cells`)."""
    return html_table(FRAMEWORK_HEADER, framework_cells(rows))
