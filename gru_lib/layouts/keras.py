"""Keras: Keras 3 ``GRU``/``GRUCell`` (every backend) and tf_keras (Keras 2), the same layout.

kernel (D, 3H), recurrent_kernel (H, 3H), gate blocks z, r, h; bias (2, 3H) rows [input; recurrent]
with ``reset_after=True``, (3H,) with ``reset_after=False``. Keep convention.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..params import GRUParams
from . import common as c

__all__ = ["KERAS_GATES", "from_keras", "from_tf_keras", "to_keras", "to_tf_keras"]

KERAS_GATES = ("z", "r", "h")


# ------------------------------------------------------------------ Keras 3
_KERAS_KEYS = ("kernel", "recurrent_kernel", "bias")


def _keras_mapping(weights: Any) -> Mapping[str, Any]:
    if isinstance(weights, (list, tuple)):  # layer.get_weights() order
        if len(weights) not in (2, 3):
            raise ValueError(
                "Keras weights as a list must be [kernel, recurrent_kernel, bias] "
                f"(or without bias); got {len(weights)} arrays"
            )
        return dict(zip(_KERAS_KEYS, weights))
    return c.mapping("Keras", weights)


def from_keras(weights: Any, *, reset_after: bool | None = None) -> c.Imported:
    """Read Keras 3 ``GRU``/``GRUCell`` weights: a dict with ``kernel`` (D, 3H),
    ``recurrent_kernel`` (H, 3H) and optional ``bias``, or the list ``layer.get_weights()``.

    ``bias`` of shape (2, 3H) means ``reset_after=True`` (rows [input; recurrent]); (3H,)
    means ``reset_after=False``. Pass ``reset_after`` when there is no bias
    (``use_bias=False``), or to have the bias shape checked against it.
    """
    w = _keras_mapping(weights)
    c.check_keys("Keras", w, list(_KERAS_KEYS[:2]), [_KERAS_KEYS[2]])
    if reset_after is not None and not isinstance(reset_after, bool):
        raise TypeError(f"reset_after must be True, False or None; got {reset_after!r}")
    kernel, rk = (c.array("Keras", n, w[n]) for n in _KERAS_KEYS[:2])
    if kernel.ndim != 2:
        raise ValueError(f"Keras array 'kernel' must be 2-D, (D, 3H); got shape {kernel.shape}")
    H = c.hidden_from("Keras", "kernel", kernel, 1, "columns")
    c.shape("Keras", "recurrent_kernel", rk, (H, 3 * H), f"(H, 3H) with H={H} from kernel")
    if "bias" in w:
        bias = c.array("Keras", "bias", w["bias"])
        if bias.shape == (2, 3 * H):
            found = True
        elif bias.shape == (3 * H,):
            found = False
        else:
            raise ValueError(
                f"Keras array 'bias' must have shape (2, {3 * H}) (reset_after=True) or "
                f"({3 * H},) (reset_after=False) with H={H} from kernel; got shape {bias.shape}"
            )
        if reset_after is not None and reset_after != found:
            raise ValueError(
                f"reset_after={reset_after} needs a bias of shape "
                f"{(2, 3 * H) if reset_after else (3 * H,)}; got shape {bias.shape}"
            )
        reset_after = found
    else:
        if reset_after is None:
            raise ValueError(
                "Keras weights without a bias do not show the reset placement: pass reset_after=True or False"
            )
        bias = np.zeros((2, 3 * H) if reset_after else (3 * H,), dtype=np.result_type(kernel, rk))
    b_in, b_rec = (bias[0], bias[1]) if reset_after else (bias, None)
    params = c.from_gates(
        c.split3(kernel.T), c.split3(rk.T), c.split3(b_in), None if b_rec is None else c.split3(b_rec), KERAS_GATES
    )
    return c.Imported(params, "keep", "after" if reset_after else "before")


def to_keras(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, np.ndarray]:
    """Keras 3 weights ``{"kernel", "recurrent_kernel", "bias"}`` for ``params``.

    ``reset="after"`` gives the ``reset_after=True`` layout (bias (2, 3H));
    ``reset="before"`` the ``reset_after=False`` one (bias (3H,)), which has a single bias
    per gate: a set with a nonzero recurrent bias is refused there. An admit set is
    converted exactly. Build the layer with ``reset_after=(reset == "after")``.
    """
    p, reset = c.prepare_export(params, update, reset)
    g = KERAS_GATES
    out = {
        "kernel": np.concatenate([getattr(p, f"W_{x}") for x in g]).T.copy(),
        "recurrent_kernel": np.concatenate([getattr(p, f"U_{x}") for x in g]).T.copy(),
    }
    b_in = np.concatenate([getattr(p, f"b_{x}") for x in g])
    if reset == "after":
        out["bias"] = np.stack([b_in, np.concatenate([c.rec(p, x) for x in g])])
        return out
    c.refuse_recurrent_biases("Keras with reset_after=False (one bias per gate)", p, reset)
    out["bias"] = b_in
    return out


# ------------------------------------------------------------------ tf_keras (Keras 2)
def from_tf_keras(weights: Any, *, reset_after: bool | None = None) -> c.Imported:
    """Read tf_keras (Keras 2) ``GRU``/``GRUCell`` weights: the same arrays as Keras 3, see :func:`from_keras`."""
    return from_keras(weights, reset_after=reset_after)


def to_tf_keras(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, np.ndarray]:
    """tf_keras (Keras 2) weights for ``params``: the same arrays as Keras 3, see :func:`to_keras`
    (``layer.set_weights([w["kernel"], w["recurrent_kernel"], w["bias"]])``)."""
    return to_keras(params, update=update, reset=reset)
