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


def render(rows: list[dict]) -> str:
    """A Markdown table of the rows, with the columns and cells the chapter's HTML table uses."""
    from gru_book.tables import FRAMEWORK_HEADER, framework_cells

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join(
        [line(FRAMEWORK_HEADER), "|" + "---|" * len(FRAMEWORK_HEADER)] + [line(c) for c in framework_cells(rows)]
    )


def main() -> int:
    print(render(json.loads(DATA.read_text(encoding="utf-8"))["rows"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
