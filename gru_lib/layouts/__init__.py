"""Framework weight layouts: import and export of packed GRU weights, no framework needed.

Plain numpy arrays (or anything ``np.asarray`` accepts, including CPU torch tensors and jax
arrays) in plain dicts, nested as the framework nests them (Haiku and Flax param trees). Each
``from_<x>`` returns an :class:`Imported`: the :class:`~gru_lib.GRUParams` *and* the architecture
the framework runs (its update convention and reset placement), so
``run(imp.params, xs, **imp.run_kwargs())`` reproduces the framework. Each
``to_<x>(params, *, update=..., reset=...)`` returns the framework's arrays under its own names
and shapes, for a parameter set trained as ``update``/``reset`` (H hidden, D input):

================  ======================================  =====  ========================  ======  =======
layout            arrays                                  gates  biases                    update  reset
================  ======================================  =====  ========================  ======  =======
PyTorch           weight_ih_l0 (3H, D),                   r,z,n  bias_ih_l0, bias_hh_l0    keep    after
                  weight_hh_l0 (3H, H) (GRUCell: no _l0)         (3H,) each
Keras 3           kernel (D, 3H),                         z,r,h  bias (2, 3H) [input;      keep    after,
                  recurrent_kernel (H, 3H)                       recurrent], or (3H,)              or
                                                                 (reset_after=False)               before
ONNX GRU          W (1, 3H, D), R (1, 3H, H)              z,r,h  B (1, 6H) = [Wb, Rb]      keep    linear_
                                                                                                   before_
                                                                                                   reset
Haiku hk.GRU      {"gru": {w_i (D, 3H), w_h (H, 3H),      z,r,a  b (3H,): one per gate     admit   before
                  b}}
Sonnet 2 snt.GRU  w_i (D, 3H), w_h (H, 3H), b             z,r,a  b (3H,): one per gate     admit   before
================  ======================================  =====  ========================  ======  =======

A second ("recurrent") bias maps to gru_lib's ``b_z_rec``, ``b_r_rec``, ``b_h_rec``; PyTorch's b_hn
is ``b_h_rec``. Gate letters are the framework's own: n and a are gru_lib's candidate h.

Exporters take the parameters *and* the architecture they were trained for
(``update=``, ``reset=``). A set trained in the other update convention is converted exactly with
:func:`gru_lib.convert` (negation is exact, so the exported model computes the same numbers): a
keep model goes into Haiku or Sonnet by the sign flip plus the layout. What a layout cannot
represent is refused with a ``ValueError``, never approximated: a reset-before model in a
reset-after layout (PyTorch) or the reverse (Haiku, Sonnet), or nonzero recurrent biases in a
single-bias layout (fold them first with :func:`fold_recurrent_biases`, exact for reset before).

Round trips are exact (``np.array_equal``): layout → GRUParams → layout returns the same arrays;
GRUParams → layout → GRUParams returns the same parameters, with absent recurrent biases turned
into explicit zeros by the two-bias layouts (and, for the admit layouts, after
``Imported.as_update`` back to the convention exported from).

One module per layout family: :mod:`.pytorch`, :mod:`.keras`, :mod:`.onnx`, :mod:`.deepmind`
(Haiku, Sonnet); :mod:`.common` holds :class:`Imported` and the shared checks.
"""

from __future__ import annotations

from .common import Imported, fold_recurrent_biases
from .deepmind import DEEPMIND_GATES, from_haiku, from_sonnet, to_haiku, to_sonnet
from .keras import KERAS_GATES, from_keras, to_keras
from .onnx import ONNX_GATES, from_onnx, to_onnx
from .pytorch import PYTORCH_GATES, from_pytorch, to_pytorch

__all__ = [
    "DEEPMIND_GATES",
    "KERAS_GATES",
    "ONNX_GATES",
    "PYTORCH_GATES",
    "Imported",
    "fold_recurrent_biases",
    "from_haiku",
    "from_keras",
    "from_onnx",
    "from_pytorch",
    "from_sonnet",
    "to_haiku",
    "to_keras",
    "to_onnx",
    "to_pytorch",
    "to_sonnet",
]
