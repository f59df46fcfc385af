"""Figure for the chapter "Which GRU does my framework run?".

:func:`reset_placement_fit` shows a one-unit reset-after response next to the best
reset-before fit and the same weights read with reset before. Draws into the axes it is
given and returns them; it never calls ``plt.show``.
"""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes

from gru_lib import checks

from .. import style

#: The three curves: the reset-after target solid black, the best reset-before fit dashed bluish
#: green (Okabe–Ito; blue and vermillion stay reserved for keep and admit), the same weights read
#: with reset before in the book's dotted grey.
CURVE_STYLES = {
    "reset_after": {"color": "#000000", "ls": "-", "lw": 2.5},
    "best_before": {"color": "#009E73", "ls": "--", "lw": 2.0},
    "same_weights_before": {**style.NEUTRAL.kwargs(markers=False), "lw": 2.0},
}


def reset_placement_fit(ax: Any, grid: Any, reset_after: Any, best_before: Any, same_weights_before: Any) -> Axes:
    """Three curves of h_1 over the input grid, all of shape (N,): target, best fit, same weights."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    x = checks.real_array("grid", grid)
    checks.shape("grid", x, (None,), "(N,) input values")
    curves = {"reset_after": reset_after, "best_before": best_before, "same_weights_before": same_weights_before}
    ys = {
        k: checks.shape(k, checks.real_array(k, v), (len(x),), f"(N,) with N={len(x)} like grid")
        for k, v in curves.items()
    }
    labels = {
        "reset_after": "reset after: $\\frac{1}{2}\\tanh(1 - 3\\sigma(x))$",
        "best_before": "best reset-before fit",
        "same_weights_before": "same weights, reset before",
    }
    for key, label in labels.items():
        ax.plot(x, ys[key], label=label, **CURVE_STYLES[key])
    ax.set(xlabel="input $x$ (from $h_0 = 0$)", ylabel="$h_1$")
    ax.axhline(0, color="0.8", lw=0.8)
    ax.legend(loc="upper right")
    return ax
