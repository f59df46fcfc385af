"""Write small .npz fixtures of real framework GRUs: random weights, inputs, and the framework's outputs.

    .venv/bin/python tools/make_framework_fixtures.py            # writes chapters/gru_book/data/*.npz
    E=_build/frameworks/envs; export PYTHONPATH=$PWD:$PWD/chapters              # the porting chapter's two files:
    $E/torch/bin/python tools/make_framework_fixtures.py porting_torch   # torch + onnxruntime
    $E/jax/bin/python tools/make_framework_fixtures.py porting_haiku     # Haiku (reads porting_torch.npz)

Each ``make_*`` function returns a dict of float32 arrays: the weights in the framework's own
layout and names, ``xs`` (T, B, D) time-major, ``h0`` (B, H) and ``out`` (T, B, H), the hidden
states the framework computed. ``tests/book/test_data.py`` checks gru_lib against the
stored files (no framework needed); ``tests/lib/test_layouts_live.py`` and
``tests/book/test_porting_live.py`` call these functions again with torch (a test extra), and
``make frameworks`` reruns the Haiku and onnxruntime parts in their own environments.

Frameworks: torch (required; ``nn.GRU`` and ``nn.GRUCell``), keras 3 with the torch backend
(``GRU`` with reset_after True and False) and onnx (``onnx.reference.ReferenceEvaluator`` on a
``GRU`` node, linear_before_reset 0 and 1). A framework that is not installed is skipped.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "torch")

T, B, D, H = 5, 2, 3, 4
FIXTURES = Path(__file__).resolve().parent.parent / "chapters" / "gru_book" / "data"


def _inputs(seed: int) -> tuple[np.ndarray, np.ndarray, np.random.Generator]:
    rng = np.random.default_rng(seed)
    xs = rng.normal(size=(T, B, D)).astype(np.float32)
    h0 = rng.uniform(-0.9, 0.9, size=(B, H)).astype(np.float32)
    return xs, h0, rng


def _uniform(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """Weights in [-0.8, 0.8]: large enough that every gate and bias visibly matters."""
    return rng.uniform(-0.8, 0.8, size=shape).astype(np.float32)


# ------------------------------------------------------------------ PyTorch
def make_torch_gru(seed: int = 0) -> dict[str, np.ndarray]:
    """``torch.nn.GRU(D, H)`` with PyTorch's own initialisation (seeded), run on (xs, h0)."""
    import torch

    xs, h0, _ = _inputs(seed)
    torch.manual_seed(seed)
    gru = torch.nn.GRU(D, H)
    with torch.no_grad():
        out, _ = gru(torch.from_numpy(xs), torch.from_numpy(h0)[None])
    state = {k: v.detach().numpy().copy() for k, v in gru.state_dict().items()}
    return {**state, "xs": xs, "h0": h0, "out": out.numpy().copy()}


def make_torch_grucell(seed: int = 1) -> dict[str, np.ndarray]:
    """``torch.nn.GRUCell(D, H)`` (default initialisation, seeded), stepped over xs from h0."""
    import torch

    xs, h0, _ = _inputs(seed)
    torch.manual_seed(seed)
    cell = torch.nn.GRUCell(D, H)
    h = torch.from_numpy(h0)
    outs = []
    with torch.no_grad():
        for t in range(T):
            h = cell(torch.from_numpy(xs[t]), h)
            outs.append(h.numpy().copy())
    state = {k: v.detach().numpy().copy() for k, v in cell.state_dict().items()}
    return {**state, "xs": xs, "h0": h0, "out": np.stack(outs)}


def torch_outputs(state: dict[str, np.ndarray], xs: np.ndarray, h0: np.ndarray) -> np.ndarray:
    """Run ``nn.GRU`` with the given state dict (keys ``*_l0``); returns (T, B, H)."""
    import torch

    gru = torch.nn.GRU(xs.shape[2], h0.shape[1])
    gru.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    with torch.no_grad():
        out, _ = gru(torch.from_numpy(xs), torch.from_numpy(h0)[None])
    return out.numpy().copy()


# ------------------------------------------------------------------ Keras 3
def keras_outputs(weights: dict[str, np.ndarray], xs: np.ndarray, h0: np.ndarray, *, reset_after: bool) -> np.ndarray:
    """Run ``keras.layers.GRU`` with the given kernel/recurrent_kernel/bias; returns (T, B, H)."""
    import keras

    layer = keras.layers.GRU(h0.shape[1], return_sequences=True, reset_after=reset_after)
    layer.build((xs.shape[1], xs.shape[0], xs.shape[2]))
    for var, name in zip(layer.weights, ("kernel", "recurrent_kernel", "bias")):
        if not var.path.endswith(name):
            raise RuntimeError(f"unexpected Keras weight order: {[v.path for v in layer.weights]}")
        var.assign(weights[name])
    batch_major = np.ascontiguousarray(xs.transpose(1, 0, 2))
    y = layer(keras.ops.convert_to_tensor(batch_major), initial_state=[keras.ops.convert_to_tensor(h0)])
    # The torch backend returns a torch tensor; read it directly (keras' numpy conversion warns).
    return y.detach().cpu().numpy().transpose(1, 0, 2).copy()


def _make_keras(seed: int, reset_after: bool) -> dict[str, np.ndarray]:
    xs, h0, rng = _inputs(seed)
    w = {
        "kernel": _uniform(rng, D, 3 * H),
        "recurrent_kernel": _uniform(rng, H, 3 * H),
        "bias": _uniform(rng, 2, 3 * H) if reset_after else _uniform(rng, 3 * H),
    }
    return {**w, "xs": xs, "h0": h0, "out": keras_outputs(w, xs, h0, reset_after=reset_after)}


def make_keras_reset_after(seed: int = 2) -> dict[str, np.ndarray]:
    """``keras.layers.GRU(H, reset_after=True)`` (the default) with random weights and biases."""
    return _make_keras(seed, True)


def make_keras_reset_before(seed: int = 3) -> dict[str, np.ndarray]:
    """``keras.layers.GRU(H, reset_after=False)`` with random weights and bias."""
    return _make_keras(seed, False)


# ------------------------------------------------------------------ ONNX
def onnx_outputs(
    arrays: dict[str, np.ndarray], xs: np.ndarray, h0: np.ndarray, *, linear_before_reset: int
) -> np.ndarray:
    """Evaluate one ONNX ``GRU`` node with ``onnx.reference``; returns Y as (T, B, H)."""
    from onnx import TensorProto, helper
    from onnx.reference import ReferenceEvaluator

    hidden = h0.shape[1]
    node = helper.make_node(
        "GRU",
        ["X", "W", "R", "B", "", "initial_h"],
        ["Y"],
        hidden_size=hidden,
        linear_before_reset=int(linear_before_reset),
    )
    f32 = TensorProto.FLOAT
    inputs = [helper.make_tensor_value_info(n, f32, None) for n in ("X", "W", "R", "B", "initial_h")]
    graph = helper.make_graph([node], "gru", inputs, [helper.make_tensor_value_info("Y", f32, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    feeds = {"X": xs, "W": arrays["W"], "R": arrays["R"], "B": arrays["B"], "initial_h": h0[None]}
    (y,) = ReferenceEvaluator(model).run(None, {k: np.asarray(v, np.float32) for k, v in feeds.items()})
    return np.asarray(y)[:, 0].copy()  # Y is [T, num_directions, B, H]


def _make_onnx(seed: int, linear_before_reset: int) -> dict[str, np.ndarray]:
    xs, h0, rng = _inputs(seed)
    a = {"W": _uniform(rng, 1, 3 * H, D), "R": _uniform(rng, 1, 3 * H, H), "B": _uniform(rng, 1, 6 * H)}
    out = onnx_outputs(a, xs, h0, linear_before_reset=linear_before_reset)
    return {**a, "xs": xs, "h0": h0, "out": out, "linear_before_reset": np.array(linear_before_reset)}


def make_onnx_lbr0(seed: int = 4) -> dict[str, np.ndarray]:
    """ONNX ``GRU`` with ``linear_before_reset=0`` (the operator's default: reset before)."""
    return _make_onnx(seed, 0)


def make_onnx_lbr1(seed: int = 5) -> dict[str, np.ndarray]:
    """ONNX ``GRU`` with ``linear_before_reset=1`` (reset after, as PyTorch and cuDNN)."""
    return _make_onnx(seed, 1)


# ------------------------------------------------------------------ porting (chapters/porting.md)
#: The porting chapter's model: D inputs, H units; trained on (PORT_T, PORT_B) sequences and
#: evaluated on a fresh (PORT_EVAL_T, PORT_EVAL_B) batch.
PORT_D, PORT_H, PORT_T, PORT_B, PORT_EVAL_T, PORT_EVAL_B, PORT_STEPS = 2, 4, 12, 32, 20, 3, 150
PORT_KEYS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")


def porting_task(rng: np.random.Generator, T: int, B: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (T, B, 2) and targets (T, B, 2): unit 0 follows a moving average of input 0
    (y_t = 0.7 y_{t-1} + 0.3 x_t, halved), unit 1 holds half the first value of input 1."""
    xs = rng.normal(size=(T, B, PORT_D)).astype(np.float32)
    ys = np.zeros((T, B, 2), np.float32)
    ema = np.zeros(B, np.float32)
    for t in range(T):
        ema = 0.7 * ema + 0.3 * xs[t, :, 0]
        ys[t, :, 0] = 0.5 * ema
        ys[t, :, 1] = 0.5 * np.tanh(xs[0, :, 1])
    return xs, ys


def _project_portable(gru) -> None:
    """Zero what Haiku cannot hold: the off-diagonal of the candidate's recurrent block and its
    recurrent bias b_hn (then r ⊙ (U_h h) = U_h (r ⊙ h): the reset placement no longer matters)."""
    import torch

    H = gru.hidden_size
    with torch.no_grad():
        gru.weight_hh_l0[2 * H :] *= torch.eye(H)
        gru.bias_hh_l0[2 * H :] = 0.0


def train_torch_gru(*, portable: bool, seed: int = 0) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """``nn.GRU(2, 4)`` trained with Adam (lr 0.03) for PORT_STEPS steps on :func:`porting_task`
    (MSE on units 0 and 1). ``portable``: projected after every step (:func:`_project_portable`).
    Returns the state dict (numpy) and the loss of every step."""
    import torch

    torch.manual_seed(seed)
    xs, ys = porting_task(np.random.default_rng(seed), PORT_T, PORT_B)
    gru = torch.nn.GRU(PORT_D, PORT_H)
    if portable:
        _project_portable(gru)
    opt = torch.optim.Adam(gru.parameters(), lr=0.03)
    x, y = torch.from_numpy(xs), torch.from_numpy(ys)
    losses = []
    for _ in range(PORT_STEPS):
        out, _ = gru(x)
        loss = torch.mean((out[..., :2] - y) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if portable:
            _project_portable(gru)
        losses.append(loss.item())
    state = {k: v.detach().numpy().copy() for k, v in gru.state_dict().items()}
    return state, np.array(losses)


def porting_eval_inputs(seed: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The evaluation batch: xs (T, B, 2) from the task's distribution, h0 = 0 (B, H)."""
    xs, _ = porting_task(np.random.default_rng(seed), PORT_EVAL_T, PORT_EVAL_B)
    return xs, np.zeros((PORT_EVAL_B, PORT_H), np.float32)


def onnxruntime_outputs(
    arrays: dict[str, np.ndarray], xs: np.ndarray, h0: np.ndarray, *, linear_before_reset: int
) -> np.ndarray:
    """One ONNX ``GRU`` node run by onnxruntime (float32 only); returns Y as (T, B, H)."""
    import onnxruntime as ort
    from onnx import TensorProto, helper

    node = helper.make_node(
        "GRU",
        ["X", "W", "R", "B", "", "initial_h"],
        ["Y"],
        hidden_size=h0.shape[1],
        linear_before_reset=int(linear_before_reset),
    )
    f32 = TensorProto.FLOAT
    inputs = [helper.make_tensor_value_info(n, f32, None) for n in ("X", "W", "R", "B", "initial_h")]
    graph = helper.make_graph([node], "gru", inputs, [helper.make_tensor_value_info("Y", f32, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    model.ir_version = 10
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    feeds = {"X": xs, "W": arrays["W"], "R": arrays["R"], "B": arrays["B"], "initial_h": h0[None]}
    (y,) = sess.run(None, {k: np.asarray(v, np.float32) for k, v in feeds.items()})
    return np.asarray(y)[:, 0].copy()


def torch_probe_step(U: np.ndarray, b: np.ndarray, h: np.ndarray) -> np.ndarray:
    """One ``nn.GRU`` step for the convention probe: weight_hh = U, bias_ih = b, the rest 0, x = 0."""
    import torch

    H = U.shape[1]
    gru = torch.nn.GRU(1, H)
    state = {
        "weight_ih_l0": np.zeros((3 * H, 1), np.float32),
        "weight_hh_l0": U,
        "bias_ih_l0": b,
        "bias_hh_l0": np.zeros(3 * H, np.float32),
    }
    gru.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    with torch.no_grad():
        out, _ = gru(torch.zeros(1, h.shape[0], 1), torch.from_numpy(h)[None])
    return out[0].numpy().copy()


def haiku_probe_step(U: np.ndarray, b: np.ndarray, h: np.ndarray) -> np.ndarray:
    """One ``hk.GRU`` step for the convention probe: w_h = U.T (Haiku stores h @ w_h), b = b, w_i = 0."""
    H = U.shape[1]
    tree = {"gru": {"w_i": np.zeros((1, 3 * H), np.float32), "w_h": U.T.copy(), "b": b}}
    return haiku_outputs(tree, np.zeros((1, h.shape[0], 1), np.float32), h)[0]


def _probe_runs(step_fn) -> dict[str, np.ndarray]:
    from gru_book.probe import run_probe

    return {f"probe.{name}": out.astype(np.float32) for name, out in run_probe(step_fn).items()}


def make_porting_torch() -> dict[str, np.ndarray]:
    """Train the portable and the general model in PyTorch; run both there, and the portable
    one's Haiku port (converted by gru_lib) in onnxruntime with linear_before_reset 0 and 1; and
    the convention probe (chapters/gru_book/probe.py) on ``nn.GRU``."""
    import onnxruntime
    import torch

    from gru_book.porting import haiku_port
    from gru_lib import layouts as L

    xs, h0 = porting_eval_inputs()
    out: dict[str, np.ndarray] = {"xs": xs, "h0": h0}
    for name in ("portable", "general"):
        state, losses = train_torch_gru(portable=name == "portable")
        out.update({f"{name}.{k}": state[k] for k in PORT_KEYS})
        out[f"{name}.losses"] = losses.astype(np.float32)
        out[f"{name}.torch"] = torch_outputs(state, xs, h0)
    state = {k: out[f"portable.{k}"] for k in PORT_KEYS}
    onnx = L.to_onnx(L.from_haiku(haiku_port(state)).params, update="admit", reset="before")
    for lbr in (0, 1):
        out[f"portable.onnxruntime_lbr{lbr}"] = onnxruntime_outputs(onnx, xs, h0, linear_before_reset=lbr)
    out.update(_probe_runs(torch_probe_step))
    out["versions"] = np.array(f"torch {torch.__version__}, onnxruntime {onnxruntime.__version__}")
    return out


def haiku_outputs(tree: dict[str, dict[str, np.ndarray]], xs: np.ndarray, h0: np.ndarray) -> np.ndarray:
    """``hk.GRU`` with the given params tree, stepped over xs from h0 in float32; (T, B, H)."""
    import haiku as hk
    import jax
    import jax.numpy as jnp

    (module,) = tree
    f = hk.without_apply_rng(hk.transform(lambda x, h: hk.GRU(h0.shape[1], name=module)(x, h)))
    params = {module: {k: jnp.asarray(v, jnp.float32) for k, v in tree[module].items()}}
    step = jax.jit(lambda h, x: f.apply(params, x, h)[1])
    h, outs = jnp.asarray(h0, jnp.float32), []
    for t in range(xs.shape[0]):
        h = step(h, jnp.asarray(xs[t], jnp.float32))
        outs.append(np.asarray(h))
    return np.stack(outs)


def make_porting_haiku() -> dict[str, np.ndarray]:
    """Run both trained models (read from porting_torch.npz) in real Haiku: the portable one's
    exact port and the general one's naive port (read as if it reset before); and the convention
    probe on ``hk.GRU``."""
    import haiku as hk
    import jax

    from gru_book.porting import haiku_port, naive_haiku_port

    with np.load(FIXTURES / "porting_torch.npz") as stored:
        torch_side = {k: stored[k] for k in stored.files}
    xs, h0 = torch_side["xs"], torch_side["h0"]
    out: dict[str, np.ndarray] = {}
    for name, port in (("portable", haiku_port), ("general", naive_haiku_port)):
        tree = port({k: torch_side[f"{name}.{k}"] for k in PORT_KEYS})
        out.update({f"{name}.{k}": v for k, v in tree["gru"].items()})
        out[f"{name}.haiku"] = haiku_outputs(tree, xs, h0)
    out.update(_probe_runs(haiku_probe_step))
    out["versions"] = np.array(f"dm-haiku {hk.__version__}, jax {jax.__version__}")
    return out


#: fixture name -> (module that must be importable, maker)
CASES: dict[str, tuple[str, Callable[[], dict[str, np.ndarray]]]] = {
    "torch_gru": ("torch", make_torch_gru),
    "torch_grucell": ("torch", make_torch_grucell),
    "keras_reset_after": ("keras", make_keras_reset_after),
    "keras_reset_before": ("keras", make_keras_reset_before),
    "onnx_lbr0": ("onnx", make_onnx_lbr0),
    "onnx_lbr1": ("onnx", make_onnx_lbr1),
}
#: The porting chapter's files, each written only when named (they need two environments).
PORTING_CASES: dict[str, tuple[str, Callable[[], dict[str, np.ndarray]]]] = {
    "porting_torch": ("onnxruntime", make_porting_torch),
    "porting_haiku": ("haiku", make_porting_haiku),
}


def versions() -> dict[str, str]:
    """Installed versions of the frameworks (for the record written next to the fixtures)."""
    out = {}
    for mod in ("torch", "keras", "onnx", "numpy"):
        with contextlib.suppress(ImportError):
            out[mod] = __import__(mod).__version__
    return out


def main(argv: list[str]) -> int:
    import importlib.util

    cases = {**CASES, **PORTING_CASES}
    names = argv or list(CASES)
    unknown = sorted(set(names) - set(cases))
    if unknown:
        print(f"unknown fixtures {unknown}; choose from {sorted(cases)}", file=sys.stderr)
        return 2
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name in names:
        module, make = cases[name]
        if importlib.util.find_spec(module) is None:
            print(f"skip {name}: {module} is not installed")
            continue
        path = FIXTURES / f"{name}.npz"
        np.savez(path, **make())
        print(f"wrote {path.relative_to(FIXTURES.parents[2])}")
    if argv:  # the porting files record their own versions
        return 0
    record = "\n".join(f"{k}=={v}" for k, v in versions().items())
    (FIXTURES / "framework_versions.txt").write_text(record + "\n")
    print(record)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
