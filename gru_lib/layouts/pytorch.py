"""PyTorch-style stacked layouts: gate blocks r, z, n stacked on the rows of (3H, D) and (3H, H).

PyTorch ``nn.GRU``/``nn.GRUCell`` and the frameworks that store the same arrays: PaddlePaddle
``paddle.nn.GRU``/``GRUCell`` (same names), MXNet ``gluon.rnn.GRU``/``GRUCell`` (i2h/h2h names),
and two with the recurrent bias for the candidate only: equinox ``eqx.nn.GRUCell``
(``bias`` (3H,), ``bias_n`` (H,)) and MLX ``mlx.nn.GRU`` (``b`` (3H,), ``bhn`` (H,)). All run
**keep** with reset **after**; PyTorch's n is gru_lib's h and its b_hn is ``b_h_rec``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..params import GRUParams
from . import common as c

__all__ = [
    "PYTORCH_GATES",
    "from_equinox",
    "from_mlx",
    "from_mxnet",
    "from_paddle",
    "from_pytorch",
    "to_equinox",
    "to_mlx",
    "to_mxnet",
    "to_paddle",
    "to_pytorch",
]

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


# ------------------------------------------------------------------ PaddlePaddle
_PADDLE_ALIAS = "0.cell."


def from_paddle(state: Mapping[str, Any]) -> c.Imported:
    """Read a single-layer, unidirectional ``paddle.nn.GRU`` state dict (``weight_ih_l0``, …; the
    aliases ``0.cell.weight_ih``, … that ``state_dict()`` also lists must hold the same values) or a
    ``paddle.nn.GRUCell`` one (``weight_ih``, …). Paddle's GRU is PyTorch's: keep, reset after.
    """
    state = dict(c.mapping("PaddlePaddle", state))
    for alias in [k for k in state if k.startswith(_PADDLE_ALIAS)]:
        main = alias[len(_PADDLE_ALIAS) :] + "_l0"
        if main not in state:
            raise ValueError(f"PaddlePaddle alias {alias!r} has no {main!r} beside it; got keys {sorted(state)}")
        a, b = c.array("PaddlePaddle", alias, state.pop(alias)), c.array("PaddlePaddle", main, state[main])
        if a.shape != b.shape or not np.array_equal(a, b):
            what = "different values" if a.shape == b.shape else f"shapes {a.shape} and {b.shape}"
            raise ValueError(
                f"PaddlePaddle arrays {alias!r} and {main!r} name one parameter and must be equal; got {what}"
            )
    suffix = "_l0" if "weight_ih_l0" in state or "weight_hh_l0" in state else ""
    return read_stacked("PaddlePaddle", state, [k + suffix for k in _TORCH_KEYS], biases_optional=True)


def to_paddle(
    params: GRUParams, *, update: str = "keep", reset: str = "after", cell: bool = False
) -> dict[str, np.ndarray]:
    """The ``paddle.nn.GRU`` state dict for ``params``, with the ``0.cell.*`` aliases its
    ``state_dict()`` lists (``cell=True``: ``paddle.nn.GRUCell`` names, no aliases). Load it with
    ``set_state_dict({k: paddle.to_tensor(v) for k, v in ...})``. Reset before is refused."""
    if cell:
        return write_stacked("PaddlePaddle", params, update, reset, list(_TORCH_KEYS))
    out = write_stacked("PaddlePaddle", params, update, reset, [k + "_l0" for k in _TORCH_KEYS])
    out.update({_PADDLE_ALIAS + k: out[k + "_l0"].copy() for k in _TORCH_KEYS})
    return out


# ------------------------------------------------------------------ MXNet
_MXNET_KEYS = ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias")


def from_mxnet(params: Mapping[str, Any]) -> c.Imported:
    """Read ``gluon.rnn.GRU`` (one layer, forward) or ``gluon.rnn.GRUCell`` parameters:
    ``{k: v.data().asnumpy() for k, v in layer.collect_params().items()}``, keys
    ``<prefix>l0_i2h_weight`` (3H, D), ``…h2h_weight`` (3H, H), ``…i2h_bias``, ``…h2h_bias`` (3H,)
    (cell: ``<prefix>i2h_weight``, …). The block prefix (``gru0_``) is found from the keys.
    MXNet's GRU is PyTorch's: keep, reset after.
    """
    state = c.mapping("MXNet", params)
    heads = [k[: -len(_MXNET_KEYS[0])] for k in state if k.endswith(_MXNET_KEYS[0])]
    if len(heads) != 1:
        raise ValueError(
            f"MXNet weights need exactly one key ending in {_MXNET_KEYS[0]!r} ('<prefix>l0_i2h_weight' for "
            f"a one-layer, forward GRU, '<prefix>i2h_weight' for a GRUCell); got keys {sorted(state)}"
        )
    return read_stacked("MXNet", state, [heads[0] + k for k in _MXNET_KEYS], biases_optional=False)


def to_mxnet(
    params: GRUParams, *, update: str = "keep", reset: str = "after", prefix: str = "", cell: bool = False
) -> dict[str, np.ndarray]:
    """``gluon.rnn.GRU`` parameters ``{prefix}l0_i2h_weight``, … (``cell=True``: ``{prefix}i2h_weight``, …)
    for ``params``; pass ``prefix=layer.prefix`` to match ``collect_params()``. Reset before is refused."""
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str (the Gluon block prefix); got {prefix!r}")
    head = prefix + ("" if cell else "l0_")
    return write_stacked("MXNet", params, update, reset, [head + k for k in _MXNET_KEYS])


# ------------------------------------------------------------------ candidate-only recurrent bias
def _read_candidate_bias(layout: str, state: Any, names: tuple[str, str, str, str]) -> c.Imported:
    """w_ih (3H, D), w_hh (3H, H), optional b (3H,) outside and b_n (H,) inside r ⊙ (·)."""
    state = c.mapping(layout, state)
    c.check_keys(layout, state, names[:2], names[2:])
    if (names[2] in state) != (names[3] in state):
        raise ValueError(
            f"{layout} weights need both {names[2]!r} and {names[3]!r} or neither; got keys {sorted(state)}"
        )
    w_ih, w_hh = (c.array(layout, n, state[n]) for n in names[:2])
    c.matrix(layout, names[0], w_ih, "(3H, D) = (3 × hidden, input)")
    H = c.hidden_from(layout, names[0], w_ih, 0, "rows")
    c.shape(layout, names[1], w_hh, (3 * H, H), f"(3H, H) with H={H} from {names[0]}")
    dtype = np.result_type(w_ih, w_hh)
    b, b_n = np.zeros(3 * H, dtype), np.zeros(H, dtype)
    if names[2] in state:
        b, b_n = (c.array(layout, n, state[n]) for n in names[2:])
        c.shape(layout, names[2], b, (3 * H,), f"(3H,) with H={H} from {names[0]}")
        c.shape(layout, names[3], b_n, (H,), f"(H,) with H={H} from {names[0]}, the candidate's recurrent bias")
    zero = np.zeros(H, dtype=b_n.dtype)
    params = c.from_gates(c.split3(w_ih), c.split3(w_hh), c.split3(b), [zero, zero, b_n], PYTORCH_GATES)
    return c.Imported(params, "keep", "after")


def _write_candidate_bias(
    layout: str, params: Any, update: str, reset: str, names: tuple[str, str, str, str]
) -> dict[str, np.ndarray]:
    p, reset = c.prepare_export(params, update, reset)
    c.require_reset(layout, reset, "after")
    c.refuse_recurrent_biases(layout, p, reset, ("b_z_rec", "b_r_rec"))
    g = PYTORCH_GATES
    return dict(zip(names, (c.stack(p, "W", g), c.stack(p, "U", g), c.stack(p, "b", g), c.rec(p, "h")), strict=True))


_EQX_KEYS = ("weight_ih", "weight_hh", "bias", "bias_n")
_MLX_KEYS = ("Wx", "Wh", "b", "bhn")


def from_equinox(weights: Mapping[str, Any]) -> c.Imported:
    """Read ``eqx.nn.GRUCell`` fields ``{"weight_ih": (3H, D), "weight_hh": (3H, H), "bias": (3H,),
    "bias_n": (H,)}`` (both biases absent: ``use_bias=False``). ``bias_n`` is ``b_h_rec``; keep, reset after."""
    return _read_candidate_bias("equinox", weights, _EQX_KEYS)


def to_equinox(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, np.ndarray]:
    """``eqx.nn.GRUCell`` fields for ``params`` (set them with ``eqx.tree_at``). Reset before is refused,
    and so are nonzero ``b_z_rec``/``b_r_rec`` (no place; fold them first, exact)."""
    return _write_candidate_bias("equinox", params, update, reset, _EQX_KEYS)


def from_mlx(weights: Mapping[str, Any]) -> c.Imported:
    """Read ``mlx.nn.GRU`` parameters ``{"Wx": (3H, D), "Wh": (3H, H), "b": (3H,), "bhn": (H,)}``
    (``dict(mlx.utils.tree_flatten(gru.parameters()))``; both biases absent: ``bias=False``).
    ``bhn`` is ``b_h_rec``; keep, reset after."""
    return _read_candidate_bias("MLX", weights, _MLX_KEYS)


def to_mlx(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, np.ndarray]:
    """``mlx.nn.GRU`` parameters for ``params`` (``gru.load_weights(list(...items()))`` after
    ``mx.array``). Reset before is refused, and so are nonzero ``b_z_rec``/``b_r_rec``."""
    return _write_candidate_bias("MLX", params, update, reset, _MLX_KEYS)
