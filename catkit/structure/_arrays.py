"""Kernels in and out of the structure layer (private helpers of :mod:`catkit.structure`).

A kernel's *compute array* (``k.array``) is computed with by its backend's
:class:`~catkit.backends.ops.Ops` (``k.backend.ops``: sums over axes, zero
masks, guarded division, selection, transposition), so that every backend
stays in its own number kind: exact never turns float.  This module brings
kernels to one backend (:func:`same_backend`, :func:`compute`) and builds the
resulting kernel (:func:`build`).

>>> from catkit import Kernel, Wire
>>> k = Kernel([["1/2", "1/2"], [1, 0]])
>>> k.backend.ops.zero_mask(k.array).tolist()
[[False, False], [False, True]]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from catkit.backends import Backend
from catkit.errors import ObjectMismatchError
from catkit.kernel import Kernel
from catkit.models import FINSET, FINSTOCH, Model
from catkit.objects import Obj, ObjError
from catkit.structure.errors import StructureError

__all__ = [
    "StructureError",
    "build",
    "positions",
    "result_model",
    "same_backend",
    "compute",
]


def build(arr: Any, dom: Obj, cod: Obj, backend: Backend, model: Model) -> Kernel:
    """A validated kernel ``dom → cod`` from an N-d compute array of shape ``dom.sizes + cod.sizes``.

    >>> from catkit.backends import get_backend
    >>> import numpy as np
    >>> from catkit import Wire
    >>> build(np.array([0.25, 0.75]), Obj(), Obj(Wire(2)), get_backend("numpy"), FINSTOCH).matrix.tolist()
    [[0.25, 0.75]]
    """
    flat = backend.ops.contiguous(arr.reshape(dom.size, cod.size))
    if model is FINSET and not _zero_one(flat, backend):
        model = FINSTOCH  # e.g. a conditional of a function with a random fill leaves FinSet
    return Kernel.from_matrix(flat, dom, cod, backend=backend, model=model)


def _zero_one(flat: Any, backend: Backend) -> bool:
    ops = backend.ops
    return bool((ops.zero_mask(flat) | ops.zero_mask(flat - 1)).all())


def positions(obj: Obj, which: int | str | Iterable[int | str], what: str) -> list[int]:
    """Validated wire positions of ``obj`` from positions or wire names (one or several; no repeats), naming the culprit.

    >>> from catkit import Wire
    >>> positions(Wire(2) @ Wire(3, name="y"), [1], "on"), positions(Wire(2) @ Wire(3, name="y"), "y", "on")
    ([1], [1])
    >>> positions(Wire(2) @ Wire(3), 5, "on")
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: on=5: wire position 5 is not one of the 2 wires of Wire(2) @ Wire(3) (give 0..1 or a wire name)
    """
    try:
        return obj.positions(which, distinct=True)
    except ObjError as e:
        raise StructureError(f"{what}={which!r}: {e}") from None


def result_model(*kernels: Kernel) -> Model:
    """The smallest model containing every input kernel (where a result naturally lives).

    >>> from catkit import Kernel
    >>> result_model(Kernel([[1, 0]]), Kernel([[2, -1]], model="signed")).key
    'signed'
    """
    m = kernels[0].model
    for k in kernels[1:]:
        m = m.join(k.model)
    return m


def same_backend(*kernels: Kernel) -> Backend:
    """The common backend of several kernels (structural kernels adapt), or a clear error.

    >>> from catkit import Kernel, Wire
    >>> same_backend(Kernel.id(Wire(2)), Kernel([[0.5, 0.5], [1.0, 0.0]])).name
    'numpy'
    """
    concrete = [k for k in kernels if not k.generic]
    if not concrete:
        return kernels[0].backend
    b = concrete[0].backend
    for k in concrete[1:]:
        if k.backend is not b:
            raise ObjectMismatchError(
                f"kernels on different backends ({b.name} and {k.backend.name}) cannot be combined; convert one with .to(...)"
            )
    return b


def compute(k: Kernel, backend: Backend, like: Any = None) -> Any:
    """``k``'s N-d compute array on ``backend`` (structural kernels are materialised there;
    ``like``: a compute array whose placement, e.g. a tensor's device and dtype, the result must match).

    >>> from catkit import Kernel, Wire
    >>> from catkit.backends import get_backend
    >>> compute(Kernel.id(Wire(2)), get_backend("numpy")).dtype
    dtype('float64')
    """
    if k.backend is not backend or (like is not None and k.generic):
        k = k.to(backend, **(backend.placement(like) if like is not None else {}))
    return k.array
