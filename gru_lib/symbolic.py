"""Symbolic GRU cells in sympy, for proving the keep/admit equivalence exactly.

Every weight, bias, input and state entry is its own sympy ``Symbol``, so an identity
proved here holds for *all* real values of them, not just for sampled ones. Shapes
follow :mod:`gru_lib.params` (column vectors, ``W @ x``): ``W_*`` is (H, D), ``U_*`` is
(H, H), biases and states are (H, 1) column matrices, inputs are (D, 1).

The logistic function appears in two forms:

- :class:`sigma`, an opaque sympy function σ(u) with the derivative σ′ = σ·(1 − σ) and
  ``sigma(u).rewrite(sp.exp) == 1/(1 + exp(−u))``. Expressions built with it stay small.
- :func:`sigmoid`, the explicit expression 1/(1 + e^(−u)), for checks by ``simplify``.

:func:`use_lemma` rewrites σ(−u) as 1 − σ(u) everywhere (valid by the lemma
σ(u) + σ(−u) = 1). After it, two cells that compute the same function give
*structurally identical* expressions, which makes multi-step proofs instant.

This is the only gru_lib module that imports sympy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import sympy as sp

from . import checks
from .gates import RESET_PLACEMENTS, UPDATE_CONVENTIONS
from .params import RECURRENT_BIAS_FIELDS, UPDATE_GATE_FIELDS, WEIGHT_FIELDS, GRUParams, as_params

SymbolicParams = dict[str, sp.Matrix]


class sigma(sp.Function):
    """The logistic function σ(u) = 1/(1 + e^(−u)) as an opaque sympy function.

    Its derivative is σ(u)·(1 − σ(u)); ``.rewrite(sp.exp)`` gives the explicit form.
    """

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        u = self.args[0]
        return sigma(u) * (1 - sigma(u))

    def _eval_rewrite_as_exp(self, u: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-u))

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        u = self.args[0]
        if u.is_number:
            return (1 / (1 + sp.exp(-u)))._eval_evalf(prec)
        return None


def sigmoid(u: Any) -> sp.Expr:
    """The explicit logistic expression 1/(1 + e^(−u)) for a sympy expression or number ``u``."""
    return 1 / (1 + sp.exp(-sp.sympify(u)))


def explicit(expr: Any) -> Any:
    """Replace every :class:`sigma` in ``expr`` by its explicit exponential form."""
    return _apply(expr, lambda e: e.replace(sigma, lambda u: sigmoid(u)))


def use_lemma(expr: Any) -> Any:
    """Rewrite every σ(−u) as 1 − σ(u) (the lemma σ(u) + σ(−u) = 1), innermost first.

    "−u" means any argument from which sympy can pull a minus sign
    (``u.could_extract_minus_sign()``); of u and −u at most one qualifies, so the
    result is a canonical form in which equal gate values look the same.
    """

    def rule(e: sp.Expr) -> sp.Expr:
        return e.replace(
            lambda s: isinstance(s, sigma) and s.args[0].could_extract_minus_sign(),
            lambda s: 1 - sigma(-s.args[0]),
        )

    return _apply(expr, rule)


def _apply(expr: Any, fn: Any) -> Any:
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(fn)
    if isinstance(expr, (list, tuple)):
        return type(expr)(_apply(e, fn) for e in expr)
    return fn(sp.sympify(expr))


# ------------------------------------------------------------------ parameters
def symbolic_params(
    input_size: int, hidden_size: int, *, recurrent_biases: bool = False, prefix: str = ""
) -> SymbolicParams:
    """Fully symbolic GRU parameters: every entry is its own real ``Symbol``.

    ``W_z[i, j]`` is the symbol ``W_z_ij`` (1-based), ``b_z[i]`` is ``b_z_i``, and so on,
    with ``prefix`` in front of every name. Returns a dict from field name
    (``"W_z"``, ``"U_h"``, ``"b_r"``, optionally ``"b_z_rec"``, …) to a sympy Matrix;
    biases are (H, 1) columns.
    """
    D = checks.positive_int("input_size", input_size)
    H = checks.positive_int("hidden_size", hidden_size)
    shapes = {"W": (H, D), "U": (H, H), "b": (H, 1)}
    fields = list(WEIGHT_FIELDS) + (list(RECURRENT_BIAS_FIELDS) if recurrent_biases else [])
    out: SymbolicParams = {}
    for name in fields:
        rows, cols = shapes[name[0]]
        if cols == 1:
            out[name] = sp.Matrix(rows, 1, lambda i, _, name=name: sp.Symbol(f"{prefix}{name}_{i + 1}", real=True))
        else:
            out[name] = sp.Matrix(
                rows, cols, lambda i, j, name=name: sp.Symbol(f"{prefix}{name}_{i + 1}{j + 1}", real=True)
            )
    return out


def symbolic_vector(name: str, size: int) -> sp.Matrix:
    """A (size, 1) column of real symbols ``name_1, …, name_size``."""
    n = checks.positive_int("size", size)
    return sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"{name}_{i + 1}", real=True))


def flip(params: Mapping[str, sp.Matrix]) -> SymbolicParams:
    """φ(θ) for symbolic parameters: negate W_z, U_z, b_z (and b_z_rec); keep the rest."""
    _check_symbolic(params)
    return {k: (-v if k in UPDATE_GATE_FIELDS else v) for k, v in params.items()}


def parameter_symbols(params: Mapping[str, sp.Matrix]) -> list[sp.Symbol]:
    """Every parameter symbol, field by field in a fixed order (the order of ``params``)."""
    _check_symbolic(params)
    return [s for m in params.values() for s in m if isinstance(s, sp.Symbol)]


def numeric_substitution(params: Mapping[str, sp.Matrix], values: GRUParams) -> dict[sp.Symbol, float]:
    """Map each symbol of ``params`` to the matching entry of a numeric :class:`GRUParams`.

    Both must have the same sizes and the same set of fields (absent recurrent biases in
    ``values`` count as zeros when ``params`` has them).
    """
    _check_symbolic(params)
    values = as_params(values)
    H, D = params["W_z"].shape
    if (values.hidden_size, values.input_size) != (H, D):
        raise ValueError(
            f"values must have hidden_size={H}, input_size={D} like the symbols; "
            f"got hidden_size={values.hidden_size}, input_size={values.input_size}"
        )
    arrays = (
        values.with_recurrent_biases().arrays() if any(k in params for k in RECURRENT_BIAS_FIELDS) else values.arrays()
    )
    extra = sorted(set(arrays) - set(params) - set(RECURRENT_BIAS_FIELDS))
    if extra or (values.has_recurrent_biases and not any(k in params for k in RECURRENT_BIAS_FIELDS)):
        raise ValueError(
            "values has recurrent biases but the symbolic parameters do not; "
            "build them with symbolic_params(..., recurrent_biases=True)"
        )
    subs: dict[sp.Symbol, float] = {}
    for name, matrix in params.items():
        arr = np.asarray(arrays[name], dtype=np.float64).reshape(matrix.shape)
        for (i, j), value in np.ndenumerate(arr):
            subs[matrix[i, j]] = float(value)
    return subs


def _check_symbolic(params: Any) -> None:
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict of sympy matrices from symbolic_params; got {type(params).__name__}")
    missing = [f for f in WEIGHT_FIELDS if f not in params]
    if missing:
        raise ValueError(f"params must have the fields {list(WEIGHT_FIELDS)}; missing {missing}")
    bad = [k for k, v in params.items() if not isinstance(v, sp.MatrixBase)]
    if bad:
        raise TypeError(f"every value of params must be a sympy Matrix; not so for {bad}")


# ------------------------------------------------------------------ the cell
class SymbolicStep(NamedTuple):
    """One symbolic step; every field an (H, 1) sympy Matrix.

    ``a_z`` is the update gate's pre-activation, ``z = σ(a_z)``.
    """

    h: sp.Matrix
    z: sp.Matrix
    r: sp.Matrix
    h_tilde: sp.Matrix
    a_z: sp.Matrix


def symbolic_step(
    params: Mapping[str, sp.Matrix], x: sp.Matrix, h: sp.Matrix, *, update: str, reset: str, gate: Any = sigma
) -> SymbolicStep:
    """One GRU step written exactly as in the papers (``1 − z`` literally).

    ``x``: (D, 1), ``h``: (H, 1). ``gate`` is the logistic function to use: :class:`sigma`
    (default, opaque) or :func:`sigmoid` (explicit). Mirrors :func:`gru_lib.step`, including
    the optional second biases: ``b_z_rec``, ``b_r_rec`` add to ``b_z``, ``b_r``; with
    reset="before" ``b_h_rec`` adds to ``b_h``; with reset="after" the candidate is
    tanh(W_h x + b_h + r ⊙ (U_h h + b_h_rec)).
    """
    _check_symbolic(params)
    update = checks.choice("update", update, UPDATE_CONVENTIONS)
    reset = checks.choice("reset", reset, RESET_PLACEMENTS)
    H, D = params["W_z"].shape
    x, h = sp.Matrix(x), sp.Matrix(h)
    if x.shape != (D, 1):
        raise ValueError(f"x must be a ({D}, 1) column, (input, 1); got shape {x.shape}")
    if h.shape != (H, 1):
        raise ValueError(f"h must be a ({H}, 1) column, (hidden, 1); got shape {h.shape}")
    p = params
    zeros = sp.zeros(H, 1)

    def bias(g: str) -> sp.Matrix:
        return p[f"b_{g}"] + p.get(f"b_{g}_rec", zeros)

    a_z = p["W_z"] * x + p["U_z"] * h + bias("z")
    z = a_z.applyfunc(gate)
    r = (p["W_r"] * x + p["U_r"] * h + bias("r")).applyfunc(gate)
    if reset == "before":
        pre = p["W_h"] * x + p["U_h"] * r.multiply_elementwise(h) + bias("h")
    else:
        pre = p["W_h"] * x + p["b_h"] + r.multiply_elementwise(p["U_h"] * h + p.get("b_h_rec", zeros))
    h_tilde = pre.applyfunc(sp.tanh)
    one = sp.ones(H, 1)
    if update == "keep":
        h_new = z.multiply_elementwise(h) + (one - z).multiply_elementwise(h_tilde)
    else:
        h_new = (one - z).multiply_elementwise(h) + z.multiply_elementwise(h_tilde)
    return SymbolicStep(h=h_new, z=z, r=r, h_tilde=h_tilde, a_z=a_z)


def symbolic_run(
    params: Mapping[str, sp.Matrix],
    xs: Sequence[sp.Matrix],
    h0: sp.Matrix,
    *,
    update: str,
    reset: str,
    gate: Any = sigma,
) -> list[sp.Matrix]:
    """Unroll :func:`symbolic_step` over the inputs ``xs``; returns [h_1, …, h_T], each (H, 1)."""
    hs, h = [], sp.Matrix(h0)
    for x in xs:
        h = symbolic_step(params, x, h, update=update, reset=reset, gate=gate).h
        hs.append(h)
    return hs


def is_zero(expr: Any) -> bool:
    """True if ``sp.simplify`` reduces ``expr`` (a scalar or every matrix entry) to exactly 0."""
    if isinstance(expr, sp.MatrixBase):
        return all(is_zero(e) for e in expr)
    return sp.simplify(expr) == 0


def evaluate(expr: sp.Matrix, subs: Mapping[sp.Symbol, float]) -> np.ndarray:
    """Substitute numbers for every symbol and return a float array of ``expr``'s shape."""
    value = explicit(expr).xreplace({k: sp.Float(v, 30) for k, v in subs.items()})
    left = value.free_symbols
    if left:
        raise ValueError(f"evaluate needs a value for every symbol; missing {sorted(map(str, left))}")
    return np.array(value.evalf(20).tolist(), dtype=np.float64)


__all__ = [
    "SymbolicStep",
    "evaluate",
    "explicit",
    "flip",
    "flip_substitution",
    "gradient",
    "is_zero",
    "numeric_substitution",
    "parameter_symbols",
    "random_substitution",
    "same",
    "sigma",
    "sigmoid",
    "squared_loss",
    "symbolic_params",
    "symbolic_run",
    "symbolic_step",
    "symbolic_vector",
    "use_lemma",
]


# ------------------------------------------------------------------ learning
def flip_substitution(params: Mapping[str, sp.Matrix]) -> dict[sp.Symbol, sp.Expr]:
    """The substitution θ → φ(θ) on symbols: every update-gate symbol s ↦ −s, the rest unchanged.

    ``expr.xreplace(flip_substitution(θ))`` evaluates an expression in θ at the point φ(θ).
    """
    _check_symbolic(params)
    return {s: -s for k in UPDATE_GATE_FIELDS if k in params for s in params[k]}


def squared_loss(h: sp.Matrix, y: sp.Matrix) -> sp.Expr:
    """Σ_i (h_i − y_i)², for two (H, 1) columns."""
    h, y = sp.Matrix(h), sp.Matrix(y)
    if h.shape != y.shape:
        raise ValueError(f"h and y must have the same shape; got {h.shape} and {y.shape}")
    return sp.Add(*[(a - b) ** 2 for a, b in zip(h, y)])


def gradient(loss: sp.Expr, params: Mapping[str, sp.Matrix]) -> SymbolicParams:
    """∂loss/∂θ, arranged like ``params`` (a dict of matrices of the same shapes)."""
    _check_symbolic(params)
    return {k: m.applyfunc(lambda s: sp.diff(loss, s)) for k, m in params.items()}


def same(a: Any, b: Any) -> bool:
    """True if ``a`` and ``b`` are equal after :func:`use_lemma` (structurally, or after ``expand``).

    ``a``, ``b``: scalars, matrices, or dicts of matrices with the same keys.
    """
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        return (
            isinstance(a, Mapping)
            and isinstance(b, Mapping)
            and a.keys() == b.keys()
            and all(same(a[k], b[k]) for k in a)
        )
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        a, b = sp.Matrix(a), sp.Matrix(b)
        return a.shape == b.shape and all(same(u, v) for u, v in zip(a, b))
    u, v = use_lemma(a), use_lemma(b)
    return u == v or sp.expand(u - v) == 0


def random_substitution(*exprs: Any, seed: int = 0, low: float = -1.5, high: float = 1.5) -> dict[sp.Symbol, float]:
    """A random value in [low, high] for every free symbol of ``exprs`` (reproducible from ``seed``).

    One point where two expressions evaluate differently proves they are different functions;
    this is the quick way to show that a check is able to fail.
    """
    symbols = set()
    for e in exprs:
        if isinstance(e, Mapping):
            e = list(e.values())
        symbols |= set().union(*(sp.sympify(x).free_symbols for x in (e if isinstance(e, (list, tuple)) else [e])))
    rng = np.random.default_rng(seed)
    return {s: float(rng.uniform(low, high)) for s in sorted(symbols, key=str)}
