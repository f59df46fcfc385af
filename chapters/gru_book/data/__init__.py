"""Outputs that real frameworks computed, shipped with the book as package data.

``tools/make_framework_fixtures.py`` wrote each ``.npz`` by running the framework on random weights
and inputs (versions in ``framework_versions.txt``); the tests regenerate them live and compare. The
chapters read them through :func:`load`, so that a reader needs none of the frameworks.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["NAMES", "folder", "frameworks", "load", "versions"]

#: The stored framework runs, by file stem.
NAMES = (
    "torch_gru",
    "torch_grucell",
    "keras_reset_after",
    "keras_reset_before",
    "onnx_lbr0",
    "onnx_lbr1",
    "porting_torch",  # the porting chapter: trained nn.GRU, its onnxruntime runs, the probe on nn.GRU
    "porting_haiku",  # the same models' Haiku ports run in hk.GRU, the probe on hk.GRU
)


def folder() -> Path:
    """The folder that holds the data files."""
    return Path(str(resources.files(__name__)))


def load(name: str) -> dict[str, np.ndarray]:
    """The arrays of one stored framework run, by name (one of :data:`NAMES`)."""
    if not isinstance(name, str) or name not in NAMES:
        raise ValueError(f"name must be one of {', '.join(NAMES)}; got {name!r}")
    with np.load(folder() / f"{name}.npz") as data:
        return {key: data[key] for key in data.files}


def versions() -> str:
    """The framework versions that wrote the data, one per line."""
    return (folder() / "framework_versions.txt").read_text(encoding="utf-8").strip()


def frameworks() -> dict[str, Any]:
    """The live convention map that ``make frameworks`` measured (``frameworks.json``).

    ``rows``: one dict per framework row (name, api, version, the measured update convention, reset
    placement, gate order and bias layout, the largest difference from gru_lib in float32 and
    float64, the date); ``environments``: the installed families and their versions.
    """
    return json.loads((folder() / "frameworks.json").read_text(encoding="utf-8"))
