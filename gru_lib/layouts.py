"""Framework weight layouts: import and export of packed GRU weights, no framework needed.

Plain numpy arrays (or anything ``np.asarray`` accepts, including CPU torch tensors)
in plain dicts. Each importer returns an :class:`Imported`: the :class:`~gru_lib.GRUParams`
*and* the architecture the framework runs (its update convention and reset placement),
so ``run(imp.params, xs, update=imp.update, reset=imp.reset)`` reproduces the framework.

==============  ===================================  ==========  ======================  ========
layout          arrays (H hidden, D input)           gate order  biases                  reset
==============  ===================================  ==========  ======================  ========
PyTorch         weight_ih_l0 (3H, D),                r, z, n     bias_ih_l0 (3H,),       after
                weight_hh_l0 (3H, H)                             bias_hh_l0 (3H,)
Keras 3         kernel (D, 3H),                      z, r, h     bias (2, 3H) rows       after if
                recurrent_kernel (H, 3H)                         [input; recurrent], or  bias is
                                                                 (3H,)                   (2, 3H)
ONNX GRU        W (1, 3H, D), R (1, 3H, H)           z, r, h     B (1, 6H) =             attribute
                                                                 [Wb(zrh), Rb(zrh)]      linear_
                                                                                         before_
                                                                                         reset
==============  ===================================  ==========  ======================  ========

All three run the **keep** convention, h = z ⊙ h_prev + (1 − z) ⊙ h̃. A second ("recurrent")
bias maps to gru_lib's ``b_z_rec``, ``b_r_rec``, ``b_h_rec``; PyTorch's b_hn is ``b_h_rec``.

Exporters take the parameters *and* the architecture they were trained for
(``update=``, ``reset=``). An **admit** parameter set is converted exactly with
:func:`gru_lib.convert` (negation is exact, so the exported model computes the same
numbers). What a layout cannot represent is refused with a ``ValueError``, never
approximated: a reset-before model in PyTorch's layout (PyTorch only resets after), a
reset-after model in a reset-before layout, or recurrent biases in Keras' single-bias layout.

Round trips are exact (``np.array_equal``): layout → GRUParams → layout returns the same
arrays; GRUParams → layout → GRUParams returns the same parameters, with absent recurrent
biases turned into explicit zeros by the two-bias layouts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import checks
from .convert import convert
from .gates import RESET_PLACEMENTS, UPDATE_CONVENTIONS
from .params import RECURRENT_BIAS_FIELDS, GRUParams, as_params

__all__ = [
    "KERAS_GATES",
    "ONNX_GATES",
    "PYTORCH_GATES",
    "Imported",
    "from_keras",
    "from_onnx",
    "from_pytorch",
    "to_keras",
    "to_onnx",
    "to_pytorch",
]

#: Packed gate order of each layout, in gru_lib's gate names (PyTorch's n is gru_lib's h).
PYTORCH_GATES = ("r", "z", "h")
KERAS_GATES = ("z", "r", "h")
ONNX_GATES = ("z", "r", "h")


@dataclasses.dataclass(frozen=True)
class Imported:
    """A parameter set read from a framework layout, with the architecture that layout runs.

    ``params``: the :class:`GRUParams`; ``update``: ``"keep"`` or ``"admit"``;
    ``reset``: ``"before"`` or ``"after"``. Pass them straight to :func:`gru_lib.run`.
    """

    params: GRUParams
    update: str
    reset: str

    def __post_init__(self) -> None:
        as_params(self.params)
        checks.choice("update", self.update, UPDATE_CONVENTIONS)
        checks.choice("reset", self.reset, RESET_PLACEMENTS)

    def as_update(self, update: str) -> Imported:
        """The same model written in the ``update`` convention (converted exactly if it differs)."""
        update = checks.choice("update", update, UPDATE_CONVENTIONS)
        if update == self.update:
            return self
        return Imported(convert(self.params), update, self.reset)

    def run_kwargs(self) -> dict[str, str]:
        """``{"update": ..., "reset": ...}`` for ``run(imp.params, xs, **imp.run_kwargs())``."""
        return {"update": self.update, "reset": self.reset}


# ------------------------------------------------------------------ helpers
def _array(layout: str, name: str, value: Any) -> np.ndarray:
    """A finite real float array from ``value`` (numpy, lists, or a CPU torch tensor)."""
    if hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "numpy"):
        value = value.detach().cpu().numpy()
    return checks.real_array(f"{layout} array {name!r}", value)


def _mapping(layout: str, state: Any) -> Mapping[str, Any]:
    if not isinstance(state, Mapping):
        raise TypeError(f"{layout} weights must be a dict of arrays; got {type(state).__name__}")
    bad = [k for k in state if not isinstance(k, str)]
    if bad:
        raise TypeError(f"{layout} weight names must be strings; got {bad!r}")
    return state


def _check_keys(layout: str, state: Mapping[str, Any], required: list[str], optional: list[str]) -> None:
    missing = [k for k in required if k not in state]
    unknown = sorted(set(state) - set(required) - set(optional))
    if missing or unknown:
        raise ValueError(
            f"{layout} weights need the keys {required}"
            + (f" (optionally {optional})" if optional else "")
            + f"; missing {missing}, unknown {unknown}"
        )


def _shape(layout: str, name: str, arr: np.ndarray, want: tuple[int, ...], meaning: str) -> None:
    if arr.shape != want:
        raise ValueError(f"{layout} array {name!r} must have shape {want}, {meaning}; got shape {arr.shape}")


def _hidden_from(layout: str, name: str, arr: np.ndarray, axis: int, meaning: str) -> int:
    """H from an axis of length 3H."""
    n = arr.shape[axis]
    if n == 0 or n % 3:
        raise ValueError(
            f"{layout} array {name!r} must have {meaning} = 3H (three gates) on axis {axis} "
            f"with H >= 1; got shape {arr.shape}"
        )
    return n // 3


def _split3(arr: np.ndarray, axis: int = 0) -> list[np.ndarray]:
    return np.split(arr, 3, axis=axis)


def _prepare_export(params: Any, update: str, reset: str) -> tuple[GRUParams, str]:
    """Validate; convert an admit set to keep (exact). Returns (keep params, reset)."""
    params = as_params(params)
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    reset = checks.choice("reset", reset, RESET_PLACEMENTS)
    return (convert(params) if update == "admit" else params), reset


def _rec(params: GRUParams, gate: str) -> np.ndarray:
    rec = getattr(params, f"b_{gate}_rec")
    return np.zeros(params.hidden_size, dtype=params.dtype) if rec is None else rec


def _from_gates(
    W: list[np.ndarray], U: list[np.ndarray], b: list[np.ndarray], rec: list[np.ndarray] | None, order: tuple[str, ...]
) -> GRUParams:
    arrays: dict[str, np.ndarray] = {}
    for i, g in enumerate(order):
        arrays[f"W_{g}"], arrays[f"U_{g}"], arrays[f"b_{g}"] = W[i], U[i], b[i]
        if rec is not None:
            arrays[f"b_{g}_rec"] = rec[i]
    return GRUParams.from_arrays(arrays)


# ------------------------------------------------------------------ PyTorch
_TORCH_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def from_pytorch(state: Mapping[str, Any]) -> Imported:
    """Read a single-layer, unidirectional ``nn.GRU`` state dict (keys ``weight_ih_l0``, …)
    or an ``nn.GRUCell`` one (``weight_ih``, …). Biases may both be absent (``bias=False``).

    PyTorch runs keep + reset after; ``bias_hh``'s n-part is ``b_h_rec`` (inside r ⊙ (…)).
    """
    state = _mapping("PyTorch", state)
    suffix = "_l0" if "weight_ih_l0" in state or "weight_hh_l0" in state else ""
    names = [k + suffix for k in _TORCH_KEYS]
    _check_keys("PyTorch", state, names[:2], names[2:])
    if (names[2] in state) != (names[3] in state):
        raise ValueError(
            f"PyTorch weights need both {names[2]!r} and {names[3]!r} or neither; "
            f"got only {names[2] if names[2] in state else names[3]!r}"
        )
    w_ih, w_hh = (_array("PyTorch", n, state[n]) for n in names[:2])
    if w_ih.ndim != 2:
        raise ValueError(f"PyTorch array {names[0]!r} must be 2-D, (3H, D); got shape {w_ih.shape}")
    H = _hidden_from("PyTorch", names[0], w_ih, 0, "rows")
    D = w_ih.shape[1]
    _shape("PyTorch", names[1], w_hh, (3 * H, H), f"(3H, H) with H={H} from {names[0]}")
    if names[2] in state:
        b_ih, b_hh = (_array("PyTorch", n, state[n]) for n in names[2:])
        for n, b in zip(names[2:], (b_ih, b_hh)):
            _shape("PyTorch", n, b, (3 * H,), f"(3H,) with H={H} from {names[0]}")
    else:
        b_ih = b_hh = np.zeros(3 * H, dtype=np.result_type(w_ih, w_hh))
    if D < 1:
        raise ValueError(f"PyTorch array {names[0]!r} must have at least one input column; got shape {w_ih.shape}")
    params = _from_gates(_split3(w_ih), _split3(w_hh), _split3(b_ih), _split3(b_hh), PYTORCH_GATES)
    return Imported(params, "keep", "after")


def to_pytorch(
    params: GRUParams, *, update: str = "keep", reset: str = "after", cell: bool = False
) -> dict[str, np.ndarray]:
    """The ``nn.GRU`` state dict (``cell=True``: ``nn.GRUCell`` names) for ``params``.

    ``update``/``reset`` say which architecture ``params`` are for. PyTorch can only run
    reset after: ``reset="before"`` is refused. An admit set is converted exactly.
    """
    p, reset = _prepare_export(params, update, reset)
    if reset != "after":
        raise ValueError(
            "PyTorch's GRU resets after the recurrent product (reset='after'); got reset='before'. "
            "A reset-before model is a different function and cannot be written in this layout."
        )
    suffix = "" if cell else "_l0"
    g = PYTORCH_GATES
    return {
        f"weight_ih{suffix}": np.concatenate([getattr(p, f"W_{x}") for x in g]),
        f"weight_hh{suffix}": np.concatenate([getattr(p, f"U_{x}") for x in g]),
        f"bias_ih{suffix}": np.concatenate([getattr(p, f"b_{x}") for x in g]),
        f"bias_hh{suffix}": np.concatenate([_rec(p, x) for x in g]),
    }


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
    return _mapping("Keras", weights)


def from_keras(weights: Any, *, reset_after: bool | None = None) -> Imported:
    """Read Keras 3 ``GRU``/``GRUCell`` weights: a dict with ``kernel`` (D, 3H),
    ``recurrent_kernel`` (H, 3H) and optional ``bias``, or the list ``layer.get_weights()``.

    ``bias`` of shape (2, 3H) means ``reset_after=True`` (rows [input; recurrent]); (3H,)
    means ``reset_after=False``. Pass ``reset_after`` when there is no bias
    (``use_bias=False``), or to have the bias shape checked against it.
    """
    w = _keras_mapping(weights)
    _check_keys("Keras", w, list(_KERAS_KEYS[:2]), [_KERAS_KEYS[2]])
    if reset_after is not None and not isinstance(reset_after, bool):
        raise TypeError(f"reset_after must be True, False or None; got {reset_after!r}")
    kernel, rk = (_array("Keras", n, w[n]) for n in _KERAS_KEYS[:2])
    if kernel.ndim != 2:
        raise ValueError(f"Keras array 'kernel' must be 2-D, (D, 3H); got shape {kernel.shape}")
    H = _hidden_from("Keras", "kernel", kernel, 1, "columns")
    _shape("Keras", "recurrent_kernel", rk, (H, 3 * H), f"(H, 3H) with H={H} from kernel")
    if "bias" in w:
        bias = _array("Keras", "bias", w["bias"])
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
    params = _from_gates(
        _split3(kernel.T), _split3(rk.T), _split3(b_in), None if b_rec is None else _split3(b_rec), KERAS_GATES
    )
    return Imported(params, "keep", "after" if reset_after else "before")


def to_keras(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, np.ndarray]:
    """Keras 3 weights ``{"kernel", "recurrent_kernel", "bias"}`` for ``params``.

    ``reset="after"`` gives the ``reset_after=True`` layout (bias (2, 3H));
    ``reset="before"`` the ``reset_after=False`` one (bias (3H,)), which has a single bias
    per gate: a set with a nonzero recurrent bias is refused there. An admit set is
    converted exactly. Build the layer with ``reset_after=(reset == "after")``.
    """
    p, reset = _prepare_export(params, update, reset)
    g = KERAS_GATES
    out = {
        "kernel": np.concatenate([getattr(p, f"W_{x}") for x in g]).T.copy(),
        "recurrent_kernel": np.concatenate([getattr(p, f"U_{x}") for x in g]).T.copy(),
    }
    b_in = np.concatenate([getattr(p, f"b_{x}") for x in g])
    if reset == "after":
        out["bias"] = np.stack([b_in, np.concatenate([_rec(p, x) for x in g])])
        return out
    nonzero = [f for f in RECURRENT_BIAS_FIELDS if getattr(p, f) is not None and np.any(getattr(p, f))]
    if nonzero:
        raise ValueError(
            f"Keras with reset_after=False has one bias per gate; these recurrent biases are "
            f"nonzero: {nonzero}. Fold them into b_z, b_r, b_h first (exact only for a "
            "reset-before model) or export with reset='after'."
        )
    out["bias"] = b_in
    return out


# ------------------------------------------------------------------ ONNX
def from_onnx(arrays: Mapping[str, Any], *, linear_before_reset: int) -> Imported:
    """Read the inputs of an ONNX ``GRU`` node: ``W`` [1, 3H, D], ``R`` [1, 3H, H] and
    optional ``B`` [1, 6H] = [Wb(zrh), Rb(zrh)] (absent means zeros).

    ``linear_before_reset`` is the node's attribute and must be given: 0 (ONNX's default)
    is reset before, any other value reset after. Only ``direction="forward"`` (one
    direction) is supported.
    """
    a = _mapping("ONNX", arrays)
    _check_keys("ONNX", a, ["W", "R"], ["B"])
    if isinstance(linear_before_reset, bool) or not isinstance(linear_before_reset, (int, np.integer)):
        raise TypeError(f"linear_before_reset must be an int (the ONNX attribute); got {linear_before_reset!r}")
    W, R = _array("ONNX", "W", a["W"]), _array("ONNX", "R", a["R"])
    if W.ndim != 3 or W.shape[0] != 1:
        raise ValueError(f"ONNX array 'W' must have shape [1, 3H, D] (one direction); got shape {W.shape}")
    H = _hidden_from("ONNX", "W", W, 1, "rows")
    _shape("ONNX", "R", R, (1, 3 * H, H), f"[1, 3H, H] with H={H} from W")
    if "B" in a:
        B = _array("ONNX", "B", a["B"])
        _shape("ONNX", "B", B, (1, 6 * H), f"[1, 6H] with H={H} from W")
    else:
        B = np.zeros((1, 6 * H), dtype=np.result_type(W, R))
    wb, rb = B[0, : 3 * H], B[0, 3 * H :]
    params = _from_gates(_split3(W[0]), _split3(R[0]), _split3(wb), _split3(rb), ONNX_GATES)
    return Imported(params, "keep", "after" if linear_before_reset else "before")


def to_onnx(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, np.ndarray]:
    """ONNX ``GRU`` inputs ``{"W", "R", "B"}`` for ``params``; set the node attribute
    ``linear_before_reset = 1 if reset == "after" else 0``.

    Both placements keep two biases per gate (with reset before, ONNX adds Rbh to Wbh,
    exactly as gru_lib adds ``b_h_rec`` to ``b_h``). An admit set is converted exactly.
    """
    p, _ = _prepare_export(params, update, reset)
    g = ONNX_GATES
    return {
        "W": np.concatenate([getattr(p, f"W_{x}") for x in g])[None],
        "R": np.concatenate([getattr(p, f"U_{x}") for x in g])[None],
        "B": np.concatenate([getattr(p, f"b_{x}") for x in g] + [_rec(p, x) for x in g])[None],
    }
