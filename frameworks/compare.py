"""Identify each framework's GRU from its own outputs, by trying every alternative in gru_lib.

Runs in the main .venv (numpy and gru_lib only). For every ``<row>.npz`` a probe wrote:

1. the **adapter** named by the probe (``meta.layout``) reads the framework's native weights into
   three stacked blocks in the framework's storage order: ``W`` (3, H, D), ``U`` (3, H, H) and a
   list of bias vectors, each (3, H) (a bias the framework lacks for some block is zero there);
2. every **hypothesis** (gate order: the 6 ways to assign the blocks to z, r, h) × (update: keep,
   admit) × (reset: before, after) × (bias layout: which bias vector sits outside r ⊙ (·), which
   inside) becomes a :class:`gru_lib.GRUParams` and is run with :func:`gru_lib.run` in float64;
   with reset before, a recurrent bias only adds to the input one, so only one bias assignment is
   tried there (the others are the same function);
3. the hypotheses whose outputs match the framework's float32 outputs within ``TOL32`` survive:
   exactly one must, or the row fails. The survivor is then run by gru_lib in float32 and float64
   against the framework's float32 and float64 outputs (max |Δ|).

:func:`check_layout` checks ``gru_lib.layouts`` against each framework (the probes' ``layout_*``
records): models written with ``to_<layout>`` must run there as gru_lib runs them, and the
framework's own initialised parameters, read with ``from_<layout>``, must run in gru_lib as in the
framework and be written back bit for bit.

:func:`check_porting` compares the porting chapter's runs made again in Haiku and onnxruntime (the
probes' ``porting_*`` records) with the package data the chapter reads (``porting_*.npz``).

minGRU has no reset gate and no recurrent weights, so gru_lib's GRU cannot express it: its rows are
checked against :func:`gru_lib.gates.mix` (the two update conventions) over a numpy transcription
of minGRU's candidate, with the same try-every-alternative rule.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gru_lib import GRUParams, run
from gru_lib import layouts as L

TOL32 = 1e-4  # float32 rounding is ~1e-7 here; a wrong hypothesis is off by ~1e-1
#: A porting check runs the stored computation again in float32: only rounding (~1e-7) may differ.
PORTING_TOL = 1e-6
GATES = ("z", "r", "h")


@dataclass(frozen=True)
class Stacked:
    """Native weights as three blocks in the framework's storage order.

    ``W`` (3, H, D), ``U`` (3, H, H), ``biases``: tuple of (3, H) arrays (0, 1 or 2 of them)."""

    W: np.ndarray
    U: np.ndarray
    biases: tuple[np.ndarray, ...]


def _blocks(a: np.ndarray) -> np.ndarray:
    """(3H, ...) -> (3, H, ...)."""
    return np.stack(np.split(np.asarray(a), 3, axis=0))


def _named(w: dict, names: tuple[str, str, str], W: str, U: str) -> np.ndarray:
    return np.stack([w[W.format(n)] for n in names])


# ------------------------------------------------------------------ adapters (native -> Stacked)
def _torch_like(ih: str, hh: str, bih: str, bhh: str) -> Callable[[dict], Stacked]:
    return lambda w: Stacked(_blocks(w[ih]), _blocks(w[hh]), (_blocks(w[bih]), _blocks(w[bhh])))


def _keras(w: dict) -> Stacked:
    b = w["bias"]
    biases = (_blocks(b[0]), _blocks(b[1])) if b.ndim == 2 else (_blocks(b),)
    return Stacked(_blocks(w["kernel"].T), _blocks(w["recurrent_kernel"].T), biases)


def _tf1(w: dict) -> Stacked:
    """``concat([x, h]) @ kernel``: gates kernel (D+H, 2H) = [r | u], candidate kernel (D+H, H)."""
    gk, ck = w["gates/kernel"], w["candidate/kernel"]
    d = gk.shape[0] - gk.shape[1] // 2
    k = np.concatenate([gk, ck], axis=1)  # (D+H, 3H)
    b = np.concatenate([w["gates/bias"], w["candidate/bias"]])
    return Stacked(_blocks(k[:d].T), _blocks(k[d:].T), (_blocks(b),))


def _onnx(w: dict) -> Stacked:
    B = w["B"][0]
    n = B.shape[0] // 2
    return Stacked(_blocks(w["W"][0]), _blocks(w["R"][0]), (_blocks(B[:n]), _blocks(B[n:])))


def _x_at_w(wi: str, wh: str, b: str) -> Callable[[dict], Stacked]:
    """``x @ w_i`` with w_i (D, 3H), ``h @ w_h`` (H, 3H), one bias (3H,): Haiku, Sonnet."""
    return lambda w: Stacked(_blocks(w[wi].T), _blocks(w[wh].T), (_blocks(w[b]),))


def _flax_linen(w: dict) -> Stacked:
    """One Dense per gate and side, by name: ir, iz, in (with bias), hr, hz (no bias), hn (bias)."""
    names = ("r", "z", "n")
    W = np.stack([w[f"i{n}/kernel"].T for n in names])
    U = np.stack([w[f"h{n}/kernel"].T for n in names])
    b_in = np.stack([w[f"i{n}/bias"] for n in names])
    b_rec = np.stack([w.get(f"h{n}/bias", np.zeros_like(w["in/bias"])) for n in names])
    return Stacked(W, U, (b_in, b_rec))


def _flax_nnx(w: dict) -> Stacked:
    """nnx.GRUCell: dense_i (D, 3H) with bias, dense_h (H, 3H), no bias unless present."""
    biases = [_blocks(w["dense_i/bias"])]
    if "dense_h/bias" in w:
        biases.append(_blocks(w["dense_h/bias"]))
    return Stacked(_blocks(w["dense_i/kernel"].T), _blocks(w["dense_h/kernel"].T), tuple(biases))


def _pad_candidate(b: np.ndarray) -> np.ndarray:
    """A candidate-only bias (H,) as (3, H), zero for the first two blocks."""
    return np.stack([np.zeros_like(b), np.zeros_like(b), b])


def _equinox(w: dict) -> Stacked:
    return Stacked(_blocks(w["weight_ih"]), _blocks(w["weight_hh"]), (_blocks(w["bias"]), _pad_candidate(w["bias_n"])))


def _mlx(w: dict) -> Stacked:
    return Stacked(_blocks(w["Wx"]), _blocks(w["Wh"]), (_blocks(w["b"]), _pad_candidate(w["bhn"])))


def _d2l(w: dict) -> Stacked:
    """d2l's GRUScratch: W_x? (D, H), W_h? (H, H), b_? (H,) for ? in z, r, h, as ``X @ W``."""
    names = ("z", "r", "h")
    W = np.stack([w[f"W_x{n}"].T for n in names])
    U = np.stack([w[f"W_h{n}"].T for n in names])
    return Stacked(W, U, (np.stack([w[f"b_{n}"] for n in names]),))


ADAPTERS: dict[str, Callable[[dict], Stacked]] = {
    "pytorch_gru": _torch_like("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
    "pytorch_grucell": _torch_like("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    "paddle_gru": _torch_like("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
    "mxnet_gru": _torch_like("l0_i2h_weight", "l0_h2h_weight", "l0_i2h_bias", "l0_h2h_bias"),
    "keras": _keras,
    "tf1_grucell": _tf1,
    "onnx": _onnx,
    "haiku": _x_at_w("w_i", "w_h", "b"),
    "sonnet": _x_at_w("w_i", "w_h", "b"),
    "flax_linen": _flax_linen,
    "flax_nnx": _flax_nnx,
    "equinox": _equinox,
    "mlx": _mlx,
    "d2l_scratch": _d2l,
}


# ------------------------------------------------------------------ hypotheses
@dataclass(frozen=True)
class Hypothesis:
    """gate order (gru_lib gate of each stored block), update, reset, and each bias vector's side."""

    order: tuple[str, str, str]
    update: str
    reset: str
    sides: tuple[str, ...]  # "input" or "recurrent", one per bias vector

    def params(self, s: Stacked, dtype: type = np.float64) -> GRUParams:
        """The gru_lib parameters this hypothesis reads from ``s``."""
        H = s.W.shape[1]
        a: dict[str, np.ndarray] = {}
        for block, g in enumerate(self.order):
            a[f"W_{g}"], a[f"U_{g}"] = s.W[block], s.U[block]
            a[f"b_{g}"] = sum(
                (b[block] for b, side in zip(s.biases, self.sides, strict=True) if side == "input"), np.zeros(H)
            )
            rec = [b[block] for b, side in zip(s.biases, self.sides, strict=True) if side == "recurrent"]
            if rec:
                a[f"b_{g}_rec"] = sum(rec, np.zeros(H))
        return GRUParams.from_arrays({k: np.asarray(v, dtype) for k, v in a.items()})

    def bias_label(self, s: Stacked) -> str:
        """'none', or the side of each stored bias vector, in storage order; a vector that is zero
        in the first two blocks is marked '(candidate only)'. Reset before: sides are immaterial."""
        if not s.biases:
            return "none"
        parts = []
        for b, side in zip(s.biases, self.sides, strict=True):
            cand = not np.any(b[:2])
            parts.append(side + (" (candidate only)" if cand else ""))
        return " + ".join(parts)


def hypotheses(n_biases: int) -> list[Hypothesis]:
    """Every distinct architecture × layout reading of a stacked layout with ``n_biases`` bias vectors."""
    out = []
    for order in itertools.permutations(GATES):
        for update in ("keep", "admit"):
            for reset in ("before", "after"):
                if n_biases == 0:
                    side_sets: list[tuple[str, ...]] = [()]
                elif reset == "before":  # recurrent biases just add: one reading covers all
                    side_sets = [("input",) + ("recurrent",) * (n_biases - 1)]
                elif n_biases == 1:
                    side_sets = [("input",), ("recurrent",)]
                else:
                    side_sets = [("input", "recurrent"), ("recurrent", "input")]
                out += [Hypothesis(order, update, reset, sides) for sides in side_sets]
    return out


def _maxdiff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def identify_gru(data: dict[str, np.ndarray], layout: str) -> dict:
    """Try every hypothesis on one GRU record; returns the measured row (or the survivors if not one)."""
    w = {k[2:]: v for k, v in data.items() if k.startswith("w:")}
    s = ADAPTERS[layout](w)
    xs, h0, out32 = data["xs"], data["h0"], data["out32"]
    tried = hypotheses(len(s.biases))
    errors = {
        h: _maxdiff(
            run(h.params(s), xs.astype(np.float64), h0.astype(np.float64), update=h.update, reset=h.reset).h, out32
        )
        for h in tried
    }
    survivors = [h for h, e in errors.items() if e < TOL32]
    result: dict = {
        "hypotheses_tried": len(tried),
        "survivors": len(survivors),
        "runner_up_max_abs_diff": float(sorted(errors.values())[1 if survivors else 0]),
    }
    if len(survivors) != 1:
        result["survivor_list"] = [_describe(h, s) for h in survivors]
        return result
    h = survivors[0]
    result.update(_describe(h, s))
    h32 = run(h.params(s, np.float32), xs, h0, update=h.update, reset=h.reset).h
    result["max_abs_diff_float32"] = _maxdiff(h32, out32)
    if "out64" in data:
        h64 = run(h.params(s), xs.astype(np.float64), h0.astype(np.float64), update=h.update, reset=h.reset).h
        result["max_abs_diff_float64"] = _maxdiff(h64, data["out64"])
    else:
        result["max_abs_diff_float64"] = None
    return result


def _describe(h: Hypothesis, s: Stacked) -> dict:
    return {"update": h.update, "reset": h.reset, "gate_order": ",".join(h.order), "bias": h.bias_label(s)}


# ------------------------------------------------------------------ minGRU
def _mingru_g(x: np.ndarray) -> np.ndarray:
    """minGRU's candidate activation g (the log-space version): x + 0.5 for x >= 0, else sigmoid(x)."""
    return np.where(x >= 0, x + 0.5, 1 / (1 + np.exp(-x)))


def identify_mingru(data: dict[str, np.ndarray]) -> dict:
    """minGRU: ``to_hidden_and_gate`` (2H, D) without bias; hypotheses: which half is the gate
    (2 orders) × keep/admit × candidate activation (g or tanh); blended with gru_lib.gates.mix."""
    from gru_lib.gates import mix, sigmoid_pair

    w = data["w:to_hidden_and_gate.weight"].astype(np.float64)
    xs, h0, out32 = data["xs"].astype(np.float64), data["h0"].astype(np.float64), data["out32"]
    halves = np.split(w, 2, axis=0)
    tried, errors = [], {}
    for gate_first in (False, True):
        for conv in ("keep", "admit"):
            for act_name, act in (("g", _mingru_g), ("tanh", np.tanh)):
                Wh, Wz = (halves[1], halves[0]) if gate_first else (halves[0], halves[1])
                h, outs = h0, []
                for t in range(xs.shape[0]):
                    z, one_minus_z = sigmoid_pair(xs[t] @ Wz.T)
                    h = mix(conv, z, one_minus_z, h, act(xs[t] @ Wh.T))
                    outs.append(h)
                key = (("gate", "hidden") if gate_first else ("hidden", "gate"), conv, act_name)
                tried.append(key)
                errors[key] = (_maxdiff(np.stack(outs), out32), np.stack(outs))
    survivors = [k for k in tried if errors[k][0] < TOL32]
    result: dict = {"hypotheses_tried": len(tried), "survivors": len(survivors)}
    if len(survivors) != 1:
        result["survivor_list"] = [str(k) for k in survivors]
        return result
    order, conv, act_name = survivors[0]
    result.update(
        update=conv,
        reset="none (no reset gate)",
        gate_order=",".join(order) + f" (candidate {act_name})",
        bias="none",
        max_abs_diff_float32=errors[survivors[0]][0],
    )
    result["max_abs_diff_float64"] = _maxdiff(errors[survivors[0]][1], data["out64"]) if "out64" in data else None
    return result


def load(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays) of one probe record."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    return json.loads(str(arrays.pop("meta"))), arrays


def identify(path: Path) -> dict:
    """The measured entry for one probe record."""
    meta, arrays = load(path)
    measured = identify_mingru(arrays) if meta["layout"] == "mingru" else identify_gru(arrays, meta["layout"])
    return {**meta, **measured}


# ------------------------------------------------------------------ gru_lib.layouts, live
def _unflatten(flat: dict[str, np.ndarray]) -> dict:
    """``{"a|b": array}`` -> nested dict (the probes join levels with "|")."""
    tree: dict = {}
    for k, v in flat.items():
        *path, leaf = k.split("|")
        node = tree
        for p in path:
            node = node.setdefault(p, {})
        node[leaf] = v
    return tree


def _same_tree(a, b) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_same_tree(a[k], b[k]) for k in a)
        )
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def check_layout(path: Path) -> dict:
    """One ``layout_<check>.npz``: max |framework − gru_lib| of every exported model and of the
    framework's own initialised model read back, and whether writing that one back is exact.
    ``status`` is "agrees" when every difference is below ``TOL32`` and the round trip is exact."""
    meta, a = load(path)
    layout = meta["layout"]
    to, read = getattr(L, f"to_{layout}"), getattr(L, f"from_{layout}")
    xs, h0 = a["xs"], a["h0"]
    exports = []
    for i, e in enumerate(meta["exports"]):
        p = GRUParams.from_arrays({k.split(":", 2)[2]: v for k, v in a.items() if k.startswith(f"e{i}:p:")})
        got = run(p, xs, h0, update=e["update"], reset=e["reset"]).h
        exports.append({**e, "max_abs_diff": _maxdiff(got, a[f"e{i}:out"])})
    native = _unflatten({k[2:]: v for k, v in a.items() if k.startswith("n:")})
    imp = read(native, **meta["from_kwargs"])
    init_diff = _maxdiff(run(imp.params, xs, h0, **imp.run_kwargs()).h, a["out_init"])
    exact = _same_tree(to(imp.params, update=imp.update, reset=imp.reset, **meta["to_kwargs"]), native)
    worst = max([e["max_abs_diff"] for e in exports] + [init_diff])
    ok = worst < TOL32 and exact
    return {
        "check": meta["check"],
        "layout": layout,
        "functions": f"gru_lib.layouts.to_{layout}, from_{layout}",
        "api": meta["api"],
        "version": meta["version"],
        "exports": exports,
        "init_read_as": imp.run_kwargs(),
        "init_max_abs_diff": init_diff,
        "init_written_back_exactly": exact,
        "max_abs_diff_float32": worst,
        "status": "agrees" if ok else "DISAGREES" + ("" if exact else " (round trip not exact)"),
    }


def check_porting(path: Path, stored: dict[str, np.ndarray], keys: list[str]) -> dict:
    """One ``porting_<check>.npz`` against the stored porting file's arrays ``stored``: every stored
    array whose name matches a pattern in ``keys`` (fnmatch) must be in the record with the same shape
    and differ by at most ``PORTING_TOL``. ``status`` is "agrees" or says what differs."""
    meta, a = load(path)
    wanted = sorted(k for k in stored if any(fnmatch.fnmatchcase(k, pat) for pat in keys))
    missing = [k for k in wanted if k not in a]
    shapes = [k for k in wanted if k in a and a[k].shape != stored[k].shape]
    diffs = {k: _maxdiff(a[k], stored[k]) for k in wanted if k in a and k not in shapes}
    worst = max(diffs.values(), default=float("nan"))
    problems = []
    if not wanted:
        problems.append(f"no stored array matches {keys}")
    if missing:
        problems.append("missing " + ", ".join(missing))
    if shapes:
        problems.append("other shape: " + ", ".join(f"{k} {a[k].shape} vs {stored[k].shape}" for k in shapes))
    if diffs and not worst <= PORTING_TOL:
        problems.append(f"max |Δ| {worst:.1e} > {PORTING_TOL:.0e}")
    return {
        "check": meta["check"],
        "api": meta["api"],
        "version": meta["version"],
        "compared": wanted,
        "max_abs_diff": diffs,
        "max_abs_diff_float32": None if np.isnan(worst) else worst,
        "tolerance": PORTING_TOL,
        "status": "agrees" if not problems else "DISAGREES: " + "; ".join(problems),
    }
