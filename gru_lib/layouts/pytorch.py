"""PyTorch-style stacked layouts: gate blocks r, z, n stacked on the rows of (3H, D) and (3H, H).

PyTorch ``nn.GRU``/``nn.GRUCell``; frameworks that copied it are added beside it. All run
**keep** with reset **after**; PyTorch's n is gru_lib's h and its b_hn is ``b_h_rec``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..params import GRUParams
from . import common as c

__all__ = ["PYTORCH_GATES", "from_pytorch", "to_pytorch"]

#: Packed gate order, in gru_lib's gate names (PyTorch's n is gru_lib's h).
PYTORCH_GATES = ("r", "z", "h")
_TORCH_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def read_stacked(layout: str, state: Mapping[str, Any], names: list[str], *, biases_optional: bool) -> c.Imported:
    """[w_ih (3H, D), w_hh (3H, H), b_ih (3H,), b_hh (3H,)] under ``names``, PyTorch's meaning."""
    if biases_optional:
        c.check_keys(layout, state, names[:2], names[2:])
        if (names[2] in state) != (names[3] in state):
            raise ValueError(
                f"{layout} weights need both {names[2]!r} and {names[3]!r} or neither; "
                f"got only {names[2] if names[2] in state else names[3]!r}"
            )
    else:
        c.check_keys(layout, state, names)
    w_ih, w_hh = (c.array(layout, n, state[n]) for n in names[:2])
    if w_ih.ndim != 2:
        raise ValueError(f"{layout} array {names[0]!r} must be 2-D, (3H, D); got shape {w_ih.shape}")
    H = c.hidden_from(layout, names[0], w_ih, 0, "rows")
    c.shape(layout, names[1], w_hh, (3 * H, H), f"(3H, H) with H={H} from {names[0]}")
    if names[2] in state:
        b_ih, b_hh = (c.array(layout, n, state[n]) for n in names[2:])
        for n, b in zip(names[2:], (b_ih, b_hh), strict=True):
            c.shape(layout, n, b, (3 * H,), f"(3H,) with H={H} from {names[0]}")
    else:
        b_ih = b_hh = np.zeros(3 * H, dtype=np.result_type(w_ih, w_hh))
    if w_ih.shape[1] < 1:
        raise ValueError(f"{layout} array {names[0]!r} must have at least one input column; got shape {w_ih.shape}")
    g = PYTORCH_GATES
    params = c.from_gates(c.split3(w_ih), c.split3(w_hh), c.split3(b_ih), c.split3(b_hh), g)
    return c.Imported(params, "keep", "after")


def write_stacked(layout: str, params: Any, update: str, reset: str, names: list[str]) -> dict[str, np.ndarray]:
    """The four PyTorch-style arrays under ``names``; refuses reset before."""
    p, reset = c.prepare_export(params, update, reset)
    c.require_reset(f"{layout}'s GRU", reset, "after")
    g = PYTORCH_GATES
    return dict(
        zip(names, (c.stack(p, "W", g), c.stack(p, "U", g), c.stack(p, "b", g), c.stack(p, "rec", g)), strict=True)
    )


# ------------------------------------------------------------------ PyTorch
def from_pytorch(state: Mapping[str, Any]) -> c.Imported:
    """Read a single-layer, unidirectional ``nn.GRU`` state dict (keys ``weight_ih_l0``, …)
    or an ``nn.GRUCell`` one (``weight_ih``, …). Biases may both be absent (``bias=False``).

    PyTorch runs keep + reset after; ``bias_hh``'s n-part is ``b_h_rec`` (inside r ⊙ (…)).
    """
    state = c.mapping("PyTorch", state)
    suffix = "_l0" if "weight_ih_l0" in state or "weight_hh_l0" in state else ""
    return read_stacked("PyTorch", state, [k + suffix for k in _TORCH_KEYS], biases_optional=True)


def to_pytorch(
    params: GRUParams, *, update: str = "keep", reset: str = "after", cell: bool = False
) -> dict[str, np.ndarray]:
    """The ``nn.GRU`` state dict (``cell=True``: ``nn.GRUCell`` names) for ``params``.

    ``update``/``reset`` say which architecture ``params`` are for. PyTorch can only run
    reset after: ``reset="before"`` is refused. An admit set is converted exactly.
    """
    suffix = "" if cell else "_l0"
    return write_stacked("PyTorch", params, update, reset, [k + suffix for k in _TORCH_KEYS])
