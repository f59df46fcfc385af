"""The chapters show explanation, not a test suite: the code a reader sees on each built page is
counted from its HTML (``tools/page_code_stats.py``) and held to the chapters issue's limits.
Needs a built site (``make book``); marked slow."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import require_site

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("page_code_stats", ROOT / "tools" / "page_code_stats.py")
assert _spec and _spec.loader
stats = importlib.util.module_from_spec(_spec)
sys.modules["page_code_stats"] = stats
_spec.loader.exec_module(stats)

MAX_CELL_LINES = 15
MAX_LINE_CHARS = 88
SHOWN_LINES_PER_ASSERT = 50
PROOF_PAGES = {"proof"}  # there the sympy checks are the content


def _chapter_pages() -> list[str]:
    return sorted(p.stem for p in (ROOT / "chapters").glob("*.md"))


@pytest.mark.parametrize("chapter", _chapter_pages())
def test_shown_code_stays_short_and_narrow(chapter):
    page = require_site() / "chapters" / f"{chapter}.html"
    code = stats.page_code(page.read_text(encoding="utf-8"))
    long_cells = [len(c) for c in code.shown if len([x for x in c if x.strip()]) > MAX_CELL_LINES]
    assert not long_cells, f"{chapter}: shown cells over {MAX_CELL_LINES} lines: {long_cells}"
    wide = [line for line in code.shown_lines if len(line) > MAX_LINE_CHARS]
    assert not wide, f"{chapter}: shown code lines over {MAX_LINE_CHARS} characters: {wide}"


@pytest.mark.parametrize("chapter", [c for c in _chapter_pages() if c not in PROOF_PAGES])
def test_checks_stay_off_the_readers_path(chapter):
    page = require_site() / "chapters" / f"{chapter}.html"
    code = stats.page_code(page.read_text(encoding="utf-8"))
    allowed = len(code.shown_lines) // SHOWN_LINES_PER_ASSERT
    assert len(code.assert_lines) <= allowed, (
        f"{chapter}: {len(code.assert_lines)} shown assert lines in {len(code.shown_lines)} shown code "
        f"lines (at most one per {SHOWN_LINES_PER_ASSERT}): {code.assert_lines}"
    )


def test_counter_tells_shown_folded_and_removed_code_apart():
    def cell(tags: str, code: str) -> str:
        return (
            f'<div class="cell{tags} docutils container">\n<div class="cell_input docutils container">\n'
            f'<div class="highlight-ipython3 notranslate"><div class="highlight"><pre>{code}</pre></div>'
        )

    page = "".join(
        [
            cell("", '<span class="k">assert</span> x\ny = 1\n'),
            cell(" tag_hide-input", "a = 1\nb = 2\n"),
            cell(" tag_solution", "assert q1.check(y)\n"),
        ]
    )
    code = stats.page_code(page)
    assert [len(c) for c in code.shown] == [2, 1] and [len(c) for c in code.folded] == [2]
    assert code.assert_lines == ["assert x", "assert q1.check(y)"]
