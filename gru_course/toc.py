"""Chapter numbers as the website shows them, read from the book's ``_toc.yml`` (the single source).

Jupyter Book 1.x numbers the chapters of every part marked ``numbered: true``; with
``html.use_multitoc_numbering`` (the default, and this book's setting) the numbers continue from
one numbered part to the next, otherwise they restart in every part. The root page and unnumbered
parts get no number. sphinx-exercise then numbers the k-th exercise of chapter n as "Exercise n.k".

Outside the repository (an installed wheel, where there is no ``_toc.yml``) the numbers come from
``chapters.json`` beside this module, which ``make student`` writes into the wheel from ``_toc.yml``
(:func:`packaged_numbers`), so an installed course still says "Exercise 3.1".
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

#: The repository this package sits in (where ``_toc.yml`` and ``_config.yml`` live).
BOOK_ROOT = Path(__file__).resolve().parent.parent
#: The chapter numbers an installed wheel carries instead of ``_toc.yml`` (absent in the repository).
PACKAGED = Path(__file__).resolve().with_name("chapters.json")


def _chapter_file(root: Path, name: str) -> Path:
    return root / (name if name.endswith(".md") else f"{name}.md")


def chapter_numbers(root: Path = BOOK_ROOT) -> dict[Path, int]:
    """``{chapter file: number}`` for the chapters in numbered parts of ``root/_toc.yml`` (needs PyYAML)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    config_path = root / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    continuous = ((config or {}).get("html") or {}).get("use_multitoc_numbering", True)
    default = bool((toc.get("defaults") or {}).get("numbered", False))
    numbers: dict[Path, int] = {}
    counter = 0
    for part in toc.get("parts", []) or [{"chapters": toc.get("chapters", []), "numbered": default}]:
        if not continuous:
            counter = 0
        if not part.get("numbered", default):
            continue
        for entry in part.get("chapters", []) or []:
            if "file" in entry:
                counter += 1
                numbers[_chapter_file(root, entry["file"])] = counter
    return numbers


def packaged_numbers(root: Path = BOOK_ROOT) -> dict[str, int]:
    """``{chapter stem: number}`` of the chapters in ``root/chapters/``: what ``chapters.json`` holds."""
    return {p.stem: n for p, n in chapter_numbers(root).items() if p.parent == root / "chapters"}


@functools.cache
def _numbers() -> dict[str, int]:
    """The book's ``{chapter stem: number}``: from ``_toc.yml`` in the repository, else the packaged copy."""
    if (BOOK_ROOT / "_toc.yml").is_file():
        try:
            import yaml  # noqa: F401 - only to know whether _toc.yml can be read
        except ImportError:
            pass
        else:
            return packaged_numbers()
    if PACKAGED.is_file():
        data = json.loads(PACKAGED.read_text(encoding="utf-8"))
        return {str(k): int(v) for k, v in data["chapters"].items()}
    return {}


def chapter_number(chapter: str) -> int | None:
    """The number of ``chapters/<chapter>.md`` in this book, or None (unnumbered, or no table of contents)."""
    return _numbers().get(chapter)


def chapter_order() -> list[str]:
    """The numbered chapters' file stems in reading order."""
    return [stem for stem, _ in sorted(_numbers().items(), key=lambda item: item[1])]
