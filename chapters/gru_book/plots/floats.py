"""Figures for the chapter "Exact in math, not in floats".

- :func:`relative_errors` draws relative errors against x on a log axis, with the unit
  roundoff of each dtype as a dotted grey reference line; exact results (error 0) are drawn at ``floor``.
  A dense grid is thinned to at most ``max_points`` points per series, and dot series are drawn as
  embedded bitmaps at :data:`DOTS_DPI` (axes, text and lines stay vector), so the chapter's
  SVG stays small.
- :func:`route_styles` gives each (route, precision) series of that figure its look: a colour per
  precision, a solid line for the subtraction and dots for ``sigmoid_pair``.
- :func:`drift` draws, against the step t, the running maximum of a per-step gap (for example
  max |h_keep − h_admit|) in units of the unit roundoff u; :func:`drift_panel` draws one regime of
  the chapter's experiment with it.

All draw into the axes they are given and return them; none calls ``plt.show``. Colours come from
:mod:`gru_book.style` (Okabe–Ito); fonts are matplotlib's defaults as set by ``style.use()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from gru_lib import checks

from .. import style
from . import args

#: One colour per precision (Okabe–Ito bluish green and reddish purple; blue and vermillion are
#: the keep and admit conventions' colours, which these figures do not compare).
PRECISION_COLORS = {"float32": "#009E73", "float64": "#CC79A7"}
#: Line style per precision in the drift figure, so the two differ in greyscale too.
PRECISION_LINESTYLES = {"float32": "-", "float64": "--"}
#: Resolution of the bitmap holding the dot series of :func:`relative_errors` in a vector figure.
DOTS_DPI = 150


def route_styles(errors: Mapping[tuple[str, str], Any]) -> dict[str, dict[str, Any]]:
    """Plot keyword arguments for the series ``(route, precision)`` of :func:`relative_errors`.

    ``route`` is ``"subtraction"`` (solid line) or ``"sigmoid_pair"`` (dots); ``precision`` is
    ``"float32"`` or ``"float64"`` (its colour). Keys of the result are ``"route, precision"``.
    """
    out = {}
    for key in errors:
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ValueError(f"errors must be keyed by (route, precision) pairs; got the key {key!r}")
        route, precision = key
        checks.choice("route", route, ("subtraction", "sigmoid_pair"))
        color = PRECISION_COLORS[checks.choice("precision", precision, tuple(PRECISION_COLORS))]
        look = {"ls": "-", "lw": 1.5} if route == "subtraction" else {"ls": "none", "marker": ".", "ms": 3}
        out[f"{route}, {precision}"] = {"color": color, **look}
    return out


def relative_errors(
    ax: Any,
    x: Any,
    errors: Mapping[str, Any],
    *,
    roundoffs: Mapping[str, float] | None = None,
    floor: float = 1e-20,
    styles: Mapping[str, dict] | None = None,
    title: str = "",
    max_points: int = 600,
) -> Axes:
    """label -> relative errors at the points ``x`` (same length); ``roundoffs``: label -> u, drawn dotted.

    ``styles`` maps a label to extra keyword arguments for ``ax.plot`` (for example dots instead of a line).
    Every series is drawn at every k-th point, k the smallest stride giving at most ``max_points``
    points (the first and last point always kept); dots (no line style) are rasterized at
    :data:`DOTS_DPI` (the figure's dpi is raised to it if lower).
    """
    ax = args.axes(ax)
    x = checks.shape("x", checks.real_array("x", x), (None,), "(points,)")
    errors = args.curves("errors", errors)
    if not (isinstance(floor, (int, float)) and floor > 0):
        raise ValueError(f"floor must be a positive number; got {floor!r}")
    if not (isinstance(max_points, int) and max_points >= 2):
        raise ValueError(f"max_points must be an integer >= 2; got {max_points!r}")
    thin = _thinned(len(x), max_points)
    for label, err in errors.items():
        checks.shape(f"errors[{label!r}]", err, (len(x),), f"(points,) = the length of x, {len(x)}")
        look = {"lw": 1.5, **dict((styles or {}).get(label, {}))}
        if look.get("ls", look.get("linestyle", "-")) not in ("none", "None", ""):
            shown = np.where(err > 0, err, np.nan)  # a line would jump to the floor and back: leave a gap
            ax.plot(x[thin], shown[thin], label=label, **look)
        else:
            look.setdefault("rasterized", True)
            if look["rasterized"] and ax.figure.get_dpi() < DOTS_DPI:
                ax.figure.set_dpi(DOTS_DPI)
            ax.plot(x[thin], np.maximum(err, floor)[thin], label=label, **look)
    for label, u in (roundoffs or {}).items():
        ax.axhline(float(u), **style.NEUTRAL.kwargs(markers=False), lw=1)
        ax.annotate(label, (float(x[-1]), float(u)), ha="right", va="bottom", color=style.NEUTRAL.color)
    ax.set_yscale("log")
    ax.set_ylim(floor / 10, 10.0)
    ax.set_xlabel("x")
    ax.set_ylabel("relative error")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False)
    return ax


def _thinned(n: int, max_points: int) -> np.ndarray:
    """Indices of every k-th of ``n`` points, k the smallest stride leaving at most ``max_points``, plus the last."""
    stride = -(-n // max_points) if n > max_points else 1
    idx = np.arange(0, n, stride)
    if len(idx) and idx[-1] != n - 1:
        idx = np.append(idx[: max_points - 1], n - 1)
    return idx


def running_max(values: Any) -> np.ndarray:
    """max(values[:t+1]) for every t, shape (T,)."""
    v = checks.shape("values", checks.real_array("values", values), (None,), "(T,)")
    return np.maximum.accumulate(v) if len(v) else v


def drift(
    ax: Any,
    curves: Mapping[str, Any],
    units: Mapping[str, float],
    *,
    title: str = "",
    styles: Mapping[str, dict] | None = None,
    legend: str | None = "upper left",
) -> Axes:
    """label -> per-step gaps (T,), drawn as running maxima divided by ``units[label]``, log-log axes.

    Steps are numbered from 1. A curve that is 0 everywhere cannot be drawn on a log axis; it is
    left out and named in the legend title instead. ``styles``: label -> extra ``ax.plot`` arguments;
    ``legend``: where to put the legend (a matplotlib ``loc``), or ``None`` for none.
    """
    ax = args.axes(ax)
    curves = args.curves("curves", curves)
    if not isinstance(units, Mapping) or set(units) != set(curves):
        got = sorted(units) if isinstance(units, Mapping) else type(units).__name__
        raise ValueError(f"units must map every curve label to its unit; got keys {got}, curves {sorted(curves)}")
    exact = []
    for label, gap in curves.items():
        scaled = running_max(gap) / float(units[label])
        if not np.any(scaled > 0):
            exact.append(label)
            continue
        t = np.arange(1, len(gap) + 1)
        keep = scaled > 0
        ax.plot(t[keep], scaled[keep], label=label, **dict((styles or {}).get(label, {})))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step t")
    ax.set_ylabel("largest gap so far / u")
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(title=_exact_title(exact), loc=legend)
    return ax


def _exact_title(labels: list[str]) -> str | None:
    """``"exactly 0: gru_lib (float32, float64)"`` for the labels ``"gru_lib, float32"``, ``"gru_lib, float64"``."""
    if not labels:
        return None
    groups: dict[str, list[str]] = {}
    for label in labels:
        head, _, tail = label.partition(", ")
        groups.setdefault(head, []).append(tail)
    parts = [f"{head} ({', '.join(t for t in tails if t)})" if any(tails) else head for head, tails in groups.items()]
    return "exactly 0: " + "; ".join(parts)


def drift_panel(
    ax: Any,
    drift_runs: Mapping[tuple[str, str, str], Any],
    gaps: Mapping[str, Any],
    regime: str,
    *,
    roundoffs: Mapping[str, float],
    legend: str | None = "lower right",
) -> Axes:
    """One regime of the chapter's experiment: textbook and gru_lib drift per precision, and the precision gap.

    ``drift_runs[regime, implementation, precision]`` are per-step gaps (T,) between keep(θ) and
    admit(φ(θ)); ``gaps[regime]`` is the per-step float32-vs-float64 gap, drawn in float32 units.
    """
    curves, units, styles = {}, {}, {}
    for impl in ("textbook", "gru_lib"):
        for precision, u in roundoffs.items():
            label = f"{impl}, {precision}"
            curves[label], units[label] = drift_runs[regime, impl, precision], u
            styles[label] = {"color": PRECISION_COLORS[precision], "ls": PRECISION_LINESTYLES[precision]}
    label = "float32 run vs float64 run"
    curves[label], units[label] = gaps[regime], roundoffs["float32"]
    styles[label] = style.NEUTRAL.kwargs(markers=False)
    return drift(ax, curves, units, title=regime, styles=styles, legend=legend)
