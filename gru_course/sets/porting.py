"""Exercises for the chapter "Porting a trained GRU" (chapters/porting.md).

1  code     port a placement-free PyTorch nn.GRU state dict to Haiku's hk.GRU layout by hand
2  choice   what stops a general PyTorch GRU from being written in Haiku
3  choice   the linear_before_reset value an ONNX export of a PyTorch GRU needs

The expected arrays are sliced here from PyTorch's and Haiku's documented layouts, not taken from
``gru_lib.layouts``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gru_course.exercises import ExerciseSet, Incorrect, call_student, expect_callable

SET = ExerciseSet("porting")

_D, _H = 3, 2


# ------------------------------------------------------------------ 1: code
def _q1_state() -> dict[str, np.ndarray]:
    """A placement-free nn.GRU state dict: diagonal candidate block of weight_hh, b_hn = 0."""
    rng = np.random.default_rng(11)
    w_hh = rng.normal(size=(3 * _H, _H))
    w_hh[2 * _H :] = np.diag(rng.normal(size=_H))
    b_hh = rng.normal(size=3 * _H)
    b_hh[2 * _H :] = 0.0
    return {
        "weight_ih_l0": rng.normal(size=(3 * _H, _D)),
        "weight_hh_l0": w_hh,
        "bias_ih_l0": rng.normal(size=3 * _H),
        "bias_hh_l0": b_hh,
    }


def _blocks(a: np.ndarray) -> dict[str, np.ndarray]:
    """PyTorch's three row blocks r, z, n."""
    return dict(zip("rzn", np.split(np.asarray(a, float), 3), strict=True))


def _q1_reference(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Haiku: x @ w_i, columns [z | r | a]; admit, so the update block is negated."""
    w, u = _blocks(state["weight_ih_l0"]), _blocks(state["weight_hh_l0"])
    b = {g: _blocks(state["bias_ih_l0"])[g] + _blocks(state["bias_hh_l0"])[g] for g in "rzn"}
    return {
        "w_i": np.concatenate([-w["z"], w["r"], w["n"]]).T,
        "w_h": np.concatenate([-u["z"], u["r"], u["n"]]).T,
        "b": np.concatenate([-b["z"], b["r"], b["n"]]),
    }


def _variant(state: dict[str, np.ndarray], *, negate: bool = True, order: str = "zrn", fold: bool = True) -> dict:
    w, u = _blocks(state["weight_ih_l0"]), _blocks(state["weight_hh_l0"])
    b = {g: _blocks(state["bias_ih_l0"])[g] + (_blocks(state["bias_hh_l0"])[g] if fold else 0) for g in "rzn"}
    sign = {"z": -1.0 if negate else 1.0, "r": 1.0, "n": 1.0}
    return {
        "w_i": np.concatenate([sign[g] * w[g] for g in order]).T,
        "w_h": np.concatenate([sign[g] * u[g] for g in order]).T,
        "b": np.concatenate([sign[g] * b[g] for g in order]),
    }


def _check_q1(answer: Any) -> None:
    fn = expect_callable(answer, "pytorch_to_haiku")
    state = _q1_state()
    got = call_student(fn, {k: v.copy() for k, v in state.items()}, name="pytorch_to_haiku(state)")
    if not isinstance(got, dict) or sorted(got) != ["b", "w_h", "w_i"]:
        raise Incorrect(f"Return a dict with the keys 'w_i', 'w_h' and 'b'; got {type(got).__name__} {got!r:.80}")
    want = _q1_reference(state)
    got = {k: np.asarray(v, float) for k, v in got.items()}
    if got["w_i"].shape == want["w_i"].T.shape and got["w_i"].shape != want["w_i"].shape:
        raise Incorrect("w_i has PyTorch's orientation (3H, D); Haiku computes x @ w_i, so it is (D, 3H).")
    for _name, variant, message in (
        (
            "no sign flip",
            _variant(state, negate=False),
            "You kept PyTorch's update block as it is: Haiku admits, "
            "so the update gate's weights and bias must be negated (σ(−a) = 1 − σ(a)).",
        ),
        (
            "PyTorch's order",
            _variant(state, order="rzn"),
            "Your blocks are in PyTorch's order (r, z, n); Haiku stores z, r, then the candidate.",
        ),
        (
            "no fold",
            _variant(state, fold=False),
            "Your b is bias_ih alone: Haiku has one bias per gate, so "
            "add bias_hh (PyTorch adds both for z and r; b_hn is 0 in this model).",
        ),
    ):
        if all(got[k].shape == variant[k].shape and np.allclose(got[k], variant[k]) for k in want):
            raise Incorrect(message)
    bad = sorted(k for k in want if got[k].shape != want[k].shape or not np.allclose(got[k], want[k], rtol=1e-6))
    if bad:
        raise Incorrect(f"These arrays are not what they should be: {bad} (D = {_D}, H = {_H} here).")


q1 = SET.code(
    "Port a PyTorch GRU to Haiku by hand",
    checker=_check_q1,
    tolerance="6 significant figures",
    hint=[
        "np.split(a, 3) gives PyTorch's blocks r, z, n; Haiku wants z, r, candidate, transposed to (D, 3H).",
        "Haiku admits: negate the update block of w_i, w_h and of the summed bias.",
    ],
    solution=(
        "def pytorch_to_haiku(state):\n"
        "    def blocks(a):\n"
        "        r, z, n = np.split(a, 3)\n"
        "        return [-z, r, n]  # Haiku's order; admit negates z\n"
        "    b = state['bias_ih_l0'] + state['bias_hh_l0']\n"
        "    return {'w_i': np.concatenate(blocks(state['weight_ih_l0'])).T,\n"
        "            'w_h': np.concatenate(blocks(state['weight_hh_l0'])).T,\n"
        "            'b': np.concatenate(blocks(b))}"
    ),
    reference=lambda: _q1_reference,
    wrong_answers=lambda: [
        (lambda s: _variant(s, negate=False), "must be negated"),
        (lambda s: _variant(s, order="rzn"), "PyTorch's order"),
        (lambda s: _variant(s, fold=False), "add bias_hh"),
        (lambda s: {k: v.T for k, v in _q1_reference(s).items()}, "orientation"),
        (lambda s: list(_q1_reference(s).values()), "Return a dict"),
        ("w_i", "should be a function"),
    ],
)


# ------------------------------------------------------------------ 2: multiple choice
q2 = SET.choice(
    "What Haiku cannot hold",
    options={
        "a": (
            "Haiku admits and PyTorch keeps",
            "That one is exact: negate the update gate's weights and bias, since σ(−a) = 1 − σ(a).",
        ),
        "b": (
            "Haiku has one bias per gate and PyTorch two",
            "For z and r the two biases only ever appear as a sum: add them. Only b_hn is a problem, "
            "and it is one because of where the reset gate acts.",
        ),
        "c": ("Haiku resets before the recurrent product and PyTorch after", ""),
        "d": (
            "Haiku stores z, r, a and PyTorch r, z, n",
            "The gate order is bookkeeping: reorder the blocks and nothing changes.",
        ),
    },
    correct="c",
    hint="Three of the four differences are undone by moving or negating numbers. Which one changes the function?",
    solution="c: PyTorch's candidate is tanh(W_n x + b_in + r ⊙ (U_n h + b_hn)), Haiku's "
    "tanh(W_a x + U_a (r ⊙ h) + b_a). For several units they are different functions unless U_n is "
    "diagonal and b_hn = 0; the sign flip, the bias sums and the reordering are exact.",
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
            "For a general PyTorch model it matters: the two values are different functions of the same "
            "weights (the walkthrough measures it).",
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


# Points, estimated minutes and the learning objective of each exercise (the instructor's guide and
# the graded mode read them; an objective completes "Students can ...").
SET.plan(
    {
        q1: (3, 25, "port a PyTorch GRU's weights to Haiku by hand: reorder the blocks and flip the update gate"),
        q2: (1, 5, "tell which PyTorch GRUs Haiku's candidate cannot hold exactly"),
        q3: (1, 5, "tell which ONNX candidate equation a PyTorch GRU needs on export"),
    }
)
