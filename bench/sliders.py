"""Slider latency of the retention demos (gru_book.widgets).

``slider_update_ms[demo]``: the median time, over ``MOVES`` moves of the demo's main slider, from
setting the ipywidgets slider's value to having the updated figure as PNG bytes in the demo's
Image widget. This is the demos' real path: the observer reruns the model with gru_lib, changes
the artists' data, redraws only those artists over a cached background and encodes the PNG.

For comparison (same sweep, no widgets, :func:`gru_book.widgets.redraw_ms`):
``slider_update_savefig_ms`` updates the artists in place, then renders with a full
``fig.savefig(format="png")``; ``slider_update_fresh_figure_ms`` draws a new figure per move.
"""
from __future__ import annotations

import os
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

from gru_book import widgets  # noqa: E402

MOVES = 40
#: The slider each demo's benchmark moves, and the range it sweeps.
SLIDERS = {"constant_gate": ("z", 0.0, 1.0), "gate_from_weights": ("b_z", -10.0, 10.0),
           "two_conventions": ("b_z", -10.0, 10.0)}


def slider_ms(name: str, moves: int = MOVES) -> float:
    """Median ms from ``slider.value = v`` to the new PNG in ``demo.image.value``."""
    demo = widgets.DEMOS[name]()
    control, lo, hi = SLIDERS[name]
    slider = demo.controls[control]
    times = []
    last = bytes(demo.image.value)
    for v in np.linspace(lo, hi, moves + 1)[1:]:
        start = time.perf_counter()
        slider.value = float(v)
        png = bytes(demo.image.value)
        times.append(time.perf_counter() - start)
        if png == last or not png.startswith(b"\x89PNG"):
            raise RuntimeError(f"{name}: moving {control} did not produce a new PNG")
        last = png
    demo.close()
    return float(np.median(times) * 1000.0)


def measure() -> dict:
    """Figures for ``_build/bench.json``."""
    names = list(SLIDERS)
    return {
        "slider_update_ms": {n: round(slider_ms(n), 2) for n in names},
        "slider_update_savefig_ms": {n: round(widgets.redraw_ms(n, method="savefig", moves=MOVES), 2) for n in names},
        "slider_update_fresh_figure_ms": {n: round(widgets.redraw_ms(n, method="fresh", moves=MOVES), 2)
                                          for n in names},
        "slider_update_moves": MOVES,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))
