"""``make frameworks``: every row of the book's convention map, run live.

    .venv/bin/python frameworks/run.py [--only FAMILY ...] [--out PATH]

1. ``envs.py`` builds (or reuses) one environment per family under ``_build/frameworks/envs``;
2. each probe named in ``expected.json`` runs in its family's env and writes
   ``_build/frameworks/out/<row>.npz`` (log in ``_build/frameworks/logs/<probe>.log``); a probe
   whose records are newer than the probe script, ``_common.py`` and its env is not rerun
   (``--force`` reruns all);
3. ``compare.py`` (here, in the main .venv) identifies each row by trying every hypothesis;
4. the rows go to ``chapters/gru_book/data/frameworks.json``; a row whose identification is not
   unique, or that differs from ``expected.json``, or whose probe failed, makes the exit code 1.
   A family whose environment cannot be installed is recorded with the installer's reason and
   fails the run too, except the families listed in ``OPTIONAL`` (recorded, not failing).
5. the ``layout_checks`` of expected.json run in the same probes (record ``layout_<check>.npz``):
   ``gru_lib.layouts`` writes random models into each framework and reads its own initialised
   parameters back (``compare.check_layout``); they go to the JSON's ``layout_checks``, and one
   that disagrees (or whose probe failed) fails the run too.
6. the ``porting_checks`` of expected.json run in the same probes (record ``porting_<check>.npz``):
   the porting chapter's stored models run again in real Haiku and onnxruntime from the stored
   arrays, compared with the package data ``chapters/gru_book/data/porting_*.npz``
   (``compare.check_porting``); they go to the JSON's ``porting_checks``, and one that disagrees
   (or whose probe failed) fails the run too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import compare  # noqa: E402
import envs  # noqa: E402

OUT = envs.BUILD / "out"
LOGS = envs.BUILD / "logs"
DATA = envs.ROOT / "chapters" / "gru_book" / "data" / "frameworks.json"
BOOK = envs.ROOT / "chapters" / "gru_book"
#: Families whose install may fail on some machine without failing the run (recorded with the reason).
OPTIONAL = {"mxnet", "mlx"}
FIELDS = ("update", "reset", "gate_order", "bias")


def expected() -> dict[str, dict]:
    """The rows of frameworks/expected.json."""
    return json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["rows"]


def layout_checks() -> dict[str, dict]:
    """The layout checks of frameworks/expected.json, keyed by their record name ``layout_<check>``."""
    checks = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["layout_checks"]
    return {f"layout_{k}": v for k, v in checks.items()}


def porting_checks() -> dict[str, dict]:
    """The porting checks of frameworks/expected.json, keyed by their record name ``porting_<check>``."""
    checks = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["porting_checks"]
    return {f"porting_{k}": v for k, v in checks.items()}


def _stored(name: str) -> dict[str, np.ndarray]:
    """The arrays of one stored porting file, chapters/gru_book/data/<name>.npz."""
    with np.load(BOOK / "data" / f"{name}.npz") as z:
        return {k: z[k] for k in z.files}


def _fresh(names: list[str], probe: str, family: str) -> bool:
    """Whether every record of a probe group is newer than the probe, _common.py and the env's stamp."""
    inputs = [
        HERE / "probes" / f"{probe}.py",
        HERE / "probes" / "_common.py",
        envs.ENVS / family / ".requirements.json",
    ]
    if any(n.startswith("layout_") for n in names):  # written by gru_lib.layouts inside the probe
        inputs += sorted((envs.ROOT / "gru_lib").rglob("*.py"))
    if any(n.startswith("porting_") for n in names):  # the stored data, ported by gru_book inside the probe
        inputs += sorted((envs.ROOT / "gru_lib").rglob("*.py"))
        inputs += [BOOK / "porting.py", BOOK / "probe.py", *sorted((BOOK / "data").glob("porting_*.npz"))]
    newest = max(p.stat().st_mtime for p in inputs if p.exists())
    outs = [OUT / f"{n}.npz" for n in names]
    return all(o.exists() and o.stat().st_mtime > newest for o in outs)


def run_probes(rows: dict[str, dict], families: list[str], force: bool = False) -> dict[tuple[str, str], float]:
    """Run every (probe, env) group once in its env (``rows``: the rows and the layout checks, by
    record name), unless its records are up to date (``force`` reruns them); returns seconds per group."""
    groups: dict[tuple[str, str], list[str]] = {}
    for name, r in rows.items():
        if r.get("probe") and r["family"] in families:
            key = (r["probe"], json.dumps(r.get("env", {}), sort_keys=True))
            groups.setdefault(key, []).append(name)
    seconds = {}
    LOGS.mkdir(parents=True, exist_ok=True)
    for (probe, env_json), names in groups.items():
        family = rows[names[0]]["family"]
        py = envs.env_python(family)
        if not py.exists():
            continue
        if not force and _fresh(names, probe, family):
            print(f"probe {probe:28s} cached  {', '.join(names)}", flush=True)
            continue
        for n in names:  # a rerun that fails must not leave the last run's record behind
            (OUT / f"{n}.npz").unlink(missing_ok=True)
        env = {
            **os.environ,
            **json.loads(env_json),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONPYCACHEPREFIX": str(envs.BUILD / "pycache"),
        }  # byte-code cached there: imports 2-3x faster
        env.pop("PYTHONPATH", None)  # the env's own packages only; gru_lib is not needed there
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        start = time.monotonic()
        tag = probe + "".join(f"-{v}" for v in json.loads(env_json).values())
        with open(LOGS / f"{tag}.log", "w") as log:
            subprocess.run(
                [str(py), str(HERE / "probes" / f"{probe}.py"), str(OUT), *names],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=900,
                cwd=envs.BUILD,
            )
        seconds[(probe, env_json)] = time.monotonic() - start
        print(f"probe {tag:28s} {seconds[(probe, env_json)]:6.1f} s  {', '.join(names)}", flush=True)
    return seconds


def entry(name: str, want: dict, env_status: dict[str, dict], today: str) -> dict:
    """The JSON entry of one row: measured, or why not, and its verdict against expected.json."""
    base = {
        "row": name,
        "name": want["name"],
        "family": want["family"],
        "storage": want["storage"],
        "expected": {k: want[k] for k in FIELDS},
        "expected_from": want["from"],
        "date": today,
    }
    if want.get("run") is False:
        return {**base, "status": "not run here", "why": want["why"]}
    missing = _not_run(name, want["family"], env_status)
    if missing:
        return {**base, **missing}
    path = OUT / f"{name}.npz"
    m = compare.identify(path)
    row = {
        **base,
        "api": m["api"],
        "version": m["version"],
        "ran": m["ran"],
        "hypotheses_tried": m["hypotheses_tried"],
        "survivors": m["survivors"],
    }
    if m["survivors"] != 1:
        return {
            **row,
            "status": f"not identified ({m['survivors']} hypotheses survive)",
            "survivor_list": m.get("survivor_list", []),
        }
    row.update({k: m[k] for k in FIELDS})
    row.update(
        max_abs_diff_float32=m["max_abs_diff_float32"],
        max_abs_diff_float64=m["max_abs_diff_float64"],
        float64_note=m["f64_note"] or None,
    )
    if "runner_up_max_abs_diff" in m:
        row["runner_up_max_abs_diff"] = m["runner_up_max_abs_diff"]
    wrong = [k for k in FIELDS if row[k] != want[k]]
    row["status"] = "agrees" if not wrong else "DISAGREES on " + ", ".join(wrong)
    return row


def _not_run(name: str, family: str, env_status: dict[str, dict]) -> dict | None:
    """Why the probe record ``name`` is missing (its family did not install, or the probe wrote no
    record), as the entry's status and reason; None when the record is there."""
    status = env_status.get(family, {})
    if status.get("error"):
        return {"status": "not installed", "why": status["error"]}
    if not (OUT / f"{name}.npz").exists():
        err = OUT / f"{name}.error"
        why = err.read_text().strip().splitlines()[-1] if err.exists() else "the probe wrote no record"
        return {"status": "probe failed", "why": why}
    return None


def layout_entry(name: str, spec: dict, env_status: dict[str, dict], today: str) -> dict:
    """The JSON entry of one layout check: compare.check_layout's result, or why it did not run."""
    base = {"check": name[len("layout_") :], "family": spec["family"], "layout": spec["layout"], "date": today}
    missing = _not_run(name, spec["family"], env_status)
    if missing:
        return {**base, **missing}
    path = OUT / f"{name}.npz"
    try:
        return {**base, **compare.check_layout(path)}
    except (TypeError, ValueError) as err:  # gru_lib.layouts refused the framework's own parameters
        return {**base, "status": f"DISAGREES: from_{spec['layout']} refused the framework's parameters: {err}"}


def porting_entry(name: str, spec: dict, env_status: dict[str, dict], today: str) -> dict:
    """The JSON entry of one porting check: compare.check_porting's result, or why it did not run."""
    check, stored = name[len("porting_") :], f"{spec['stored']}.npz"
    base = {"check": check, "family": spec["family"], "stored": stored, "date": today}
    missing = _not_run(name, spec["family"], env_status)
    if missing:
        return {**base, **missing}
    path = OUT / f"{name}.npz"
    return {**base, **compare.check_porting(path, _stored(spec["stored"]), spec["keys"])}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", default=list(envs.FAMILIES), help="families to install and run")
    ap.add_argument("--out", type=Path, default=DATA, help="where the JSON goes")
    ap.add_argument("--force", action="store_true", help="rerun every probe, even those whose records are current")
    args = ap.parse_args(argv)
    start = time.monotonic()
    rows = expected()
    env_status = {}
    for fam in args.only:
        env_status[fam] = rec = envs.ensure(fam)
        what = "installed" if rec["installed"] else ("FAILED" if rec["error"] else "cached")
        print(f"env   {fam:28s} {rec['seconds']:6.1f} s  {what}, {rec['bytes'] / 2**20:.0f} MiB", flush=True)
    setup = time.monotonic() - start
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob("*.error"):
        f.unlink()
    checks = layout_checks()
    ports = porting_checks()
    run_probes({**rows, **checks, **ports}, args.only, args.force)
    today = dt.date.today().isoformat()
    chosen = {n: r for n, r in rows.items() if r["family"] in args.only or r.get("run") is False}
    entries = [entry(n, r, env_status, today) for n, r in chosen.items()]
    layout_entries = [layout_entry(n, c, env_status, today) for n, c in checks.items() if c["family"] in args.only]
    porting_entries = [porting_entry(n, c, env_status, today) for n, c in ports.items() if c["family"] in args.only]
    doc = {
        "_doc": "Written by make frameworks (frameworks/run.py); one entry per row of the convention map. "
        "Measured fields come from trying every hypothesis (frameworks/compare.py); expected ones "
        "from frameworks/expected.json. max_abs_diff_*: largest |framework - gru_lib| over (T, B, H) = "
        f"{compare_sizes()} in that dtype; null with float64_note when the framework refused float64.",
        "generated": today,
        "tolerance_float32": compare.TOL32,
        "environments": {
            f: {
                "bytes": s["bytes"],
                "installed_this_run": s["installed"],
                "install_seconds": round(s["seconds"], 1) if s["installed"] else None,
                "requirements": f"frameworks/{f}.txt",
                "error": s["error"],
            }
            for f, s in env_status.items()
        },
        "rows": entries,
        "layout_checks": layout_entries,
        "porting_checks": porting_entries,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    bad = [
        e
        for e in entries
        if e["status"] not in ("agrees", "not run here")
        and not (e["status"] == "not installed" and e["family"] in OPTIONAL)
    ]
    bad += [
        e
        for e in layout_entries + porting_entries
        if e["status"] != "agrees" and not (e["status"] == "not installed" and e["family"] in OPTIONAL)
    ]
    for e in entries:
        d32, d64 = e.get("max_abs_diff_float32"), e.get("max_abs_diff_float64")
        diffs = "" if d32 is None else f" f32 {d32:.1e} f64 {'-' if d64 is None else f'{d64:.1e}'}"
        print(f"{e['row']:30s} {e['status']}{diffs}")
    for e in layout_entries:
        d32 = e.get("max_abs_diff_float32")
        print(f"{e['check']:30s} {e['status']}{'' if d32 is None else f' f32 {d32:.1e}'}")
    for e in porting_entries:
        d32 = e.get("max_abs_diff_float32")
        print(f"porting {e['check']:22s} {e['status']}{'' if d32 is None else f' f32 {d32:.1e}'}")
    print(
        f"wrote {args.out.relative_to(envs.ROOT) if args.out.is_relative_to(envs.ROOT) else args.out}; "
        f"set-up {setup:.0f} s, total {time.monotonic() - start:.0f} s; "
        f"{len(bad)} row(s), layout or porting check(s) failed"
    )
    return 1 if bad else 0


def compare_sizes() -> str:
    sys.path.insert(0, str(HERE / "probes"))
    from _common import B, H, T

    return f"({T}, {B}, {H})"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
