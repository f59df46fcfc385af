"""Tests for gru_lib.symbolic: the sympy cell, the flip, the rewriting rule and the proofs built on them.

Expected values come from the definitions (the logistic formula, a scalar GRU written out with
``math`` below) or from identities, never from the code under test.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_lib import GRUParams, convert, convert_gradient, run, step
from gru_lib.backprop import finite_difference_gradient
from gru_lib.params import UPDATE_GATE_FIELDS, WEIGHT_FIELDS
from gru_lib.symbolic import (
    evaluate,
    explicit,
    flip,
    flip_substitution,
    gradient,
    is_zero,
    numeric_substitution,
    parameter_symbols,
    random_substitution,
    same,
    sigma,
    sigmoid,
    squared_loss,
    symbolic_params,
    symbolic_run,
    symbolic_step,
    symbolic_vector,
    use_lemma,
)

UPDATES = ("keep", "admit")
RESETS = ("before", "after")
finite = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)


def _cell(D: int, H: int, rec: bool = True):
    return symbolic_params(D, H, recurrent_biases=rec), symbolic_vector("x", D), symbolic_vector("h", H)


# ------------------------------------------------------------------ the lemma and sigma
def test_lemma_with_explicit_sigmoid():
    u = sp.Symbol("u", real=True)
    assert sp.simplify(sigmoid(u) + sigmoid(-u) - 1) == 0
    assert sp.simplify(sp.diff(sigmoid(u), u) - sigmoid(u) * sigmoid(-u)) == 0
    # A wrong identity is not simplified to zero (the check can fail).
    assert sp.simplify(sigmoid(u) - sigmoid(-u)) != 0


def test_sigmoid_matches_the_logistic_formula():
    for v in (-3.0, -0.5, 0.0, 0.25, 4.0):
        assert float(sigmoid(v)) == pytest.approx(1 / (1 + math.exp(-v)), rel=1e-15)
        assert float(sigma(sp.Float(v)).evalf()) == pytest.approx(1 / (1 + math.exp(-v)), rel=1e-15)


def test_sigma_derivative_rule_agrees_with_the_definition():
    u = sp.Symbol("u", real=True)
    assert explicit(sigma(u)) == sigmoid(u)
    assert sigma(u).rewrite(sp.exp) == 1 / (1 + sp.exp(-u))
    assert sp.simplify(explicit(sp.diff(sigma(u), u)) - sp.diff(sigmoid(u), u)) == 0
    assert sp.simplify(explicit(sp.diff(sigma(2 * u + 1), u)) - sp.diff(sigmoid(2 * u + 1), u)) == 0


@settings(deadline=None)
@given(finite)
def test_lemma_numerically_with_gru_lib(v):
    from gru_lib import sigmoid as np_sigmoid

    assert np_sigmoid(v) + np_sigmoid(-v) == pytest.approx(1.0, abs=1e-15)
    assert float(np_sigmoid(v)) == pytest.approx(1 / (1 + math.exp(-v)), rel=1e-14)


def test_use_lemma_rewrites_only_negated_arguments():
    a, b = sp.symbols("a b", real=True)
    assert use_lemma(sigma(-a)) == 1 - sigma(a)
    assert use_lemma(sigma(-a - b)) == 1 - sigma(a + b)
    assert use_lemma(sigma(a + b)) == sigma(a + b)
    assert use_lemma(sigma(-a) + sigma(a)) == 1
    # Innermost first: a sigma nested inside a negated argument is canonical too.
    nested = sigma(-a * sigma(-b))
    assert use_lemma(nested) == 1 - sigma(a * (1 - sigma(b)))
    assert use_lemma(use_lemma(nested)) == use_lemma(nested)
    m = sp.Matrix([sigma(-a), sigma(b)])
    assert use_lemma(m) == sp.Matrix([1 - sigma(a), sigma(b)])


# ------------------------------------------------------------------ parameters and flip
def test_symbolic_params_shapes_and_distinct_symbols():
    p = symbolic_params(3, 2, recurrent_biases=True)
    assert p["W_z"].shape == (2, 3) and p["U_h"].shape == (2, 2) and p["b_r"].shape == (2, 1)
    assert p["b_h_rec"].shape == (2, 1)
    syms = parameter_symbols(p)
    assert len(syms) == 3 * 6 + 3 * 4 + 6 * 2
    assert len(set(syms)) == len(syms)
    assert all(s.is_real for s in syms)
    assert set(symbolic_params(1, 1)) == set(WEIGHT_FIELDS)


@pytest.mark.parametrize("bad", [0, -1])
def test_symbolic_params_rejects_non_positive_sizes(bad):
    with pytest.raises(ValueError, match="positive integer"):
        symbolic_params(bad, 2)


def test_symbolic_params_rejects_non_integers():
    with pytest.raises(TypeError, match="positive integer"):
        symbolic_params(2.0, 2)


def test_flip_negates_the_update_gate_only_and_is_an_involution():
    p = symbolic_params(2, 3, recurrent_biases=True)
    q = flip(p)
    for name in p:
        if name in UPDATE_GATE_FIELDS:
            assert q[name] == -p[name]
        else:
            assert q[name] == p[name]
    assert flip(q) == p
    assert q != p


def test_flip_rejects_bad_input():
    with pytest.raises(TypeError, match="dict of sympy matrices"):
        flip([1, 2])
    with pytest.raises(ValueError, match="missing"):
        flip({"W_z": sp.Matrix([[1]])})
    p = symbolic_params(1, 1)
    p["W_z"] = np.zeros((1, 1))
    with pytest.raises(TypeError, match="sympy Matrix"):
        flip(p)


def test_flip_substitution_matches_flip():
    p = symbolic_params(2, 2, recurrent_biases=True)
    sub = flip_substitution(p)
    assert {k: m.xreplace(sub) for k, m in p.items()} == flip(p)
    assert set(sub) == {s for k in UPDATE_GATE_FIELDS for s in p[k]}


def test_symbolic_step_rejects_bad_input():
    p, x, h = _cell(2, 2)
    with pytest.raises(ValueError, match="update must be one of"):
        symbolic_step(p, x, h, update="forget", reset="before")
    with pytest.raises(ValueError, match="reset must be one of"):
        symbolic_step(p, x, h, update="keep", reset="middle")
    with pytest.raises(ValueError, match=r"x must be a \(2, 1\) column"):
        symbolic_step(p, symbolic_vector("x", 3), h, update="keep", reset="before")
    with pytest.raises(ValueError, match=r"h must be a \(2, 1\) column"):
        symbolic_step(p, x, symbolic_vector("h", 1), update="keep", reset="before")


# ------------------------------------------------------------------ the symbols mean what gru_lib computes
def _scalar_reference(w: dict[str, float], x: float, h: float, update: str, reset: str) -> float:
    """One step of a one-input, one-unit GRU, written with math from the equations."""
    s = lambda a: 1 / (1 + math.exp(-a))
    z = s(w["W_z"] * x + w["U_z"] * h + w["b_z"] + w["b_z_rec"])
    r = s(w["W_r"] * x + w["U_r"] * h + w["b_r"] + w["b_r_rec"])
    if reset == "before":
        c = math.tanh(w["W_h"] * x + w["U_h"] * (r * h) + w["b_h"] + w["b_h_rec"])
    else:
        c = math.tanh(w["W_h"] * x + w["b_h"] + r * (w["U_h"] * h + w["b_h_rec"]))
    return z * h + (1 - z) * c if update == "keep" else (1 - z) * h + z * c


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("reset", RESETS)
@settings(max_examples=15, deadline=None)
@given(values=st.lists(finite, min_size=14, max_size=14))
def test_scalar_symbolic_step_matches_the_written_out_equations(update, reset, values):
    p, x, h = _cell(1, 1)
    names = list(p)
    w = {n: values[i] for i, n in enumerate(names)}
    subs = {p[n][0]: w[n] for n in names}
    subs[x[0]], subs[h[0]] = values[12], values[13]
    got = evaluate(symbolic_step(p, x, h, update=update, reset=reset).h, subs)
    assert got[0, 0] == pytest.approx(_scalar_reference(w, values[12], values[13], update, reset), rel=1e-12, abs=1e-14)


@functools.cache
def _compiled_step(D: int, H: int, update: str, reset: str):
    p, x, h = _cell(D, H)
    out = explicit(symbolic_step(p, x, h, update=update, reset=reset).h)
    args = parameter_symbols(p) + list(x) + list(h)
    return p, x, h, sp.lambdify(args, list(out), "math"), args


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("reset", RESETS)
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rec=st.booleans())
def test_symbolic_step_equals_gru_lib_step_at_random_points(update, reset, seed, rec):
    D, H = 2, 3
    p, x, h, fn, args = _compiled_step(D, H, update, reset)
    theta = GRUParams.random(D, H, seed=seed, scale=1.5, recurrent_biases=rec)
    rng = np.random.default_rng(seed + 1)
    xv, hv = rng.normal(size=(1, D)), rng.normal(size=(1, H))
    subs = numeric_substitution(p, theta)
    subs.update(zip(x, xv[0]))
    subs.update(zip(h, hv[0]))
    got = np.array(fn(*[subs[a] for a in args]), dtype=float)
    want = step(theta, xv, hv, update=update, reset=reset)[0][0]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_evaluate_agrees_with_lambdify_and_needs_every_symbol():
    p, x, h = _cell(2, 2)
    expr = symbolic_step(p, x, h, update="admit", reset="after").h
    subs = random_substitution(expr, seed=3)
    fn = sp.lambdify(list(subs), list(explicit(expr)), "math")
    np.testing.assert_allclose(evaluate(expr, subs)[:, 0], np.array(fn(*subs.values()), dtype=float), rtol=1e-13)
    del subs[x[0]]
    with pytest.raises(ValueError, match="x_1"):
        evaluate(expr, subs)


def test_numeric_substitution_checks_sizes_and_biases():
    p = symbolic_params(2, 3)
    with pytest.raises(ValueError, match="hidden_size=3, input_size=2"):
        numeric_substitution(p, GRUParams.random(3, 2))
    with pytest.raises(ValueError, match="recurrent biases"):
        numeric_substitution(p, GRUParams.random(2, 3, recurrent_biases=True))
    with pytest.raises(TypeError, match="GRUParams"):
        numeric_substitution(p, {"W_z": 1})
    # Absent recurrent biases count as zeros when the symbols have them.
    sub = numeric_substitution(symbolic_params(2, 3, recurrent_biases=True), GRUParams.random(2, 3))
    assert len(sub) == 6 * 3 + 9 * 3 + 6 * 3 and all(v == 0.0 for k, v in sub.items() if "rec" in str(k))


def test_random_substitution_covers_every_symbol_reproducibly():
    p, x, h = _cell(1, 2)
    expr = symbolic_step(p, x, h, update="keep", reset="before").h
    a, b = random_substitution(expr, seed=4), random_substitution(expr, seed=4)
    assert a == b and set(a) == expr.free_symbols
    assert random_substitution(expr, seed=5) != a
    assert all(-1.5 <= v <= 1.5 for v in a.values())


# ------------------------------------------------------------------ the theorems
@pytest.mark.parametrize("D,H", [(1, 1), (1, 3), (3, 1), (2, 2)])
@pytest.mark.parametrize("reset", RESETS)
@pytest.mark.parametrize("rec", [False, True])
def test_one_step_theorem_by_the_rewriting_rule(D, H, reset, rec):
    p, x, h = _cell(D, H, rec)
    keep = symbolic_step(p, x, h, update="keep", reset=reset)
    admit = symbolic_step(flip(p), x, h, update="admit", reset=reset)
    assert sp.expand(admit.a_z + keep.a_z) == sp.zeros(H, 1)
    assert use_lemma(admit.h) == use_lemma(keep.h)
    # The converse direction, through the involution.
    assert use_lemma(symbolic_step(flip(p), x, h, update="keep", reset=reset).h) == use_lemma(
        symbolic_step(p, x, h, update="admit", reset=reset).h
    )
    # Negative controls: no flip, or a flip of the reset gate instead, is not a symmetry.
    wrong = {"none": p, "reset gate": {k: (-v if k in ("W_r", "U_r", "b_r") else v) for k, v in p.items()}}
    for label, q in wrong.items():
        other = symbolic_step(q, x, h, update="admit", reset=reset).h
        point = random_substitution(keep.h, other, seed=1)
        assert np.max(np.abs(evaluate(other - keep.h, point))) > 1e-6, label


@pytest.mark.parametrize("reset", RESETS)
def test_one_step_theorem_by_simplify_on_a_scalar_cell(reset):
    p, x, h = _cell(1, 1)
    keep = symbolic_step(p, x, h, update="keep", reset=reset, gate=sigmoid)
    admit = symbolic_step(flip(p), x, h, update="admit", reset=reset, gate=sigmoid)
    assert is_zero(admit.h - keep.h)


@pytest.mark.slow  # several seconds of sympy: not in make fast
@pytest.mark.parametrize("reset", RESETS)
def test_sequence_corollary_over_three_steps(reset):
    p = symbolic_params(2, 2, recurrent_biases=True)
    xs = [symbolic_vector(f"x{t}", 2) for t in (1, 2, 3)]
    h0 = symbolic_vector("h0", 2)
    keep = symbolic_run(p, xs, h0, update="keep", reset=reset)
    admit = symbolic_run(flip(p), xs, h0, update="admit", reset=reset)
    assert len(keep) == 3
    assert all(use_lemma(a) == use_lemma(k) for a, k in zip(admit, keep))
    # The unrolled keep states really are the numeric ones.
    theta = GRUParams.random(2, 2, seed=8, recurrent_biases=True)
    rng = np.random.default_rng(9)
    xs_num, h0_num = rng.normal(size=(3, 1, 2)), rng.normal(size=(1, 2))
    subs = numeric_substitution(p, theta)
    for xt, xv in zip(xs, xs_num):
        subs.update(zip(xt, xv[0]))
    subs.update(zip(h0, h0_num[0]))
    want = run(theta, xs_num, h0_num, update="keep", reset=reset).h[-1, 0]
    np.testing.assert_allclose(evaluate(keep[-1], subs)[:, 0], want, rtol=1e-12)


@pytest.mark.slow
def test_gradient_flip_by_simplify_on_a_scalar_cell():
    p, x, h = _cell(1, 1, rec=False)
    y = symbolic_vector("y", 1)
    L_keep = squared_loss(symbolic_step(p, x, h, update="keep", reset="before", gate=sigmoid).h, y)
    L_admit = squared_loss(symbolic_step(p, x, h, update="admit", reset="before", gate=sigmoid).h, y)
    at = flip_substitution(p)
    for name, m in p.items():
        s = m[0]
        sign = -1 if name in UPDATE_GATE_FIELDS else 1
        assert is_zero(sp.diff(L_admit, s).xreplace(at) - sign * sp.diff(L_keep, s)), name


@pytest.mark.slow  # several seconds of sympy: not in make fast
@pytest.mark.parametrize("reset", RESETS)
def test_gradient_step_commutes_with_flip(reset):
    p = symbolic_params(1, 2, recurrent_biases=True)
    x, h, y = symbolic_vector("x", 1), symbolic_vector("h", 2), symbolic_vector("y", 2)
    g_keep = gradient(squared_loss(symbolic_step(p, x, h, update="keep", reset=reset).h, y), p)
    g_admit = gradient(squared_loss(symbolic_step(p, x, h, update="admit", reset=reset).h, y), p)
    g_admit_phi = {k: v.xreplace(flip_substitution(p)) for k, v in g_admit.items()}
    assert same(g_admit_phi, flip(g_keep))
    eta = sp.Symbol("eta", positive=True)
    assert same({k: flip(p)[k] - eta * g_admit_phi[k] for k in p}, flip({k: p[k] - eta * g_keep[k] for k in p}))
    # gradient() arranges derivatives like the parameters.
    assert all(g_keep[k].shape == p[k].shape for k in p)


def test_same_and_squared_loss_basics():
    a, b = sp.symbols("a b", real=True)
    assert same(sigma(-a), 1 - sigma(a))
    assert same((a + b) ** 2, a**2 + 2 * a * b + b**2)
    assert not same(sigma(a), sigma(b))
    assert not same({"x": sp.Matrix([a])}, {"y": sp.Matrix([a])})
    assert not same(sp.Matrix([a, b]), sp.Matrix([a]))
    assert squared_loss(sp.Matrix([a, b]), sp.Matrix([1, 2])) == (a - 1) ** 2 + (b - 2) ** 2
    with pytest.raises(ValueError, match="same shape"):
        squared_loss(sp.Matrix([a, b]), sp.Matrix([1]))


# ------------------------------------------------------------------ numeric twin
def test_finite_difference_gradient_of_a_known_function():
    theta = GRUParams.random(2, 3, seed=1, recurrent_biases=True)
    g = finite_difference_gradient(lambda p: float(np.sum(p.b_z**2) + 3 * p.W_h[1, 0]), theta)
    assert set(g) == set(dict(theta))
    np.testing.assert_allclose(g["b_z"], 2 * theta.b_z, rtol=1e-7)
    expected_W_h = np.zeros((3, 2))
    expected_W_h[1, 0] = 3.0
    np.testing.assert_allclose(g["W_h"], expected_W_h, atol=1e-8)
    assert all(np.all(np.abs(g[k]) < 1e-8) for k in g if k not in ("b_z", "W_h"))


def test_finite_difference_gradient_rejects_bad_input():
    theta = GRUParams.random(1, 1)
    with pytest.raises(TypeError, match="loss must be a function"):
        finite_difference_gradient(3.0, theta)
    with pytest.raises(ValueError, match="eps must be a finite positive number"):
        finite_difference_gradient(lambda p: 0.0, theta, eps=0.0)
    with pytest.raises(TypeError, match="GRUParams"):
        finite_difference_gradient(lambda p: 0.0, {"W_z": 1})


@pytest.mark.slow  # several seconds of sympy: not in make fast
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), reset=st.sampled_from(RESETS))
def test_numeric_gradients_are_flipped_and_sgd_stays_related(seed, reset):
    rng = np.random.default_rng(seed)
    theta = GRUParams.random(1, 2, seed=rng, recurrent_biases=True)
    xs, y = rng.normal(size=(3, 2, 1)), rng.normal(size=(2, 2))

    def loss(update):
        return lambda p: float(np.mean((run(p, xs, update=update, reset=reset).h[-1] - y) ** 2))

    keep, admit = theta, convert(theta)
    for _ in range(2):
        gk = finite_difference_gradient(loss("keep"), keep)
        ga = finite_difference_gradient(loss("admit"), admit)
        flipped = convert_gradient(gk)
        for k in gk:
            np.testing.assert_allclose(ga[k], flipped[k], rtol=1e-9, atol=1e-12)
        keep = keep.map(lambda k, a, gk=gk: a - 0.3 * gk[k])
        admit = admit.map(lambda k, a, ga=ga: a - 0.3 * ga[k])
    assert convert(admit).allclose(keep, rtol=1e-9, atol=1e-12)
    assert loss("admit")(admit) == pytest.approx(loss("keep")(keep), rel=1e-12)


# ------------------------------------------------------------------ the chapter's exercise set
def test_proof_exercises_accept_references_and_explain_wrong_answers():
    from gru_course.sets import proof

    for q in (proof.q1, proof.q2, proof.q3, proof.q4):
        assert q.evaluate(...).status == "not attempted"
        assert q.evaluate(q.reference()), q.name
        for answer, phrase in q.wrong_answers():
            result = q.evaluate(answer)
            assert not result and phrase in result.message, (q.name, phrase, result.message)


def test_proof_q1_reference_is_the_derivative_of_the_keep_update():
    from gru_course.sets import proof

    a, z, hp, ht = sp.symbols("a z h_prev h_tilde", real=True)
    h_keep = sigmoid(a) * hp + (1 - sigmoid(a)) * ht
    derived = sp.diff(h_keep, a)
    assert sp.simplify(derived - proof.q1.reference().subs(z, sigmoid(a))) == 0


def test_proof_q2_reference_is_the_half_way_gap():
    from gru_course.sets import proof

    theta, xs = proof.q2_setup()
    keep = run(theta, xs, update="keep", reset="before").h
    half = run(theta.replace(b_z=-theta.b_z), xs, update="admit", reset="before").h
    assert proof.q2.reference() == pytest.approx(np.max(np.abs(keep - half)), rel=1e-12)
    assert proof.q2.reference() > 0.1
