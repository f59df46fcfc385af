"""The parameters of one GRU layer.

Shapes, with D the input size and H the hidden size (weights act on column
vectors, ``W @ x``, as in the papers, PyTorch and ONNX):

=================  =========  ==================================================
field              shape      meaning
=================  =========  ==================================================
``W_z, W_r, W_h``  (H, D)     input weights: update gate, reset gate, candidate
``U_z, U_r, U_h``  (H, H)     recurrent weights, same order
``b_z, b_r, b_h``  (H,)       biases, same order
``b_z_rec``,       (H,) or    optional second (recurrent-side) biases, as in
``b_r_rec``,       ``None``   cuDNN and PyTorch. ``b_h_rec`` matters for the
``b_h_rec``                   "reset after" candidate r ⊙ (U_h h + b_h_rec);
                              ``None`` means zero.
=================  =========  ==================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from . import checks

GATES = ("z", "r", "h")
WEIGHT_FIELDS = tuple(f"{kind}_{g}" for kind in ("W", "U", "b") for g in GATES)
RECURRENT_BIAS_FIELDS = tuple(f"b_{g}_rec" for g in GATES)
UPDATE_GATE_FIELDS = ("W_z", "U_z", "b_z", "b_z_rec")


@dataclasses.dataclass(frozen=True, eq=False)
class GRUParams:
    """Weights and biases of one GRU layer (see the module docstring for shapes).

    All arrays are validated on construction: real, finite, float32 or float64 (integers become
    float64; float16, booleans and complex numbers are refused), and mutually consistent shapes.
    Mixed dtypes are promoted to the widest (float32 with float64 gives float64).
    The arrays are made read-only so a parameter set cannot change behind a
    trace that was computed from it.
    """

    W_z: np.ndarray
    W_r: np.ndarray
    W_h: np.ndarray
    U_z: np.ndarray
    U_r: np.ndarray
    U_h: np.ndarray
    b_z: np.ndarray
    b_r: np.ndarray
    b_h: np.ndarray
    b_z_rec: np.ndarray | None = None
    b_r_rec: np.ndarray | None = None
    b_h_rec: np.ndarray | None = None

    def __post_init__(self) -> None:
        given = {f: getattr(self, f) for f in WEIGHT_FIELDS}
        given.update({f: getattr(self, f) for f in RECURRENT_BIAS_FIELDS if getattr(self, f) is not None})
        arrays = {name: checks.real_array(name, value) for name, value in given.items()}
        dtype = np.result_type(*arrays.values())
        W_z = arrays["W_z"]
        if W_z.ndim != 2:
            raise ValueError(f"W_z must be a 2-D array of shape (H, D) = (hidden, input); got shape {W_z.shape}")
        H, D = W_z.shape
        if H < 1 or D < 1:
            raise ValueError(f"W_z must have shape (H, D) with H, D >= 1; got shape {W_z.shape}")
        expect = {
            "W": ((H, D), "(H, D) = (hidden, input)"),
            "U": ((H, H), "(H, H) = (hidden, hidden)"),
            "b": ((H,), "(H,) = (hidden,)"),
        }
        for name, arr in arrays.items():
            want, meaning = expect[name[0]]
            checks.shape(name, arr, want, f"{meaning} with H={H}, D={D} taken from W_z")
            arr = np.array(arr, dtype=dtype, copy=True)
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)

    # ----------------------------------------------------------------- sizes
    @property
    def hidden_size(self) -> int:
        """H, the number of hidden units."""
        return self.W_z.shape[0]

    @property
    def input_size(self) -> int:
        """D, the number of input features."""
        return self.W_z.shape[1]

    @property
    def dtype(self) -> np.dtype:
        """The common float dtype of every array."""
        return self.W_z.dtype

    @property
    def has_recurrent_biases(self) -> bool:
        """True if any second (recurrent-side) bias is present."""
        return any(getattr(self, f) is not None for f in RECURRENT_BIAS_FIELDS)

    # ------------------------------------------------------------ dict views
    def arrays(self) -> dict[str, np.ndarray]:
        """All present arrays by field name (absent recurrent biases left out)."""
        out = {f: getattr(self, f) for f in WEIGHT_FIELDS}
        out.update({f: getattr(self, f) for f in RECURRENT_BIAS_FIELDS if getattr(self, f) is not None})
        return out

    def __iter__(self) -> Iterator[tuple[str, np.ndarray]]:
        return iter(self.arrays().items())

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any]) -> GRUParams:
        """Build from a mapping with the field names as keys; unknown or missing keys raise."""
        if not isinstance(arrays, Mapping):
            raise TypeError(f"arrays must be a mapping from field name to array; got {type(arrays).__name__}")
        allowed = set(WEIGHT_FIELDS) | set(RECURRENT_BIAS_FIELDS)
        unknown = sorted(map(str, set(arrays) - allowed))
        missing = [f for f in WEIGHT_FIELDS if f not in arrays]
        if unknown or missing:
            raise ValueError(
                f"GRUParams needs the keys {list(WEIGHT_FIELDS)} (and optionally {list(RECURRENT_BIAS_FIELDS)}); "
                f"missing {missing}, unknown {unknown}"
            )
        return cls(**dict(arrays))

    def replace(self, **changes: Any) -> GRUParams:
        """A copy with some fields replaced (validated again); an unknown field name raises ``TypeError``."""
        unknown = sorted(set(changes) - set(WEIGHT_FIELDS) - set(RECURRENT_BIAS_FIELDS))
        if unknown:
            names = list(WEIGHT_FIELDS + RECURRENT_BIAS_FIELDS)
            raise TypeError(f"replace takes the GRUParams field names {names}; got unknown {unknown}")
        return dataclasses.replace(self, **changes)

    def map(self, fn: Callable[[str, np.ndarray], np.ndarray]) -> GRUParams:
        """A new parameter set with ``fn(name, array)`` applied to every present array."""
        checks.function("fn", fn, "a function (name, array) -> array")
        return GRUParams.from_arrays({name: fn(name, arr) for name, arr in self})

    def astype(self, dtype: Any) -> GRUParams:
        """The same parameters in another float dtype (float32 or float64; anything else is refused).

        To float32, a value beyond float32's range raises ``ValueError`` (it would become inf).
        """
        dt = checks.float_dtype("dtype", dtype)
        return GRUParams.from_arrays({name: checks.real_array(name, a, dt) for name, a in self})

    def with_recurrent_biases(self) -> GRUParams:
        """A copy in which absent recurrent biases are explicit zeros."""
        zeros = np.zeros(self.hidden_size, dtype=self.dtype)
        return self.replace(
            **{f: zeros if getattr(self, f) is None else getattr(self, f) for f in RECURRENT_BIAS_FIELDS}
        )

    def _same_sizes(self, other: Any) -> GRUParams:
        other = as_params(other, "other")
        if (other.input_size, other.hidden_size) != (self.input_size, self.hidden_size):
            raise ValueError(
                f"other must have the sizes of this set, input_size={self.input_size}, "
                f"hidden_size={self.hidden_size}; got input_size={other.input_size}, "
                f"hidden_size={other.hidden_size}"
            )
        return other

    def allclose(self, other: GRUParams, rtol: float = 1e-12, atol: float = 0.0) -> bool:
        """True if both sets hold the same fields with values equal within tolerance.

        ``other`` must have the same sizes (a ``ValueError`` otherwise: nothing is broadcast);
        ``rtol``, ``atol``: finite, >= 0.
        """
        other = self._same_sizes(other)
        rtol = checks.real_scalar("rtol", rtol, low=0.0)
        atol = checks.real_scalar("atol", atol, low=0.0)
        a, b = self.arrays(), other.arrays()
        return a.keys() == b.keys() and all(np.allclose(a[k], b[k], rtol=rtol, atol=atol) for k in a)

    def max_abs_diff(self, other: GRUParams) -> float:
        """Largest absolute difference over all fields (absent recurrent biases count as zero).

        ``other`` must have the same sizes. The difference is taken in float64; a difference
        beyond float64's range (two values near ±1.8e308 of opposite signs) is ``inf``.
        """
        other = self._same_sizes(other)
        a, b = self.with_recurrent_biases().arrays(), other.with_recurrent_biases().arrays()
        with np.errstate(over="ignore"):
            return float(max(np.max(np.abs(a[k].astype(np.float64) - b[k])) for k in a))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GRUParams):
            return NotImplemented
        a, b = self.arrays(), other.arrays()
        return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        rec = ", recurrent biases" if self.has_recurrent_biases else ""
        return f"GRUParams(input_size={self.input_size}, hidden_size={self.hidden_size}, dtype={self.dtype}{rec})"

    # ---------------------------------------------------------- constructors
    @classmethod
    def random(
        cls,
        input_size: int,
        hidden_size: int,
        *,
        seed: int | np.random.Generator | None = 0,
        scale: float | None = None,
        dtype: Any = np.float64,
        recurrent_biases: bool = False,
    ) -> GRUParams:
        """Random parameters, uniform in [−scale, scale], reproducible from ``seed``.

        ``scale`` defaults to 1/√H, the initialisation PyTorch and cuDNN use (finite, >= 0).
        ``seed``: a non-negative integer, ``None`` (fresh entropy) or a ``numpy.random.Generator``.
        ``dtype``: float32 or float64. ``recurrent_biases=True`` also draws the three second biases.
        """
        D = checks.positive_int("input_size", input_size)
        H = checks.positive_int("hidden_size", hidden_size)
        dtype = checks.float_dtype("dtype", dtype)
        recurrent_biases = checks.flag("recurrent_biases", recurrent_biases)
        scale = 1.0 / np.sqrt(H) if scale is None else checks.real_scalar("scale", scale, low=0.0)
        rng = checks.rng("seed", seed)
        shapes = {"W": (H, D), "U": (H, H), "b": (H,)}

        def draw(shape: tuple[int, ...]) -> np.ndarray:
            return rng.uniform(-scale, scale, size=shape).astype(dtype)

        arrays = {f: draw(shapes[f[0]]) for f in WEIGHT_FIELDS}
        if recurrent_biases:
            arrays.update({f: draw((H,)) for f in RECURRENT_BIAS_FIELDS})
        return cls(**arrays)

    @classmethod
    def zeros(cls, input_size: int, hidden_size: int, *, dtype: Any = np.float64) -> GRUParams:
        """All-zero parameters: every gate is 1/2 and every candidate 0. ``dtype``: float32 or float64."""
        D = checks.positive_int("input_size", input_size)
        H = checks.positive_int("hidden_size", hidden_size)
        dtype = checks.float_dtype("dtype", dtype)
        shapes = {"W": (H, D), "U": (H, H), "b": (H,)}
        return cls(**{f: np.zeros(shapes[f[0]], dtype=dtype) for f in WEIGHT_FIELDS})


def as_params(value: Any, name: str = "params") -> GRUParams:
    """Return ``value`` if it is a ``GRUParams``, otherwise raise a ``TypeError`` naming the type."""
    if not isinstance(value, GRUParams):
        raise TypeError(f"{name} must be a gru_lib.GRUParams; got {type(value).__name__}")
    return value
