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

Every copy opens with a set-up cell that checks that what the notebook imports is installed (and,
on Colab or a JupyterHub, installs the book's wheels with pip), and the chapters' ``from myst_nb
import glue`` becomes ``from gru_course.notebook import glue`` (myst-nb belongs to the website's build).

What a student installs, also written here:

- ``<out>/dist/gru_lib-<v>-py3-none-any.whl``: the GRU library (needs numpy only);
- ``<out>/dist/gru_book_course-<v>-py3-none-any.whl``: the book's helpers (``gru_book`` with its
  data files) and the coursework (``gru_course``, with the chapter numbers of ``_toc.yml`` baked in
  as ``gru_course/chapters.json``), declaring everything the notebooks import (never torch);
- ``<out>/downloads/``: both wheels, every student notebook, ``gru-course-<chapter>.zip`` per
  chapter and ``gru-course-notebooks.zip`` for the whole book (notebooks + wheels + README.txt).
  With ``--site _build/html`` the folder is also copied to ``_build/html/downloads/``, which the
  coursework page links to.

The wheels are zip files written by this script (no build tool needed, byte-for-byte reproducible).

Usage: ``python tools/make_student.py --out _build [--site _build/html] [--site-url URL]`` (run from anywhere).
"""

from __future__ import annotations

import argparse
import ast
import base64
import hashlib
import io
import json
import re
import shutil
import sys
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this repository's gru_course, also when run as a plain script

from gru_course import toc as _toc  # noqa: E402
from gru_course.notebook import setup_source  # noqa: E402

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
    path: Path, chapter_number: int | None = None, *, site_url: str = ""
) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, int]:
    """The instructor and student notebooks for one chapter, and its number of exercises.

    With a ``chapter_number`` the exercises are titled "Exercise 3.1", … as on the website. Each copy
    that imports anything opens (after its title, and in the student copy after the note on the
    solutions) with the set-up cell, which installs from ``site_url`` on Colab or a hub.
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
            code = portable_code(cell.source)
            instructor.cells.append(nbformat.v4.new_code_cell(code, metadata=meta))
            if not is_solution:
                student.cells.append(nbformat.v4.new_code_cell(code, metadata=meta))
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
    needs = third_party_imports(instructor)
    for nb, after_note in ((instructor, 0), (student, int(bool(state.exercise_count)))):
        if needs:
            nb.cells.insert(_after_title(nb) + after_note, setup_cell(needs, site_url=site_url))
        nbformat.validate(nb)
    return instructor, student, state.exercise_count


def _after_title(nb: nbformat.NotebookNode) -> int:
    """Index just after the cell holding the chapter's ``# Title`` (0 if there is none)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and re.search(r"^# ", cell.source, flags=re.M):
            return i + 1
    return 0


# ------------------------------------------------------------------ notebooks that run anywhere
GLUE_IMPORT = "from myst_nb import glue"
PORTABLE_GLUE_IMPORT = "from gru_course.notebook import glue"
SETUP_TAG = "setup"
#: Top-level modules the notebooks may import, and the distribution that provides each.
DISTRIBUTIONS = {
    "gru_lib": "gru_lib",
    "gru_book": "gru-book-course",
    "gru_course": "gru-book-course",
    "numpy": "numpy",
    "sympy": "sympy",
    "mpmath": "mpmath",
    "matplotlib": "matplotlib",
    "ipywidgets": "ipywidgets",
    "anywidget": "anywidget",
    "IPython": "ipython",
    "traitlets": "traitlets",
    "matplotlib_inline": "matplotlib-inline",
}
#: What the course wheel declares: everything gru_book, gru_course and the notebooks import.
COURSE_REQUIRES = (
    "numpy>=1.26",
    "sympy>=1.12",
    "mpmath>=1.3",
    "matplotlib>=3.8",
    "ipywidgets>=8",
    "anywidget>=0.9",
    "traitlets>=5",
    "ipython>=8",
    "matplotlib-inline>=0.1",
)
#: The site's folder of downloads (under _build/html) and the archive of the whole book.
DOWNLOADS = "downloads"
BOOK_ZIP = "gru-course-notebooks.zip"


def portable_code(source: str) -> str:
    """A chapter's code cell as a notebook outside the book's build runs it (the glue import swapped)."""
    return "\n".join(
        line.replace(GLUE_IMPORT, PORTABLE_GLUE_IMPORT) if line.strip() == GLUE_IMPORT else line
        for line in source.split("\n")
    )


def third_party_imports(nb: nbformat.NotebookNode) -> list[str]:
    """The top-level modules outside the standard library that the notebook's code cells import, sorted."""
    found: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or SETUP_TAG in cell.metadata.get("tags", []):
            continue
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.split("\n"))
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return sorted(m for m in found if m not in sys.stdlib_module_names)


def project_version(root: Path = ROOT) -> str:
    """The version in ``pyproject.toml``, which both wheels carry."""
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def wheel_names(version: str) -> list[str]:
    """The file names of the two wheels, library first (the order pip is given them)."""
    return [f"gru_lib-{version}-py3-none-any.whl", f"gru_book_course-{version}-py3-none-any.whl"]


def setup_cell(needs: list[str], version: str | None = None, site_url: str = "") -> nbformat.NotebookNode:
    """The first code cell of a copy: it checks (and on Colab or a hub installs) the modules in ``needs``."""
    version = version or project_version()
    unknown = sorted(set(needs) - set(DISTRIBUTIONS))
    if unknown:
        raise ValueError(f"the notebook imports {unknown}, which no wheel declares: add them to DISTRIBUTIONS")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    dists = sorted({DISTRIBUTIONS[m] for m in needs})
    source = setup_source(needs=needs, wheels=wheel_names(version), site=site_url, dists=dists)
    return nbformat.v4.new_code_cell(source, metadata={"tags": [SETUP_TAG]})


# ------------------------------------------------------------------ wheels (written as zip files)
_EPOCH = (2020, 1, 1, 0, 0, 0)  # every member's timestamp: the same bytes from the same sources
_DATA = ("*.npz", "*.txt", "*.json", "*.js", "*.css")


def _package_files(folder: Path, prefix: str) -> dict[str, bytes]:
    """``{archive path: bytes}`` for the modules and data files of the package in ``folder``."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".py" or any(path.match(p) for p in _DATA):
            files[f"{prefix}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return files


def _metadata(name: str, version: str, summary: str, requires: list[str], extras: list[str]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    lines += ["Requires-Python: >=3.11"] + [f"Requires-Dist: {r}" for r in requires]
    lines += [f"Provides-Extra: {e}" for e in extras]
    return "\n".join(lines) + "\n"


def write_wheel(
    out_dir: Path,
    name: str,
    version: str,
    files: dict[str, bytes],
    summary: str,
    requires: list[str],
    extras: Sequence[str] = (),
) -> Path:
    """Write a pure-Python wheel ``<name>-<version>-py3-none-any.whl`` holding ``files``; return its path."""
    dist = re.sub(r"[-.]+", "_", name)
    info = f"{dist}-{version}.dist-info"
    members = dict(files)
    members[f"{info}/METADATA"] = _metadata(name, version, summary, requires, list(extras)).encode()
    members[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: tools/make_student.py\nRoot-Is-Purelib: true\n"
    members[f"{info}/WHEEL"] += b"Tag: py3-none-any\n"
    tops = sorted({path.split("/")[0] for path in files})
    members[f"{info}/top_level.txt"] = ("\n".join(tops) + "\n").encode()
    record = []
    for path, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{dist}-{version}-py3-none-any.whl"
    _write_zip(target, members)
    return target


def _write_zip(target: Path, members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in members.items():
            entry = zipfile.ZipInfo(path, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zf.writestr(entry, data)
    target.write_bytes(buffer.getvalue())


def build_wheels(root: Path, out_dir: Path) -> list[Path]:
    """The library's wheel and the course's wheel (with the chapter numbers of ``root/_toc.yml``)."""
    version = project_version(root)
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    lib_requires = list(project["dependencies"]) + [f"{r}; extra == 'symbolic'" for r in extras.get("symbolic", [])]
    lib = write_wheel(
        out_dir,
        "gru_lib",
        version,
        _package_files(root / "gru_lib", "gru_lib"),
        "A small numpy GRU with both update conventions (keep and admit) and the conversion between them",
        lib_requires,
        extras=["symbolic"],
    )
    course_files = _package_files(root / "chapters" / "gru_book", "gru_book")
    course_files |= _package_files(root / "gru_course", "gru_course")
    numbers = {"source": "_toc.yml", "chapters": _toc.packaged_numbers(root)}
    course_files["gru_course/chapters.json"] = (json.dumps(numbers, indent=1, sort_keys=True) + "\n").encode()
    course = write_wheel(
        out_dir,
        "gru-book-course",
        version,
        course_files,
        "The helpers and the self-checking coursework of the executable book on the GRU's update gate",
        [f"gru_lib=={version}", *COURSE_REQUIRES],
    )
    return [lib, course]


# ------------------------------------------------------------------ downloads
README = """\
Student notebooks of the book "The GRU's update gate" (version {version}).

1. Install the two wheels into the Python your Jupyter uses (a fresh virtual environment is best):
       python -m pip install {wheels}
   They bring numpy, sympy, matplotlib, ipywidgets and anywidget; the notebooks need nothing else.
2. Open a notebook in Jupyter and run its first cell (the set-up check), then the rest.
   In each exercise's answer cell replace the ... and run it; qN.hint() gives a hint.

On Colab or a JupyterHub, upload the notebook and the two .whl files: the first cell installs them.
"""


def write_downloads(out_dir: Path, student_notebooks: list[Path], wheels: list[Path], version: str) -> list[Path]:
    """Copy the wheels and notebooks into ``out_dir`` and zip them per chapter and for the whole book."""
    out_dir.mkdir(parents=True, exist_ok=True)
    readme = README.format(version=version, wheels=" ".join(w.name for w in wheels)).encode()
    common = {w.name: w.read_bytes() for w in wheels} | {"README.txt": readme}
    written = []
    for path in [*wheels, *student_notebooks]:
        shutil.copyfile(path, out_dir / path.name)
        written.append(out_dir / path.name)
    for nb in student_notebooks:
        target = out_dir / f"gru-course-{nb.stem}.zip"
        _write_zip(target, {f"gru-course-{nb.stem}/{k}": v for k, v in ({nb.name: nb.read_bytes()} | common).items()})
        written.append(target)
    book = {nb.name: nb.read_bytes() for nb in student_notebooks} | common
    _write_zip(out_dir / BOOK_ZIP, {f"gru-course/{k}": v for k, v in book.items()})
    written.append(out_dir / BOOK_ZIP)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build", help="output folder (default: _build)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder (default: this repository)")
    parser.add_argument("--site", type=Path, help="a built site (such as _build/html): copy the downloads into it")
    parser.add_argument(
        "--site-url", default="", help="the web address of the site's downloads/ folder, for Colab's install cell"
    )
    args = parser.parse_args(argv)
    out_student, out_instructor = args.out / "student", args.out / "instructor"
    out_student.mkdir(parents=True, exist_ok=True)
    out_instructor.mkdir(parents=True, exist_ok=True)
    chapters = notebook_chapters(args.root)
    numbers = chapter_numbers(args.root)
    if not chapters:
        print("no MyST notebook chapters found in _toc.yml", file=sys.stderr)
        return 1
    written = []
    for path in chapters:
        instructor, student, count = build_notebooks(path, numbers.get(path), site_url=args.site_url)
        name = path.stem + ".ipynb"
        nbformat.write(instructor, out_instructor / name)
        nbformat.write(student, out_student / name)
        written.append(out_student / name)
        print(f"{path.relative_to(args.root)}: {count} exercise(s) -> student/{name}, instructor/{name}")
    print(f"{len(chapters)} chapters: student notebooks in {out_student}, instructor notebooks in {out_instructor}")
    wheels = build_wheels(args.root, args.out / "dist")
    print("wheels:", ", ".join(f"{w.name} ({w.stat().st_size // 1024} KiB)" for w in wheels))
    downloads = write_downloads(args.out / DOWNLOADS, written, wheels, project_version(args.root))
    print(f"{len(downloads)} downloads in {args.out / DOWNLOADS}")
    if args.site is not None:
        if not (args.site / "index.html").is_file():
            print(f"--site {args.site}: no built site there (index.html missing)", file=sys.stderr)
            return 1
        shutil.copytree(args.out / DOWNLOADS, args.site / DOWNLOADS, dirs_exist_ok=True)
        print(f"copied into {args.site / DOWNLOADS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
