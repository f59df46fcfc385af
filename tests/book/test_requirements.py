"""What a newcomer's `make book` installs is enough: every module that a chapter, gru_book or gru_course
imports comes from the standard library, from the book's own packages, or from a distribution that
requirements.txt (with its dependencies) installs. A chapter importing a test-only package (torch,
keras, onnx, pytest) fails here, as it would fail `make book` on a fresh machine.

`.ci/run` also runs `make book` before the test extras are installed; this test names the culprit.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from importlib import metadata
from pathlib import Path

import jupytext
import pytest
from chapters_index import notebook_chapters

# A scan of every chapter and helper (jupytext parses each notebook): not part of `make fast`.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
OWN = {"gru_lib", "gru_book", "gru_course"}
# Modules provided by IPython's kernel (the notebook's own namespace), always there in a Jupyter kernel.
KERNEL = {"IPython", "ipykernel", "matplotlib_inline"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def requirement_names(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {_name(line) for line in lines if line.strip() and not line.lstrip().startswith("#")}


@functools.cache
def _providers() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def closure(names: frozenset[str] | set[str]) -> set[str]:
    """The distributions ``names`` install, with all their (installed, unconditional) dependencies."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo.extend(_name(r) for r in requires if "extra ==" not in r)
    return seen


@functools.cache
def book_closure() -> frozenset[str]:
    return frozenset(closure(requirement_names(ROOT / "requirements.txt")))


def imported_modules(source: str) -> set[str]:
    tree = ast.parse(source)
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def optional_imports(source: str) -> set[str]:
    """Modules imported only inside ``try: ... except ImportError`` (a fallback covers their absence)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Try):
            continue
        caught = {getattr(h.type, "id", None) for h in node.handlers}
        if caught & {"ImportError", "ModuleNotFoundError"}:
            out |= imported_modules("\n".join(ast.unparse(stmt) for stmt in node.body))
    return out


def test_optional_imports_are_only_the_guarded_ones():
    source = (
        "import a\ntry:\n    import b\nexcept ImportError:\n    b = None\n"
        "try:\n    import c\nexcept KeyError:\n    pass\n"
    )
    assert imported_modules(source) == {"a", "b", "c"} and optional_imports(source) == {"b"}


def chapter_code(path: Path) -> str:
    notebook = jupytext.read(path)
    cells = [c.source for c in notebook.cells if c.cell_type == "code"]
    # IPython magics and shell escapes are not Python
    return "\n".join(line for cell in cells for line in cell.splitlines() if not line.lstrip().startswith(("%", "!")))


SOURCES = (
    notebook_chapters(ROOT) + sorted(ROOT.glob("chapters/gru_book/**/*.py")) + sorted(ROOT.glob("gru_course/**/*.py"))
)


def test_the_probe_sees_a_test_only_import():
    """Negative control: torch is installed here (test extras) but not by requirements.txt."""
    book = closure(requirement_names(ROOT / "requirements.txt"))
    assert "torch" not in book and "pytest" not in book
    assert {"numpy", "matplotlib", "sympy", "ipywidgets", "pillow"} <= book


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_come_from_requirements_txt(path):
    book = book_closure()
    source = chapter_code(path) if path.suffix == ".md" else path.read_text(encoding="utf-8")
    providers = _providers()
    missing = {}
    for module in imported_modules(source) - OWN - KERNEL:
        if module in sys.stdlib_module_names:
            continue
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        if not dists & book:
            missing[module] = sorted(dists) or ["not installed at all"]
    assert not missing, f"{path.name} imports modules that requirements.txt does not install: {missing}"


def test_the_packages_declare_what_they_import():
    """pyproject.toml's book and course extras cover gru_book's and gru_course's third-party imports."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    declared = closure({_name(r) for r in project["dependencies"] + extras["book"] + extras["course"]})
    providers = _providers()
    for path in SOURCES:
        if path.suffix != ".py":
            continue
        source = path.read_text(encoding="utf-8")
        for module in imported_modules(source) - optional_imports(source) - OWN - KERNEL:
            if module in sys.stdlib_module_names:
                continue
            dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
            assert dists & declared, f"{path.relative_to(ROOT)} imports {module}, which pyproject.toml does not declare"
