"""Flax's two GRU cells: linen ``nn.GRUCell`` and nnx ``nnx.GRUCell`` (same equations, different trees).

Both run **keep** with reset **after**, gate order r, z, n, ``x @ kernel``:

* linen has six Dense modules, one per gate and side, named ``ir``, ``iz``, ``in`` (kernel (D, H)
  and bias (H,)) and ``hr``, ``hz`` (kernel (H, H), no bias), ``hn`` (kernel and bias: ``b_h_rec``);
  ``cell.init`` returns ``{"params": {...}}``;
* nnx has two Linear modules: ``dense_i`` (kernel (D, 3H), bias (3H,)) and ``dense_h`` (kernel
  (H, 3H)) **without** a bias, so it has no b_hn although its docstring writes one; its tree is
  ``nnx.state(cell, nnx.Param).to_pure_dict()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..params import GRUParams
from . import common as c

__all__ = ["FLAX_GATES", "from_flax_linen", "from_flax_nnx", "to_flax_linen", "to_flax_nnx"]

#: Gate order of the nnx blocks and of the linen module names (n is gru_lib's h).
FLAX_GATES = ("r", "z", "h")
_LINEN: dict[str, tuple[str, ...]] = {"ir": ("kernel", "bias"), "iz": ("kernel", "bias"), "in": ("kernel", "bias")}
_LINEN.update({"hr": ("kernel",), "hz": ("kernel",), "hn": ("kernel", "bias")})
_NNX: dict[str, tuple[str, ...]] = {"dense_i": ("kernel", "bias"), "dense_h": ("kernel",)}


def _tree(layout: str, tree: Any, spec: dict[str, tuple[str, ...]]) -> dict[str, np.ndarray]:
    """Checked, flattened ``{"module/leaf": array}`` from a nested tree of ``spec``'s shape."""
    tree = c.mapping(layout, tree, "params")
    c.check_keys(layout, tree, list(spec))
    out = {}
    for mod, leaves in spec.items():
        sub = c.mapping(layout, tree[mod], f"module {mod!r}")
        c.check_keys(f"{layout} module {mod!r}", sub, list(leaves))
        out.update({f"{mod}/{k}": c.array(layout, f"{mod}/{k}", sub[k]) for k in leaves})
    return out


def _nest(flat: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    out: dict[str, dict[str, np.ndarray]] = {}
    for k, v in flat.items():
        mod, leaf = k.split("/")
        out.setdefault(mod, {})[leaf] = v
    return out


# ------------------------------------------------------------------ linen
def from_flax_linen(variables: Mapping[str, Any]) -> c.Imported:
    """Read ``nn.GRUCell`` parameters: the ``{"params": {"ir": {...}, ...}}`` that ``cell.init``
    returns, or the inner dict of the six modules. Keep, reset after; ``hn``'s bias is ``b_h_rec``."""
    variables = c.mapping("Flax linen", variables, "variables")
    inner = variables["params"] if set(variables) == {"params"} else variables
    w = _tree("Flax linen", inner, _LINEN)
    c.matrix("Flax linen", "ir/kernel", w["ir/kernel"], "(D, H) = (input, hidden)")
    D, H = w["ir/kernel"].shape
    for k, a in w.items():
        want = (H,) if k.endswith("bias") else ((D, H) if k[0] == "i" else (H, H))
        c.shape("Flax linen", k, a, want, f"{'(H,)' if len(want) == 1 else want} with D={D}, H={H} from ir/kernel")
    names = {"r": "r", "z": "z", "h": "n"}
    zero = np.zeros(H, dtype=w["hn/bias"].dtype)
    arrays = {}
    for g, n in names.items():
        arrays.update({f"W_{g}": w[f"i{n}/kernel"].T, f"U_{g}": w[f"h{n}/kernel"].T, f"b_{g}": w[f"i{n}/bias"]})
        arrays[f"b_{g}_rec"] = w["hn/bias"] if g == "h" else zero
    return c.Imported(GRUParams.from_arrays(arrays), "keep", "after")


def to_flax_linen(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, dict]:
    """``{"params": {"ir": {"kernel", "bias"}, ..., "hn": {"kernel", "bias"}}}`` for ``params``, ready
    for ``nn.GRUCell(features=H).apply``. Reset before is refused, and so are nonzero ``b_z_rec``/
    ``b_r_rec`` (linen's hr and hz have no bias; fold them first, exact)."""
    p, reset = c.prepare_export(params, update, reset)
    c.require_reset("Flax linen's GRUCell", reset, "after")
    c.refuse_recurrent_biases("Flax linen (hr, hz have no bias)", p, reset, ("b_z_rec", "b_r_rec"))
    flat = {}
    for g, n in (("r", "r"), ("z", "z"), ("h", "n")):
        flat[f"i{n}/kernel"] = getattr(p, f"W_{g}").T.copy()
        flat[f"i{n}/bias"] = getattr(p, f"b_{g}").copy()
        flat[f"h{n}/kernel"] = getattr(p, f"U_{g}").T.copy()
    flat["hn/bias"] = c.rec(p, "h").copy()
    return {"params": _nest({k: flat[k] for k in (f"{m}/{leaf}" for m, ls in _LINEN.items() for leaf in ls)})}


# ------------------------------------------------------------------ nnx
def from_flax_nnx(state: Mapping[str, Any]) -> c.Imported:
    """Read ``nnx.GRUCell`` parameters ``{"dense_i": {"kernel": (D, 3H), "bias": (3H,)},
    "dense_h": {"kernel": (H, 3H)}}`` (``nnx.state(cell, nnx.Param).to_pure_dict()``).
    Keep, reset after, no recurrent biases."""
    w = _tree("Flax nnx", state, _NNX)
    k_i = w["dense_i/kernel"]
    c.matrix("Flax nnx", "dense_i/kernel", k_i, "(D, 3H) = (input, 3 × hidden)")
    H = c.hidden_from("Flax nnx", "dense_i/kernel", k_i, 1, "columns")
    c.shape("Flax nnx", "dense_i/bias", w["dense_i/bias"], (3 * H,), f"(3H,) with H={H} from dense_i/kernel")
    c.shape("Flax nnx", "dense_h/kernel", w["dense_h/kernel"], (H, 3 * H), f"(H, 3H) with H={H} from dense_i/kernel")
    params = c.from_gates(
        c.split3(k_i.T), c.split3(w["dense_h/kernel"].T), c.split3(w["dense_i/bias"]), None, FLAX_GATES
    )
    return c.Imported(params, "keep", "after")


def to_flax_nnx(params: GRUParams, *, update: str = "keep", reset: str = "after") -> dict[str, dict]:
    """``{"dense_i": {"kernel", "bias"}, "dense_h": {"kernel"}}`` for ``params`` (``nnx.update(cell, ...)``
    after ``jnp.asarray``). Reset before is refused; so is a nonzero ``b_h_rec`` (nnx has no b_hn)
    and nonzero ``b_z_rec``/``b_r_rec`` (fold them first, exact)."""
    p, reset = c.prepare_export(params, update, reset)
    c.require_reset("Flax nnx's GRUCell", reset, "after")
    c.refuse_recurrent_biases("Flax nnx (dense_h has no bias)", p, reset)
    g = FLAX_GATES
    return {
        "dense_i": {"kernel": c.stack(p, "W", g).T.copy(), "bias": c.stack(p, "b", g)},
        "dense_h": {"kernel": c.stack(p, "U", g).T.copy()},
    }
