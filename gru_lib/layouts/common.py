"""What every layout module shares: :class:`Imported`, input checks and gate packing.

The checks raise ``TypeError``/``ValueError`` naming the layout, the array, the shape expected
and the shape given. Packing helpers turn a :class:`~gru_lib.GRUParams` into blocks in a
layout's gate order and back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .. import checks
from ..convert import convert
from ..gates import RESET_PLACEMENTS, UPDATE_CONVENTIONS
from ..params import RECURRENT_BIAS_FIELDS, GRUParams, as_params

__all__ = [
    "Imported",
    "array",
    "check_keys",
    "fold_recurrent_biases",
    "from_gates",
    "hidden_from",
    "mapping",
    "matrix",
    "prepare_export",
    "prepare_export_as",
    "rec",
    "refuse_recurrent_biases",
    "require_reset",
    "shape",
    "split3",
    "stack",
]


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


# ------------------------------------------------------------------ input checks
def array(layout: str, name: str, value: Any) -> np.ndarray:
    """A finite real float array from ``value`` (numpy, lists, a CPU torch tensor, a jax array)."""
    if hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "numpy"):
        value = value.detach().cpu().numpy()
    return checks.real_array(f"{layout} array {name!r}", value)


def mapping(layout: str, state: Any, what: str = "weights") -> Mapping[str, Any]:
    """``state`` itself if it is a mapping with string keys; else a ``TypeError``."""
    if not isinstance(state, Mapping):
        raise TypeError(f"{layout} {what} must be a dict of arrays; got {type(state).__name__}")
    bad = [k for k in state if not isinstance(k, str)]
    if bad:
        raise TypeError(f"{layout} weight names must be strings; got {bad!r}")
    return state


def check_keys(layout: str, state: Mapping[str, Any], required: Sequence[str], optional: Sequence[str] = ()) -> None:
    """A ``ValueError`` listing the missing and unknown keys, if any."""
    required, optional = list(required), list(optional)
    missing = [k for k in required if k not in state]
    unknown = sorted(set(state) - set(required) - set(optional))
    if missing or unknown:
        raise ValueError(
            f"{layout} weights need the keys {required}"
            + (f" (optionally {optional})" if optional else "")
            + f"; missing {missing}, unknown {unknown}"
        )


def shape(layout: str, name: str, arr: np.ndarray, want: tuple[int, ...], meaning: str) -> None:
    """A ``ValueError`` unless ``arr.shape == want``."""
    if arr.shape != want:
        raise ValueError(f"{layout} array {name!r} must have shape {want}, {meaning}; got shape {arr.shape}")


def hidden_from(layout: str, name: str, arr: np.ndarray, axis: int, meaning: str, gates: int = 3) -> int:
    """H from an axis of length ``gates`` × H (H >= 1)."""
    n = arr.shape[axis]
    if n == 0 or n % gates:
        raise ValueError(
            f"{layout} array {name!r} must have {meaning} = {gates}H ({gates} gate blocks) on axis {axis} "
            f"with H >= 1; got shape {arr.shape}"
        )
    return n // gates


def matrix(layout: str, name: str, arr: np.ndarray, meaning: str) -> None:
    """A ``ValueError`` unless ``arr`` is 2-D with both sides >= 1."""
    if arr.ndim != 2 or 0 in arr.shape:
        raise ValueError(f"{layout} array {name!r} must be a non-empty 2-D array, {meaning}; got shape {arr.shape}")


# ------------------------------------------------------------------ export
def prepare_export(params: Any, update: str, reset: str) -> tuple[GRUParams, str]:
    """Validate; convert an admit set to keep (exact). Returns (keep params, reset)."""
    return prepare_export_as(params, update, reset, "keep")


def prepare_export_as(params: Any, update: str, reset: str, runs: str) -> tuple[GRUParams, str]:
    """Validate; convert to the convention ``runs`` the layout runs (negation: exact)."""
    params = as_params(params)
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    reset = checks.choice("reset", reset, RESET_PLACEMENTS)
    return (convert(params) if update != runs else params), reset


def require_reset(layout: str, reset: str, runs: str) -> None:
    """A ``ValueError`` unless the model's ``reset`` placement is the one the layout runs."""
    if reset != runs:
        raise ValueError(
            f"{layout} resets {runs} the recurrent product (reset={runs!r}); got reset={reset!r}. "
            f"A reset-{reset} model is a different function and cannot be written in this layout."
        )


def refuse_recurrent_biases(
    layout: str, params: GRUParams, reset: str, fields: Sequence[str] = RECURRENT_BIAS_FIELDS
) -> None:
    """A ``ValueError`` if any of ``fields`` (recurrent biases the layout has no place for) is nonzero,
    saying whether :func:`fold_recurrent_biases` can fold them exactly for a reset-``reset`` model."""
    nonzero = [f for f in fields if getattr(params, f) is not None and np.any(getattr(params, f))]
    if not nonzero:
        return
    foldable = [f for f in nonzero if reset == "before" or f != "b_h_rec"]
    hint = (
        f" Fold them first with layouts.fold_recurrent_biases(params, reset={reset!r}) (exact: gru_lib adds "
        "them to the input biases anyway)."
        if foldable == nonzero
        else " b_h_rec sits inside r ⊙ (U_h h + b_h_rec) with reset after: no single bias can replace it."
    )
    raise ValueError(f"{layout} has no place for these recurrent biases, which are nonzero: {nonzero}.{hint}")


def fold_recurrent_biases(params: Any, *, reset: str) -> GRUParams:
    """``params`` with the recurrent biases that can be folded added into their input biases.

    ``reset="before"``: all three (``b_g + b_g_rec`` → ``b_g``, no recurrent biases left);
    ``reset="after"``: ``b_z_rec`` and ``b_r_rec`` only (``b_h_rec`` stays: it sits inside
    r ⊙ (·)). Exact: :func:`gru_lib.run` adds exactly these sums as one bias, so the folded set
    computes the same numbers bit for bit.
    """
    p = as_params(params)
    reset = checks.choice("reset", reset, RESET_PLACEMENTS)
    arrays = dict(p)
    for g in ("z", "r", "h") if reset == "before" else ("z", "r"):
        r = arrays.pop(f"b_{g}_rec", None)
        if r is not None:
            arrays[f"b_{g}"] = arrays[f"b_{g}"] + r
    return GRUParams.from_arrays(arrays)


def rec(params: GRUParams, gate: str) -> np.ndarray:
    """``b_<gate>_rec``, zeros if absent."""
    r = getattr(params, f"b_{gate}_rec")
    return np.zeros(params.hidden_size, dtype=params.dtype) if r is None else r


def stack(params: GRUParams, kind: str, order: Sequence[str]) -> np.ndarray:
    """``kind`` ("W", "U", "b" or "rec") of each gate in ``order``, concatenated on axis 0 (3H, ...)."""
    if kind == "rec":
        return np.concatenate([rec(params, g) for g in order])
    return np.concatenate([getattr(params, f"{kind}_{g}") for g in order])


# ------------------------------------------------------------------ import
def split3(arr: np.ndarray, axis: int = 0) -> list[np.ndarray]:
    """Three equal blocks along ``axis``."""
    return np.split(arr, 3, axis=axis)


def from_gates(
    W: Sequence[np.ndarray],
    U: Sequence[np.ndarray],
    b: Sequence[np.ndarray],
    rec: Sequence[np.ndarray] | None,
    order: Sequence[str],
) -> GRUParams:
    """GRUParams from per-block W (H, D), U (H, H), b (H,) and optional recurrent biases, blocks in ``order``."""
    arrays: dict[str, np.ndarray] = {}
    for i, g in enumerate(order):
        arrays[f"W_{g}"], arrays[f"U_{g}"], arrays[f"b_{g}"] = W[i], U[i], b[i]
        if rec is not None:
            arrays[f"b_{g}_rec"] = rec[i]
    return GRUParams.from_arrays(arrays)
