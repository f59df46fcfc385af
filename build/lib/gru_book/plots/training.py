"""Figures for the chapter "Training sees no difference".

- :func:`loss_curves` draws training losses against the optimizer step, one line per run.
- :func:`flip_distance` draws max |φ(θ_keep) − θ_admit| against the step on a symmetric-log
  axis, so that an exact 0 and a rounding-sized gap can share one panel.

Both draw into the axes they are given and return them; neither calls ``plt.show``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from gru_lib import _checks


def _axes(ax: Any) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax


def _curves(name: str, curves: Any) -> dict[str, np.ndarray]:
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"{name} must be a non-empty mapping of label -> 1-D array; got {type(curves).__name__}")
    out = {}
    for label, values in curves.items():
        arr = _checks.real_array(f"{name}[{label!r}]", values)
        out[str(label)] = _checks.shape(f"{name}[{label!r}]", arr, (None,), "(steps,)")
    return out


def loss_curves(ax: Any, curves: Mapping[str, Any], *, styles: Mapping[str, dict] | None = None,
                title: str = "") -> Axes:
    """One line per run: label -> losses (steps,), plotted against the step 0, 1, … ."""
    ax = _axes(ax)
    curves = _curves("curves", curves)
    for label, losses in curves.items():
        ax.plot(np.arange(len(losses)), losses, label=label, **dict((styles or {}).get(label, {})))
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("training loss (logistic)")
    ax.set_title(title)
    ax.legend()
    return ax


def flip_distance(ax: Any, curves: Mapping[str, Any], *, linthresh: float = 1e-17, title: str = "") -> Axes:
    """One line per run: label -> distances (steps + 1,), on a symlog y axis (exact zeros sit on 0)."""
    ax = _axes(ax)
    curves = _curves("curves", curves)
    if not (isinstance(linthresh, (int, float)) and linthresh > 0):
        raise ValueError(f"linthresh must be a positive number; got {linthresh!r}")
    for label, dist in curves.items():
        if np.any(dist < 0):
            raise ValueError(f"curves[{label!r}] must be distances (>= 0); got a minimum of {dist.min()}")
        ax.plot(np.arange(len(dist)), dist, label=label)
    ax.set_yscale("symlog", linthresh=linthresh)
    ax.set_xlabel("optimizer step")
    ax.set_ylabel(r"max $|\varphi(\theta_{keep}) - \theta_{admit}|$")
    ax.set_title(title)
    ax.legend()
    return ax
