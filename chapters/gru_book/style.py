"""One look for every figure of the book: the two conventions' colours and line styles, and sizes.

Each convention has a colour from the Okabe–Ito palette (distinguishable with the common forms of
colour blindness) *and* its own line style and marker, so the two stay apart in greyscale too:

- keep:  solid blue line, circle markers;
- admit: dashed orange (vermillion) line, square markers.

The prose names both ("the solid blue keep curve"). Figures are at most :data:`MAX_WIDTH` inches
wide and use fonts of at least :data:`FONT_SIZE` points, so that on a 1280 px wide page, where the
text column is about 700 px, their text is no smaller than three quarters of the body text, and on a
390 px phone no smaller than half of it (tests/site/test_reader.py measures both).
:func:`use` applies this to matplotlib and, inside IPython, makes the inline backend draw SVG
(sharp at every screen density).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import matplotlib as mpl

__all__ = ["ADMIT", "FONT_SIZE", "KEEP", "MAX_WIDTH", "NEUTRAL", "STYLES", "Style", "line", "use"]

#: Widest figure, in inches (matplotlib's unit); 7 in at 96 px/in fills a 672 px text column.
MAX_WIDTH = 7.0
#: Smallest font in a figure, in points.
FONT_SIZE = 12.5


@dataclasses.dataclass(frozen=True)
class Style:
    """How one convention is drawn: ``color``, ``linestyle``, ``marker`` and the words for the prose."""

    color: str
    linestyle: str
    marker: str
    words: str

    def kwargs(self, *, markers: bool = True) -> dict[str, Any]:
        """Keyword arguments for ``Axes.plot``."""
        out: dict[str, Any] = {"color": self.color, "linestyle": self.linestyle}
        if markers:
            out["marker"] = self.marker
        return out


KEEP = Style(color="#0072B2", linestyle="-", marker="o", words="solid blue")
ADMIT = Style(color="#D55E00", linestyle="--", marker="s", words="dashed orange")
#: References drawn behind the data: the candidate, ½, thresholds.
NEUTRAL = Style(color="#555555", linestyle=":", marker="", words="dotted grey")
STYLES = {"keep": KEEP, "admit": ADMIT}


def line(update: str, *, markers: bool = True) -> dict[str, Any]:
    """``Axes.plot`` keyword arguments for the convention ``update`` (``"keep"`` or ``"admit"``)."""
    if not isinstance(update, str) or update not in STYLES:
        raise ValueError(f"update must be one of 'keep', 'admit'; got {update!r}")
    return STYLES[update].kwargs(markers=markers)


RC = {
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "figure.figsize": (MAX_WIDTH, 3.6),
    "figure.dpi": 100,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "axes.prop_cycle": mpl.cycler(color=[KEEP.color, ADMIT.color, "#009E73", "#CC79A7", "#E69F00"]),
    # Text stays text in SVG: searchable, selectable, and measurable by the tests.
    "svg.fonttype": "none",
}


def use() -> None:
    """Apply the book's matplotlib settings; inside IPython, draw inline figures as SVG."""
    mpl.rcParams.update(RC)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every Jupyter kernel
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg")
