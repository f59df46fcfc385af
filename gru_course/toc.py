"""Chapter numbers as the website shows them, read from the book's ``_toc.yml`` (the single source).

Jupyter Book 1.x numbers the chapters of every part marked ``numbered: true``; with
``html.use_multitoc_numbering`` (the default, and this book's setting) the numbers continue from
one numbered part to the next, otherwise they restart in every part. The root page and unnumbered
parts get no number. sphinx-exercise then numbers the k-th exercise of chapter n as "Exercise n.k".
"""

from __future__ import annotations

import functools
from pathlib import Path

#: The repository this package sits in (where ``_toc.yml`` and ``_config.yml`` live).
BOOK_ROOT = Path(__file__).resolve().parent.parent


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


@functools.cache
def chapter_number(chapter: str) -> int | None:
    """The number of ``chapters/<chapter>.md`` in this book, or None (unnumbered, or no ``_toc.yml``)."""
    try:
        import yaml  # noqa: F401 - only to know whether _toc.yml can be read
    except ImportError:
        return None
    if not (BOOK_ROOT / "_toc.yml").is_file():
        return None
    return chapter_numbers().get(BOOK_ROOT / "chapters" / f"{chapter}.md")


def chapter_order() -> list[str]:
    """The numbered chapters' file stems in reading order."""
    if not (BOOK_ROOT / "_toc.yml").is_file():
        return []
    return [p.stem for p, _ in sorted(chapter_numbers().items(), key=lambda item: item[1])]
