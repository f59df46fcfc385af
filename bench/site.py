"""Benchmarks of the website build (issue: the website as readers see it).

- ``clean_build_s``: ``jupyter-book build`` from an empty output folder and an empty execution
  cache, executing every chapter (strict: ``-W -n --keep-going``). Goal ≤ 60 s on 2 cores.
- ``noop_rebuild_s``: the same command again with nothing changed (the execution cache answers).
  Goal ≤ 10 s. ``noop_rebuild_reread`` counts the documents that second build read again (0 when
  nobody edited a chapter in between; the repository is shared, so it is reported, not assumed).
- ``page_kb``: ``{page: size in KiB}`` for every HTML page of that build (inline SVG
  math and figures included). Goal ≤ 1536 KiB each; ``largest_page_kb`` is the largest of them.
- ``figures_per_page``: ``{page: number of figures}``, counted in the built HTML as ``<figure>``
  elements that hold an image (what a reader sees, not what the source asks for).

The build goes to a private temporary folder (never ``_build/``), which is removed afterwards.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
CACHE_LINE = "cache: _build/.jupyter_cache"


def _config(out: Path) -> Path:
    """A copy of _config.yml whose execution cache lives in ``out``."""
    text = (REPO / "_config.yml").read_text(encoding="utf-8")
    if CACHE_LINE not in text:
        raise ValueError(f"_config.yml no longer contains {CACHE_LINE!r}; update bench/site.py")
    path = out / "_config.yml"
    text = text.replace(CACHE_LINE, f"cache: {out / 'jupyter_cache'}")
    # Jupyter Book finds local extensions relative to the config file, which now lives in ``out``.
    text = text.replace("book_furniture: _ext", f"book_furniture: {REPO / '_ext'}")
    path.write_text(text, encoding="utf-8")
    return path


def _build(out: Path, config: Path) -> tuple[float, str]:
    cmd = [
        str(JUPYTER_BOOK),
        "build",
        str(REPO),
        "-W",
        "-n",
        "--keep-going",
        "--builder",
        "html",
        "--path-output",
        str(out),
        "--config",
        str(config),
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if proc.returncode == 0:  # what `make book` does after the build: typeset the math, subset the icons
        math = subprocess.run(
            ["node", str(REPO / "tools" / "prerender_math.mjs"), str(out / "_build" / "html")],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if math.returncode != 0:
            raise RuntimeError(f"typesetting the math failed:\n{math.stderr[-2000:]}")
        icons = subprocess.run(
            [sys.executable, str(REPO / "tools" / "subset_icons.py"), str(out / "_build" / "html")],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if icons.returncode != 0:
            raise RuntimeError(f"subsetting the icon fonts failed:\n{icons.stderr[-2000:]}")
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"book build failed ({' '.join(cmd)}):\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")
    return elapsed, re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)


def reread_docs(log: str) -> int:
    """Documents a Sphinx build read (added + changed), from its "updating environment" line."""
    m = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", log)
    if m is None:
        raise ValueError("no 'updating environment: N added, M changed' line in the build log")
    return int(m.group(1)) + int(m.group(2))


def page_sizes(html: Path) -> dict[str, float]:
    """KiB of every page of a built site (not the theme's templates under _static/)."""
    pages = sorted(p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith(("_", ".")))
    return {p.relative_to(html).as_posix(): round(p.stat().st_size / 1024, 1) for p in pages}


_FIGURE = re.compile(r"<figure\b.*?</figure>", re.S)


def figures_per_page(html: Path) -> dict[str, int]:
    """Figures with an image (``<figure>`` holding ``<img`` or ``<svg``) on every page of a built site."""
    pages = sorted(p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith(("_", ".")))
    return {
        p.relative_to(html).as_posix(): sum(
            1 for f in _FIGURE.findall(p.read_text(encoding="utf-8")) if "<img" in f or "<svg" in f
        )
        for p in pages
    }


def measure() -> dict:
    out = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        config = _config(out)
        clean, _ = _build(out, config)
        noop, noop_log = _build(out, config)
        sizes = page_sizes(out / "_build" / "html")
        figures = figures_per_page(out / "_build" / "html")
        if not sizes:
            raise RuntimeError(f"the build in {out} produced no HTML pages")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "clean_build_s": round(clean, 1),
        "noop_rebuild_s": round(noop, 1),
        "noop_rebuild_reread": reread_docs(noop_log),
        "page_kb": sizes,
        "largest_page_kb": max(sizes.values()),
        "figures_per_page": figures,
    }
