"""``make book-course``: the site for a course that grades has no solution anywhere.

Builds the course edition (tools/book_course.py, then Jupyter Book, sharing the book's execution
cache) into a temporary folder and searches every page, the search index and ``_sources/`` for the
text of the solutions, split out of each chapter's source at its solution markers here (not by the
code under test). The exercises themselves must still be there.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from chapters_index import notebook_chapters

ROOT = Path(__file__).resolve().parents[2]
JB = Path(sys.executable).with_name("jupyter-book")


def _solution_lines(path: Path) -> set[str]:
    """Lines inside the chapter's solutions that occur nowhere else in it (at least 12 characters)."""
    inside, sol, rest, fence_close = False, [], [], None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if fence_close:
            if line.strip() == fence_close:
                fence_close = None
            continue
        m = re.match(r"^(`{3,}|:{3,})\{solution-(start|end)\}", line)
        if m and m.group(2) == "start":
            inside = True
            continue
        if m:
            inside, fence_close = False, m.group(1)
            continue
        (sol if inside else rest).append(line.strip())
    others = "\n".join(rest)  # a solution line quoted in the exercise's own text is no leak
    return {
        line
        for line in sol
        if len(line) >= 12 and line not in others and not line.startswith(("```", ":::", ":tags:", "---", "#"))
    }


def _text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8", errors="replace")))


@pytest.fixture(scope="module")
def course_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course")
    subprocess.run([sys.executable, str(ROOT / "tools" / "book_course.py"), "--out", str(out)], check=True)
    args = ["-W", "-n", "--keep-going", "--builder", "html", "--path-output", str(out)]
    proc = subprocess.run(
        [str(JB), "build", str(ROOT), *args, "--config", str(out / "_config.yml")],
        capture_output=True,
        text=True,
        timeout=3000,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return out / "_build" / "html"


CHAPTERS = [p for p in notebook_chapters() if "{solution-start}" in p.read_text(encoding="utf-8")]


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_course_pages_have_exercises_but_no_solutions(course_site, path):
    page = course_site / "chapters" / f"{path.stem}.html"
    raw = page.read_text(encoding="utf-8")
    text = _text(page)
    assert 'class="solution' not in raw and "solution-content" not in raw
    assert re.search(r"Exercise \d+\.1", text), "the exercises must stay"
    leaked = {line for line in _solution_lines(path) if line in text}
    assert not leaked, f"solution text on the course page of {path.stem}: {sorted(leaked)[:5]}"


@pytest.mark.slow
def test_course_site_has_no_sources_or_search_entries_with_solutions(course_site):
    sources = course_site / "_sources"
    assert not list(sources.rglob("*.md")), "page sources (with their solutions) must not be published"
    lines = set().union(*(_solution_lines(p) for p in CHAPTERS))
    search = _text(course_site / "searchindex.js")
    # the search index keeps words, not lines: no word of a solution's assert line may be indexed alone
    assert "assert q1.check" not in search
    for nb_path in sources.rglob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        body = "\n".join(c.source for c in nb.cells)
        assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells), nb_path.name
        leaked = {line for line in lines if line in body}
        assert not leaked, f"{nb_path.name}: {sorted(leaked)[:5]}"
    assert list(sources.rglob("*.ipynb")), "each chapter still offers its (student) notebook"
