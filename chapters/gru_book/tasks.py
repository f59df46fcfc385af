"""A small memory task and a training loop for it.

The task: a sign s = ±1 appears on input channel 0 at the first step, and nothing more on that
channel afterwards; channel 1 carries random ±``noise`` distractors at every step. After
``steps`` steps the network must report s (logistic loss on a linear readout of the last
state). Chance is 50 % accuracy; doing better means the first input survived ``steps − 1``
updates, so how much of the old state each update keeps is what the task tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from gru_lib import checks
from gru_lib.backprop import Readout, logistic_loss, loss_and_grads
from gru_lib.cell import run
from gru_lib.convert import convert
from gru_lib.params import GRUParams, as_params

INPUT_SIZE = 2


@dataclasses.dataclass(frozen=True)
class MemoryTask:
    """Remember the sign shown at step 1 for ``steps`` steps. Inputs have D = 2 channels."""

    steps: int = 12
    batch: int = 32
    noise: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", checks.positive_int("steps", self.steps))
        object.__setattr__(self, "batch", checks.positive_int("batch", self.batch))
        object.__setattr__(self, "noise", checks.real_scalar("noise", self.noise, low=0.0))

    def sample(
        self, rng: int | np.random.Generator, batch: int | None = None, dtype: Any = np.float64
    ) -> tuple[np.ndarray, np.ndarray]:
        """A batch: ``xs`` (steps, B, 2) and ``targets`` (B, 1) holding the signs ±1.

        ``rng`` is a seed (a non-negative integer) or a ``numpy.random.Generator``; the same seed
        gives the same batch. ``batch``: a positive integer (default: the task's); ``dtype``: float32 or float64.
        """
        if rng is None:
            raise TypeError("rng must be a seed (a non-negative integer) or a numpy.random.Generator; got None")
        rng = checks.rng("rng", rng)
        B = self.batch if batch is None else checks.positive_int("batch", batch)
        dtype = checks.float_dtype("dtype", dtype)
        signs = rng.choice([-1.0, 1.0], size=B)
        xs = np.zeros((self.steps, B, INPUT_SIZE))
        xs[0, :, 0] = signs
        xs[:, :, 1] = self.noise * rng.choice([-1.0, 1.0], size=(self.steps, B))
        return xs.astype(dtype), signs[:, None].astype(dtype)


def accuracy(y: Any, targets: Any) -> float:
    """Share of outputs whose sign matches the ±1 target (an output of exactly 0 counts as wrong).

    ``y``: finite outputs; ``targets``: labels −1 or +1 of the same shape (not empty).
    """
    y = checks.real_array("y", y)
    targets = checks.real_array("targets", targets)
    if y.shape != targets.shape:
        raise ValueError(f"y and targets must have the same shape; got {y.shape} and {targets.shape}")
    if y.size == 0:
        raise ValueError("y must not be empty")
    if not np.all(np.abs(targets) == 1):
        raise ValueError(f"targets must hold labels -1 or +1; got values {np.unique(targets)[:5]}")
    return float(np.mean(np.sign(y) == targets))


def evaluate(
    params: GRUParams,
    readout: Readout,
    task: MemoryTask,
    *,
    update: str,
    reset: str = "before",
    seed: int = 12345,
    batch: int = 1000,
) -> tuple[float, float]:
    """Loss and accuracy on one fresh batch of ``batch`` sequences drawn from ``seed``."""
    params, readout, task = _check_model(params, readout, task)
    batch = checks.positive_int("batch", batch)
    seed = checks.integer("seed", seed, low=0)
    xs, targets = task.sample(seed, batch, params.dtype)
    y = readout(run(params, xs, update=update, reset=reset).h[-1])
    return logistic_loss(y, targets)[0], accuracy(y, targets)


def _check_model(params: Any, readout: Any, task: Any) -> tuple[GRUParams, Readout, MemoryTask]:
    params = as_params(params)
    if not isinstance(readout, Readout):
        raise TypeError(f"readout must be a gru_lib.backprop.Readout; got {type(readout).__name__}")
    if not isinstance(task, MemoryTask):
        raise TypeError(f"task must be a gru_book.tasks.MemoryTask; got {type(task).__name__}")
    if params.input_size != INPUT_SIZE:
        raise ValueError(f"params must have input_size {INPUT_SIZE} for the memory task; got {params.input_size}")
    if readout.W.shape[1] != params.hidden_size:
        raise ValueError(
            f"readout must read H={params.hidden_size} hidden units like params; "
            f"got readout.W of shape {readout.W.shape}"
        )
    return params, readout, task


@dataclasses.dataclass
class History:
    """What :func:`train` recorded.

    ``losses[i]``: training loss on the batch of step i, before that step's update (length ``steps``);
    ``params[i]``, ``readouts[i]``: the parameters before step i (length ``steps + 1``, the last is final).
    """

    losses: np.ndarray
    params: list[GRUParams]
    readouts: list[Readout]

    def __post_init__(self) -> None:
        self.losses = checks.shape("losses", checks.real_array("losses", self.losses), (None,), "(steps,)")
        n = len(self.losses) + 1
        for name, items, kind in (("params", self.params, GRUParams), ("readouts", self.readouts, Readout)):
            if not isinstance(items, list) or len(items) != n or not all(isinstance(i, kind) for i in items):
                size = len(items) if hasattr(items, "__len__") else "?"
                raise ValueError(
                    f"{name} must be a list of {n} {kind.__name__} (one more than losses); "
                    f"got {type(items).__name__} of length {size}"
                )

    @property
    def final(self) -> tuple[GRUParams, Readout]:
        """The trained parameters and readout."""
        return self.params[-1], self.readouts[-1]


def train(
    params: GRUParams,
    readout: Readout,
    task: MemoryTask,
    optimizer: Any,
    *,
    steps: int,
    update: str,
    reset: str = "before",
    seed: int = 0,
    complement: str = "pair",
    callback: Callable[[int, float], None] | None = None,
) -> History:
    """Train GRU and readout together on ``task`` for ``steps`` optimizer steps.

    ``optimizer`` is a fresh :class:`gru_lib.optim.SGD` or :class:`gru_lib.optim.Adam` (anything with
    ``step(arrays, grads) -> arrays`` over a name -> array mapping). The batches come from ``seed``,
    so two calls with the same seed see the same data. ``complement`` is passed to
    :func:`gru_lib.backprop.bptt` (how the backward pass forms 1 − z).
    """
    params, readout, task = _check_model(params, readout, task)
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must have a step(params, grads) method; got {type(optimizer).__name__}")
    if callback is not None:
        checks.function("callback", callback, "None or a function (step, loss)")
    steps = checks.positive_int("steps", steps)
    rng = checks.rng("seed", seed)
    losses = np.empty(steps)
    snapshots, readouts = [params], [readout]
    for i in range(steps):
        xs, targets = task.sample(rng, dtype=params.dtype)
        loss, grads, rgrads, _ = loss_and_grads(
            params, readout, xs, targets, update=update, reset=reset, loss="logistic", complement=complement
        )
        losses[i] = loss
        new = optimizer.step({**params.arrays(), **readout.arrays()}, {**grads, **rgrads})
        readout = Readout(new.pop("W_out"), new.pop("b_out"))
        params = GRUParams.from_arrays(new)
        snapshots.append(params)
        readouts.append(readout)
        if callback is not None:
            callback(i, loss)
    return History(losses=losses, params=snapshots, readouts=readouts)


def flip_distance(keep: History, admit: History) -> np.ndarray:
    """max |φ(θ_keep) − θ_admit| over every GRU and readout entry, before each step and at the end.

    ``keep`` trained with update="keep" from θ₀, ``admit`` with update="admit" from φ(θ₀);
    returns an array of length ``steps + 1``, all zeros if training commutes exactly with φ.
    """
    for name, h in (("keep", keep), ("admit", admit)):
        if not isinstance(h, History):
            raise TypeError(f"{name} must be a gru_book.tasks.History; got {type(h).__name__}")
    if len(keep.params) != len(admit.params):
        raise ValueError(
            f"keep and admit must have trained for as many steps; got {len(keep.params) - 1} "
            f"and {len(admit.params) - 1}"
        )
    pk, pa, rk, ra = keep.params[0], admit.params[0], keep.readouts[0], admit.readouts[0]
    if (pk.input_size, pk.hidden_size, rk.W.shape) != (pa.input_size, pa.hidden_size, ra.W.shape):
        raise ValueError(
            "keep and admit must train models of the same sizes; got "
            f"{pk!r} with readout {rk.W.shape} and {pa!r} with readout {ra.W.shape}"
        )
    out = np.empty(len(keep.params))
    for i, (pk, pa, rk, ra) in enumerate(zip(keep.params, admit.params, keep.readouts, admit.readouts)):
        readout_gap = max(float(np.max(np.abs(rk.W - ra.W))), float(np.max(np.abs(rk.b - ra.b))))
        out[i] = max(convert(pk).max_abs_diff(pa), readout_gap)
    return out


def steps_to_reach(losses: Any, level: float) -> int | None:
    """The first step whose loss is below ``level``, or ``None`` if no step gets there."""
    losses = checks.shape("losses", checks.real_array("losses", losses), (None,), "(steps,)")
    level = checks.real_scalar("level", level)
    below = np.flatnonzero(losses < level)
    return int(below[0]) if len(below) else None
