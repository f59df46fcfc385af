"""The porting chapter's stored PyTorch runs, regenerated with torch (a test extra):
tools/make_framework_fixtures.py trains and runs again, and the results match the package data.

The stored Haiku and onnxruntime runs are made again by ``make frameworks`` (frameworks/run.py's
porting checks, in the jax and torch environments); tests/book/test_frameworks_data.py checks
that they were and that they agree."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch  # noqa: F401  (a test extra: without it this file fails to collect, it is not skipped)

from gru_book import data as book_data
from gru_book.porting import STATE_KEYS
from gru_book.probe import run_probe

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("mff_porting", REPO / "tools" / "make_framework_fixtures.py")
mff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mff)

pytestmark = pytest.mark.live
TORCH = book_data.load("porting_torch")


def stored_state(name: str) -> dict[str, np.ndarray]:
    return {k: TORCH[f"{name}.{k}"] for k in STATE_KEYS}


def stored_probe(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k.removeprefix("probe."): d[k] for k in d if k.startswith("probe.")}


@pytest.mark.parametrize("name", ["portable", "general"])
def test_training_again_gives_the_stored_model_and_outputs(name):
    state, losses = mff.train_torch_gru(portable=name == "portable")
    for k in STATE_KEYS:
        np.testing.assert_allclose(state[k], TORCH[f"{name}.{k}"], rtol=0, atol=1e-5, err_msg=k)
    np.testing.assert_allclose(losses, TORCH[f"{name}.losses"], rtol=1e-4, atol=1e-7)
    xs, h0 = mff.porting_eval_inputs()
    assert np.array_equal(xs, TORCH["xs"]) and np.array_equal(h0, TORCH["h0"])
    out = mff.torch_outputs(stored_state(name), xs, h0)
    np.testing.assert_allclose(out, TORCH[f"{name}.torch"], rtol=0, atol=1e-6)


def test_torch_probe_runs_again():
    fresh = run_probe(mff.torch_probe_step)
    for k, v in stored_probe(TORCH).items():
        np.testing.assert_allclose(fresh[k], v, rtol=0, atol=1e-6, err_msg=k)
