"""gru_book.probe: the nine-run convention probe recovers every architecture gru_lib can run, from
any suitable state, refuses outputs no GRU reading fits, and reads the stored framework runs as the
live map does."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gru_book import data as book_data
from gru_book.probe import H_PREV, gru_lib_step, probe_blocks, read_probe, run_probe

ARCHS = [
    (order, u, r) for order in itertools.permutations("zrh") for u in ("keep", "admit") for r in ("before", "after")
]


def test_nine_probes_with_the_documented_shapes():
    blocks = probe_blocks(2)
    assert len(blocks) == 9
    for U, b in blocks.values():
        assert U.shape == (6, 2) and b.shape == (6,) and U.dtype == b.dtype == np.float32
    assert np.count_nonzero(blocks["bias 1"][1]) == 2 and not blocks["bias 1"][0].any()


@pytest.mark.parametrize("arch", ARCHS, ids=lambda a: f"{''.join(a[0])}-{a[1]}-{a[2]}")
def test_probe_recovers_every_architecture(arch):
    order, update, reset = arch
    f = read_probe(run_probe(gru_lib_step(order, update, reset)))
    assert (f.order, f.update, f.reset) == arch
    assert f.worst_fit < 1e-6


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.2, 0.9),
    b=st.floats(0.2, 0.9),
    signs=st.tuples(st.sampled_from([-1.0, 1.0]), st.sampled_from([-1.0, 1.0])),
    arch=st.sampled_from(ARCHS),
)
def test_probe_works_from_any_state_with_two_clearly_nonzero_entries(a, b, signs, arch):
    h = np.array([[signs[0] * a, signs[1] * b]])
    order, update, reset = arch
    f = read_probe(run_probe(gru_lib_step(order, update, reset), h), h)
    assert (f.order, f.update, f.reset) == arch


def test_outputs_that_fit_no_gru_are_refused():
    runs = run_probe(gru_lib_step(("z", "r", "h"), "keep", "after"))
    with pytest.raises(ValueError, match="bias probes fit no GRU"):
        read_probe({k: np.full_like(v, 0.123) for k, v in runs.items()})
    bent = dict(runs, **{"placement 1 2": runs["placement 1 2"] + 0.05})
    with pytest.raises(ValueError, match="placement probe fits neither"):
        read_probe(bent)


def test_probe_state_is_the_documented_one():
    assert H_PREV.shape == (1, 2) and np.all(H_PREV != 0)


@pytest.mark.parametrize(("fixture", "row"), [("porting_torch", "pytorch_gru"), ("porting_haiku", "haiku_gru")])
def test_stored_framework_runs_read_as_the_live_map_says(fixture, row):
    d = book_data.load(fixture)
    runs = {k.removeprefix("probe."): d[k] for k in d if k.startswith("probe.")}
    assert len(runs) == 9
    f = read_probe(runs)
    live = {r["row"]: r for r in book_data.frameworks()["rows"]}[row]
    assert (f.update, f.reset, ",".join(f.order)) == (live["update"], live["reset"], live["gate_order"])
