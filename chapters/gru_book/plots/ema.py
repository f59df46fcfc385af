"""Figures for exponential moving averages and time constants (chapters "Retention" and "Why libraries write keep").

- :func:`two_readings` draws one exponential moving average computed in both readings: keep-style
  with the kept share β (Adam's moments) and admit-style with the admitted share α = 1 − β
  (pandas' ``ewm(alpha=...)``), over the raw data.
- :func:`chrono_half_lives` draws the half-life of every unit of a chrono-initialised layer against
  its time constant, one curve per reading of the biases, on a logarithmic axis.

Both draw into the axes they are given and return them; neither calls ``plt.show``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from gru_lib import checks

from .. import style
from . import args

__all__ = ["chrono_half_lives", "two_readings"]


def _series(name: str, values: Any, length: int | None = None) -> np.ndarray:
    arr = checks.shape(name, checks.real_array(name, values), (length,), "(T,) = (time,)")
    if len(arr) == 0:
        raise ValueError(f"{name} must not be empty")
    return arr


def two_readings(
    ax: Any, data: Any, keep: Any, admit: Any, *, beta: float, alpha: float, marker_every: int = 6
) -> Axes:
    """Raw ``data`` (dotted grey), the keep reading (solid blue, circles), the admit reading (dashed orange, squares).

    ``data``, ``keep``, ``admit``: shape (T,), plotted against t = 1, …, T. ``beta`` and ``alpha``
    only label the legend. The admit line is drawn thinner on top, so that where the two
    readings agree the blue line shows through its dashes.
    """
    ax = args.axes(ax)
    data = _series("data", data)
    keep = _series("keep", keep, len(data))
    admit = _series("admit", admit, len(data))
    t = np.arange(1, len(data) + 1)
    ax.plot(t, data, **style.NEUTRAL.kwargs(markers=False), marker=".", lw=1, label="data $x_t$")
    ax.plot(t, keep, **style.line("keep"), lw=3, markevery=marker_every, label=f"keep: β = {beta:g} kept")
    ax.plot(
        t,
        admit,
        **style.line("admit"),
        lw=1.6,
        markevery=(marker_every // 2, marker_every),
        label=f"admit: α = {alpha:g} admitted",
    )
    ax.set_xlabel("step $t$")
    ax.set_ylabel("value")
    ax.legend(loc="lower right")
    return ax


def chrono_half_lives(ax: Any, time_constants: Any, curves: Mapping[str, Any], *, styles: Mapping[str, dict]) -> Axes:
    """Half-life against time constant, one line per reading: label -> half-lives (same shape as ``time_constants``).

    ``styles`` maps every label to ``Axes.plot`` keyword arguments. The y axis is logarithmic, so a
    memory of a fraction of a step and one of a hundred steps share the panel.
    """
    ax = args.axes(ax)
    T = _series("time_constants", time_constants)
    curves = args.curves("curves", curves)
    for label, values in curves.items():
        if values.shape != T.shape:
            raise ValueError(f"curves[{label!r}] must have the shape of time_constants, {T.shape}; got {values.shape}")
        if label not in styles:
            raise ValueError(f"styles must give a style for every curve; missing {label!r}")
        ax.plot(T, values, label=label, **dict(styles[label]))
    ax.set_yscale("log")
    ax.set_xlabel("time constant $T$ (steps)")
    ax.set_ylabel("half-life (steps)")
    ax.legend(loc="center right")
    return ax
