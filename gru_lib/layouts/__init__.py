"""Framework weight layouts: import and export of packed GRU weights, no framework needed.

Plain numpy arrays (or anything ``np.asarray`` accepts, including CPU torch tensors and jax
arrays) in plain dicts, nested as the framework nests them (Haiku and Flax param trees). Each
``from_<x>`` returns an :class:`Imported`: the :class:`~gru_lib.GRUParams` *and* the architecture
the framework runs (its update convention and reset placement), so
``run(imp.params, xs, **imp.run_kwargs())`` reproduces the framework. Each
``to_<x>(params, *, update=..., reset=...)`` returns the framework's arrays under its own names
and shapes, for a parameter set trained as ``update``/``reset`` (H hidden, D input):

==================  ========================================  =====  ===========================  ======  ======
layout (functions)  arrays (H hidden, D input)                gates  biases                       update  reset
==================  ========================================  =====  ===========================  ======  ======
PyTorch nn.GRU      weight_ih_l0 (3H, D), weight_hh_l0         r,z,n  bias_ih_l0, bias_hh_l0       keep    after
(``pytorch``)       (3H, H); GRUCell: no ``_l0``                      (3H,) each
PaddlePaddle        as PyTorch, plus the aliases ``0.cell.*``  r,z,n  as PyTorch                   keep    after
(``paddle``)        that ``state_dict()`` lists
MXNet Gluon         <prefix>l0_i2h_weight (3H, D),             r,z,n  …l0_i2h_bias, …l0_h2h_bias   keep    after
(``mxnet``)         …l0_h2h_weight (3H, H)                            (3H,) each
equinox GRUCell     weight_ih (3H, D), weight_hh (3H, H)       r,z,n  bias (3H,), bias_n (H,):     keep    after
(``equinox``)                                                         b_h_rec only
MLX nn.GRU          Wx (3H, D), Wh (3H, H)                     r,z,n  b (3H,), bhn (H,):           keep    after
(``mlx``)                                                             b_h_rec only
Flax linen          {"params": {ir, iz, in: kernel (D, H),     r,z,n  ir, iz, in, hn biases (H,):  keep    after
(``flax_linen``)    bias; hr, hz: kernel (H, H); hn: both}}           b_h_rec only
Flax nnx            {dense_i: {kernel (D, 3H), bias},          r,z,n  dense_i bias (3H,); no       keep    after
(``flax_nnx``)      dense_h: {kernel (H, 3H)}}                        recurrent bias at all
Keras 3, tf_keras   kernel (D, 3H), recurrent_kernel (H, 3H)   z,r,h  bias (2, 3H) [input;         keep    after;
(``keras``,                                                           recurrent]; (3H,) with              before
``tf_keras``)                                                         reset_after=False
TF1 GRUCell         gates/kernel (D+H, 2H) = [r | u],          r,u,c  gates/bias (2H,),            keep    before
(``tf1``)           candidate/kernel (D+H, H), on [x, h]              candidate/bias (H,)
ONNX GRU            W (1, 3H, D), R (1, 3H, H)                 z,r,h  B (1, 6H) = [Wb, Rb]         keep    linear_
(``onnx``)                                                                                                 before_
                                                                                                           reset
Haiku hk.GRU        {"gru": {w_i (D, 3H), w_h (H, 3H), b}}     z,r,a  b (3H,): one per gate        admit   before
(``haiku``)
Sonnet 2 snt.GRU    w_i (D, 3H), w_h (H, 3H), b                z,r,a  b (3H,): one per gate        admit   before
(``sonnet``)
==================  ========================================  =====  ===========================  ======  ======

A second ("recurrent") bias maps to gru_lib's ``b_z_rec``, ``b_r_rec``, ``b_h_rec``; PyTorch's b_hn
is ``b_h_rec``. Gate letters are the framework's own: n, a and c are gru_lib's candidate h, u is z.
Every function pair is ``from_<layout>`` / ``to_<layout>``.

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

One module per layout family: :mod:`.pytorch` (PyTorch and the frameworks storing its stacks:
PaddlePaddle, MXNet, equinox, MLX), :mod:`.flax` (linen, nnx), :mod:`.keras` (Keras 3, tf_keras),
:mod:`.tf1`, :mod:`.onnx`, :mod:`.deepmind` (Haiku, Sonnet); :mod:`.common` holds
:class:`Imported` and the shared checks.
"""

from __future__ import annotations

from .common import Imported, fold_recurrent_biases
from .deepmind import DEEPMIND_GATES, from_haiku, from_sonnet, to_haiku, to_sonnet
from .flax import FLAX_GATES, from_flax_linen, from_flax_nnx, to_flax_linen, to_flax_nnx
from .keras import KERAS_GATES, from_keras, from_tf_keras, to_keras, to_tf_keras
from .onnx import ONNX_GATES, from_onnx, to_onnx
from .pytorch import (
    PYTORCH_GATES,
    from_equinox,
    from_mlx,
    from_mxnet,
    from_paddle,
    from_pytorch,
    to_equinox,
    to_mlx,
    to_mxnet,
    to_paddle,
    to_pytorch,
)
from .tf1 import TF1_GATES, from_tf1, to_tf1

#: Every layout's name, for ``getattr(layouts, f"from_{name}")`` and ``f"to_{name}"``.
LAYOUTS = (
    "pytorch",
    "paddle",
    "mxnet",
    "equinox",
    "mlx",
    "flax_linen",
    "flax_nnx",
    "keras",
    "tf_keras",
    "tf1",
    "onnx",
    "haiku",
    "sonnet",
)

__all__ = [
    "DEEPMIND_GATES",
    "FLAX_GATES",
    "KERAS_GATES",
    "LAYOUTS",
    "ONNX_GATES",
    "PYTORCH_GATES",
    "TF1_GATES",
    "Imported",
    "fold_recurrent_biases",
    "from_equinox",
    "from_flax_linen",
    "from_flax_nnx",
    "from_haiku",
    "from_keras",
    "from_mlx",
    "from_mxnet",
    "from_onnx",
    "from_paddle",
    "from_pytorch",
    "from_sonnet",
    "from_tf1",
    "from_tf_keras",
    "to_equinox",
    "to_flax_linen",
    "to_flax_nnx",
    "to_haiku",
    "to_keras",
    "to_mlx",
    "to_mxnet",
    "to_onnx",
    "to_paddle",
    "to_pytorch",
    "to_sonnet",
    "to_tf1",
    "to_tf_keras",
]
