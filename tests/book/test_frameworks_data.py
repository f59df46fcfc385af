"""chapters/gru_book/data/frameworks.json (written by make frameworks): its schema, its agreement with
frameworks/expected.json, with gru_lib's own layout claims and with the chapter's convention table,
and the identification method of frameworks/compare.py itself (every hypothesis is recoverable)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from gru_book import data
from gru_lib import GRUParams, run
from gru_lib import layouts as L

REPO = Path(__file__).resolve().parents[2]
FRAMEWORKS = REPO / "frameworks"


def _module(name: str):
    sys.path[:0] = [str(FRAMEWORKS), str(FRAMEWORKS / "probes")]
    try:
        spec = importlib.util.spec_from_file_location(f"frameworks_{name}", FRAMEWORKS / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # dataclasses look their module up there
        spec.loader.exec_module(mod)
        return mod
    finally:
        del sys.path[:2]


compare = _module("compare")
table = _module("table")

DOC = json.loads((data.folder() / "frameworks.json").read_text(encoding="utf-8"))
ROWS = {r["row"]: r for r in DOC["rows"]}
EXPECTED = json.loads((FRAMEWORKS / "expected.json").read_text(encoding="utf-8"))["rows"]
MEASURED = {k: r for k, r in ROWS.items() if "update" in r}
FIELDS = ("update", "reset", "gate_order", "bias")
BIAS_LABELS = {
    "none",
    "input",
    "recurrent",
    "input + recurrent",
    "recurrent + input",
    "input + recurrent (candidate only)",
    "recurrent (candidate only) + input",
}


def test_the_data_file_ships_as_package_data():
    pyproject = (REPO / "pyproject.toml").read_text()
    assert re.search(r'"gru_book.data" = \[[^\]]*"\*\.json"', pyproject)


def test_one_entry_per_expected_row_and_nothing_else():
    assert list(ROWS) == list(EXPECTED)
    assert len(DOC["rows"]) == len(ROWS)  # no row twice


@pytest.mark.parametrize("name", sorted(ROWS))
def test_entry_schema(name):
    r = ROWS[name]
    for key in ("row", "name", "family", "storage", "expected", "expected_from", "date", "status"):
        assert key in r, key
    dt.date.fromisoformat(r["date"])
    assert r["status"] in ("agrees", "not run here", "not installed") or r["status"].startswith(
        ("DISAGREES", "not identified", "probe failed")
    )
    if "update" not in r:
        assert r["why"], "a row that did not run says why"
        return
    assert r["update"] in ("keep", "admit")
    assert r["reset"] in ("before", "after", "none (no reset gate)")
    assert r["bias"] in BIAS_LABELS
    if r["reset"] != "none (no reset gate)":
        assert sorted(r["gate_order"].split(",")) == ["h", "r", "z"]
    assert r["version"] and r["api"] and r["ran"]
    assert r["survivors"] == 1 and r["hypotheses_tried"] >= 8
    assert 0 <= r["max_abs_diff_float32"] < 1e-5
    if r["max_abs_diff_float64"] is None:
        assert "refused" in r["float64_note"]
    else:
        assert 0 <= r["max_abs_diff_float64"] < 1e-6
    if "runner_up_max_abs_diff" in r:  # the best wrong hypothesis is far off: the identification is not close
        assert r["runner_up_max_abs_diff"] > 1e3 * r["max_abs_diff_float32"]


def test_every_row_that_has_software_ran_and_agrees_with_its_expectation():
    for name, want in EXPECTED.items():
        r = ROWS[name]
        if want.get("run") is False:
            assert r["status"] == "not run here"
            continue
        assert r["status"] == "agrees", (name, r["status"])
        assert {k: r[k] for k in FIELDS} == {k: want[k] for k in FIELDS} == r["expected"], name


def test_cudnn_row_is_not_run_here_and_says_so():
    r = ROWS["cudnn_gru"]
    assert r["status"] == "not run here" and "cudnn_check.py" in r["why"] and "update" not in r
    assert (FRAMEWORKS / "cudnn_check.py").exists()


def test_onnxruntime_refuses_float64_and_the_reference_evaluator_does_not():
    for lbr in (0, 1):
        ort = ROWS[f"onnx_onnxruntime_lbr{lbr}"]
        assert ort["max_abs_diff_float64"] is None and "double" in ort["float64_note"]
        assert ROWS[f"onnx_reference_lbr{lbr}"]["max_abs_diff_float64"] is not None


def test_keras_default_is_reset_after_on_every_backend():
    for backend in ("torch", "jax", "tensorflow"):
        assert ROWS[f"keras3_{backend}_default"]["reset"] == "after"
        assert "reset_after=True" in ROWS[f"keras3_{backend}_default"]["ran"]
    assert ROWS["tf_keras_default"]["reset"] == "after"


# ------------------------------------------------------------------ gru_lib's own claims
def _gates(order: tuple[str, ...]) -> str:
    return ",".join(order)


def test_gate_orders_match_gru_lib_layouts():
    for name in ("pytorch_gru", "pytorch_grucell"):
        assert MEASURED[name]["gate_order"] == _gates(L.PYTORCH_GATES)
    keras = [n for n in MEASURED if n.startswith(("keras3_", "tf_keras_"))]
    assert len(keras) == 12
    for name in keras:
        assert MEASURED[name]["gate_order"] == _gates(L.KERAS_GATES)
    for name in [n for n in MEASURED if n.startswith("onnx_")]:
        assert MEASURED[name]["gate_order"] == _gates(L.ONNX_GATES)


def _state(H: int = 4, D: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "weight_ih_l0": rng.normal(size=(3 * H, D)),
        "weight_hh_l0": rng.normal(size=(3 * H, H)),
        "bias_ih_l0": rng.normal(size=3 * H),
        "bias_hh_l0": rng.normal(size=3 * H),
    }


def test_architectures_match_gru_lib_importers():
    pt = L.from_pytorch(_state())
    for name in ("pytorch_gru", "pytorch_grucell"):
        assert (MEASURED[name]["update"], MEASURED[name]["reset"]) == (pt.update, pt.reset)
    p = pt.params
    for variant, reset in (("reset_after", "after"), ("reset_before", "before")):
        keras = L.from_keras(
            L.to_keras(GRUParams.from_arrays({k: v for k, v in p if not k.endswith("_rec")}), reset=reset)
        )
        for prefix in ("keras3_torch", "keras3_jax", "keras3_tensorflow", "tf_keras"):
            r = MEASURED[f"{prefix}_{variant}"]
            assert (r["update"], r["reset"]) == (keras.update, keras.reset)
    for lbr in (0, 1):
        onnx = L.from_onnx(L.to_onnx(p), linear_before_reset=lbr)
        for engine in ("reference", "onnxruntime"):
            r = MEASURED[f"onnx_{engine}_lbr{lbr}"]
            assert (r["update"], r["reset"]) == (onnx.update, onnx.reset)


# ------------------------------------------------------------------ the chapter's table
#: first-column prefix in chapters/frameworks.md -> rows of the JSON it speaks for
TABLE_ROWS = {
    "d2l.ai": ["d2l_gru_scratch"],
    "PyTorch `nn.GRU`": ["pytorch_gru", "pytorch_grucell"],
    "Keras 3 `GRU`, `reset_after=True`": [
        "keras3_torch_reset_after",
        "keras3_jax_reset_after",
        "keras3_tensorflow_reset_after",
        "keras3_torch_default",
        "keras3_jax_default",
        "keras3_tensorflow_default",
    ],
    "Keras 3 `GRU`, `reset_after=False`": [
        "keras3_torch_reset_before",
        "keras3_jax_reset_before",
        "keras3_tensorflow_reset_before",
    ],
    "TF1 `nn.rnn_cell.GRUCell`": ["tf1_grucell"],
    "ONNX `GRU`, `linear_before_reset=0`": ["onnx_reference_lbr0", "onnx_onnxruntime_lbr0"],
    "ONNX `GRU`, `linear_before_reset≠0`": ["onnx_reference_lbr1", "onnx_onnxruntime_lbr1"],
    "Flax linen `GRUCell`": ["flax_linen_grucell"],
    "Haiku `hk.GRU`": ["haiku_gru"],
    "Sonnet 2 `snt.GRU`": ["sonnet_gru"],
    "minGRU": ["mingru_parallel", "mingru_sequential"],
}


def _table() -> list[list[str]]:
    text = (REPO / "chapters" / "frameworks.md").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.startswith("|") and not set(ln) <= set("|-")]
    return [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines]


def test_measured_rows_agree_with_the_chapters_table():
    found = 0
    for cells in _table():
        if len(cells) < 5:
            continue
        names = next((rows for prefix, rows in TABLE_ROWS.items() if cells[0].startswith(prefix)), None)
        if names is None:
            continue
        found += 1
        update, reset, packed = cells[1], cells[2], cells[4]
        for name in names:
            r = MEASURED[name]
            assert r["update"] == update, (name, update)
            assert reset.startswith(r["reset"].replace("none (no reset gate)", "no reset gate")), (name, reset)
            order = re.match(r"([a-z]), ([a-z]), ([a-z]);", packed)
            if order:
                assert r["gate_order"] == ",".join(order.groups()).replace("n", "h").replace("a", "h"), name
    assert found >= 8, f"only {found} of the chapter's table rows were recognised"


# ------------------------------------------------------------------ the method (no framework needed)
HYPS = compare.hypotheses(2)


def test_hypothesis_space_sizes():
    # 6 gate orders x 2 updates x (1 reading with reset before + n readings with reset after)
    assert len(HYPS) == 36 and len(compare.hypotheses(1)) == 36 and len(compare.hypotheses(0)) == 24
    assert len({(h.order, h.update, h.reset, h.sides) for h in HYPS}) == 36


@pytest.mark.parametrize("truth", HYPS, ids=lambda h: f"{''.join(h.order)}-{h.update}-{h.reset}-{'_'.join(h.sides)}")
def test_each_hypothesis_is_the_only_survivor_of_its_own_outputs(truth):
    """Outputs made by gru_lib under one hypothesis are claimed by that hypothesis alone."""
    rng = np.random.default_rng(7)
    w = {k: rng.uniform(-0.8, 0.8, size=v.shape).astype(np.float32) for k, v in _state().items()}
    xs = rng.normal(size=(5, 2, 3)).astype(np.float32)
    h0 = rng.uniform(-0.9, 0.9, size=(2, 4)).astype(np.float32)
    s = compare.ADAPTERS["pytorch_gru"](w)
    out = run(truth.params(s, np.float32), xs, h0, update=truth.update, reset=truth.reset).h
    got = compare.identify_gru({**{f"w:{k}": v for k, v in w.items()}, "xs": xs, "h0": h0, "out32": out}, "pytorch_gru")
    assert got["survivors"] == 1
    assert {k: got[k] for k in FIELDS} == compare._describe(truth, s)
    assert got["max_abs_diff_float32"] == 0.0


def test_table_renders_one_line_per_row_with_the_measured_architecture():
    md = table.render(DOC["rows"]).splitlines()
    assert len(md) == 2 + len(DOC["rows"])
    line = next(ln for ln in md if ln.startswith("| PyTorch nn.GRU |"))
    assert "| keep | after | r, z, h | input + recurrent |" in line
    assert "not run here" in next(ln for ln in md if "cuDNN" in ln)


# ------------------------------------------------------------------ layout checks (make frameworks)
common = _module("probes/_common")
LAYOUT_CHECKS = DOC.get("layout_checks", [])


def test_every_layout_family_was_run_live_and_agrees():
    checked = {c["layout"] for c in LAYOUT_CHECKS}
    assert checked == set(L.LAYOUTS), f"layouts never run live: {set(L.LAYOUTS) - checked}"
    for c in LAYOUT_CHECKS:
        assert c["status"] == "agrees", c
        assert c["max_abs_diff_float32"] < compare.TOL32 and c["init_written_back_exactly"] is True, c
        assert c["version"] and c["api"] and c["exports"], c
        assert {e["update"] for e in c["exports"]} == {"keep", "admit"}, c  # both written into the framework


def _pytorch_check(tmp_path: Path, framework) -> dict:
    """check_layout on a record written by the probes' own code, with ``framework(state, xs, h0)``
    standing in for nn.GRU."""

    def run_native(state, xs, h0, reset=None):
        return framework(state, xs, h0).astype(np.float32)

    def init():
        return L.to_pytorch(GRUParams.random(common.D, common.H, seed=9, recurrent_biases=True, dtype=np.float32))

    common.layout_check(tmp_path, "fake", "pytorch", "all", ("after",), run_native, init, "fake", "0")
    return compare.check_layout(tmp_path / "layout_fake.npz")


def _faithful(state, xs, h0):
    imp = L.from_pytorch(state)
    return run(imp.params, xs, h0, **imp.run_kwargs()).h


def test_layout_check_agrees_with_a_faithful_framework(tmp_path):
    assert _pytorch_check(tmp_path, _faithful)["status"] == "agrees"


def test_layout_check_catches_a_framework_with_another_gate_order(tmp_path):
    def swapped(state, xs, h0):  # reads PyTorch's (r, z, n) blocks as (z, r, n)
        H = common.H
        rz = {k: np.concatenate([v[H : 2 * H], v[:H], v[2 * H :]]) for k, v in state.items()}
        return _faithful(rz, xs, h0)

    result = _pytorch_check(tmp_path, swapped)
    assert result["status"].startswith("DISAGREES") and result["max_abs_diff_float32"] > 1e-3


def test_layout_check_catches_a_framework_that_runs_admit(tmp_path):
    def admit(state, xs, h0):
        imp = L.from_pytorch(state)
        return run(imp.params, xs, h0, update="admit", reset="after").h

    assert _pytorch_check(tmp_path, admit)["status"].startswith("DISAGREES")


# ------------------------------------------------------------------ porting checks (make frameworks)
PORTING_CHECKS = DOC.get("porting_checks", [])
PORTING_EXPECTED = json.loads((FRAMEWORKS / "expected.json").read_text(encoding="utf-8"))["porting_checks"]


def test_every_porting_check_was_run_live_and_agrees():
    assert [c["check"] for c in PORTING_CHECKS] == list(PORTING_EXPECTED)
    for c in PORTING_CHECKS:
        assert c["status"] == "agrees", c
        assert c["compared"] and set(c["max_abs_diff"]) == set(c["compared"]), c
        assert max(c["max_abs_diff"].values()) == c["max_abs_diff_float32"] <= compare.PORTING_TOL == c["tolerance"], c
        assert c["version"] and c["api"], c
    assert {c["family"] for c in PORTING_CHECKS} == {"jax", "torch"}  # Haiku and onnxruntime live there


def test_porting_checks_cover_every_stored_haiku_and_onnxruntime_output():
    compared = {(c["stored"], k) for c in PORTING_CHECKS for k in c["compared"]}
    haiku = {("porting_haiku.npz", k) for k in data.load("porting_haiku") if k != "versions"}
    onnxruntime = {("porting_torch.npz", f"portable.onnxruntime_lbr{lbr}") for lbr in (0, 1)}
    assert haiku | onnxruntime <= compared, (haiku | onnxruntime) - compared


def _porting_record(tmp_path: Path, arrays: dict[str, np.ndarray]) -> Path:
    common.save_porting_check(tmp_path, "fake", api="fake", version="0", arrays=arrays)
    return tmp_path / "porting_fake.npz"


def test_porting_check_agrees_with_the_stored_arrays_rerun_to_rounding(tmp_path):
    stored = data.load("porting_haiku")
    arrays = {k: stored[k] for k in stored if k.startswith("general.")}
    arrays["general.haiku"] = np.nextafter(arrays["general.haiku"], np.float32(2))  # one ulp up
    result = compare.check_porting(_porting_record(tmp_path, arrays), stored, ["general.*"])
    assert result["status"] == "agrees" and 0 < result["max_abs_diff_float32"] <= compare.PORTING_TOL
    assert result["compared"] == sorted(arrays)


def test_porting_check_catches_another_output(tmp_path):
    stored = data.load("porting_torch")
    out = stored["portable.onnxruntime_lbr0"].copy()
    out[-1, 0, 0] += 1e-4
    path = _porting_record(tmp_path, {"portable.onnxruntime_lbr0": out})
    result = compare.check_porting(path, stored, ["portable.onnxruntime_lbr0"])
    assert result["status"].startswith("DISAGREES") and np.isclose(result["max_abs_diff_float32"], 1e-4, rtol=1e-2)


def test_porting_check_catches_a_missing_array_a_wrong_shape_and_an_empty_pattern(tmp_path):
    stored = data.load("porting_haiku")
    probes = {k: stored[k] for k in stored if k.startswith("probe.")}
    missing = dict(probes)
    missing.pop("probe.bias 1")
    result = compare.check_porting(_porting_record(tmp_path, missing), stored, ["probe.*"])
    assert result["status"].startswith("DISAGREES") and "missing probe.bias 1" in result["status"]
    result = compare.check_porting(
        _porting_record(tmp_path, {**probes, "probe.bias 0": np.zeros(2)}), stored, ["probe.*"]
    )
    assert result["status"].startswith("DISAGREES") and "other shape" in result["status"]
    result = compare.check_porting(_porting_record(tmp_path, probes), stored, ["nothing.*"])
    assert result["status"].startswith("DISAGREES") and result["max_abs_diff_float32"] is None
