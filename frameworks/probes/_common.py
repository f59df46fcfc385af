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


# ------------------------------------------------------------------ layout checks (gru_lib.layouts, live)
def layouts():
    """``gru_lib.layouts`` (numpy only) from this checkout, for the layout checks: the probes' rows
    themselves never import gru_lib."""
    root = str(Path(__file__).resolve().parents[2])
    if root not in sys.path:
        sys.path.insert(0, root)
    from gru_lib import layouts as L

    return L


def layout_model(seed: int, rec: str):
    """A random float32 gru_lib parameter set (scale 0.8) holding the recurrent biases a layout can
    store: ``rec`` is "all", "h" (candidate only) or "none"."""
    layouts()
    from gru_lib import GRUParams

    p = GRUParams.random(D, H, seed=seed, scale=0.8, recurrent_biases=rec != "none", dtype=np.float32)
    return p.replace(b_z_rec=None, b_r_rec=None) if rec == "h" else p


def flatten(tree: dict, prefix: str = "") -> dict[str, np.ndarray]:
    """Nested dict of arrays -> ``{"a|b": array}`` ("|" joins the levels: names may hold "/")."""
    out = {}
    for k, v in tree.items():
        name = f"{prefix}{k}"
        out.update(flatten(v, name + "|") if isinstance(v, dict) else {name: np.asarray(v)})
    return out


def save_layout_check(
    outdir: Path,
    check: str,
    *,
    layout: str,
    api: str,
    version: str,
    xs: np.ndarray,
    h0: np.ndarray,
    exports: list[tuple[object, str, str, np.ndarray]],
    native_init: dict,
    out_init: np.ndarray,
    from_kwargs: dict | None = None,
    to_kwargs: dict | None = None,
) -> None:
    """Write ``<outdir>/layout_<check>.npz`` for frameworks/compare.py's :func:`check_layout`.

    ``exports``: (gru_lib params, update, reset, framework's float32 output (T, B, H)) for models
    written into the framework with ``L.to_<layout>``; ``native_init``: the framework's own freshly
    initialised parameters (nested as the layout is) and ``out_init`` its output with them, to be read
    back with ``L.from_<layout>(native_init, **from_kwargs)``.
    """
    arrays: dict[str, np.ndarray] = {"xs": xs, "h0": h0, "out_init": np.asarray(out_init, np.float32)}
    meta_exports = []
    for i, (p, update, reset, out) in enumerate(exports):
        out = np.asarray(out)
        if out.shape != (T, B, H):
            raise ValueError(f"{check}: export {i} output must have shape {(T, B, H)}; got {out.shape}")
        arrays.update({f"e{i}:p:{k}": v for k, v in p})
        arrays[f"e{i}:out"] = out.astype(np.float32)
        meta_exports.append({"update": update, "reset": reset})
    arrays.update({f"n:{k}": v for k, v in flatten(native_init).items()})
    meta = {
        "check": check,
        "layout": layout,
        "api": api,
        "version": version,
        "exports": meta_exports,
        "from_kwargs": from_kwargs or {},
        "to_kwargs": to_kwargs or {},
    }
    np.savez(outdir / f"layout_{check}.npz", meta=np.array(json.dumps(meta)), **arrays)
    print(f"  wrote layout_{check}.npz")


def layout_check(
    outdir: Path,
    check: str,
    layout: str,
    rec: str,
    resets: tuple[str, ...],
    run_native: Callable[..., np.ndarray],
    init_native: Callable[[], dict],
    api: str,
    version: str,
    *,
    to_kwargs: dict | None = None,
    from_kwargs: Callable[[dict], dict] | None = None,
    init_reset: str | None = None,
) -> None:
    """Export random gru_lib models (keep and admit, for each placement in ``resets``) with
    ``to_<layout>`` and run each with ``run_native(native, xs, h0, reset)`` (float32, (T, B, H));
    record the framework's own initialised parameters ``init_native()`` and its output with them
    (``run_native(native, xs, h0, init_reset)``)."""
    L = layouts()
    xs, h0 = inputs(rng_for(check))
    to = getattr(L, f"to_{layout}")
    exports = []
    for i, (update, reset) in enumerate((u, r) for r in resets for u in ("keep", "admit")):
        p = layout_model(100 + i, "none" if (layout in ("keras", "tf_keras") and reset == "before") else rec)
        native = to(p, update=update, reset=reset, **(to_kwargs or {}))
        exports.append((p, update, reset, run_native(native, xs, h0, reset)))
    native = init_native()
    save_layout_check(
        outdir,
        check,
        layout=layout,
        api=api,
        version=version,
        xs=xs,
        h0=h0,
        exports=exports,
        native_init=native,
        out_init=run_native(native, xs, h0, init_reset),
        to_kwargs=to_kwargs,
        from_kwargs=from_kwargs(native) if from_kwargs else None,
    )


# ------------------------------------------------------------------ porting checks (the porting chapter, again)
#: The book's package data: the porting chapter's stored runs (porting_torch.npz, porting_haiku.npz).
DATA = Path(__file__).resolve().parents[2] / "chapters" / "gru_book" / "data"


def book():
    """The book's numpy-only helpers ``gru_book.porting`` and ``gru_book.probe`` (and gru_lib) from
    this checkout, for the porting checks; returns the two modules."""
    layouts()
    chapters = str(DATA.parents[1])
    if chapters not in sys.path:
        sys.path.insert(0, chapters)
    from gru_book import porting, probe

    return porting, probe


def stored(name: str) -> dict[str, np.ndarray]:
    """The arrays of one stored porting file, ``chapters/gru_book/data/<name>.npz``."""
    with np.load(DATA / f"{name}.npz") as z:
        return {k: z[k] for k in z.files}


def stored_state(name: str) -> dict[str, np.ndarray]:
    """The stored PyTorch state dict of the porting chapter's ``name`` model ("portable", "general")."""
    porting, _ = book()
    torch_side = stored("porting_torch")
    return {k: torch_side[f"{name}.{k}"] for k in porting.STATE_KEYS}


def save_porting_check(outdir: Path, check: str, *, api: str, version: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``<outdir>/porting_<check>.npz``: arrays named as in the stored porting file they are
    compared with (frameworks/compare.py's :func:`check_porting`), and a JSON ``meta``."""
    meta = {"check": check, "api": api, "version": version}
    np.savez(outdir / f"porting_{check}.npz", meta=np.array(json.dumps(meta)), **arrays)
    print(f"  wrote porting_{check}.npz")
