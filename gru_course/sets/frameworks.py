"""Exercises for the chapter "Which GRU does my framework run?" (chapters/frameworks.md).

1  choice   the packed gate order of PyTorch's weight_ih_l0
2  code     read Keras 3 reset_after=True weights into a GRUParams by hand
3  choice   the linear_before_reset value an ONNX export of a PyTorch GRU needs
4  numeric  the one-unit counterexample: h_1 with reset after and with reset before

The expected values are written out here from the frameworks' documented equations (slicing
by hand, ``math`` for the scalars), not taken from ``gru_lib.layouts``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, Incorrect, call_student, expect_callable
from gru_lib.params import GRUParams

SET = ExerciseSet("frameworks")

# ------------------------------------------------------------------ 1: multiple choice
q1 = SET.choice(
    "PyTorch's packed gate order",
    options={
        "a": (
            "z, r, n",
            "That is the order Keras and ONNX use (z, r, h). PyTorch's docstring lists W_ir|W_iz|W_in: reset first.",
        ),
        "b": ("n, r, z", "The candidate (n) comes last in every packed layout in this chapter."),
        "c": ("r, z, n", ""),
        "d": (
            "it depends on the version",
            "PyTorch packs the three gates into one (3H, D) matrix; the order is fixed and documented.",
        ),
    },
    correct="c",
    hint="Look at the Attributes section of torch.nn.GRU's docstring, or at gru_lib.layouts.PYTORCH_GATES.",
    solution="c: rows [0, H) belong to the reset gate r, rows [H, 2H) to the update gate z, "
    "rows [2H, 3H) to the candidate n (W_ir|W_iz|W_in).",
)


# ------------------------------------------------------------------ q2: code
def _q2_probe() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    D, H = 3, 2
    return {
        "kernel": rng.normal(size=(D, 3 * H)),
        "recurrent_kernel": rng.normal(size=(H, 3 * H)),
        "bias": rng.normal(size=(2, 3 * H)),
    }


def _q2_expected(w: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Keras: x @ kernel, columns [z | r | h]; bias rows [input; recurrent]."""
    H = w["recurrent_kernel"].shape[0]
    cols = {"z": slice(0, H), "r": slice(H, 2 * H), "h": slice(2 * H, 3 * H)}
    out = {}
    for g, c in cols.items():
        out[f"W_{g}"] = w["kernel"][:, c].T
        out[f"U_{g}"] = w["recurrent_kernel"][:, c].T
        out[f"b_{g}"] = w["bias"][0, c]
        out[f"b_{g}_rec"] = w["bias"][1, c]
    return out


def _check_q2(answer: Any) -> None:
    fn = expect_callable(answer, "keras_to_params")
    w = _q2_probe()
    out = call_student(fn, {k: v.copy() for k, v in w.items()}, name="keras_to_params(weights)")
    if not isinstance(out, GRUParams):
        raise Incorrect(f"keras_to_params should return a GRUParams; it returned a {type(out).__name__}")
    want, got = _q2_expected(w), out.with_recurrent_biases().arrays()
    H = 2
    if np.allclose(got["W_z"], want["W_r"]) and np.allclose(got["W_r"], want["W_z"]):
        raise Incorrect("You swapped z and r: that is PyTorch's order (r, z, n). Keras packs z, r, h.")
    if np.allclose(got["b_h"], want["b_h_rec"]) and np.allclose(got["b_h_rec"], want["b_h"]):
        raise Incorrect("You swapped the two bias rows: bias[0] is the input-side bias, bias[1] the recurrent one.")
    if not np.any(got["b_h_rec"]) and np.any(want["b_h_rec"]):
        raise Incorrect(
            "You dropped the recurrent bias row bias[1]: with reset_after=True it is b_*_rec "
            "(and b_h_rec sits inside r ⊙ (…))."
        )
    if np.allclose(got["U_z"], want["U_z"].T) and not np.allclose(want["U_z"], want["U_z"].T):
        raise Incorrect("U_z looks transposed: Keras computes h @ recurrent_kernel, gru_lib U_z @ h.")
    bad = sorted(
        k for k in want if got[k].shape != want[k].shape or not np.allclose(got[k], want[k], rtol=1e-6, atol=1e-12)
    )
    if bad:
        raise Incorrect(f"These fields are not what they should be: {bad} (H = {H} here).")


def _reference_q2(weights: dict[str, np.ndarray]) -> GRUParams:
    return GRUParams.from_arrays(_q2_expected(weights))


def _torch_order(weights: dict[str, np.ndarray]) -> GRUParams:
    e = _q2_expected(weights)
    for kind in ("W", "U", "b"):
        e[f"{kind}_z"], e[f"{kind}_r"] = e[f"{kind}_r"], e[f"{kind}_z"]
    e["b_z_rec"], e["b_r_rec"] = e["b_r_rec"], e["b_z_rec"]
    return GRUParams.from_arrays(e)


def _swapped_bias(weights: dict[str, np.ndarray]) -> GRUParams:
    e = _q2_expected(weights)
    for g in "zrh":
        e[f"b_{g}"], e[f"b_{g}_rec"] = e[f"b_{g}_rec"], e[f"b_{g}"]
    return GRUParams.from_arrays(e)


def _no_rec_bias(weights: dict[str, np.ndarray]) -> GRUParams:
    return GRUParams.from_arrays({k: v for k, v in _q2_expected(weights).items() if not k.endswith("_rec")})


def _transposed_u(weights: dict[str, np.ndarray]) -> GRUParams:
    e = _q2_expected(weights)
    return GRUParams.from_arrays({k: (v.T if k.startswith("U") else v) for k, v in e.items()})


q2 = SET.code(
    "Read Keras weights by hand",
    checker=_check_q2,
    tolerance="6 significant figures",
    hint=[
        "kernel has shape (D, 3H) and Keras computes x @ kernel: the z block is kernel[:, :H], "
        "and gru_lib wants its transpose, of shape (H, D).",
        "bias has shape (2, 3H): row 0 holds b_z, b_r, b_h; row 1 holds b_z_rec, b_r_rec, b_h_rec.",
    ],
    solution=(
        "def keras_to_params(weights):\n"
        "    H = weights['recurrent_kernel'].shape[0]\n"
        "    arrays = {}\n"
        "    for i, g in enumerate('zrh'):\n"
        "        cols = slice(i * H, (i + 1) * H)\n"
        "        arrays[f'W_{g}'] = weights['kernel'][:, cols].T\n"
        "        arrays[f'U_{g}'] = weights['recurrent_kernel'][:, cols].T\n"
        "        arrays[f'b_{g}'] = weights['bias'][0, cols]\n"
        "        arrays[f'b_{g}_rec'] = weights['bias'][1, cols]\n"
        "    return GRUParams.from_arrays(arrays)"
    ),
    reference=lambda: _reference_q2,
    wrong_answers=lambda: [
        (_torch_order, "PyTorch's order"),
        (_swapped_bias, "swapped the two bias rows"),
        (_no_rec_bias, "dropped the recurrent bias"),
        (_transposed_u, "transposed"),
        (lambda w: _q2_expected(w), "should return a GRUParams"),
        ("kernel", "should be a function"),
    ],
)


# ------------------------------------------------------------------ 3: multiple choice
q3 = SET.choice(
    "Exporting a PyTorch GRU to ONNX",
    options={
        "a": (
            "0, the default",
            "0 is ONNX's default and means reset *before* the recurrent product; PyTorch "
            "resets after, so the exported model computes something else (a known porting bug).",
        ),
        "b": (
            "either, it makes no difference",
            "It matters: the two values are different functions of the same "
            "weights (see the section on reset placement).",
        ),
        "c": (
            "it depends on whether the model uses keep or admit",
            "linear_before_reset is about the reset gate's placement, not the update convention; ONNX and "
            "PyTorch both use keep.",
        ),
        "d": ("1", ""),
    },
    correct="d",
    hint="Compare ONNX's two candidate equations with PyTorch's n_t = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).",
    solution="d: linear_before_reset = 1 (any nonzero value) makes ONNX compute r ⊙ (R_h h + Rb_h), "
    "PyTorch's reset-after candidate; B = [W_b(zrh), R_b(zrh)] then carries PyTorch's two biases.",
)


# ------------------------------------------------------------------ q4: numeric
#: The one-unit reset-after GRU of the chapter's counterexample: 1 − z = 1/2, r = σ(x), b_h = 1, b_h_rec = −3.
Q4_X = 0.0


def _q4_after(x: float = Q4_X) -> float:
    r = 1.0 / (1.0 + math.exp(-x))
    return 0.5 * math.tanh(1.0 + r * (0.0 + (-3.0)))


def _q4_before(x: float = Q4_X) -> float:
    # reset before: with h_0 = 0 the reset gate multiplies zero, and b_h_rec simply adds to b_h
    return 0.5 * math.tanh(1.0 + (-3.0))


q4 = SET.numeric(
    "The counterexample at one input",
    expected=lambda: (_q4_after(), _q4_before()),
    names=("h1_after", "h1_before"),
    wrong=lambda: [
        ((_q4_before(), _q4_after()), "Your two values are swapped: with reset after, r multiplies b_h_rec."),
        (
            (2 * _q4_after(), None),
            "You left out the update gate: z = σ(0) = 1/2, so h_1 = (1 − z) · h̃ is half the candidate.",
        ),
        (
            (None, 2 * _q4_before()),
            "You left out the update gate: z = σ(0) = 1/2, so h_1 = (1 − z) · h̃ is half the candidate.",
        ),
        (
            (0.5 * math.tanh(1.0), None),
            "Your h1_after ignores b_h_rec: with reset after it enters as r · b_h_rec = σ(0) · (−3).",
        ),
    ],
    wrong_types=[((_q4_after(), 0.3), "h1_before is off"), (0.1, "Give 2 numbers")],
    hint="With h_0 = 0: z = σ(0) = 1/2 and r = σ(0) = 1/2. Reset after: h̃ = tanh(b_h + r · b_h_rec). "
    "Reset before: r multiplies h_0 = 0, and b_h_rec adds to b_h.",
    solution=f"h1_after = ½ tanh(1 − 3/2) ≈ {_q4_after():.4g}; h1_before = ½ tanh(1 − 3) ≈ {_q4_before():.4g}",
)
