"""gru_book.porting and the porting chapter's stored runs (package data, no framework needed): the
portable model's Haiku port is exact, the general one is refused and its naive port is measurably
wrong, and every stored tree and output is what gru_lib computes from the state dicts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_book import data as book_data
from gru_book.porting import STATE_KEYS, haiku_port, naive_haiku_port, placement_free
from gru_lib import GRUParams, run
from gru_lib import layouts as L

TORCH = book_data.load("porting_torch")
HAIKU = book_data.load("porting_haiku")
XS, H0 = TORCH["xs"], TORCH["h0"]


def state(name: str) -> dict[str, np.ndarray]:
    return {k: TORCH[f"{name}.{k}"] for k in STATE_KEYS}


def run_tree(tree) -> np.ndarray:
    imp = L.from_haiku(tree)
    return run(imp.params, XS, H0, **imp.run_kwargs()).h


def test_stored_files_are_float32_and_complete():
    assert XS.shape == (20, 3, 2) and H0.shape == (3, 4)
    for name in ("portable", "general"):
        assert TORCH[f"{name}.torch"].shape == (20, 3, 4)
        assert TORCH[f"{name}.torch"].dtype == HAIKU[f"{name}.haiku"].dtype == np.float32
        losses = TORCH[f"{name}.losses"]
        assert losses.shape == (150,) and losses[-1] < 0.01 * losses[0]


def test_only_the_portable_model_is_placement_free():
    assert placement_free(L.from_pytorch(state("portable")).params)
    assert not placement_free(L.from_pytorch(state("general")).params)


def test_general_model_has_no_exact_haiku_port():
    with pytest.raises(ValueError, match="Haiku resets before"):
        haiku_port(state("general"))


@pytest.mark.parametrize(("name", "port"), [("portable", haiku_port), ("general", naive_haiku_port)])
def test_stored_trees_are_the_ports_and_gru_lib_predicts_haiku(name, port):
    tree = port(state(name))
    for k, v in tree["gru"].items():
        assert np.array_equal(v, HAIKU[f"{name}.{k}"]), k
    np.testing.assert_allclose(run_tree(tree), HAIKU[f"{name}.haiku"], rtol=0, atol=1e-6)


def test_exact_port_matches_pytorch_and_naive_port_does_not():
    exact = np.max(np.abs(HAIKU["portable.haiku"] - TORCH["portable.torch"]))
    naive = np.max(np.abs(HAIKU["general.haiku"] - TORCH["general.torch"]))
    assert exact < 1e-6 and naive > 0.05


@pytest.mark.parametrize("lbr", [0, 1])
def test_onnxruntime_runs_match_the_haiku_tree_exported_to_onnx(lbr):
    onnx = L.to_onnx(L.from_haiku(haiku_port(state("portable"))).params, update="admit", reset="before")
    imp = L.from_onnx(onnx, linear_before_reset=lbr)
    ours = run(imp.params, XS, H0, **imp.run_kwargs()).h
    np.testing.assert_allclose(TORCH[f"portable.onnxruntime_lbr{lbr}"], ours, rtol=0, atol=1e-6)
    np.testing.assert_allclose(TORCH[f"portable.onnxruntime_lbr{lbr}"], TORCH["portable.torch"], rtol=0, atol=1e-6)


def _portable(seed: int, H: int) -> GRUParams:
    p = GRUParams.random(2, H, seed=seed, scale=1.0, recurrent_biases=True)
    return p.replace(U_h=np.diag(np.diag(p.U_h)), b_h_rec=np.zeros(H))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), H=st.integers(1, 5))
def test_port_of_any_placement_free_model_computes_the_same_function(seed, H):
    p = _portable(seed, H)
    assert placement_free(p)
    xs = np.random.default_rng(seed).normal(size=(6, 2, 2))
    want = run(p, xs, update="keep", reset="after").h
    imp = L.from_haiku(haiku_port(L.to_pytorch(p)))
    assert imp.update == "admit" and imp.reset == "before"
    np.testing.assert_allclose(run(imp.params, xs, **imp.run_kwargs()).h, want, rtol=0, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), H=st.integers(2, 5))
def test_a_nonzero_off_diagonal_or_b_hn_is_not_placement_free(seed, H):
    p = _portable(seed, H)
    U = p.U_h.copy()
    U[0, 1] = 0.5
    assert not placement_free(p.replace(U_h=U))
    assert not placement_free(p.replace(b_h_rec=np.eye(1, H)[0]))


def test_bad_input_names_the_layout():
    with pytest.raises(TypeError, match="PyTorch"):
        haiku_port([1, 2, 3])
    with pytest.raises(ValueError, match="weight_ih_l0"):
        naive_haiku_port({"weight_ih_l0": np.zeros((6, 2))})
