"""The porting chapter's stored runs, regenerated with the frameworks where they are installed
(torch in the test environment; onnxruntime and Haiku in the ``make frameworks`` environments):
tools/make_framework_fixtures.py trains and runs again, and the results match the package data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from gru_book import data as book_data
from gru_book.porting import STATE_KEYS, haiku_port, naive_haiku_port
from gru_book.probe import run_probe

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("mff_porting", REPO / "tools" / "make_framework_fixtures.py")
mff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mff)

pytestmark = pytest.mark.live
TORCH = book_data.load("porting_torch")
HAIKU = book_data.load("porting_haiku")


def stored_state(name: str) -> dict[str, np.ndarray]:
    return {k: TORCH[f"{name}.{k}"] for k in STATE_KEYS}


def stored_probe(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k.removeprefix("probe."): d[k] for k in d if k.startswith("probe.")}


@pytest.mark.parametrize("name", ["portable", "general"])
def test_training_again_gives_the_stored_model_and_outputs(name):
    pytest.importorskip("torch")
    state, losses = mff.train_torch_gru(portable=name == "portable")
    for k in STATE_KEYS:
        np.testing.assert_allclose(state[k], TORCH[f"{name}.{k}"], rtol=0, atol=1e-5, err_msg=k)
    np.testing.assert_allclose(losses, TORCH[f"{name}.losses"], rtol=1e-4, atol=1e-7)
    xs, h0 = mff.porting_eval_inputs()
    assert np.array_equal(xs, TORCH["xs"]) and np.array_equal(h0, TORCH["h0"])
    out = mff.torch_outputs(stored_state(name), xs, h0)
    np.testing.assert_allclose(out, TORCH[f"{name}.torch"], rtol=0, atol=1e-6)


def test_torch_probe_runs_again():
    pytest.importorskip("torch")
    fresh = run_probe(mff.torch_probe_step)
    for k, v in stored_probe(TORCH).items():
        np.testing.assert_allclose(fresh[k], v, rtol=0, atol=1e-6, err_msg=k)


@pytest.mark.parametrize("lbr", [0, 1])
def test_onnxruntime_runs_again(lbr):
    pytest.importorskip("onnxruntime")
    from gru_lib import layouts as L

    onnx = L.to_onnx(L.from_haiku(haiku_port(stored_state("portable"))).params, update="admit", reset="before")
    out = mff.onnxruntime_outputs(onnx, TORCH["xs"], TORCH["h0"], linear_before_reset=lbr)
    np.testing.assert_allclose(out, TORCH[f"portable.onnxruntime_lbr{lbr}"], rtol=0, atol=1e-6)


@pytest.mark.parametrize(("name", "port"), [("portable", haiku_port), ("general", naive_haiku_port)])
def test_haiku_runs_again(name, port):
    pytest.importorskip("haiku")
    out = mff.haiku_outputs(port(stored_state(name)), TORCH["xs"], TORCH["h0"])
    np.testing.assert_allclose(out, HAIKU[f"{name}.haiku"], rtol=0, atol=1e-6)


def test_haiku_probe_runs_again():
    pytest.importorskip("haiku")
    fresh = run_probe(mff.haiku_probe_step)
    for k, v in stored_probe(HAIKU).items():
        np.testing.assert_allclose(fresh[k], v, rtol=0, atol=1e-6, err_msg=k)
