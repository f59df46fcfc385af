"""What a student installs (``make student``): two wheels, the set-up cell, the downloads.

The fast tests read the wheels as zip files: what they hold, what they declare, that their RECORD
is right (pip refuses a wheel whose hashes are wrong), and that the chapter numbers baked into the
course wheel are those of ``_toc.yml`` (computed here independently of ``gru_course.toc``). The slow
test does what a student on a JupyterHub does: a fresh virtual environment outside the repository
with a kernel only, the wheels and the notebooks in one folder; the first notebook's set-up cell
installs the wheels, and then every student notebook runs top to bottom without an error.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from chapters_index import notebook_chapters

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "make_student.py"
VERSION = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
LIB_WHEEL = f"gru_lib-{VERSION}-py3-none-any.whl"
COURSE_WHEEL = f"gru_book_course-{VERSION}-py3-none-any.whl"
CHAPTERS = notebook_chapters()
# module -> distribution, for what the wheels must declare
DIST_OF = {"IPython": "ipython", "gru_book": None, "gru_course": None}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student_wheel")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path_factory.mktemp("cwd"),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def _members(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _requires(members: dict[str, bytes]) -> list[str]:
    meta = next(v for k, v in members.items() if k.endswith(".dist-info/METADATA")).decode()
    return re.findall(r"^Requires-Dist: (.+)$", meta, flags=re.M)


def _requirement_names(requires: list[str]) -> set[str]:
    names = {re.split(r"[<>=!~; \[]", r, maxsplit=1)[0] for r in requires if "extra ==" not in r}
    return {n.lower().replace("_", "-") for n in names}


def _imports(source: str) -> set[str]:
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))
    out = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return {m for m in out if m not in sys.stdlib_module_names}


def _toc_numbers() -> dict[str, int]:
    """Chapter numbers as Jupyter Book gives them here: numbered parts, counting on across parts."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbers, n = {}, 0
    for part in toc["parts"]:
        if part.get("numbered"):
            for entry in part["chapters"]:
                n += 1
                numbers[Path(entry["file"]).name] = n
    return numbers


def test_both_wheels_and_every_download_are_written(built):
    assert sorted(p.name for p in (built / "dist").iterdir()) == sorted([COURSE_WHEEL, LIB_WHEEL])
    downloads = {p.name for p in (built / "downloads").iterdir()}
    expected = {LIB_WHEEL, COURSE_WHEEL, "gru-course-notebooks.zip"}
    expected |= {f"{p.stem}.ipynb" for p in CHAPTERS} | {f"gru-course-{p.stem}.zip" for p in CHAPTERS}
    assert downloads == expected
    with zipfile.ZipFile(built / "downloads" / "gru-course-notebooks.zip") as zf:
        names = set(zf.namelist())
    assert names == {f"gru-course/{n}" for n in [LIB_WHEEL, COURSE_WHEEL, "README.txt"]} | {
        f"gru-course/{p.stem}.ipynb" for p in CHAPTERS
    }
    with zipfile.ZipFile(built / "downloads" / "gru-course-proof.zip") as zf:
        assert sorted(zf.namelist()) == sorted(
            f"gru-course-proof/{n}" for n in ["proof.ipynb", LIB_WHEEL, COURSE_WHEEL, "README.txt"]
        )
        student = nbformat.reads(zf.read("gru-course-proof/proof.ipynb").decode(), as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)


def test_wheels_hold_their_packages_and_data(built):
    lib = _members(built / "dist" / LIB_WHEEL)
    course = _members(built / "dist" / COURSE_WHEEL)
    assert {k.split("/")[0] for k in lib} == {"gru_lib", f"gru_lib-{VERSION}.dist-info"}
    assert {k.split("/")[0] for k in course} == {"gru_book", "gru_course", f"gru_book_course-{VERSION}.dist-info"}
    for py in (ROOT / "gru_lib").glob("*.py"):
        assert lib[f"gru_lib/{py.name}"] == py.read_bytes()
    for path in (ROOT / "chapters" / "gru_book" / "data").iterdir():
        if path.suffix in (".npz", ".txt", ".json"):
            assert course[f"gru_book/data/{path.name}"] == path.read_bytes()
    assert "gru_book/static/retention_demos.js" in course
    assert {"gru_course/sets/proof.py", "gru_course/notebook.py", "gru_course/exercises.py"} <= set(course)
    assert not any("__pycache__" in k or k.endswith(".pyc") for k in [*lib, *course])


@pytest.mark.parametrize("wheel", [LIB_WHEEL, COURSE_WHEEL])
def test_record_hashes_match(built, wheel):
    members = _members(built / "dist" / wheel)
    record = next(v for k, v in members.items() if k.endswith(".dist-info/RECORD")).decode().splitlines()
    listed = {}
    for line in record:
        path, digest, size = line.rsplit(",", 2)
        listed[path] = (digest, size)
    assert set(listed) == set(members)
    for path, data in members.items():
        if path.endswith("RECORD"):
            assert listed[path] == ("", "")
            continue
        want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert listed[path] == (want, str(len(data))), path


def test_the_wheels_declare_every_import_and_never_torch(built):
    lib = _members(built / "dist" / LIB_WHEEL)
    course = _members(built / "dist" / COURSE_WHEEL)
    lib_needs = set().union(*(_imports(v.decode()) for k, v in lib.items() if k.endswith(".py")))
    assert lib_needs - {"gru_lib", "sympy"} == {"numpy"}  # sympy only under the symbolic extra
    assert _requirement_names(_requires(lib)) == {"numpy"}
    assert any(r.startswith("sympy") and "extra == 'symbolic'" in r for r in _requires(lib))
    course_needs = set().union(*(_imports(v.decode()) for k, v in course.items() if k.endswith(".py")))
    for path in CHAPTERS:
        nb = nbformat.read(built / "student" / f"{path.stem}.ipynb", as_version=4)
        course_needs |= set().union(*(_imports(c.source) for c in nb.cells if c.cell_type == "code"))
    declared = _requirement_names(_requires(course))
    # optional imports a module guards itself (gru_course.notebook: myst_nb only in the book's build;
    # gru_course.toc: yaml only where _toc.yml is)
    optional = {"myst_nb", "yaml"}
    wanted = {DIST_OF.get(m, m.lower().replace("_", "-")) for m in course_needs - optional} - {None}
    assert wanted - declared == set(), f"imported but not declared: {wanted - declared}"
    assert not any("torch" in r for r in [*_requires(lib), *_requires(course)])
    assert f"gru_lib=={VERSION}" in _requires(course)


def test_course_wheel_bakes_in_the_chapter_numbers_of_the_toc(built):
    course = _members(built / "dist" / COURSE_WHEEL)
    baked = json.loads(course["gru_course/chapters.json"])["chapters"]
    assert baked == _toc_numbers()
    assert baked["first_run"] == 1 and len(set(baked.values())) == len(baked)


def test_toc_falls_back_to_the_packaged_numbers(tmp_path):
    """An installed gru_course (no _toc.yml beside it) reads chapters.json."""
    pkg = tmp_path / "site" / "gru_course"
    pkg.mkdir(parents=True)
    (pkg / "toc.py").write_bytes((ROOT / "gru_course" / "toc.py").read_bytes())
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "chapters.json").write_text(json.dumps({"chapters": {"b": 2, "a": 1}}), encoding="utf-8")
    code = "from gru_course import toc; print(toc.chapter_number('b'), toc.chapter_number('zz'), toc.chapter_order())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
        check=True,
    ).stdout
    assert out.strip() == "2 None ['a', 'b']"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_copy_opens_with_the_set_up_cell(built, path):
    for kind in ("student", "instructor"):
        nb = nbformat.read(built / kind / f"{path.stem}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        first = code[0]
        assert "setup" in first.metadata.get("tags", []), f"{kind}/{path.name}: the first code cell is not set-up"
        assert first.source.startswith("# Set-up: run this cell first.")
        needs = ast.literal_eval(re.search(r"^NEEDS = (\[.*\])$", first.source, re.M).group(1))
        assert needs == sorted(set().union(*(_imports(c.source) for c in code[1:])))
        assert "myst_nb" not in needs and not any("from myst_nb import" in c.source for c in code)
        assert [c for c in code if "setup" in c.metadata.get("tags", [])] == [first]


def test_set_up_cell_names_what_is_missing_and_how_to_install(built, tmp_path):
    nb = nbformat.read(built / "student" / "first_run.ipynb", as_version=4)
    source = next(c.source for c in nb.cells if "setup" in c.metadata.get("tags", []))
    source = re.sub(r"^NEEDS = .*$", 'NEEDS = ["numpy", "no_such_module_xyz"]', source, flags=re.M)
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "GRU_COURSE_INSTALL")}
    for extra in ({}, {"JUPYTERHUB_USER": "student"}):  # on a hub, but no wheel here and no site address
        proc = subprocess.run(
            [sys.executable, "-c", source], capture_output=True, text=True, cwd=tmp_path, env={**env, **extra}
        )
        assert proc.returncode == 1
        assert "ModuleNotFoundError: This notebook needs no_such_module_xyz" in proc.stderr
        assert f"-m pip install {LIB_WHEEL} {COURSE_WHEEL}" in proc.stderr
        assert "Installing" not in proc.stdout


# ------------------------------------------------------------------ a fresh environment
def _clean_env(venv: Path, **extra: str) -> dict[str, str]:
    keep = {k: os.environ[k] for k in ("HOME", "LANG", "TMPDIR") if k in os.environ}
    keep |= {k: v for k, v in os.environ.items() if k.startswith("PIP_")}
    return {**keep, "PATH": f"{venv / 'bin'}:/usr/bin:/bin", "MPLBACKEND": "Agg", **extra}


DRIVER = """
import sys, nbformat
from nbclient import NotebookClient
for name in sys.argv[1:]:
    nb = nbformat.read(name, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
    nbformat.write(nb, name)
    print("ran", name, flush=True)
"""


@pytest.mark.slow
def test_student_notebooks_run_in_a_fresh_environment_from_the_wheels(built, tmp_path):
    venv, work = tmp_path / "venv", tmp_path / "gru-course"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = str(venv / "bin" / "python")
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "ipykernel", "nbclient"],
        check=True,
        timeout=900,
        env=_clean_env(venv),
        cwd=tmp_path,
    )
    with zipfile.ZipFile(built / "downloads" / "gru-course-notebooks.zip") as zf:
        zf.extractall(tmp_path)
    assert sorted(p.suffix for p in work.iterdir()).count(".whl") == 2
    (work / "driver.py").write_text(DRIVER, encoding="utf-8")
    names = [f"{p.stem}.ipynb" for p in CHAPTERS]
    # a JupyterHub: the first notebook's set-up cell installs the two wheels lying next to it
    proc = subprocess.run(
        [py, "driver.py", *names],
        capture_output=True,
        text=True,
        cwd=work,
        env=_clean_env(venv, JUPYTERHUB_USER="student"),
        timeout=3600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    probe = "import importlib.util as u; print([m for m in ('torch', 'myst_nb', 'yaml') if u.find_spec(m)])"
    leftovers = subprocess.run([py, "-c", probe], capture_output=True, text=True, cwd=work, check=True).stdout
    assert leftovers.strip() == "[]", "the run must not have had torch, myst-nb or PyYAML to lean on"
    numbers = _toc_numbers()
    for path in CHAPTERS:
        nb = nbformat.read(work / f"{path.stem}.ipynb", as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.get("output_type") == "error"], path.name
        text = "\n".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
        assert "Traceback" not in text, f"{path.name}: {text[-2000:]}"
        setup_out = "".join(o.get("text", "") for o in nb.cells[_first_code(nb)].outputs)
        assert "Ready: " in setup_out, setup_out
        if re.search(r"^NEEDS = .*'gru_lib'", nb.cells[_first_code(nb)].source, flags=re.M):
            assert f"gru_lib {VERSION}" in setup_out, setup_out
        if path == CHAPTERS[0]:
            assert "Installing gru_lib" in setup_out
        count = len(re.findall(r"^(`{3,}|:{3,})\{exercise\}", path.read_text(encoding="utf-8"), flags=re.M))
        if count:
            n = numbers[path.stem]
            for k in range(1, count + 1):
                assert f"Exercise {n}.{k}: ○ Not attempted" in text, f"{path.name}: Exercise {n}.{k}"


def _first_code(nb: nbformat.NotebookNode) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
