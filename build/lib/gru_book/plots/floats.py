"""Figures for the chapter "Exact in math, not in floats".

- :func:`relative_errors` draws relative errors against x on a log axis, with the unit
  roundoff of each dtype as a dotted reference line; exact results (error 0) are drawn at ``floor``.
- :func:`drift` draws, against the step t, the running maximum of a per-step gap (for example
  max |h_keep − h_admit|) in units of the unit roundoff u.

Both draw into the axes they are given and return them; neither calls ``plt.show``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from gru_lib import _checks
from .training import _axes, _curves


def relative_errors(ax: Any, x: Any, errors: Mapping[str, Any], *, roundoffs: Mapping[str, float] | None = None,
                    floor: float = 1e-20, styles: Mapping[str, dict] | None = None, title: str = "") -> Axes:
    """label -> relative errors at the points ``x`` (same length); ``roundoffs``: label -> u, drawn dotted.

    ``styles`` maps a label to extra keyword arguments for ``ax.plot`` (for example dots instead of a line).
    """
    ax = _axes(ax)
    x = _checks.shape("x", _checks.real_array("x", x), (None,), "(points,)")
    errors = _curves("errors", errors)
    if not (isinstance(floor, (int, float)) and floor > 0):
        raise ValueError(f"floor must be a positive number; got {floor!r}")
    for label, err in errors.items():
        _checks.shape(f"errors[{label!r}]", err, (len(x),), f"(points,) = the length of x, {len(x)}")
        ax.plot(x, np.maximum(err, floor), label=label, **{"lw": 1, **dict((styles or {}).get(label, {}))})
    for label, u in (roundoffs or {}).items():
        ax.axhline(float(u), ls=":", color="gray")
        ax.annotate(label, (float(x[-1]), float(u)), ha="right", va="bottom", fontsize=8, color="gray")
    ax.set_yscale("log")
    ax.set_xlabel("x")
    ax.set_ylabel("relative error")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def running_max(values: Any) -> np.ndarray:
    """max(values[:t+1]) for every t, shape (T,)."""
    v = _checks.shape("values", _checks.real_array("values", values), (None,), "(T,)")
    return np.maximum.accumulate(v) if len(v) else v


def drift(ax: Any, curves: Mapping[str, Any], units: Mapping[str, float], *, title: str = "") -> Axes:
    """label -> per-step gaps (T,), drawn as running maxima divided by ``units[label]``, log-log axes.

    Steps are numbered from 1. A curve that is 0 everywhere cannot be drawn on a log axis; it is
    left out and named in the legend title instead.
    """
    ax = _axes(ax)
    curves = _curves("curves", curves)
    if not isinstance(units, Mapping) or set(units) != set(curves):
        raise ValueError(f"units must map every curve label to its unit; got keys {sorted(units) if isinstance(units, Mapping) else type(units).__name__}, "
                         f"curves {sorted(curves)}")
    exact = []
    for label, gap in curves.items():
        scaled = running_max(gap) / float(units[label])
        if not np.any(scaled > 0):
            exact.append(label)
            continue
        t = np.arange(1, len(gap) + 1)
        keep = scaled > 0
        ax.plot(t[keep], scaled[keep], label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step t")
    ax.set_ylabel("running max of the gap / u")
    ax.set_title(title)
    ax.legend(title=("exactly 0: " + ", ".join(exact)) if exact else None, fontsize=8, title_fontsize=8)
    return ax
