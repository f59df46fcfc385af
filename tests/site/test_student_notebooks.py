"""``make student``: student notebooks without solutions, instructor notebooks with them.

Runs tools/make_student.py into a temporary folder once, then checks for every chapter in
_toc.yml that is a MyST notebook: both copies exist and validate, outputs are cleared, no
solution (code or model-answer prose) reaches the student copy, the answer stubs stay, MyST
directives are gone, and the student copy executes top to bottom with every exercise reporting
"not attempted".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from chapters_index import notebook_chapters

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "make_student.py"
CELL_TIMEOUT = 300  # seconds per cell, as in the book build


CHAPTERS = notebook_chapters()
IDS = [p.stem for p in CHAPTERS]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student_build")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path_factory.mktemp("cwd"),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def _read(built: Path, kind: str, path: Path) -> nbformat.NotebookNode:
    return nbformat.read(built / kind / f"{path.stem}.ipynb", as_version=4)


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n") if line.strip()}


def _distinctive(solution_text: str, rest_text: str) -> set[str]:
    """Lines of a solution that appear nowhere else: their presence in a student copy is a leak."""
    rest = _lines(rest_text)
    return {
        line
        for line in _lines(solution_text)
        if len(line) >= 6 and line not in rest and not line.startswith("**Solution to Exercise")
    }


def _source_solution_ranges(path: Path) -> tuple[str, str]:
    """(solution text, the rest) of a chapter's source, split at its solution markers, read line by line."""
    inside, sol, rest = False, [], []
    fence_close = None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if fence_close:  # the {solution-end} fence's own closing line
            if line.strip() == fence_close:
                fence_close = None
            continue
        m = re.match(r"^(`{3,}|:{3,})\{solution-(start|end)\}", line)
        if m and m.group(2) == "start":
            inside = True
        elif m:
            inside, fence_close = False, m.group(1)
            continue
        (sol if inside else rest).append(line)
    return "\n".join(sol), "\n".join(rest)


def _exercise_count(path: Path) -> int:
    return len(re.findall(r"^(`{3,}|:{3,})\{exercise\}", path.read_text(encoding="utf-8"), flags=re.M))


def test_every_notebook_chapter_gets_two_copies(built):
    assert CHAPTERS, "no MyST notebook chapters in _toc.yml"
    for kind in ("student", "instructor"):
        written = sorted(p.stem for p in (built / kind).glob("*.ipynb"))
        assert written == sorted(IDS), f"{kind}: {written} != {sorted(IDS)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_copies_validate_and_have_no_outputs(built, path):
    for kind in ("student", "instructor"):
        nb = _read(built, kind, path)
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert "jupytext" not in nb.metadata
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_instructor_copy_keeps_every_code_cell(built, path):
    """Every code cell of the chapter, after the set-up cell; only myst-nb's glue import is swapped."""
    source_code = [
        c.source.replace("from myst_nb import glue", "from gru_course.notebook import glue")
        for c in jupytext.read(path).cells
        if c.cell_type == "code"
    ]
    cells = [c for c in _read(built, "instructor", path).cells if c.cell_type == "code"]
    if cells and "setup" in cells[0].metadata.get("tags", []):
        cells = cells[1:]
    assert [c.source for c in cells] == source_code


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_solution_leaks_into_the_student_copy(built, path):
    student = _read(built, "student", path)
    student_text = "\n".join(c.source for c in student.cells)
    student_lines = _lines(student_text)
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    assert not re.search(r"^(`{3,}|:{3,})\{solution-(start|end)\}", student_text, re.M), "a solution fence is left"

    # 1. against the instructor copy's solution cells
    instructor = _read(built, "instructor", path)
    sol = [c for c in instructor.cells if "solution" in c.metadata.get("tags", [])]
    rest = "\n".join(c.source for c in instructor.cells if c not in sol)
    for cell in sol:
        if cell.cell_type == "code":
            assert cell.source.strip() not in student_text, f"solution code cell leaked:\n{cell.source}"
    leaked = _distinctive("\n".join(c.source for c in sol), rest) & student_lines
    assert not leaked, f"solution lines in the student copy of {path.name}: {sorted(leaked)}"

    # 2. against the chapter's source, split at the markers independently of make_student
    src_sol, src_rest = _source_solution_ranges(path)
    leaked = _distinctive(src_sol, src_rest) & student_lines
    assert not leaked, f"solution lines (from the source) in the student copy of {path.name}: {sorted(leaked)}"
    if _exercise_count(path):
        assert sol, f"{path.name} has exercises but its instructor copy has no solution cells"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_student_copy_keeps_exercises_and_stubs(built, path):
    count = _exercise_count(path)
    student = _read(built, "student", path)
    text = "\n".join(c.source for c in student.cells)
    for k in range(1, count + 1):
        assert re.search(rf"\*\*Exercise (\d+\.)?{k}[:*]", text), f"exercise {k} has no readable heading"
        assert any(
            c.cell_type == "code" and f"q{k}.check(" in c.source and "..." in c.source and "assert" not in c.source
            for c in student.cells
        ), f"the answer stub of exercise {k} is gone"
    assert not re.search(rf"\*\*Exercise (\d+\.)?{count + 1}[:*]", text)
    # no MyST directive fences left for plain JupyterLab to show as raw text
    assert not re.search(r"^(`{3,}|:{3,})\{[\w:-]+\}", text, flags=re.M), "a MyST directive fence is left"


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_student_copy_runs_top_to_bottom(built, path, tmp_path):
    from nbclient import NotebookClient

    nb_path = tmp_path / f"{path.stem}.ipynb"
    shutil.copy(built / "student" / nb_path.name, nb_path)
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    out = "\n".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "stream"
    )
    assert "Traceback" not in out
    count = _exercise_count(path)
    assert out.count("Not attempted") >= count, "every untouched answer cell reports 'not attempted'"
    assert "✓ Correct" not in out, "a student copy should not contain a passing check"


# ------------------------------------------------------------------ make_student on synthetic chapters
def _make_student_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_student", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_student", module)  # dataclasses look their module up there
    spec.loader.exec_module(sys.modules["make_student"])
    return sys.modules["make_student"]


HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

SYNTHETIC = (
    HEADER
    + """
# A synthetic chapter

(sec-intro)=
Some text citing {cite}`cho2014` and {doc}`first_run`, about `{exercise}` boxes and `{solution-end}` KEPT-INLINE.

```{code-cell} ipython3
x = 1
```

## Exercises

:::{exercise} Colon fenced
:label: syn-ex1

First question, with a list:

- one
:::

```{code-cell} ipython3
answer = ...
```

```{solution-start} syn-ex1
:class: dropdown
```

```{code-cell} ipython3
:tags: [solution]

answer = 41 + 1  # SECRET-CODE-ONE
```

A model answer, SECRET-PROSE-ONE, with a nested block:

````{note}
SECRET-NOTE inside the solution.
````

```{solution-end}
```

```{exercise} Second
:label: syn-ex2

Second question.
```

```{code-cell} ipython3
second = ...
```

```{solution-start} syn-ex2
:class: dropdown
```
SECRET-PROSE-TWO before any code.

```{code-cell} ipython3
second = "SECRET-CODE-TWO"
```

```{solution-end}
```

## Summary

Text after the solutions stays: KEPT-SUMMARY.
"""
)


def test_synthetic_chapter_loses_exactly_its_solutions(tmp_path):
    ms = _make_student_module()
    path = tmp_path / "syn.md"
    path.write_text(SYNTHETIC, encoding="utf-8")
    instructor, student, count = ms.build_notebooks(path)
    assert count == 2
    student_text = "\n".join(c.source for c in student.cells)
    instructor_text = "\n".join(c.source for c in instructor.cells)
    for secret in ("SECRET-CODE-ONE", "SECRET-PROSE-ONE", "SECRET-NOTE", "SECRET-PROSE-TWO", "SECRET-CODE-TWO"):
        assert secret not in student_text
        assert secret in instructor_text
        cell = next(c for c in instructor.cells if secret in c.source)
        assert "solution" in cell.metadata.get("tags", [])
    assert "KEPT-SUMMARY" in student_text and "answer = ..." in student_text and "second = ..." in student_text
    assert "**Exercise 1: Colon fenced**" in student_text and "**Exercise 2: Second**" in student_text
    assert "**Solution to Exercise 2**" in instructor_text
    assert "about `{exercise}` boxes and `{solution-end}` KEPT-INLINE" in student_text  # inline code untouched
    assert "[cho2014]" in student_text and "{cite}" not in student_text and "(sec-intro)=" not in student_text
    assert ":label:" not in student_text and ":::" not in student_text


def test_unclosed_solution_is_an_error(tmp_path):
    ms = _make_student_module()
    path = tmp_path / "bad.md"
    path.write_text(HEADER + "\n```{solution-start} x\n:class: dropdown\n```\n\nno end\n", encoding="utf-8")
    with pytest.raises(ValueError, match="solution-end"):
        ms.build_notebooks(path)


def test_numbered_toc_gives_website_exercise_numbers(tmp_path):
    ms = _make_student_module()
    (tmp_path / "chapters").mkdir()
    for name in ("intro", "a", "b", "c"):
        (tmp_path / "chapters" / f"{name}.md").write_text(SYNTHETIC, encoding="utf-8")
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/intro\nparts:\n"
        "  - caption: One\n    numbered: true\n    chapters:\n      - file: chapters/a\n"
        "  - caption: Two\n    numbered: true\n    chapters:\n      - file: chapters/b\n"
        "  - caption: Back\n    chapters:\n      - file: chapters/c\n",
        encoding="utf-8",
    )
    numbers = ms.chapter_numbers(tmp_path)
    assert numbers == {tmp_path / "chapters" / "a.md": 1, tmp_path / "chapters" / "b.md": 2}
    _, student, _ = ms.build_notebooks(tmp_path / "chapters" / "b.md", numbers[tmp_path / "chapters" / "b.md"])
    assert "**Exercise 2.2: Second**" in "\n".join(c.source for c in student.cells)
    assert [p.stem for p in ms.notebook_chapters(tmp_path)] == ["intro", "a", "b", "c"]
