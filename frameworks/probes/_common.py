"""Shared by every probe: sizes, seeded inputs, random native weights and the .npz record.

A probe runs inside its framework's own environment (numpy is the only other import), builds the
framework's GRU, overwrites **every** parameter (biases included, so that no bias hypothesis is
left untestable by a zero initialisation) with seeded uniform values in [-0.8, 0.8], runs it on
(xs, h0) in float32 and, where the framework allows, float64 (the same values, cast), and calls
:func:`save`. The comparison with gru_lib happens later, in the main .venv (frameworks/compare.py).
"""

from __future__ import annotations

import json
import sys
import traceback
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

T, B, D, H = 5, 2, 3, 4  # D != H, so that every transpose shows in a shape


def rng_for(row: str) -> np.random.Generator:
    """A generator seeded by the row's name (stable across runs and machines)."""
    return np.random.default_rng(zlib.crc32(row.encode()))


def inputs(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``xs`` (T, B, D) time-major and ``h0`` (B, H), float32."""
    xs = rng.normal(size=(T, B, D)).astype(np.float32)
    h0 = rng.uniform(-0.9, 0.9, size=(B, H)).astype(np.float32)
    return xs, h0


def uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """float32 values in [-0.8, 0.8]: large enough that every gate and bias visibly matters."""
    return rng.uniform(-0.8, 0.8, size=shape).astype(np.float32)


def randomize(rng: np.random.Generator, shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """New float32 values for each named parameter shape (in sorted name order)."""
    return {k: uniform(rng, tuple(shapes[k])) for k in sorted(shapes)}


def save(
    outdir: Path,
    row: str,
    *,
    api: str,
    version: str,
    layout: str,
    weights: dict[str, np.ndarray],
    xs: np.ndarray,
    h0: np.ndarray,
    out32: np.ndarray,
    out64: np.ndarray | None,
    f64_note: str = "",
    ran: str = "",
) -> None:
    """Write ``<outdir>/<row>.npz``: weights as ``w:<name>``, xs, h0, out32 (T, B, H), out64 if run,
    and a JSON ``meta`` (api, version, layout = the adapter compare.py uses, notes)."""
    out32 = np.asarray(out32)
    if out32.shape != (T, B, H):
        raise ValueError(f"{row}: out32 must have shape {(T, B, H)}; got {out32.shape}")
    arrays = {f"w:{k}": np.asarray(v) for k, v in weights.items()}
    arrays.update(xs=xs, h0=h0, out32=out32.astype(np.float32))
    if out64 is not None:
        out64 = np.asarray(out64)
        if out64.dtype != np.float64:
            raise ValueError(f"{row}: out64 must be float64; got {out64.dtype}")
        arrays["out64"] = out64
    meta = {"row": row, "api": api, "version": version, "layout": layout, "f64_note": f64_note, "ran": ran}
    np.savez(outdir / f"{row}.npz", meta=np.array(json.dumps(meta)), **arrays)
    print(f"  wrote {row}.npz")


def float64_or_reason(fn: Callable[[], np.ndarray]) -> tuple[np.ndarray | None, str]:
    """Run the float64 variant; on an exception return (None, the framework's own message)."""
    try:
        return np.asarray(fn()), ""
    except Exception as err:
        msg = " ".join(str(err).split())
        return None, f"float64 refused: {type(err).__name__}: {msg[:300]}"


def main(probes: dict[str, Callable[[Path], None]]) -> int:
    """``python probe_x.py OUTDIR [ROW ...]``: run the probes (all by default); exit 1 if any raised."""
    outdir = Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    chosen = sys.argv[2:] or list(probes)
    bad = 0
    for name in chosen:
        try:
            probes[name](outdir)
        except Exception:
            bad += 1
            (outdir / f"{name}.error").write_text(traceback.format_exc())
            print(f"  {name} FAILED:\n{traceback.format_exc()}", file=sys.stderr)
    return 1 if bad else 0
