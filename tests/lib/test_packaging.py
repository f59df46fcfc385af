"""gru_lib is a library of its own: it imports neither the book's helpers nor the course, and a wheel
installed into a clean environment outside the repository works (numpy only; the extras add the rest)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("path", sorted((ROOT / "gru_lib").glob("*.py")), ids=lambda p: p.name)
def test_gru_lib_imports_neither_the_book_nor_the_course(path):
    assert not _imports(path) & {"gru_book", "gru_course", "matplotlib", "ipywidgets"}


def test_the_book_helpers_do_not_import_the_course():
    for path in (ROOT / "chapters" / "gru_book").rglob("*.py"):
        assert "gru_course" not in _imports(path), path


def _python(env_dir: Path) -> Path:
    return env_dir / "bin" / "python"


def _run(python: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run(
        [str(python), "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_a_wheel_installed_outside_the_repository_works(tmp_path):
    # Build from a copy of the sources, so that setuptools' build/ and *.egg-info never land in the checkout.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "_build",
            "build",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
        ),
    )
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("gru_lib-*.whl")
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = _python(env_dir)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    core = _run(
        python,
        """
        import sys, numpy as np
        import gru_lib
        from gru_lib import GRUParams, run, convert
        theta = GRUParams.random(input_size=2, hidden_size=3, seed=0)
        xs = np.random.default_rng(0).normal(size=(4, 1, 2))
        keep = run(theta, xs, update="keep", reset="before")
        admit = run(convert(theta), xs, update="admit", reset="before")
        assert np.array_equal(keep.h, admit.h)
        assert "gru_lib" in gru_lib.__file__ and "site-packages" in gru_lib.__file__, gru_lib.__file__
        assert not {"gru_book", "gru_course", "matplotlib", "sympy"} & set(sys.modules)
        print("core ok")
    """,
        elsewhere,
    )
    assert core.returncode == 0, core.stderr
    assert "core ok" in core.stdout

    without_extras = _run(python, "import gru_book.plots.anatomy", elsewhere)
    assert without_extras.returncode != 0 and "matplotlib" in without_extras.stderr

    subprocess.run([*pip, f"{wheel}[book,course]"], check=True, capture_output=True, timeout=900)
    book = _run(
        python,
        """
        from gru_book import data, style
        import gru_book.plots.anatomy, gru_course.sets.two_updates
        arrays = data.load("torch_gru")
        assert arrays["out"].shape == (5, 2, 4), arrays["out"].shape
        print("book ok")
    """,
        elsewhere,
    )
    assert book.returncode == 0, book.stderr
    assert "book ok" in book.stdout
