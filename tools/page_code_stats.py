"""Per built page: the code a reader sees, counted from the HTML.

    python tools/page_code_stats.py [_build/html] [--heights]

A cell's code is *shown* when it is on the page as it loads, solutions' (folded in their
dropdown) included, and *folded* when its input is behind a "Show code" toggle (``hide-input``).
``remove-input``/``remove-cell`` code is not in the HTML at all. For every chapter page it prints
shown code lines, shown ``assert`` lines, the longest shown cell and line, and folded lines;
``--heights`` adds each page's height in CSS pixels at 1280 px wide (headless Chromium).
The limits of the chapters issue are checked by ``tests/site/test_page_code.py``.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

CELL = re.compile(r'<div class="cell( [^"]*)? docutils container">')
PRE = re.compile(
    r'<div class="cell_input docutils container">\s*'
    r'<div class="highlight[^"]*"><div class="highlight"><pre>(.*?)</pre>',
    re.S,
)


@dataclass
class PageCode:
    """What one page shows: the lines of each shown cell and each folded cell."""

    shown: list[list[str]] = field(default_factory=list)
    folded: list[list[str]] = field(default_factory=list)

    @property
    def shown_lines(self) -> list[str]:
        return [line for cell in self.shown for line in cell if line.strip()]

    @property
    def assert_lines(self) -> list[str]:
        return [line for line in self.shown_lines if line.lstrip().startswith("assert")]


def _text(pre: str) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]+>", "", pre))
    return text.rstrip("\n").split("\n")


def page_code(page: str) -> PageCode:
    """Split a built page's code cells into shown and folded, each as its lines."""
    out = PageCode()
    starts = [(m.start(), m.group(1) or "") for m in CELL.finditer(page)]
    for k, (start, classes) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(page)
        pre = PRE.search(page, start, end)
        if pre is None:
            continue
        lines = _text(pre.group(1))
        (out.folded if "tag_hide-input" in classes or "tag_hide-cell" in classes else out.shown).append(lines)
    return out


def page_heights(root: Path, names: list[str]) -> dict[str, int]:
    """Height of each chapter page at 1280 x 900, read from file:// in headless Chromium."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name in names:
            page.goto((root / "chapters" / f"{name}.html").resolve().as_uri(), wait_until="load")
            # sections below the first screen are drawn lazily (content-visibility): draw them all
            page.add_style_tag(content="* { content-visibility: visible !important; }")
            out[name] = int(page.evaluate("document.documentElement.scrollHeight"))
        browser.close()
    return out


def main(root: Path, heights: bool = False) -> None:
    paths = sorted((root / "chapters").glob("*.html"))
    tall = page_heights(root, [p.stem for p in paths]) if heights else {}
    print(f"{'page':<14}{'shown':>7}{'assert':>8}{'max cell':>10}{'max line':>10}{'folded':>8}{'height':>8}")
    for path in paths:
        code = page_code(path.read_text(encoding="utf-8"))
        cells = [len([x for x in c if x.strip()]) for c in code.shown] or [0]
        widest = max((len(x) for x in code.shown_lines), default=0)
        folded = sum(len(c) for c in code.folded)
        counts = f"{len(code.shown_lines):>7}{len(code.assert_lines):>8}{max(cells):>10}{widest:>10}"
        print(f"{path.stem:<14}{counts}{folded:>8}{tall.get(path.stem, ''):>8}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--heights"]
    main(Path(args[0] if args else "_build/html"), heights="--heights" in sys.argv[1:])
