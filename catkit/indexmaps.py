"""Index maps: a deterministic kernel kept as the function it is.

A structural kernel (identity, copy, discard, swap, projections, :meth:`Kernel.from_indices
<catkit.kernel.Kernel.from_indices>`) stores no matrix.  Its row ``i`` is the point mass at ``idx[i]``, an
int64 array over the flat (row-major) elements of its domain: composing gathers (``g_idx[f_idx]``) and the
tensor product is an outer sum of indices, so copying a 6561-element object never builds its 6561 × 43M
matrix.  This module computes the maps; :class:`~catkit.kernel.Kernel` wraps them.

>>> from catkit import Wire
>>> copy_map(Obj(Wire(3)), 2).tolist()  # x ↦ (x, x), flat index 3x + x
[0, 4, 8]
>>> projection_map(Wire(2) @ Wire(3), [1, 0]).tolist()  # the swap
[0, 2, 4, 1, 3, 5]
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from catkit.errors import KernelValueError
from catkit.limits import check_entries
from catkit.objects import Obj

__all__ = ["check_index_range", "copy_map", "projection_map", "checked_indices", "function_map", "as_dict"]


def check_index_range(*objs: Obj) -> None:
    """Refuse objects with 2⁶³ elements or more: an index map addresses elements with int64.

    >>> from catkit import Wire
    >>> check_index_range(Obj(*[Wire(2)] * 64))
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: an object of 64 wires has 18446744073709551616 elements, more than an int64 index can address (2^63); ...
    """
    for X in objs:
        if X.size >= 2**63:
            from catkit.parse import safe_str

            name = repr(X) if len(X) <= 8 else f"an object of {len(X)} wires"
            raise KernelValueError(
                f"{name} has {safe_str(X.size)} elements, more than an int64 index can address (2^63); "
                "structural kernels need flat indices of their elements"
            )


def copy_map(X: Obj, n: int) -> np.ndarray:
    """The index map of copy ``X → X^{⊗n}``: ``x ↦ (x, …, x)`` (``n = 0`` is discard).

    >>> from catkit import Wire
    >>> copy_map(Obj(Wire(2)), 3).tolist(), copy_map(Obj(Wire(2)), 0).tolist()
    ([0, 7], [0, 0])
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise KernelValueError(f"copy needs an int n >= 0, got {n!r}")
    check_index_range(X, Obj(*(tuple(X) * int(n))))
    N = X.size
    idx = np.zeros(N, dtype=np.int64)
    for _ in range(n):
        idx = idx * N + np.arange(N)
    return idx


def projection_map(X: Obj, keep: Sequence[int]) -> np.ndarray:
    """The index map of ``X → X[keep[0]] @ X[keep[1]] @ …`` (wires may repeat or be dropped).

    >>> from catkit import Wire
    >>> projection_map(Wire(2) @ Wire(3), [1]).tolist()
    [0, 1, 2, 0, 1, 2]
    >>> projection_map(Wire(2) @ Wire(3), [2])
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: wire position 2 is not one of the 2 wires of Wire(2) @ Wire(3)
    """
    keep = list(keep)  # read more than once
    for j in keep:
        if not (isinstance(j, (int, np.integer)) and 0 <= j < len(X)):
            raise KernelValueError(f"wire position {j!r} is not one of the {len(X)} wires of {X}")
    check_index_range(X, Obj(*(X[j] for j in keep)))
    sizes = X.sizes
    check_entries(len(sizes) + 1, X.size, 8, lambda: f"the index map of a projection of {X}")
    grid = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), dtype=np.int64)
    idx = np.zeros(X.size, dtype=np.int64)
    for j in keep:
        idx = idx * sizes[j] + grid[j]
    return idx


def checked_indices(indices: Sequence[int] | np.ndarray, dom: Obj, cod: Obj) -> np.ndarray:
    """``indices`` as an index map ``dom → cod`` (a fresh int64 array), or an error naming the bad entry.

    >>> from catkit import Wire
    >>> checked_indices([1, 0], Obj(Wire(2)), Obj(Wire(2))).tolist()
    [1, 0]
    >>> checked_indices([0, 2], Obj(Wire(2)), Obj(Wire(2)))
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: index 2 at domain element 1 is outside the codomain Wire(2) (size 2)
    """
    idx = np.asarray(indices)
    if idx.shape != (dom.size,) or (idx.size and not np.issubdtype(idx.dtype, np.integer)):
        raise KernelValueError(f"from_indices needs {dom.size} integer indices (one per element of {dom}), "
                               f"got an array of shape {idx.shape} and dtype {idx.dtype}")
    bad = np.flatnonzero((idx < 0) | (idx >= cod.size))
    if bad.size:
        i = int(bad[0])
        raise KernelValueError(f"index {int(idx[i])} at domain element {i} is outside the codomain {cod} (size {cod.size})")
    return idx.astype(np.int64, copy=True)


def function_map(fn: Callable[..., Any], dom: Obj, cod: Obj) -> np.ndarray:
    """The index map of a function on elements: ``fn`` takes one argument per wire of ``dom`` (labels where the
    wires have them) and returns an element of ``cod`` (a tuple when it has several wires).

    >>> from catkit import Wire
    >>> function_map(lambda a, b: (a + b) % 2, Wire(2) @ Wire(2), Obj(Wire(["even", "odd"])))
    Traceback (most recent call last):
    ...
    catkit.objects.ObjError: 0 is not an element of Wire(['even', 'odd'])
    >>> function_map(lambda a, b: (a + b) % 2, Wire(2) @ Wire(2), Obj(Wire(2))).tolist()
    [0, 1, 1, 0]
    """
    return np.fromiter((cod.flat_index(fn(*x)) for x in dom.elements()), dtype=np.int64, count=dom.size)


def as_dict(idx: np.ndarray, dom: Obj, cod: Obj) -> dict[Any, Any]:
    """The function an index map ``dom → cod`` is, from elements to elements (labels where the wires have them;
    a single wire's elements bare, several wires' or none's as tuples).

    >>> from catkit import Wire
    >>> as_dict(np.array([1, 0]), Obj(Wire(["a", "b"])), Obj(Wire(2)))
    {'a': 1, 'b': 0}
    """
    bare_dom, bare_cod = len(dom) == 1, len(cod) == 1
    out: dict[Hashable, Any] = {}
    for i, x in enumerate(dom.elements()):
        y = cod.label(int(idx[i]))
        out[x[0] if bare_dom else x] = y[0] if bare_cod else y
    return out
