"""Backend-agnostic arithmetic on kernel entries (private helpers of :mod:`catkit.structure`).

A kernel's *compute array* (``k.array``) is a numpy object array of Fractions
(exact), of sympy expressions (sympy), a float64 ndarray (numpy) or a torch
tensor (torch).  The few operations the structure layer needs (sums over
axes, zero masks, guarded division, selection, transposition) are written
once here so that every backend stays in its own number kind: exact never
turns float.

>>> from catkit import Kernel, Wire
>>> k = Kernel([["1/2", "1/2"], [1, 0]])
>>> zero_mask(k.array, k.backend).tolist()
[[False, False], [False, True]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from catkit.backends import Backend
from catkit.errors import ObjectMismatchError
from catkit.kernel import Kernel
from catkit.models import FINSET, FINSTOCH, Model
from catkit.objects import Obj, ObjError
from catkit.structure.errors import StructureError

__all__ = [
    "StructureError",
    "is_torch",
    "asum",
    "zero_mask",
    "where",
    "safe_divide",
    "transpose",
    "build",
    "positions",
    "result_model",
    "same_backend",
    "compute",
]


def is_torch(a: Any) -> bool:
    """Whether ``a`` is a torch tensor (without importing torch).

    >>> is_torch(np.zeros(2))
    False
    """
    return type(a).__module__.startswith("torch")


def asum(a: Any, axes: Sequence[int], keepdims: bool = False) -> Any:
    """Sum over the given axes (none: a copy), for numpy (object or float) arrays and tensors.

    >>> asum(np.ones((2, 3)), (1,)).tolist()
    [3.0, 3.0]
    """
    axes = tuple(int(x) for x in axes)
    if not axes:
        return a.clone() if is_torch(a) else np.array(a)
    if is_torch(a):
        return a.sum(dim=axes, keepdim=keepdims)
    out = a.sum(axis=axes, keepdims=keepdims)
    if a.dtype == object and not isinstance(out, np.ndarray):  # a full reduction of an object array
        out = np.array(out, dtype=object)
    return out


def zero_mask(a: Any, backend: Backend, tol: float = 0.0) -> Any:
    """Boolean mask of the entries that are zero: exactly for exact and sympy arrays
    (sympy entries are simplified), within ``tol`` for floats.

    >>> from catkit.backends import get_backend
    >>> zero_mask(np.array([0.0, 1e-12, 0.5]), get_backend("numpy"), tol=1e-9).tolist()
    [True, True, False]
    """
    if is_torch(a):
        return a.abs() <= tol
    if backend.name == "sympy":
        from catkit.backends.symbolic import _is_zero

        return np.vectorize(_is_zero, otypes=[bool])(a) if a.size else np.zeros(a.shape, dtype=bool)
    if a.dtype == object:
        return np.asarray(a == 0, dtype=bool)
    return np.abs(a) <= tol


def where(mask: Any, a: Any, b: Any) -> Any:
    """``a`` where ``mask`` holds, else ``b`` (broadcasting; object arrays and tensors alike).

    >>> where(np.array([True, False]), np.array([1, 1]), np.array([2, 2])).tolist()
    [1, 2]
    """
    if is_torch(mask) or is_torch(a) or is_torch(b):
        import torch

        return torch.where(mask, a, b)
    return np.where(mask, a, b)


def safe_divide(num: Any, den: Any, den_zero: Any) -> Any:
    """``num / den`` where ``den`` is non-zero, and ``0`` where ``den_zero`` (the caller fills those).

    Exact and symbolic arrays divide exactly; no float enters.

    >>> from fractions import Fraction as F
    >>> n = np.array([F(1), F(2)], dtype=object); d = np.array([F(2), F(0)], dtype=object)
    >>> safe_divide(n, d, d == 0).tolist()
    [Fraction(1, 2), 0]
    """
    if is_torch(num):
        import torch

        one = torch.ones((), dtype=num.dtype, device=num.device)
        return torch.where(den_zero, torch.zeros((), dtype=num.dtype, device=num.device), num / torch.where(den_zero, one, den))
    if num.dtype == object or (isinstance(den, np.ndarray) and den.dtype == object):
        safe = np.where(den_zero, 1, den)
        return np.where(den_zero, 0, num / safe)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(den_zero, 0.0, out)


def transpose(a: Any, order: Sequence[int]) -> Any:
    """Permute axes (``np.transpose`` / ``Tensor.permute``).

    >>> transpose(np.zeros((2, 3)), [1, 0]).shape
    (3, 2)
    """
    order = [int(i) for i in order]
    if is_torch(a):
        return a.permute(*order)
    return np.transpose(a, order)


def build(arr: Any, dom: Obj, cod: Obj, backend: Backend, model: Model) -> Kernel:
    """A validated kernel ``dom → cod`` from an N-d compute array of shape ``dom.sizes + cod.sizes``.

    >>> from catkit.backends import get_backend
    >>> from catkit import Wire
    >>> build(np.array([0.25, 0.75]), Obj(), Obj(Wire(2)), get_backend("numpy"), FINSTOCH).matrix.tolist()
    [[0.25, 0.75]]
    """
    rows, cols = dom.size, cod.size
    flat = arr.reshape(rows, cols)
    if backend.name == "numpy":
        flat = np.ascontiguousarray(flat, dtype=np.float64)
        flat.flags.writeable = False
    elif is_torch(flat):
        flat = flat.contiguous()
    if model is FINSET and not _zero_one(flat, backend):
        model = FINSTOCH  # e.g. a conditional of a function with a random fill leaves FinSet
    return Kernel.from_matrix(flat, dom, cod, backend=backend.name, model=model)


def _zero_one(flat: Any, backend: Backend) -> bool:
    z = zero_mask(flat, backend)
    o = zero_mask(flat - 1, backend)
    return bool((z | o).all())


def positions(obj: Obj, which: int | str | Iterable[int | str], what: str) -> list[int]:
    """Validated wire positions of ``obj`` from positions or wire names (one or several; no repeats), naming the culprit.

    >>> from catkit import Wire
    >>> positions(Wire(2) @ Wire(3, name="y"), [1], "on"), positions(Wire(2) @ Wire(3, name="y"), "y", "on")
    ([1], [1])
    >>> positions(Wire(2) @ Wire(3), 5, "on")
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: on=5 is not a wire position of Wire(2) @ Wire(3): it has wires 0..1
    """
    pos = [which] if isinstance(which, (int, np.integer, str)) else list(which)
    out = []
    for j in pos:
        if isinstance(j, str):
            try:
                out.append(obj.position(j))
            except ObjError as e:
                raise StructureError(f"{what}={j!r}: {e}") from None
            continue
        if isinstance(j, bool) or not isinstance(j, (int, np.integer)) or not 0 <= j < len(obj):
            raise StructureError(f"{what}={j!r} is not a wire position of {obj}: it has wires 0..{len(obj) - 1}")
        out.append(int(j))
    if len(set(out)) != len(out):
        raise StructureError(f"{what}={pos} repeats a wire")
    return out


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
        if k.backend.name != b.name:
            raise ObjectMismatchError(
                f"kernels on different backends ({b.name} and {k.backend.name}) cannot be combined; convert one with .to(...)"
            )
    return b


def compute(k: Kernel, backend: Backend, like: Any = None) -> Any:
    """``k``'s N-d compute array on ``backend`` (structural kernels are materialised there;
    ``like``: a tensor whose device and dtype a torch result must match).

    >>> from catkit import Kernel, Wire
    >>> from catkit.backends import get_backend
    >>> compute(Kernel.id(Wire(2)), get_backend("numpy")).dtype
    dtype('float64')
    """
    if k.backend.name != backend.name or (is_torch(like) and k.generic):
        k = k.to(backend.name, **({"device": like.device, "dtype": like.dtype} if is_torch(like) else {}))
    return k.array
