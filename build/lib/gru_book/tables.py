"""Small tables for chapter outputs.

The book renders a cell's Markdown output with CommonMark, which has no tables, so chapters
show tables as HTML. :func:`html_table` builds one from a header and rows, escaping every cell.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any


class HTMLTable(str):
    """An HTML table string that Jupyter and the book display as a table."""

    def _repr_html_(self) -> str:
        return str(self)


def html_table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, formats: Sequence[str] | None = None) -> HTMLTable:
    """A table with the given column ``header`` and ``rows`` (each as long as the header).

    ``formats`` gives a format spec per column (e.g. ``"+.4f"``); cells are escaped, except that
    header cells may use ``<sub>``/``<sup>`` for indices.
    """
    n = len(header)
    if formats is not None and len(formats) != n:
        raise ValueError(f"formats must have one entry per column ({n}); got {len(formats)}")
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {i} must have {n} cells like the header; got {len(row)}")

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
