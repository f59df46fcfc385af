"""ONNX ``GRU`` (one node, direction forward) in onnx's reference evaluator and in onnxruntime,
``linear_before_reset`` 0 (the default) and 1; float32 and float64 (onnxruntime's CPU GRU has no
double kernel: its refusal is recorded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from _common import D, H, float64_or_reason, inputs, main, randomize, rng_for, save
from onnx import TensorProto, helper


def model(lbr: int, elem: int) -> onnx.ModelProto:
    node = helper.make_node("GRU", ["X", "W", "R", "B", "", "initial_h"], ["Y"], hidden_size=H, linear_before_reset=lbr)
    names = ("X", "W", "R", "B", "initial_h")
    graph = helper.make_graph(
        [node],
        "gru",
        [helper.make_tensor_value_info(n, elem, None) for n in names],
        [helper.make_tensor_value_info("Y", elem, None)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)], ir_version=10)


def evaluate(engine: str, lbr: int, feeds: dict[str, np.ndarray], dtype: type) -> np.ndarray:
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    m = model(lbr, elem)
    feeds = {k: v.astype(dtype) for k, v in feeds.items()}
    if engine == "reference":
        from onnx.reference import ReferenceEvaluator

        (y,) = ReferenceEvaluator(m).run(None, feeds)
    else:
        import onnxruntime as ort

        ort.set_default_logger_severity(4)  # its refusal of float64 is recorded, not logged
        sess = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
        (y,) = sess.run(None, feeds)
    return np.asarray(y)[:, 0]  # Y is [T, num_directions, B, H]


def probe(engine: str, lbr: int):
    row = f"onnx_{'reference' if engine == 'reference' else 'onnxruntime'}_lbr{lbr}"

    def run_probe(outdir: Path) -> None:
        rng = rng_for(row)
        xs, h0 = inputs(rng)
        w = randomize(rng, {"W": (1, 3 * H, D), "R": (1, 3 * H, H), "B": (1, 6 * H)})
        feeds = {**w, "X": xs, "initial_h": h0[None]}
        if engine == "reference":
            version = f"onnx {onnx.__version__} (onnx.reference.ReferenceEvaluator)"
        else:
            import onnxruntime as ort

            version = f"onnxruntime {ort.__version__} (CPUExecutionProvider), onnx {onnx.__version__}"
        out64, note = float64_or_reason(lambda: evaluate(engine, lbr, feeds, np.float64))
        save(
            outdir,
            row,
            api=f"ONNX GRU, linear_before_reset={lbr}, opset 22",
            version=version,
            layout="onnx",
            weights=w,
            xs=xs,
            h0=h0,
            out32=evaluate(engine, lbr, feeds, np.float32),
            out64=out64,
            f64_note=note,
            ran="one GRU node, X time-major, initial_h given",
        )

    return run_probe


if __name__ == "__main__":
    raise SystemExit(
        main(
            {
                f"onnx_{e}_lbr{lbr}": probe(e if e == "reference" else "ort", lbr)
                for e in ("reference", "onnxruntime")
                for lbr in (0, 1)
            }
        )
    )
