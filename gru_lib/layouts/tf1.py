"""TensorFlow 1's ``tf.compat.v1.nn.rnn_cell.GRUCell`` (TF 2.16+: needs tf_keras and
``TF_USE_LEGACY_KERAS=1``): keep, reset **before**, one bias per gate.

It multiplies ``concat([x, h])`` by two kernels: ``gates/kernel`` (D+H, 2H) with blocks
[r | u] (u is the update gate z) and ``gates/bias`` (2H,); ``candidate/kernel`` (D+H, H) applied
to ``concat([x, r ⊙ h])`` and ``candidate/bias`` (H,). Variable names in TF carry the cell's scope
(``rnn/gru_cell/gates/kernel:0``); here they are the part after ``gru_cell/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..params import GRUParams
from . import common as c

__all__ = ["TF1_GATES", "from_tf1", "to_tf1"]

#: Gate blocks of gates/kernel then candidate/kernel, in gru_lib's names (TF1's u is z).
TF1_GATES = ("r", "z", "h")
_KEYS = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


def from_tf1(weights: Mapping[str, Any]) -> c.Imported:
    """Read ``{"gates/kernel": (D+H, 2H), "gates/bias": (2H,), "candidate/kernel": (D+H, H),
    "candidate/bias": (H,)}``. Keep, reset before."""
    w = c.mapping("TF1 GRUCell", weights)
    c.check_keys("TF1 GRUCell", w, _KEYS)
    gk, gb, ck, cb = (c.array("TF1 GRUCell", k, w[k]) for k in _KEYS)
    c.matrix("TF1 GRUCell", "gates/kernel", gk, "(D+H, 2H)")
    H = c.hidden_from("TF1 GRUCell", "gates/kernel", gk, 1, "columns", gates=2)
    D = gk.shape[0] - H
    if D < 1:
        raise ValueError(
            f"TF1 GRUCell array 'gates/kernel' must have D+H rows with D >= 1 and H={H} from its "
            f"2H columns; got shape {gk.shape}"
        )
    c.shape("TF1 GRUCell", "gates/bias", gb, (2 * H,), f"(2H,) with H={H} from gates/kernel")
    c.shape("TF1 GRUCell", "candidate/kernel", ck, (D + H, H), f"(D+H, H) with D={D}, H={H} from gates/kernel")
    c.shape("TF1 GRUCell", "candidate/bias", cb, (H,), f"(H,) with H={H} from gates/kernel")
    k = np.concatenate([gk, ck], axis=1)  # (D+H, 3H), blocks r, z, h
    b = np.concatenate([gb, cb])
    params = c.from_gates(c.split3(k[:D].T), c.split3(k[D:].T), c.split3(b), None, TF1_GATES)
    return c.Imported(params, "keep", "before")


def to_tf1(params: GRUParams, *, update: str = "keep", reset: str = "before") -> dict[str, np.ndarray]:
    """The four variables of ``GRUCell(H)`` for ``params`` (assign by name). Reset after is
    refused, and so are nonzero recurrent biases (fold them first, exact for reset before)."""
    p, reset = c.prepare_export(params, update, reset)
    c.require_reset("TF1's GRUCell", reset, "before")
    c.refuse_recurrent_biases("TF1 GRUCell (one bias per gate)", p, reset)
    g = TF1_GATES
    k = np.concatenate([c.stack(p, "W", g).T, c.stack(p, "U", g).T])  # (D+H, 3H)
    b = c.stack(p, "b", g)
    H = p.hidden_size
    return {
        "gates/kernel": k[:, : 2 * H].copy(),
        "gates/bias": b[: 2 * H].copy(),
        "candidate/kernel": k[:, 2 * H :].copy(),
        "candidate/bias": b[2 * H :].copy(),
    }
