"""Live checks against the frameworks themselves: torch, keras 3 (torch backend) and onnx.

All three are pinned in requirements-test.txt, so ``make test`` installs them. The tests
regenerate every fixture with tools/make_framework_fixtures.py, compare gru_lib with the
fresh framework outputs and with the committed fixtures, and push gru_lib parameters the
other way: exported into each framework's layout, loaded there, run there.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")

from gru_book import data
from gru_lib import GRUParams, run
from gru_lib import layouts as L

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_framework_fixtures", REPO / "tools" / "make_framework_fixtures.py")
mff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mff)

pytestmark = pytest.mark.live

ATOL = 1e-6
WEIGHTS = {
    "torch_gru": ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
    "torch_grucell": ("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    "keras_reset_after": ("kernel", "recurrent_kernel", "bias"),
    "keras_reset_before": ("kernel", "recurrent_kernel", "bias"),
    "onnx_lbr0": ("W", "R", "B"),
    "onnx_lbr1": ("W", "R", "B"),
}


def test_keras_runs_on_the_torch_backend():
    import keras

    assert keras.backend.backend() == "torch"


def test_keras_gru_resets_after_by_default():
    """Keras' GRU docstring calls the reset-before variant "the default one"; the argument says otherwise."""
    import keras

    assert keras.layers.GRU(4).reset_after is True
    assert keras.layers.GRUCell(4).reset_after is True


def importer(name: str, data: dict) -> L.Imported:
    w = {k: data[k] for k in WEIGHTS[name]}
    if name.startswith("torch"):
        return L.from_pytorch(w)
    if name.startswith("keras"):
        return L.from_keras(w)
    return L.from_onnx(w, linear_before_reset=int(data["linear_before_reset"]))


@pytest.mark.parametrize("name", sorted(mff.CASES))
def test_fresh_framework_run_matches_gru_lib_and_fixture(name):
    _, make = mff.CASES[name]
    fresh = make()
    imp = importer(name, fresh)
    h = run(imp.params, fresh["xs"], fresh["h0"], **imp.run_kwargs()).h
    np.testing.assert_allclose(h, fresh["out"], rtol=0, atol=ATOL)
    stored = data.load(name)
    assert stored.keys() == fresh.keys()
    for k in WEIGHTS[name] + ("xs", "h0"):
        assert np.array_equal(stored[k], fresh[k]), k
    np.testing.assert_allclose(stored["out"], fresh["out"], rtol=0, atol=ATOL)


def random_params(seed: int, rec: bool = True) -> GRUParams:
    return GRUParams.random(mff.D, mff.H, seed=seed, scale=0.8, recurrent_biases=rec, dtype=np.float32)


def inputs(seed: int):
    xs, h0, _ = mff._inputs(seed)
    return xs, h0


@pytest.mark.parametrize("update", ["keep", "admit"])
def test_export_to_torch_runs_the_same_in_torch(update):
    import torch

    p, (xs, h0) = random_params(10), inputs(10)
    want = run(p, xs, h0, update=update, reset="after").h
    got = mff.torch_outputs(L.to_pytorch(p, update=update), xs, h0)
    np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)
    cell = torch.nn.GRUCell(mff.D, mff.H)
    cell.load_state_dict({k: torch.from_numpy(v) for k, v in L.to_pytorch(p, update=update, cell=True).items()})
    h = torch.from_numpy(h0)
    with torch.no_grad():
        for t in range(mff.T):
            h = cell(torch.from_numpy(xs[t]), h)
    np.testing.assert_allclose(h.numpy(), want[-1], rtol=0, atol=ATOL)


@pytest.mark.parametrize("reset", ["after", "before"])
@pytest.mark.parametrize("update", ["keep", "admit"])
def test_export_to_keras_runs_the_same_in_keras(reset, update):
    p, (xs, h0) = random_params(11, rec=(reset == "after")), inputs(11)
    want = run(p, xs, h0, update=update, reset=reset).h
    got = mff.keras_outputs(L.to_keras(p, update=update, reset=reset), xs, h0, reset_after=(reset == "after"))
    np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)


@pytest.mark.parametrize("reset", ["after", "before"])
@pytest.mark.parametrize("update", ["keep", "admit"])
def test_export_to_onnx_runs_the_same_in_onnx(reset, update):
    p, (xs, h0) = random_params(12), inputs(12)
    want = run(p, xs, h0, update=update, reset=reset).h
    got = mff.onnx_outputs(L.to_onnx(p, update=update, reset=reset), xs, h0, linear_before_reset=int(reset == "after"))
    np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)


def test_onnx_default_attribute_misreads_a_pytorch_model():
    """The known porting bug: a PyTorch GRU exported with linear_before_reset=0 computes something else."""
    d = mff.make_torch_gru()
    imp = importer("torch_gru", d)
    wrong = mff.onnx_outputs(L.to_onnx(imp.params, reset="after"), d["xs"], d["h0"], linear_before_reset=0)
    right = mff.onnx_outputs(L.to_onnx(imp.params, reset="after"), d["xs"], d["h0"], linear_before_reset=1)
    np.testing.assert_allclose(right, d["out"], rtol=0, atol=ATOL)
    assert np.max(np.abs(wrong - d["out"])) > 1e-2


def test_pytorch_default_init_gives_the_update_gate_no_direction():
    """why_keep: PyTorch draws biases uniformly from [-1/sqrt(H), 1/sqrt(H)], centred on zero."""
    import torch

    torch.manual_seed(0)
    hidden = 64
    gru = torch.nn.GRU(3, hidden)
    biases = torch.cat([gru.bias_ih_l0.detach(), gru.bias_hh_l0.detach()])
    assert float(biases.abs().max()) <= 1 / np.sqrt(hidden)
    assert float(biases.min()) < -0.9 / np.sqrt(hidden) and float(biases.max()) > 0.9 / np.sqrt(hidden)
    assert abs(float(biases.mean())) < 0.02
