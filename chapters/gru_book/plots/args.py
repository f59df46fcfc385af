"""Checks of the arguments every plot function takes: an Axes, and labelled 1-D curves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from gru_lib import checks

__all__ = ["axes", "curves"]


def axes(ax: Any) -> Axes:
    """``ax`` itself, or a ``TypeError`` when it is not a matplotlib Axes."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax


def curves(name: str, values: Any) -> dict[str, np.ndarray]:
    """``{label: 1-D float array}`` from a non-empty mapping ``values`` (the argument called ``name``)."""
    if not isinstance(values, Mapping) or not values:
        raise TypeError(f"{name} must be a non-empty mapping of label -> 1-D array; got {type(values).__name__}")
    out = {}
    for label, v in values.items():
        arr = checks.real_array(f"{name}[{label!r}]", v)
        out[str(label)] = checks.shape(f"{name}[{label!r}]", arr, (None,), "(steps,)")
    return out
