"""DeepMind's GRUs: Haiku ``hk.GRU`` (JAX) and Sonnet 2 ``snt.GRU`` (TensorFlow).

Both run the **admit** update, h = (1 − z) ⊙ h_prev + z ⊙ h̃, reset **before** the recurrent
product, and store ``x @ w_i`` with w_i (D, 3H), w_h (H, 3H) and one bias b (3H,), gate
blocks z, r, candidate (Haiku and Sonnet call it a). A keep model is written there exactly by
negating its update gate (:func:`gru_lib.convert`); a reset-after model cannot be written at all,
and recurrent biases only after :func:`~gru_lib.layouts.common.fold_recurrent_biases`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..params import GRUParams
from . import common as c

__all__ = ["DEEPMIND_GATES", "from_haiku", "from_sonnet", "to_haiku", "to_sonnet"]

#: Gate blocks of w_i, w_h and b, in gru_lib's names (Haiku's and Sonnet's a is gru_lib's h).
DEEPMIND_GATES = ("z", "r", "h")
_KEYS = ("w_i", "w_h", "b")


def _read(layout: str, w: Mapping[str, Any]) -> c.Imported:
    """w_i (D, 3H), w_h (H, 3H), b (3H,) -> admit, reset-before Imported."""
    c.check_keys(layout, w, _KEYS)
    w_i, w_h, b = (c.array(layout, k, w[k]) for k in _KEYS)
    c.matrix(layout, "w_i", w_i, "(D, 3H) = (input, 3 × hidden)")
    H = c.hidden_from(layout, "w_i", w_i, 1, "columns")
    c.shape(layout, "w_h", w_h, (H, 3 * H), f"(H, 3H) with H={H} from w_i")
    c.shape(layout, "b", b, (3 * H,), f"(3H,) with H={H} from w_i")
    params = c.from_gates(c.split3(w_i.T), c.split3(w_h.T), c.split3(b), None, DEEPMIND_GATES)
    return c.Imported(params, "admit", "before")


def _write(layout: str, params: Any, update: str, reset: str) -> dict[str, np.ndarray]:
    p, reset = c.prepare_export_as(params, update, reset, "admit")
    c.require_reset(layout, reset, "before")
    c.refuse_recurrent_biases(layout, p, reset)
    g = DEEPMIND_GATES
    return {
        "w_i": c.stack(p, "W", g).T.copy(),
        "w_h": c.stack(p, "U", g).T.copy(),
        "b": c.stack(p, "b", g),
    }


# ------------------------------------------------------------------ Haiku
def _haiku_module(tree: Mapping[str, Any], module: str | None) -> Mapping[str, Any]:
    """The one module's dict inside a Haiku params tree (or the tree itself if it is one)."""
    if module is None and any(k in tree and not isinstance(tree[k], Mapping) for k in _KEYS):
        return tree  # arrays at the top: the module's own dict
    if module is not None:
        if module not in tree:
            raise ValueError(f"Haiku params have no module {module!r}; modules: {sorted(tree)}")
        return c.mapping("Haiku", tree[module], f"module {module!r}")
    if len(tree) != 1:
        raise ValueError(
            f"Haiku params must hold one hk.GRU module, or name it with module=; got modules {sorted(tree)}"
        )
    (name,) = tree
    return c.mapping("Haiku", tree[name], f"module {name!r}")


def from_haiku(params_tree: Mapping[str, Any], *, module: str | None = None) -> c.Imported:
    """Read ``hk.GRU`` parameters: the tree ``hk.transform(...).init`` returns, e.g.
    ``{"gru": {"w_i": (D, 3H), "w_h": (H, 3H), "b": (3H,)}}``, or the inner dict alone.

    ``module`` picks one module of a tree with several (e.g. ``"my_model/~/gru"``).
    Returns an **admit**, reset-before :class:`Imported` (``.as_update("keep")`` converts exactly).
    """
    tree = c.mapping("Haiku", params_tree, "params")
    if module is not None and not isinstance(module, str):
        raise TypeError(f"module must be a Haiku module name (str) or None; got {module!r}")
    return _read("Haiku", _haiku_module(tree, module))


def to_haiku(
    params: GRUParams, *, update: str = "keep", reset: str = "before", module: str = "gru"
) -> dict[str, dict[str, np.ndarray]]:
    """The params tree of ``hk.GRU(H, name=module)``: ``{module: {"w_i", "w_h", "b"}}``.

    ``update``/``reset`` say which architecture ``params`` are for; a keep set is converted
    exactly (Haiku runs admit). Haiku resets before: ``reset="after"`` is refused, and so are
    nonzero recurrent biases (fold them first, exact for reset before). Arrays keep the
    parameters' dtype; pass them to ``f.apply`` as they are (``jnp.asarray`` is implicit).
    """
    if not isinstance(module, str) or not module:
        raise TypeError(f"module must be a non-empty Haiku module name; got {module!r}")
    return {module: _write("Haiku", params, update, reset)}


# ------------------------------------------------------------------ Sonnet 2
def from_sonnet(weights: Mapping[str, Any]) -> c.Imported:
    """Read ``snt.GRU`` variables by name: ``{"w_i": (D, 3H), "w_h": (H, 3H), "b": (3H,)}``
    (e.g. ``{v.name.split("/")[-1][:-2]: v.numpy() for v in gru.variables}``).

    Returns an **admit**, reset-before :class:`Imported`.
    """
    return _read("Sonnet", c.mapping("Sonnet", weights))


def to_sonnet(params: GRUParams, *, update: str = "keep", reset: str = "before") -> dict[str, np.ndarray]:
    """``snt.GRU`` variables ``{"w_i", "w_h", "b"}`` for ``params`` (assign each to the variable of
    that name). As :func:`to_haiku`: keep sets converted exactly, reset after and nonzero recurrent
    biases refused."""
    return _write("Sonnet", params, update, reset)
