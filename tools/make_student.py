"""Student and instructor notebooks for every chapter (``make student``).

For each chapter in ``_toc.yml`` that is a MyST Markdown notebook, writes

- ``<out>/instructor/<chapter>.ipynb``: the whole chapter, solutions included;
- ``<out>/student/<chapter>.ipynb``: the same with every solution taken out (everything from a
  ``{solution-start}`` fence to the end of the matching ``{solution-end}`` fence: solution code
  cells and model-answer prose alike). The answer cells keep their ``...`` stubs.

Both copies have their outputs cleared and run top to bottom in plain JupyterLab (no MyST
extension needed): ``{exercise}`` fences become a bold "Exercise N: title" paragraph, other
directives (theorems, proofs, notes) become block quotes with a bold title, ``{math}`` blocks
become ``$$ … $$``, and roles such as ``{cite}`key``` or ``{doc}`file``` become plain text.
In the instructor copy each solution starts with a bold "Solution to Exercise N" paragraph and
every cell of a solution carries the cell tag ``solution``.

Usage: ``python tools/make_student.py --out _build`` (run from anywhere).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this repository's gru_course, also when run as a plain script

from gru_course import toc as _toc  # noqa: E402

SOLUTION_TAG = "solution"

FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*?)\s*$")
OPTION_LINE = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*)$")
TARGET_LINE = re.compile(r"^\s*\([\w:.-]+\)=\s*$")  # (label)=
COMMENT_LINE = re.compile(r"^\s*%")  # MyST comment
ROLE = re.compile(r"(?<!`)\{(?P<role>[\w:-]+)\}`(?P<text>[^`]*)`")  # not `{name}` inside inline code


# ------------------------------------------------------------------ the table of contents
def toc_files(root: Path = ROOT) -> list[Path]:
    """The chapter files listed in ``_toc.yml`` (root first), in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names: list[str] = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    paths = [root / (name if name.endswith(".md") else f"{name}.md") for name in names]
    return list(dict.fromkeys(p for p in paths if p.is_file()))


def is_myst_notebook(path: Path) -> bool:
    """True for a Markdown file with a jupytext header in MyST format and a kernel."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return False
    header = text.split("---", 2)[1]
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError:
        return False
    fmt = (meta.get("jupytext") or {}).get("text_representation", {}).get("format_name")
    return fmt == "myst" and "kernelspec" in meta


def chapter_numbers(root: Path = ROOT) -> dict[Path, int]:
    """The chapter numbers the website shows (see :func:`gru_course.toc.chapter_numbers`, the one source)."""
    return _toc.chapter_numbers(root)


def notebook_chapters(root: Path = ROOT) -> list[Path]:
    """The chapters of the book that are MyST notebooks."""
    return [p for p in toc_files(root) if is_myst_notebook(p)]


# ------------------------------------------------------------------ markdown, line by line
@dataclass
class _Directive:
    fence: str
    name: str
    arg: str
    options: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    in_options: bool = True


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _plain_roles(text: str) -> str:
    """Roles as plain text: ``{cite}`a,b``` → [a, b], ``{math}`x``` → $x$, ``{eq}`l``` → (l),
    ``{doc}`x``` / ``{ref}`text <x>``` → the text."""

    def repl(m: re.Match) -> str:
        role, text = m.group("role"), m.group("text")
        if role == "math":
            return f"${text}$"
        if role.startswith("cite"):
            return "[" + ", ".join(k.strip() for k in text.split(",")) + "]"
        if role == "eq":
            return f"({text})"
        return re.sub(r"\s*<[^>]*>\s*$", "", text).strip() or text

    return ROLE.sub(repl, text)


def _render(d: _Directive, number: str | None) -> list[str]:
    """Plain Markdown for one directive (other than the solution markers)."""
    body = [_plain_roles(line) for line in d.body]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    if d.name == "exercise":
        title = f"**Exercise {number}: {_plain_roles(d.arg)}**" if d.arg else f"**Exercise {number}**"
        return [title, "", *body]
    if d.name == "math":
        return ["$$", *body, "$$"]
    if d.name in ("code", "code-block", "sourcecode"):
        return [f"```{d.arg}", *d.body, "```"]
    label = d.name.split(":")[-1].replace("-", " ").capitalize()
    title = f"**{label} ({_plain_roles(d.arg)})**" if d.arg else f"**{label}**"
    if d.name in ("admonition", "dropdown") and d.arg:
        title = f"**{_plain_roles(d.arg)}**"
    return [f"> {title}", ">"] + [f"> {line}" if line.strip() else ">" for line in body]


@dataclass
class _State:
    """Parsing state carried across the cells of one notebook."""

    exercise_count: int = 0
    prefix: str = ""  # "3." when the website numbers this chapter's exercises 3.1, 3.2, …
    in_solution: bool = False
    solution_label: str = ""
    solution_end_fence: str | None = None  # inside the {solution-end} fence itself
    labels: dict[str, str] = field(default_factory=dict)


def _split_markdown(text: str, state: _State) -> list[tuple[bool, list[str]]]:
    """Split one Markdown cell into runs ``(is_solution, lines)`` and convert directives.

    The {solution-start} / {solution-end} fences themselves vanish; a solution run begins
    with a bold "Solution to Exercise N" line (dropped again in the student copy).
    """
    runs: list[tuple[bool, list[str]]] = [(state.in_solution, [])]
    stack: list[_Directive] = []
    lines = text.split("\n")
    i = 0

    def emit(out: list[str]) -> None:
        if stack:
            stack[-1].body.extend(out)
        else:
            runs[-1][1].extend(out)

    while i < len(lines):
        line = lines[i]
        i += 1
        if state.solution_end_fence is not None:  # skip the rest of the {solution-end} fence
            if _closes(line, state.solution_end_fence):
                state.solution_end_fence = None
            continue
        if stack and stack[-1].in_options:
            if line.strip() == "---" and not stack[-1].options and not stack[-1].body:  # YAML option block
                while i < len(lines) and lines[i].strip() != "---":
                    m = re.match(r"^\s*([\w-]+)\s*:\s*(.*)$", lines[i])
                    if m:
                        stack[-1].options[m.group(1)] = m.group(2)
                    i += 1
                i += 1
                stack[-1].in_options = False
                continue
            m = OPTION_LINE.match(line)
            if m:
                stack[-1].options[m.group("key")] = m.group("value")
                continue
            stack[-1].in_options = False
            if not line.strip():
                continue
        if stack and _closes(line, stack[-1].fence):
            d = stack.pop()
            if d.name in ("solution-start", "solution-end"):
                continue
            number = None
            if d.name == "exercise":
                state.exercise_count += 1
                number = f"{state.prefix}{state.exercise_count}"
                if "label" in d.options:
                    state.labels[d.options["label"]] = number
            emit(_render(d, number))
            continue
        m = FENCE_OPEN.match(line)
        if m and m.group("name") == "solution-start" and not stack:
            state.in_solution = True
            state.solution_label = m.group("arg")
            number = state.labels.get(m.group("arg"))
            heading = f"**Solution to Exercise {number}**" if number else "**Solution**"
            runs.append((True, [heading, ""]))
            # skip the directive's options and its closing fence
            fence = m.group("fence")
            while i < len(lines) and not _closes(lines[i], fence):
                i += 1
            i += 1
            continue
        if m and m.group("name") == "solution-end" and not stack:
            state.in_solution = False
            runs.append((False, []))
            fence = m.group("fence")
            state.solution_end_fence = fence
            continue
        if m:
            stack.append(_Directive(fence=m.group("fence"), name=m.group("name"), arg=m.group("arg")))
            continue
        if TARGET_LINE.match(line) or COMMENT_LINE.match(line):
            continue
        emit([_plain_roles(line)] if not stack or stack[-1].name not in ("code", "code-block") else [line])
    if stack:
        raise ValueError(f"unclosed directive {{{stack[-1].name}}} in a Markdown cell")
    cleaned = []
    for is_solution, run_lines in runs:
        body = "\n".join(run_lines).strip("\n")
        body = re.sub(r"\n{3,}", "\n\n", body)
        if body.strip():
            cleaned.append((is_solution, body.split("\n")))
    return cleaned


# ------------------------------------------------------------------ notebooks
def _new_notebook(source_nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(
        source_nb.metadata.get("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    )
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def build_notebooks(
    path: Path, chapter_number: int | None = None
) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, int]:
    """The instructor and student notebooks for one chapter, and its number of exercises.

    With a ``chapter_number`` the exercises are titled "Exercise 3.1", … as on the website.
    """
    source = jupytext.read(path)
    instructor, student = _new_notebook(source), _new_notebook(source)
    state = _State(prefix=f"{chapter_number}." if chapter_number else "")
    for cell in source.cells:
        if cell.cell_type == "markdown":
            for is_solution, lines in _split_markdown(cell.source, state):
                text = "\n".join(lines)
                meta = {"tags": [SOLUTION_TAG]} if is_solution else {}
                instructor.cells.append(nbformat.v4.new_markdown_cell(text, metadata=meta))
                if not is_solution:
                    student.cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code":
            tags = list(cell.metadata.get("tags", []))
            is_solution = state.in_solution or SOLUTION_TAG in tags
            if is_solution and SOLUTION_TAG not in tags:
                tags.append(SOLUTION_TAG)
            meta = {"tags": tags} if tags else {}
            instructor.cells.append(nbformat.v4.new_code_cell(cell.source, metadata=meta))
            if not is_solution:
                student.cells.append(nbformat.v4.new_code_cell(cell.source, metadata=meta))
        else:  # raw cells
            if not state.in_solution:
                student.cells.append(nbformat.v4.new_raw_cell(cell.source))
            instructor.cells.append(nbformat.v4.new_raw_cell(cell.source))
    if state.in_solution:
        raise ValueError(f"{path}: a {{solution-start}} {state.solution_label} has no {{solution-end}}")
    if state.exercise_count:
        intro = (
            "*Student copy: the solutions are removed. In each answer cell replace the `...`, run the "
            "cell and read the feedback; `q1.hint()` gives a hint, `q1.solution()` shows a solution.*"
        )
        student.cells.insert(_after_title(student), nbformat.v4.new_markdown_cell(intro))
    for nb in (instructor, student):
        nbformat.validate(nb)
    return instructor, student, state.exercise_count


def _after_title(nb: nbformat.NotebookNode) -> int:
    """Index just after the cell holding the chapter's ``# Title`` (0 if there is none)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and re.search(r"^# ", cell.source, flags=re.M):
            return i + 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build", help="output folder (default: _build)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder (default: this repository)")
    args = parser.parse_args(argv)
    out_student, out_instructor = args.out / "student", args.out / "instructor"
    out_student.mkdir(parents=True, exist_ok=True)
    out_instructor.mkdir(parents=True, exist_ok=True)
    chapters = notebook_chapters(args.root)
    numbers = chapter_numbers(args.root)
    if not chapters:
        print("no MyST notebook chapters found in _toc.yml", file=sys.stderr)
        return 1
    for path in chapters:
        instructor, student, count = build_notebooks(path, numbers.get(path))
        name = path.stem + ".ipynb"
        nbformat.write(instructor, out_instructor / name)
        nbformat.write(student, out_student / name)
        print(f"{path.relative_to(args.root)}: {count} exercise(s) -> student/{name}, instructor/{name}")
    print(f"{len(chapters)} chapters: student notebooks in {out_student}, instructor notebooks in {out_instructor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
