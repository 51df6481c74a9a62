"""Row-wise primitives of information theory: the :class:`~catkit.backends.ops.Ops` of each backend.

Every divergence and entropy in :mod:`catkit.info` is written once in terms of the primitives of
:class:`Ops`, applied to a batch of distributions (a 2-D array, one distribution per row) and returning
one value per row.  Each backend module implements them for its compute arrays and exposes them as
``backend.ops``; this module names the families for users who write their own
:class:`~catkit.info.Divergence`:

* :class:`ObjectOps` (``OBJECT``) — numpy object arrays of ``Fraction`` (exact kernels) or sympy
  expressions (symbolic kernels).  Rational quantities stay ``Fraction``; logarithms, roots and powers
  become sympy expressions; +∞ is ``sympy.oo``.
* :class:`NumpyOps` (``NUMPY``) — float64, vectorised.
* :class:`TorchOps` (``TORCH``) — torch tensors on their own device.

>>> import numpy as np
>>> NUMPY.rel_entr(np.array([[0.5, 0.5, 0.0]]), np.array([[0.25, 0.25, 0.5]])).round(6).tolist()
[0.693147]
>>> ops_for("exact") is OBJECT, ops_for("torch") is TORCH
(True, True)
"""

from __future__ import annotations

from catkit.backends import Backend, get_backend
from catkit.backends.numpy_float import NumpyOps
from catkit.backends.object_arrays import MAX_EXACT_POWER_BITS, ObjectOps
from catkit.backends.ops import Ops
from catkit.backends.torch_backend import TorchOps

__all__ = ["Ops", "ObjectOps", "NumpyOps", "TorchOps", "OBJECT", "NUMPY", "TORCH", "ops_for", "MAX_EXACT_POWER_BITS"]

OBJECT, NUMPY, TORCH = get_backend("exact").ops, get_backend("numpy").ops, get_backend("torch").ops


def ops_for(backend: str | Backend) -> Ops:
    """The primitives of a backend (``backend.ops``; ``exact`` and ``sympy`` share the object family).

    >>> ops_for("exact").name, ops_for("numpy").name
    ('object', 'numpy')
    """
    return get_backend(backend).ops
