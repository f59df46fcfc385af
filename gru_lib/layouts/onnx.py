"""ONNX ``GRU`` operator inputs W, R, B (gate blocks z, r, h); reset placement is the node's
``linear_before_reset`` attribute. Keep convention.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..params import GRUParams
from . import common as c

__all__ = ["ONNX_GATES", "from_onnx", "to_onnx"]

ONNX_GATES = ("z", "r", "h")


# ------------------------------------------------------------------ ONNX
def from_onnx(arrays: Mapping[str, Any], *, linear_before_reset: int) -> c.Imported:
    """Read the inputs of an ONNX ``GRU`` node: ``W`` [1, 3H, D], ``R`` [1, 3H, H] and
    optional ``B`` [1, 6H] = [Wb(zrh), Rb(zrh)] (absent means zeros).

    ``linear_before_reset`` is the node's attribute and must be given: 0 (ONNX's default)
    is reset before, any other value reset after. Only ``direction="forward"`` (one
    direction) is supported.
    """
    a = c.mapping("ONNX", arrays)
    c.check_keys("ONNX", a, ["W", "R"], ["B"])
    if isinstance(linear_before_reset, bool) or not isinstance(linear_before_reset, (int, np.integer)):
        raise TypeError(f"linear_before_reset must be an int (the ONNX attribute); got {linear_before_reset!r}")
    W, R = c.array("ONNX", "W", a["W"]), c.array("ONNX", "R", a["R"])
    if W.ndim != 3 or W.shape[0] != 1:
        raise ValueError(f"ONNX array 'W' must have shape [1, 3H, D] (one direction); got shape {W.shape}")
    H = c.hidden_from("ONNX", "W", W, 1, "rows")
    c.shape("ONNX", "R", R, (1, 3 * H, H), f"[1, 3H, H] with H={H} from W")
    if "B" in a:
        B = c.array("ONNX", "B", a["B"])
        c.shape("ONNX", "B", B, (1, 6 * H), f"[1, 6H] with H={H} from W")
    else:
        B = np.zeros((1, 6 * H), dtype=np.result_type(W, R))
    wb, rb = B[0, : 3 * H], B[0, 3 * H :]
    params = c.from_gates(c.split3(W[0]), c.split3(R[0]), c.split3(wb), c.split3(rb), ONNX_GATES)
    return c.Imported(params, "keep", "after" if linear_before_reset else "before")


def to_onnx(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, np.ndarray]:
    """ONNX ``GRU`` inputs ``{"W", "R", "B"}`` for ``params``; set the node attribute
    ``linear_before_reset = 1 if reset == "after" else 0``.

    Both placements keep two biases per gate (with reset before, ONNX adds Rbh to Wbh,
    exactly as gru_lib adds ``b_h_rec`` to ``b_h``). An admit set is converted exactly.
    """
    p, _ = c.prepare_export(params, update, reset)
    g = ONNX_GATES
    return {
        "W": np.concatenate([getattr(p, f"W_{x}") for x in g])[None],
        "R": np.concatenate([getattr(p, f"U_{x}") for x in g])[None],
        "B": np.concatenate([getattr(p, f"b_{x}") for x in g] + [c.rec(p, x) for x in g])[None],
    }
