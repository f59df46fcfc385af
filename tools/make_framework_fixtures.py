"""Write small .npz fixtures of real framework GRUs: random weights, inputs, and the framework's outputs.

    .venv/bin/python tools/make_framework_fixtures.py            # writes chapters/gru_book/data/*.npz

Each ``make_*`` function returns a dict of float32 arrays: the weights in the framework's own
layout and names, ``xs`` (T, B, D) time-major, ``h0`` (B, H) and ``out`` (T, B, H), the hidden
states the framework computed. ``tests/test_framework_fixtures.py`` checks gru_lib against the
stored files (no framework needed); ``tests/test_frameworks_live.py`` calls these functions
again with the frameworks installed.

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


#: fixture name -> (module that must be importable, maker)
CASES: dict[str, tuple[str, Callable[[], dict[str, np.ndarray]]]] = {
    "torch_gru": ("torch", make_torch_gru),
    "torch_grucell": ("torch", make_torch_grucell),
    "keras_reset_after": ("keras", make_keras_reset_after),
    "keras_reset_before": ("keras", make_keras_reset_before),
    "onnx_lbr0": ("onnx", make_onnx_lbr0),
    "onnx_lbr1": ("onnx", make_onnx_lbr1),
}


def versions() -> dict[str, str]:
    """Installed versions of the frameworks (for the record written next to the fixtures)."""
    out = {}
    for mod in ("torch", "keras", "onnx", "numpy"):
        with contextlib.suppress(ImportError):
            out[mod] = __import__(mod).__version__
    return out


def main() -> int:
    import importlib.util

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, (module, make) in CASES.items():
        if importlib.util.find_spec(module) is None:
            print(f"skip {name}: {module} is not installed")
            continue
        path = FIXTURES / f"{name}.npz"
        np.savez(path, **make())
        print(f"wrote {path.relative_to(FIXTURES.parents[2])}")
    record = "\n".join(f"{k}=={v}" for k, v in versions().items())
    (FIXTURES / "framework_versions.txt").write_text(record + "\n")
    print(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
