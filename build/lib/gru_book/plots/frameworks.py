"""Figure for the chapter "Which GRU does my framework run?".

:func:`reset_placement_fit` shows a one-unit reset-after response next to the best
reset-before fit and the same weights read with reset before. Draws into the axes it is
given and returns them; it never calls ``plt.show``.
"""
from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes

from gru_lib import _checks


def reset_placement_fit(ax: Any, grid: Any, reset_after: Any, best_before: Any, same_weights_before: Any) -> Axes:
    """Three curves of h_1 over the input grid, all of shape (N,): target, best fit, same weights."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    x = _checks.real_array("grid", grid)
    _checks.shape("grid", x, (None,), "(N,) input values")
    curves = {"reset_after": reset_after, "best_before": best_before, "same_weights_before": same_weights_before}
    ys = {k: _checks.shape(k, _checks.real_array(k, v), (len(x),), f"(N,) with N={len(x)} like grid")
          for k, v in curves.items()}
    ax.plot(x, ys["reset_after"], lw=2.5, label="reset after: $\\frac{1}{2}\\tanh(1 - 3\\sigma(x))$")
    ax.plot(x, ys["best_before"], "--", label="best reset-before fit")
    ax.plot(x, ys["same_weights_before"], ":", label="same weights, reset before")
    ax.set(xlabel="input $x$ (from $h_0 = 0$)", ylabel="$h_1$", title="One unit, one step")
    ax.axhline(0, color="0.8", lw=0.8)
    ax.legend(loc="lower left", fontsize=9)
    return ax
