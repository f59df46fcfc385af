"""What the student and instructor notebooks use in place of the book build's tools.

The chapters record computed values for their prose with myst-nb's ``glue``; a student's Jupyter
has no myst-nb (it belongs to the website's build), so ``make student`` rewrites the chapters'
``from myst_nb import glue`` to ``from gru_course.notebook import glue``, which uses myst-nb when it
is installed and otherwise shows the value (or, with ``display=False``, nothing), as myst-nb does.

:func:`setup_source` is the code of the set-up cell every copy opens with (``make student`` fills in
what the notebook imports and the wheels' names).
"""

from __future__ import annotations

from typing import Any

try:  # the book's build: the real thing
    from myst_nb import glue as _myst_glue
except ImportError:  # a student's Jupyter
    _myst_glue = None


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Record ``variable`` under ``name`` for the page's prose (myst-nb), or just show it when ``display``."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"glue: name must be a non-empty str; got {name!r}")
    if _myst_glue is not None:
        _myst_glue(name, variable, display=display)
    elif display:
        from IPython.display import display as show

        show(variable)


SETUP_SOURCE = """\
# Set-up: run this cell first. It checks that the packages this notebook imports are installed;
# on Colab or a JupyterHub it installs the book's two wheels (next to this notebook, or from the site).
import importlib, importlib.util, os, subprocess, sys
from pathlib import Path

NEEDS = {needs!r}
WHEELS = {wheels!r}
SITE = {site!r}  # the web folder that offers the wheels ("" if unknown)


def missing():
    return [name for name in NEEDS if importlib.util.find_spec(name) is None]


hosted = "google.colab" in sys.modules or "JUPYTERHUB_USER" in os.environ
if missing() and (hosted or os.environ.get("GRU_COURSE_INSTALL") == "1"):
    local = [w for w in WHEELS if Path(w).is_file()]
    wheels = local if len(local) == len(WHEELS) else [SITE + w for w in WHEELS] if SITE else []
    if wheels:
        print("Installing", ", ".join(Path(w).name for w in wheels), "...")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *wheels], check=True)
        importlib.invalidate_caches()
if missing():
    raise ModuleNotFoundError(
        f"This notebook needs {{', '.join(missing())}}, which this Python lacks. Put the book's wheels "
        f"(in the zip with this notebook, or on the book's Coursework page) next to the notebook, run\\n"
        f"    {{sys.executable}} -m pip install {{' '.join(WHEELS)}}\\n"
        "and restart the kernel (on Colab: upload the two .whl files and run this cell again)."
    )
from importlib.metadata import PackageNotFoundError, version


def installed(dist):
    try:
        return f"{{dist}} {{version(dist)}}"
    except PackageNotFoundError:  # importable from a checkout of the book, not installed
        return f"{{dist}} (from source)"


print("Ready:", ", ".join(installed(d) for d in {dists!r}))
"""


def setup_source(needs: list[str], wheels: list[str], site: str, dists: list[str]) -> str:
    """The set-up cell's code: checks the modules ``needs``; on Colab or a hub installs ``wheels``
    (from the notebook's folder, else from the address ``site``); prints the versions of ``dists``."""
    return SETUP_SOURCE.format(needs=list(needs), wheels=list(wheels), site=site, dists=list(dists))
