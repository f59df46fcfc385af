"""The cuDNN row, checked on a machine with an NVIDIA GPU (not run on the project's CPU machines).

Usage, on a CUDA machine with a CUDA build of PyTorch and this repository checked out::

    python -m venv /tmp/cudnn && /tmp/cudnn/bin/pip install torch numpy   # a CUDA wheel of torch
    PYTHONPATH=. /tmp/cudnn/bin/python frameworks/cudnn_check.py [--out cudnn.json]

What it does: builds ``torch.nn.GRU(3, 4)`` with seeded random weights (every bias included),
runs it on the GPU with cuDNN **on** (``torch.backends.cudnn.enabled = True``, which dispatches to
``CUDNN_GRU``) and **off** (PyTorch's native CUDA kernels), in float32 and float64, and on the CPU;
then runs the same weights in ``gru_lib`` under every hypothesis of frameworks/compare.py (gate order
× keep/admit × reset before/after × bias side) and keeps those that reproduce the cuDNN output.
Exactly one must survive: the row the chapter's table gives (keep, reset after, r, z, h in
PyTorch's layout, two biases with b_hn inside r ⊙ (·)). It prints a JSON record of the measured
architecture, ``torch.backends.cudnn.version()``, the GPU's name and max |Δ| from gru_lib for each
of (cuDNN on, cuDNN off, CPU) × (float32, float64); exit code 0 when the cuDNN row agrees, 1 when
not, 2 when no GPU or no cuDNN is present. Paste the record into the cudnn_gru entry of
chapters/gru_book/data/frameworks.json (its status there is "not run here" until then).

gru_lib (numpy) is imported from this repository; nothing else of the project is needed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE), str(HERE / "probes")]

import compare  # noqa: E402
from _common import D, H, inputs, randomize, rng_for  # noqa: E402


def torch_run(w: dict[str, np.ndarray], xs: np.ndarray, h0: np.ndarray, device: str, cudnn: bool, dtype) -> np.ndarray:
    """``nn.GRU`` with the given state dict on ``device``, cuDNN on or off; returns (T, B, H)."""
    import torch

    torch.backends.cudnn.enabled = cudnn
    m = torch.nn.GRU(D, H).to(device=device, dtype=dtype)
    m.load_state_dict({k: torch.from_numpy(v).to(device=device, dtype=dtype) for k, v in w.items()})
    with torch.no_grad():
        out, _ = m(torch.from_numpy(xs).to(device, dtype), torch.from_numpy(h0).to(device, dtype)[None])
    return out.cpu().numpy()


def main(argv: list[str]) -> int:
    import torch

    ap = argparse.ArgumentParser(description="cuDNN's GRU against gru_lib")
    ap.add_argument("--out", type=Path, help="also write the record here")
    args = ap.parse_args(argv)
    if not torch.cuda.is_available() or not torch.backends.cudnn.is_available():
        print("no CUDA device or no cuDNN here: the cuDNN row stays 'not run here'", file=sys.stderr)
        return 2
    rng = rng_for("cudnn_gru")
    xs, h0 = inputs(rng)
    w = randomize(rng, {k: tuple(v.shape) for k, v in torch.nn.GRU(D, H).state_dict().items()})
    data = {
        **{f"w:{k}": v for k, v in w.items()},
        "xs": xs,
        "h0": h0,
        "out32": torch_run(w, xs, h0, "cuda", True, torch.float32),
        "out64": torch_run(w, xs, h0, "cuda", True, torch.float64),
    }
    measured = compare.identify_gru(data, "pytorch_gru")
    record = {
        "row": "cudnn_gru",
        "api": "torch.nn.GRU(3, 4) on CUDA, torch.backends.cudnn.enabled=True",
        "version": f"cuDNN {torch.backends.cudnn.version()}, torch {torch.__version__}",
        "gpu": torch.cuda.get_device_name(0),
        "date": dt.date.today().isoformat(),
        **measured,
    }
    if measured["survivors"] == 1:
        s = compare.ADAPTERS["pytorch_gru"](w)
        fields = {k: measured[k] for k in ("update", "reset", "gate_order", "bias")}
        h = next(x for x in compare.hypotheses(len(s.biases)) if compare._describe(x, s) == fields)
        for device, cudnn in (("cuda", True), ("cuda", False), ("cpu", False)):
            for name, tdt, ndt in (("float32", torch.float32, np.float32), ("float64", torch.float64, np.float64)):
                ref = compare.run(h.params(s, ndt), xs.astype(ndt), h0.astype(ndt), update=h.update, reset=h.reset).h
                got = torch_run(w, xs, h0, device, cudnn, tdt)
                record[f"max_abs_diff_{device}{'_cudnn' if cudnn else ''}_{name}"] = compare._maxdiff(got, ref)
    want = {"update": "keep", "reset": "after", "gate_order": "r,z,h", "bias": "input + recurrent"}
    record["status"] = "agrees" if all(record.get(k) == v for k, v in want.items()) else "DISAGREES"
    text = json.dumps(record, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0 if record["status"] == "agrees" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
