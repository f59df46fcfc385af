"""gru_lib, through the layout importers, reproduces outputs that real frameworks computed.

The data files in chapters/gru_book/data/ (package data of gru_book) were written by
tools/make_framework_fixtures.py with torch,
keras (torch backend) and onnx; these tests need none of them.
"""

from __future__ import annotations

import numpy as np
import pytest

from gru_book import data as book_data
from gru_lib import convert, run
from gru_lib import layouts as L

ATOL = 1e-6  # float32 outputs in (-1, 1): a few ulp of accumulated rounding

WEIGHT_KEYS = {
    "torch_gru": ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
    "torch_grucell": ("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    "keras_reset_after": ("kernel", "recurrent_kernel", "bias"),
    "keras_reset_before": ("kernel", "recurrent_kernel", "bias"),
    "onnx_lbr0": ("W", "R", "B"),
    "onnx_lbr1": ("W", "R", "B"),
}
EXPECTED_RESET = {
    "torch_gru": "after",
    "torch_grucell": "after",
    "keras_reset_after": "after",
    "keras_reset_before": "before",
    "onnx_lbr0": "before",
    "onnx_lbr1": "after",
}


def load(name: str) -> tuple[L.Imported, dict[str, np.ndarray]]:
    data = book_data.load(name)
    weights = {k: data[k] for k in WEIGHT_KEYS[name]}
    if name.startswith("torch"):
        imp = L.from_pytorch(weights)
    elif name.startswith("keras"):
        imp = L.from_keras(weights)
    else:
        imp = L.from_onnx(weights, linear_before_reset=int(data["linear_before_reset"]))
    return imp, data


@pytest.mark.parametrize("name", sorted(WEIGHT_KEYS))
def test_fixture_is_small_float32(name):
    data = book_data.load(name)
    assert data["xs"].shape == (5, 2, 3) and data["out"].shape == (5, 2, 4)
    assert all(data[k].dtype == np.float32 for k in WEIGHT_KEYS[name] + ("xs", "h0", "out"))


@pytest.mark.parametrize("name", sorted(WEIGHT_KEYS))
def test_gru_lib_matches_framework(name):
    imp, d = load(name)
    assert (imp.update, imp.reset) == ("keep", EXPECTED_RESET[name])
    h = run(imp.params, d["xs"], d["h0"], **imp.run_kwargs()).h
    assert h.dtype == np.float32
    np.testing.assert_allclose(h, d["out"], rtol=0, atol=ATOL)


@pytest.mark.parametrize("name", sorted(WEIGHT_KEYS))
def test_wrong_architecture_is_detected(name):
    """The fixtures are sensitive: the other placement or the other convention is far off."""
    imp, d = load(name)
    other_reset = "before" if imp.reset == "after" else "after"
    wrong_reset = run(imp.params, d["xs"], d["h0"], update="keep", reset=other_reset).h
    wrong_update = run(imp.params, d["xs"], d["h0"], update="admit", reset=imp.reset).h
    assert np.max(np.abs(wrong_reset - d["out"])) > 1e-2
    assert np.max(np.abs(wrong_update - d["out"])) > 1e-1


@pytest.mark.parametrize("name", sorted(WEIGHT_KEYS))
def test_admit_route_matches_framework(name):
    imp, d = load(name)
    admit = imp.as_update("admit")
    assert admit.update == "admit" and admit.params == convert(imp.params)
    h = run(admit.params, d["xs"], d["h0"], **admit.run_kwargs()).h
    np.testing.assert_allclose(h, d["out"], rtol=0, atol=ATOL)


@pytest.mark.parametrize("name", sorted(WEIGHT_KEYS))
def test_export_gives_back_the_fixture_arrays(name):
    imp, d = load(name)
    if name.startswith("torch"):
        out = L.to_pytorch(imp.params, reset=imp.reset, cell=(name == "torch_grucell"))
    elif name.startswith("keras"):
        out = L.to_keras(imp.params, reset=imp.reset)
    else:
        out = L.to_onnx(imp.params, reset=imp.reset)
    assert out.keys() == set(WEIGHT_KEYS[name])
    for k in out:
        assert out[k].dtype == d[k].dtype and np.array_equal(out[k], d[k]), k


def test_torch_fixture_carries_pytorch_bias_semantics():
    """b_hn sits inside r * (...): zeroing it changes PyTorch's output; zeroing b_in too but differently."""
    imp, d = load("torch_gru")
    assert np.any(imp.params.b_h_rec != 0)
    dropped = imp.params.replace(b_h_rec=np.zeros(4, np.float32))
    h = run(dropped, d["xs"], d["h0"], update="keep", reset="after").h
    assert np.max(np.abs(h - d["out"])) > 1e-3


def test_cross_framework_routes_agree():
    """PyTorch weights → Keras and ONNX layouts → back: the same outputs as PyTorch computed."""
    imp, d = load("torch_gru")
    via_keras = L.from_keras(L.to_keras(imp.params, reset="after"))
    via_onnx = L.from_onnx(L.to_onnx(imp.params, reset="after"), linear_before_reset=1)
    for route in (via_keras, via_onnx):
        assert route.reset == "after" and route.params == imp.params
        h = run(route.params, d["xs"], d["h0"], **route.run_kwargs()).h
        np.testing.assert_allclose(h, d["out"], rtol=0, atol=ATOL)
