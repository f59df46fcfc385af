"""The coursework index, generated from the exercise sets (never kept by hand).

:func:`exercises` lists every exercise of the book in reading order (chapters as in ``_toc.yml``,
exercises in the order their set adds them); :func:`index_markdown` renders the table that
``chapters/coursework.md`` shows: exercise number (linked to its box), title, chapter, kind.
"""

from __future__ import annotations

import importlib
import pkgutil

import gru_course.sets as _sets
from gru_course.exercises import KINDS, Exercise, ExerciseSet
from gru_course.toc import chapter_order


def exercise_sets() -> list[ExerciseSet]:
    """Every chapter's :class:`ExerciseSet`, in the book's chapter order (sets of unlisted chapters last)."""
    names = [m.name for m in pkgutil.iter_modules(_sets.__path__)]
    order = {name: i for i, name in enumerate(chapter_order())}
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    return [importlib.import_module(f"gru_course.sets.{n}").SET for n in names]


def exercises() -> list[Exercise]:
    """Every exercise of the book, in reading order."""
    return [ex for s in exercise_sets() for ex in s]


def index_rows() -> list[tuple[str, str, str, str, str]]:
    """``(label, number, title, chapter, kind)`` for every exercise."""
    return [(ex.label, ex.number, ex.title, ex.chapter, KINDS[ex.kind]) for ex in exercises()]


def index_markdown() -> str:
    """The index as a MyST Markdown table (links with ``{ref}`` and ``{doc}`` roles)."""
    lines = ["| exercise | title | chapter | kind |", "|---|---|---|---|"]
    for label, number, title, chapter, kind in index_rows():
        lines.append(
            f"| {{ref}}`Exercise {number} <{label}>` | {title.replace('|', '∣')} | {{doc}}`{chapter}` | {kind} |"
        )
    return "\n".join(lines)
