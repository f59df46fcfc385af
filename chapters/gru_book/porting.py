"""The porting chapter's conversions: a PyTorch ``nn.GRU`` state dict into Haiku's ``hk.GRU`` tree.

PyTorch runs keep with the reset gate *after* the recurrent product and two biases per gate;
Haiku runs admit with the reset *before* and one bias. :func:`gru_lib.convert` handles the
first difference exactly; the second has no exact answer in general. It does for a model whose
candidate block U_h is diagonal and whose b_h_rec is zero: then r ⊙ (U_h h) = U_h (r ⊙ h), and
the two placements are one function (:func:`placement_free`). :func:`haiku_port` writes such a
model; :func:`naive_haiku_port` writes any model as if it reset before (not the same function).

Numpy and :mod:`gru_lib` only, so that ``tools/make_framework_fixtures.py`` can use it inside
the framework environments.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_lib import GRUParams
from gru_lib import layouts as L

__all__ = ["STATE_KEYS", "haiku_port", "naive_haiku_port", "placement_free", "plot_ports"]

#: The keys of a one-layer ``nn.GRU`` state dict.
STATE_KEYS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def placement_free(params: GRUParams) -> bool:
    """True if reset before and reset after are one function for ``params``:
    U_h (H, H) diagonal and b_h_rec zero (or absent)."""
    U_h = params.U_h
    off_diagonal = U_h - np.diag(np.diag(U_h))
    rec = params.b_h_rec
    return not np.any(off_diagonal) and (rec is None or not np.any(rec))


def haiku_port(state: dict[str, Any]) -> dict[str, dict[str, np.ndarray]]:
    """The ``hk.GRU`` params tree that computes what the PyTorch ``state`` computes.

    Raises ``ValueError`` unless the model is :func:`placement_free` (else no Haiku model does).
    """
    imported = L.from_pytorch(state)
    if not placement_free(imported.params):
        raise ValueError(
            "this PyTorch GRU resets after with a non-diagonal U_h or a nonzero b_hn; "
            "Haiku resets before, so no hk.GRU computes the same function"
        )
    folded = L.fold_recurrent_biases(imported.params, reset="after")  # b_z_rec, b_r_rec; b_h_rec is 0
    return L.to_haiku(folded, update="keep", reset="before")


def naive_haiku_port(state: dict[str, Any]) -> dict[str, dict[str, np.ndarray]]:
    """The port that reads a PyTorch model as if it reset before: all biases folded, the update
    gate negated, the layout rewritten. Exact only for a :func:`placement_free` model."""
    params = L.fold_recurrent_biases(L.from_pytorch(state).params, reset="before")
    return L.to_haiku(params, update="keep", reset="before")


def plot_ports(axes: Any, torch_out: dict[str, np.ndarray], haiku_out: dict[str, np.ndarray], *, unit: int = 0) -> None:
    """Two panels (portable model, general model): PyTorch's ``unit`` state (solid blue keep style)
    and Haiku's (dashed orange admit style), sequence 0, over the steps. ``torch_out`` and
    ``haiku_out`` map "portable"/"general" to (T, B, H) outputs; ``axes``: two matplotlib axes."""
    from gru_book import style

    titles = {"portable": "portable model, exact port", "general": "general model, naive port"}
    for ax, name in zip(axes, ("portable", "general"), strict=True):
        steps = np.arange(1, torch_out[name].shape[0] + 1)
        ax.plot(steps, torch_out[name][:, 0, unit], label="PyTorch nn.GRU", **style.line("keep"))
        ax.plot(steps, haiku_out[name][:, 0, unit], label="Haiku hk.GRU", **style.line("admit"))
        ax.set_title(titles[name])
        ax.set_xlabel("step t")
    axes[0].set_ylabel(f"$h_t$, unit {unit}")
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].figure.legend(handles, labels, loc="lower center", ncol=2, bbox_to_anchor=(0.5, 1.0))
