"""What the student and instructor notebooks use in place of the book build's tools.

The chapters record computed values for their prose with myst-nb's ``glue``; a student's Jupyter
has no myst-nb (it belongs to the website's build), so ``make student`` rewrites the chapters'
``from myst_nb import glue`` to ``from gru_course.notebook import glue``, which uses myst-nb when it
is installed and otherwise shows the value (or, with ``display=False``, nothing), as myst-nb does.
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
