"""The book's notebook chapters, read from _toc.yml independently of tools/make_student.py."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def notebook_chapters(root: Path = ROOT) -> list[Path]:
    """Paths of the chapters in _toc.yml (root first) that are MyST notebooks (jupytext header with a kernel)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    out = []
    for f in files:
        path = root / f"{f}.md"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if text.startswith("---") and "format_name: myst" in text.split("---")[1] and "kernelspec" in text:
            out.append(path)
    return out
