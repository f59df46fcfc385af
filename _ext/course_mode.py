"""The site for a course that grades (``make book-course``): no solutions anywhere.

Loaded only by the course build (``tools/book_course.py`` adds it to a copy of ``_config.yml``):

- every solution leaves the pages: a gated solution (``{solution-start}`` … ``{solution-end}``)
  with all it encloses (its code cells and model-answer prose), and every plain ``{solution}`` box,
  before sphinx-exercise would merge them (so the search index has none of them either);
- no page sources: ``html_copy_source`` off, so ``_sources/`` holds no ``.md`` with solutions, and
  the ``.ipynb`` a page offers for download is the chapter's student copy (``tools/make_student.py``),
  not the executed notebook with its solutions;
- the Sphinx tag ``course`` is set, so a page can say ``{only} course`` or ``{only} not course``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import nbformat
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

TAG = "course"


class RemoveSolutions(SphinxTransform):
    """Drop every solution node, and each gated solution with everything up to its end marker."""

    default_priority = 5  # after sphinx-exercise checks the gates (1), before it merges them (10)

    def apply(self, **kwargs: Any) -> None:
        for start in list(self.document.findall(solution_start_node)):
            parent = start.parent
            if parent is None:
                continue
            begin = parent.index(start)
            end = next(
                (k for k in range(begin, len(parent.children)) if isinstance(parent[k], solution_end_node)), None
            )
            if end is None:  # sphinx-exercise reports the unmatched gate itself
                continue
            for child in parent.children[begin : end + 1]:
                parent.remove(child)
        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)
        for node in list(self.document.findall(solution_end_node)):
            node.parent.remove(node)


def _make_student(srcdir: Path):  # type: ignore[no-untyped-def]
    path = srcdir / "tools" / "make_student.py"
    spec = importlib.util.spec_from_file_location("make_student", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_student", module)  # its dataclasses look their module up there
    spec.loader.exec_module(sys.modules["make_student"])
    return sys.modules["make_student"]


def _student_downloads(app: Any, exception: Exception | None) -> None:
    """Replace each executed notebook in ``_sources/`` by the chapter's student copy."""
    if exception is not None or app.builder.format != "html":
        return
    sources = Path(app.outdir) / "_sources"
    if not sources.is_dir():
        return
    srcdir = Path(app.srcdir)
    make_student = _make_student(srcdir)
    numbers = make_student.chapter_numbers(srcdir)
    for target in sources.rglob("*.ipynb"):
        chapter = srcdir / target.relative_to(sources).with_suffix(".md")
        if chapter.is_file():
            _, student, _ = make_student.build_notebooks(chapter, numbers.get(chapter))
            nbformat.write(student, target)
        else:
            target.unlink()


def _configure(app: Any, config: Any) -> None:
    config.html_copy_source = False
    config.html_show_sourcelink = False
    app.tags.add(TAG)


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _configure)
    app.add_transform(RemoveSolutions)
    app.connect("build-finished", _student_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
