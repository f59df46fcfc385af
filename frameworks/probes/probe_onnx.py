"""ONNX ``GRU`` (one node, direction forward) in onnx's reference evaluator and in onnxruntime,
``linear_before_reset`` 0 (the default) and 1; float32 and float64 (onnxruntime's CPU GRU has no
double kernel: its refusal is recorded).

The ``porting_onnxruntime_lbr*`` checks run the porting chapter's stored portable model again: its
Haiku port (``gru_book.porting.haiku_port`` of the state in chapters/gru_book/data/porting_torch.npz)
written as an ONNX node by ``gru_lib.layouts.to_onnx`` and run by onnxruntime, linear_before_reset
0 and 1; frameworks/run.py compares them with the stored outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from _common import (
    B,
    D,
    H,
    T,
    book,
    float64_or_reason,
    inputs,
    layout_check,
    layouts,
    main,
    randomize,
    rng_for,
    save,
    save_porting_check,
    stored,
    stored_state,
)
from onnx import TensorProto, helper


def model(lbr: int, elem: int, hidden: int = H) -> onnx.ModelProto:
    node = helper.make_node(
        "GRU", ["X", "W", "R", "B", "", "initial_h"], ["Y"], hidden_size=hidden, linear_before_reset=lbr
    )
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
    m = model(lbr, elem, hidden=feeds["R"].shape[-1])
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


def _torch_exported() -> tuple[dict[str, np.ndarray], int]:
    """W, R, B and linear_before_reset of the GRU node torch.onnx.export writes for a fresh nn.GRU."""
    import io

    import torch
    from onnx import numpy_helper

    torch.manual_seed(1)
    buf = io.BytesIO()
    torch.onnx.export(torch.nn.GRU(D, H), (torch.zeros(T, B, D), torch.zeros(1, B, H)), buf, dynamo=False)
    graph = onnx.load_from_string(buf.getvalue()).graph
    (node,) = [n for n in graph.node if n.op_type == "GRU"]
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    lbr = next(helper.get_attribute_value(a) for a in node.attribute if a.name == "linear_before_reset")
    return dict(zip(("W", "R", "B"), (init[n] for n in node.input[1:4]), strict=True)), int(lbr)


def layout_onnx(outdir: Path) -> None:
    """gru_lib.layouts.to_onnx into one GRU node in onnxruntime (linear_before_reset 1 and 0); the
    node torch.onnx.export writes for a fresh nn.GRU read back with from_onnx."""
    import onnxruntime as ort
    import torch

    native, lbr = _torch_exported()

    def run_native(w, xs, h0, reset=None):
        return evaluate("ort", int(reset == "after"), {**w, "X": xs, "initial_h": h0[None]}, np.float32)

    version = (
        f"onnxruntime {ort.__version__}, onnx {onnx.__version__}; init: torch {torch.__version__} torch.onnx.export"
    )
    layout_check(
        outdir,
        "onnx_onnxruntime",
        "onnx",
        "all",
        ("after", "before"),
        run_native,
        lambda: native,
        "ONNX GRU node in onnxruntime (CPUExecutionProvider)",
        version,
        from_kwargs=lambda _: {"linear_before_reset": lbr},
        init_reset="after" if lbr else "before",
    )


def porting_onnxruntime(lbr: int):
    """The stored portable model's Haiku port as one ONNX GRU node (admit, reset before) in onnxruntime."""

    def run_check(outdir: Path) -> None:
        import onnxruntime as ort

        porting, _ = book()
        L = layouts()
        w = L.to_onnx(L.from_haiku(porting.haiku_port(stored_state("portable"))).params, update="admit", reset="before")
        torch_side = stored("porting_torch")
        feeds = {**w, "X": torch_side["xs"], "initial_h": torch_side["h0"][None]}
        save_porting_check(
            outdir,
            f"onnxruntime_lbr{lbr}",
            api=f"ONNX GRU, linear_before_reset={lbr}, opset 22, in onnxruntime (CPUExecutionProvider)",
            version=f"onnxruntime {ort.__version__}, onnx {onnx.__version__}",
            arrays={f"portable.onnxruntime_lbr{lbr}": evaluate("ort", lbr, feeds, np.float32)},
        )

    return run_check


if __name__ == "__main__":
    raise SystemExit(
        main(
            {
                f"onnx_{e}_lbr{lbr}": probe(e if e == "reference" else "ort", lbr)
                for e in ("reference", "onnxruntime")
                for lbr in (0, 1)
            }
            | {"layout_onnx_onnxruntime": layout_onnx}
            | {f"porting_onnxruntime_lbr{lbr}": porting_onnxruntime(lbr) for lbr in (0, 1)}
        )
    )
