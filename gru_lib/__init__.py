"""gru_lib: a small numpy GRU for the book on the update gate.

Core API::

    from gru_lib import GRUParams, run, step, convert, sigmoid

    theta = GRUParams.random(input_size=3, hidden_size=4, seed=0)
    keep = run(theta, xs, update="keep", reset="before")
    admit = run(convert(theta), xs, update="admit", reset="before")
    # keep.h == admit.h
"""

from .cell import Trace, run, step
from .convert import convert, convert_gradient, other_convention
from .gates import RESET_PLACEMENTS, UPDATE_CONVENTIONS, mix, sigmoid, sigmoid_pair
from .params import GRUParams

__version__ = "0.1.0"

__all__ = [
    "RESET_PLACEMENTS",
    "UPDATE_CONVENTIONS",
    "GRUParams",
    "Trace",
    "convert",
    "convert_gradient",
    "mix",
    "other_convention",
    "run",
    "sigmoid",
    "sigmoid_pair",
    "step",
]
