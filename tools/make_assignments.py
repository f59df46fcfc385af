"""Graded assignments with Otter-Grader, one per chapter (``make assignments``).

For every chapter with an exercise set (``gru_course/sets/<chapter>.py``) this writes, under
``<out>/<chapter>/``:

- ``source/<chapter>.ipynb``: the Otter master notebook (Otter's assign format, v1): the chapter's
  exercises (text from ``chapters/<chapter>.md``, checks from ``gru_course.sets``), one question
  per exercise with its points, one fixed answer variable ``answer_<k>``, the reference answer as
  the solution, a public test that only checks the answer's form and a hidden test that grades it
  with :func:`gru_course.graded.autograde`; beside it the files Otter ships: ``graded_variants.py``
  (to students and the autograder) and ``gru_lib/``, ``gru_course/`` (to the autograder only);
- ``dist/``: what ``otter assign`` writes from it: ``dist/student/<chapter>.ipynb`` (no solution,
  no hidden test) and ``dist/autograder/`` with ``autograder.zip`` for Gradescope or ``otter run``.

``python tools/make_assignments.py grade --autograder ZIP --out DIR SUBMISSION...`` grades submitted
notebooks locally with ``otter run`` (no Docker) and writes ``DIR/grades.csv``.

Run it with the grade venv's Python (``.venv-grade``, where Otter is installed): ``make assignments``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gru_course import graded  # noqa: E402
from gru_course.toc import chapter_number  # noqa: E402

FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{exercise\}\s*(?P<title>.*?)\s*$")
ROLE = re.compile(r"(?<!`)\{(?P<role>[\w:-]+)\}`(?P<text>[^`]*)`")
OPTION = re.compile(r"^- \*\*[a-z]\*\*")
#: What every graded notebook imports (the chapters' own import cells need the book's helpers).
IMPORTS = (
    "import numpy as np\n"
    "import sympy as sp\n"
    "import gru_lib\n"
    "from gru_lib import GRUParams, convert, run, sigmoid, step\n"
    "from graded_variants import record, show_options, show_question"
)
STUDENT_ID_CELL = (
    "# Your student id, exactly as your course lists it: it picks the numbers of your questions\n"
    "# and the order of the options, and the autograder grades your answers with it.\n"
    'STUDENT_ID = "{sid}"'
)
REQUIREMENTS = "numpy==2.4.6\nsympy==1.14.0\npyyaml==6.0.4\n"
#: Where the autograder keeps gru_course (not importable from the notebook's folder).
GRADER_DIR = "_grader"


def sets_with_chapters() -> list[str]:
    """The chapters that have both a set in gru_course/sets and a chapter file, sorted by chapter number."""
    names = [p.stem for p in (ROOT / "gru_course" / "sets").glob("*.py") if p.stem != "__init__"]
    names = [n for n in names if (ROOT / "chapters" / f"{n}.md").is_file()]
    return sorted(names, key=lambda n: (chapter_number(n) or 999, n))


def _plain(text: str) -> str:
    """MyST roles as plain Markdown (``{math}`x``` → $x$, others → their text)."""

    def repl(m: re.Match) -> str:
        role, inner = m.group("role"), m.group("text")
        if role == "math":
            return f"${inner}$"
        return re.sub(r"\s*<[^>]*>\s*$", "", inner).strip() or inner

    return ROLE.sub(repl, text)


def exercise_blocks(chapter: str) -> dict[int, dict]:
    """For each exercise position: its fence title and body, the setup code cells before the
    answer cell, and the answer cell's source (from ``chapters/<chapter>.md``)."""
    nb = jupytext.read(ROOT / "chapters" / f"{chapter}.md")
    out: dict[int, dict] = {}
    current: int | None = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            for i, line in enumerate(lines):
                m = FENCE_OPEN.match(line)
                if not m:
                    continue
                fence, body, label = m.group("fence"), [], None
                for inner in lines[i + 1 :]:
                    s = inner.strip()
                    if len(s) >= len(fence) and set(s) == {fence[0]}:
                        break
                    if s.startswith(":label:"):
                        label = s.split(":label:")[1].strip()
                    elif not re.match(r"^:[\w-]+:", s):
                        body.append(inner)
                k = int(label.rsplit("-ex", 1)[1]) if label and "-ex" in label else len(out) + 1
                out[k] = {"title": m.group("title"), "body": "\n".join(body).strip(), "setup": [], "answer": None}
                current = k
        elif cell.cell_type == "code" and current is not None and out[current]["answer"] is None:
            if "solution" in cell.metadata.get("tags", []):
                continue
            if re.search(rf"\bq{current}\.check\(", cell.source):
                out[current]["answer"] = cell.source
            else:
                out[current]["setup"].append(cell.source)
    return out


def _check_argument(source: str, position: int) -> tuple[list[str], str]:
    """The answer cell without its ``qk.check(...)`` line, and the expression it checked."""
    lines = source.splitlines()
    for i, line in enumerate(lines):
        m = re.match(rf"^\s*q{position}\.check\((?P<arg>.*)\)\s*$", line)
        if m:
            return lines[:i] + lines[i + 1 :], m.group("arg").strip()
    raise ValueError(f"the answer cell of exercise {position} has no one-line q{position}.check(...)")


def _targets(arg: str) -> str:
    """The assignment target for the reference: ``(a, b)`` → ``a, b``; ``x`` → ``x``."""
    inner = arg[1:-1] if arg.startswith("(") and arg.endswith(")") else arg
    names = [n.strip() for n in inner.split(",") if n.strip()]
    if not all(n.isidentifier() for n in names):
        raise ValueError(f"the check's argument should be a name or a tuple of names; got {arg!r}")
    return ", ".join(names) if len(names) > 1 else names[0]


# ------------------------------------------------------------------ tests (as Otter test cells)
def public_test(q: graded.Question, arg: str) -> str:
    """A test that checks the answer's form only (a hint, never the answer)."""
    kind, v = q.exercise.kind, q.variable
    if kind == "code":
        body = f"    assert callable({v}), 'Your answer should be a function: define it, then run the cell.'"
    elif kind == "choice" and q.exercise.options:
        body = (
            f"    assert isinstance({v}, str) and {v}.strip().strip('().').lower() in "
            f"{sorted(q.exercise.options)!r}, 'Answer with one letter as a string, such as \"a\".'"
        )
    else:
        n = len(_targets(arg).split(", "))
        body = (
            f"    parts = {v} if isinstance({v}, (tuple, list)) else ({v},)\n"
            "    assert all(x is not None and x is not ... for x in parts), "
            "'Replace every ... in the answer cell and run it.'"
        )
        if n > 1:
            body += f"\n    assert len(parts) == {n}, 'Give {n} values, as the answer cell shows: {arg}'"
    return f'""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\ndef test_{q.name}_form({v}):\n{body}\n'


def hidden_test(q: graded.Question) -> str:
    """The test the autograder runs: the book's checker, on fresh copies of gru_course and gru_lib."""
    return (
        f'""" # BEGIN TEST CONFIG\nhidden: true\npoints: {q.points:g}\n""" # END TEST CONFIG\n'
        f"def test_{q.name}(env):\n"
        "    import importlib, os, sys\n"
        f"    grader = os.path.abspath({GRADER_DIR!r})\n"
        "    if grader not in sys.path:\n"
        "        sys.path.insert(0, grader)\n"
        "    for mod in [m for m in sys.modules if m.split('.')[0] == 'gru_course']:\n"
        "        del sys.modules[mod]  # a fresh copy: nothing the notebook patched survives\n"
        f"    importlib.import_module('gru_course.graded').autograde(env, {q.chapter!r}, {q.position})\n"
    )


# ------------------------------------------------------------------ the master notebook
def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def _md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text)


def _code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text)


def assignment_config(chapter: str) -> str:
    return (
        "# ASSIGNMENT CONFIG\n"
        f"name: {chapter}\n"
        "init_cell: true\n"
        "check_all_cell: false\n"
        "export_cell:\n  pdf: false\n  run_tests: false\n"
        "run_tests: true\n"
        "requirements: requirements.txt\n"
        "files:\n  - graded_variants.py\n"
        "autograder_files:\n  - gru_lib\n  - _grader\n"
        "tests:\n  files: true\n  ok_format: false\n"
        "generate:\n  show_stdout: true\n  show_hidden: true\n  pdf: false\n"
    )


def master_notebook(chapter: str, student_id: str = "instructor") -> nbformat.NotebookNode:
    number = chapter_number(chapter)
    blocks = exercise_blocks(chapter)
    cells = [
        _raw(assignment_config(chapter)),
        _md(
            f"# Graded assignment: chapter {number} ({chapter})\n\n"
            "Fill in your student id, run every cell from the top, answer each question in its "
            "answer cell (replace the `...` and run the cell), then submit this notebook. "
            '`grader.check("q1")` tells you whether an answer has the right form; whether it is '
            "right, and the feedback, comes from the autograder after you submit. Each question's "
            "check stops a function that runs longer than its time limit."
        ),
        _code(STUDENT_ID_CELL.format(sid=student_id)),
        _code(IMPORTS),
    ]
    for q in graded.questions(chapter):
        block = blocks.get(q.position)
        if block is None or block["answer"] is None:
            raise ValueError(f"chapters/{chapter}.md has no exercise {q.position} with an answer cell")
        tol = f"; checked to {q.exercise.tolerance}" if q.exercise.tolerance else ""
        head = (
            f"**Exercise {q.exercise.number}: {_plain(block['title'])}** "
            f"({q.points:g} point{'s' if q.points != 1 else ''}{tol}; time limit {q.time_limit:g} s)"
        )
        varied_numbers = (chapter, q.position) in graded.variants.VARIANTS
        if varied_numbers:
            text = head + "\n\nRun the next cell: it shows this question with your own numbers."
        else:
            body = _plain(block["body"])
            if q.shuffled:  # the options are shown by a cell, in this student's order
                kept, in_option = [], False
                for line in body.splitlines():
                    if OPTION.match(line):
                        in_option = True
                        continue
                    if in_option and line.startswith("  "):
                        continue
                    in_option = False
                    kept.append(line)
                body = "\n".join(kept).rstrip() + "\n\nThe options (run the next cell):"
            text = head + "\n\n" + body
        cells.append(_raw(f"# BEGIN QUESTION\nname: {q.name}\npoints: {q.points:g}"))
        cells.append(_md(text))
        if varied_numbers:
            cells.append(_code(f"p = show_question(STUDENT_ID, {chapter!r}, {q.position})"))
        elif q.shuffled:
            cells.append(_code(f"show_options(STUDENT_ID, {chapter!r}, {q.position}, {dict(q.exercise.options)!r})"))
        if not varied_numbers:
            cells.extend(_code(src) for src in block["setup"])
        lines, arg = _check_argument(block["answer"], q.position)
        solution = (
            "# BEGIN SOLUTION NO PROMPT\n"
            "from gru_course.graded import reference\n"
            f"{_targets(arg)} = reference({chapter!r}, {q.position}, STUDENT_ID)\n"
            "# END SOLUTION"
        )
        answer = (
            "\n".join(lines).rstrip()
            + "\n"
            + solution
            + (f"\n{q.variable} = {arg}  # the answer the autograder grades\nrecord({q.name!r}, {q.variable})")
        )
        cells += [_raw("# BEGIN SOLUTION"), _code(answer), _raw("# END SOLUTION")]
        cells += [_raw("# BEGIN TESTS"), _code(public_test(q, arg)), _code(hidden_test(q)), _raw("# END TESTS")]
        cells.append(_raw("# END QUESTION"))
    cells.append(_md("Submit this notebook (saved, after running every cell from the top)."))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _copy_package(name: str, dest: Path) -> None:
    src = ROOT / ("chapters/gru_book" if name == "gru_book" else name)
    shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def write_source(chapter: str, out: Path) -> Path:
    """The master notebook and the files Otter ships beside it; returns the notebook's path."""
    source = out / chapter / "source"
    shutil.rmtree(out / chapter, ignore_errors=True)
    source.mkdir(parents=True)
    master = source / f"{chapter}.ipynb"
    nbformat.write(master_notebook(chapter), master)
    shutil.copy(ROOT / "gru_course" / "graded_variants.py", source / "graded_variants.py")
    (source / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    _copy_package("gru_lib", source)  # the students' notebooks import it in the autograder too
    # The grader's own copy of the course (checkers and references) sits where a notebook's
    # imports do not look; a hidden test puts it on sys.path. _toc.yml gives the chapter numbers.
    _copy_package("gru_course", source / GRADER_DIR)
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(ROOT / name, source / GRADER_DIR / name)
    return master


def otter(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the Otter CLI of this interpreter's environment."""
    exe = Path(sys.executable).parent / "otter"
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, check=False)


def assign(chapter: str, out: Path) -> Path:
    """Write the sources and run ``otter assign``; returns the autograder zip."""
    master = write_source(chapter, out)
    dist = out / chapter / "dist"
    done = otter("assign", str(master), str(dist))
    if done.returncode != 0:
        raise RuntimeError(f"otter assign failed for {chapter}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    zips = sorted((dist / "autograder").glob("*.zip"))
    if not zips:
        raise RuntimeError(f"otter assign wrote no autograder zip for {chapter}")
    student = dist / "student" / f"{chapter}.ipynb"
    nb = nbformat.read(student, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("# Your student id"):
            cell.source = STUDENT_ID_CELL.format(sid="")
    nbformat.write(nb, student)
    target = dist / "autograder" / "autograder.zip"
    if zips[-1] != target:
        shutil.copy(zips[-1], target)
    return target


# ------------------------------------------------------------------ local grading
def grade_locally(autograder: Path, submissions: list[Path], out: Path) -> Path:
    """Grade each submission with ``otter run`` (no container) and write ``out/grades.csv``."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for sub in submissions:
        run_dir = out / sub.stem
        run_dir.mkdir(exist_ok=True)
        done = otter("run", "-a", str(autograder.resolve()), "-o", str(run_dir.resolve()), str(sub.resolve()))
        results = run_dir / "results.json"
        if not results.is_file():
            raise RuntimeError(f"otter run wrote no results for {sub}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        data = json.loads(results.read_text(encoding="utf-8"))
        scores: dict[str, float] = {}
        for test in data.get("tests", []):
            name = test.get("name", "").split(" - ")[0]
            scores[name] = scores.get(name, 0.0) + float(test.get("score", 0.0))
        rows.append({"file": sub.name, "total": float(data.get("score", sum(scores.values()))), **scores})
    path = out / "grades.csv"
    fields = ["file", "total", *sorted({k for r in rows for k in r} - {"file", "total"})]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, restval=0.0)
        writer.writeheader()
        writer.writerows(rows)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    build = sub.add_parser("build", help="write the Otter sources and run otter assign (the default)")
    build.add_argument("--out", type=Path, default=ROOT / "_build" / "assignments")
    build.add_argument("--chapter", action="append", help="only these chapters (default: every chapter with a set)")
    grade = sub.add_parser("grade", help="grade submitted notebooks locally and write grades.csv")
    grade.add_argument("--autograder", type=Path, required=True)
    grade.add_argument("--out", type=Path, required=True)
    grade.add_argument("submissions", type=Path, nargs="+")
    args = parser.parse_args(
        argv if argv is not None and argv[:1] in (["build"], ["grade"]) else ["build", *(argv or [])]
    )
    if args.command == "grade":
        print(grade_locally(args.autograder, args.submissions, args.out))
        return 0
    for chapter in args.chapter or sets_with_chapters():
        print(f"{chapter}: {assign(chapter, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
