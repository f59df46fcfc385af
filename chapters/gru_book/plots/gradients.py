"""Figures for gradient retention along the leak path (chapter "Training sees no difference").

:func:`leak_products` draws, for a few update-gate biases, the product of the kept shares over the
last t steps, which is what the direct path h_{t−1} → h_t does to a gradient: keep at b_z = b as
solid blue lines with circles, admit at b_z = −b as dashed orange lines with squares, on a
logarithmic axis. It draws into the axes it is given and returns them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from .. import style
from . import args

__all__ = ["leak_products"]


def leak_products(ax: Any, keep: Mapping[float, Any], admit: Mapping[float, Any], *, marker_every: int = 5) -> Axes:
    """bias b -> products (steps,) for keep at b and for admit at −b; the same biases in both.

    Entry t of each array is ∏ of the kept shares over t + 1 steps, plotted against 1, 2, … .
    Each keep curve is labelled with its bias at its right end.
    """
    ax = args.axes(ax)
    if not isinstance(keep, Mapping) or not isinstance(admit, Mapping) or set(keep) != set(admit) or not keep:
        raise ValueError("keep and admit must be non-empty mappings with the same biases as keys")
    keep_c = args.curves("keep", {str(b): v for b, v in keep.items()})
    admit_c = args.curves("admit", {str(b): v for b, v in admit.items()})
    for i, b in enumerate(keep):
        k, a = keep_c[str(b)], admit_c[str(b)]
        if np.any(k <= 0) or np.any(a <= 0):
            raise ValueError(f"products must be positive (a log axis); bias {b} has a value <= 0")
        steps = np.arange(1, len(k) + 1)
        ax.plot(
            steps, k, **style.line("keep"), lw=3, markevery=marker_every, label="keep, $b_z = b$" if i == 0 else None
        )
        ax.plot(
            np.arange(1, len(a) + 1),
            a,
            **style.line("admit"),
            lw=1.5,
            markevery=(marker_every // 2, marker_every),
            label="admit, $b_z = -b$" if i == 0 else None,
        )
        ax.annotate(f"$b = {b:g}$", (steps[-1], k[-1]), xytext=(4, 0), textcoords="offset points", va="center")
    ax.set_yscale("log")
    ax.set_xlim(0, max(len(v) for v in keep_c.values()) * 1.12)  # room for the labels
    ax.set_xlabel("steps back $t$")
    ax.set_ylabel("product of kept shares")
    ax.legend(loc="lower left")
    return ax
