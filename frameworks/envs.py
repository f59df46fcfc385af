"""Create (or reuse) one virtual environment per framework family under _build/frameworks/envs/.

    .venv/bin/python frameworks/envs.py [FAMILY ...]      # all families by default

Each family's pinned, fully resolved requirements are ``frameworks/<family>.txt`` (compiled with
``uv pip compile`` from ``<family>.in``). An environment is rebuilt only when the sha256 of its
requirement file changed (stored in ``<env>/.requirements.json``), so a second run installs
nothing. ``uv`` itself lives in a bootstrap venv (``_build/frameworks/bootstrap``); its download
cache (``~/.cache/uv``) is kept between runs. A family whose install fails is recorded (with the
installer's last lines) in ``_build/frameworks/envs/<family>.failed`` and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = ROOT / "_build" / "frameworks"
ENVS = BUILD / "envs"
BOOTSTRAP = BUILD / "bootstrap"
UV_VERSION = "0.13.9"
PYTHON = "3.11"
#: Local wheels of this kind of machine (the CPU build of torch lies there); PyPI for the rest.
FIND_LINKS = Path("/opt/wheels")
FAMILIES = ("torch", "jax", "tensorflow", "paddle", "mlx", "mxnet")


def uv() -> Path:
    """The uv binary of the bootstrap venv, installed from PyPI on first use."""
    exe = BOOTSTRAP / "bin" / "uv"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BOOTSTRAP)], check=True)
        subprocess.run(
            [str(BOOTSTRAP / "bin" / "python"), "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"], check=True
        )
    return exe


def env_python(family: str) -> Path:
    """The interpreter of one family's environment."""
    return ENVS / family / "bin" / "python"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def ensure(family: str) -> dict:
    """Build ``family``'s env if its requirement file changed; returns a status record
    ``{"family", "installed" (bool), "seconds", "bytes", "error"}``."""
    req = HERE / f"{family}.txt"
    env = ENVS / family
    stamp = env / ".requirements.json"  # {"sha256": ..., "bytes": ...} of the last good install
    failed = ENVS / f"{family}.failed"
    want = _sha(req)
    if stamp.exists() and json.loads(stamp.read_text()).get("sha256") == want:
        size = json.loads(stamp.read_text())["bytes"]
        return {"family": family, "installed": False, "seconds": 0.0, "bytes": size, "error": None}
    if failed.exists() and failed.read_text().startswith(want):
        return {
            "family": family,
            "installed": False,
            "seconds": 0.0,
            "bytes": 0,
            "error": failed.read_text().split("\n", 1)[1],
        }
    start = time.monotonic()
    shutil.rmtree(env, ignore_errors=True)
    failed.unlink(missing_ok=True)
    ENVS.mkdir(parents=True, exist_ok=True)
    exe = str(uv())
    subprocess.run([exe, "venv", "-q", "--python", PYTHON, str(env)], check=True)
    cmd = [exe, "pip", "install", "-q", "--python", str(env_python(family)), "-r", str(req)]
    if FIND_LINKS.is_dir():
        cmd += ["--find-links", str(FIND_LINKS)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if proc.returncode:
        error = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-6:])
        failed.write_text(want + "\n" + error)
        shutil.rmtree(env, ignore_errors=True)
        return {"family": family, "installed": False, "seconds": seconds, "bytes": 0, "error": error}
    size = _size(env)
    stamp.write_text(json.dumps({"sha256": want, "bytes": size}) + "\n")
    return {"family": family, "installed": True, "seconds": seconds, "bytes": size, "error": None}


def main(argv: list[str]) -> int:
    families = argv or list(FAMILIES)
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        print(f"unknown families {unknown}; choose from {FAMILIES}", file=sys.stderr)
        return 2
    records = []
    for family in families:
        rec = ensure(family)
        records.append(rec)
        what = "installed" if rec["installed"] else ("FAILED" if rec["error"] else "cached")
        print(f"env {family:10s} {what:9s} {rec['seconds']:6.1f} s {rec['bytes'] / 2**20:8.0f} MiB", flush=True)
        if rec["error"]:
            print("    " + rec["error"].replace("\n", "\n    "), flush=True)
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / "envs.json").write_text(json.dumps(records, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
