"""Deterministic kernels, the deterministic subcategory, and isomorphisms ([B1][stmt-b1], [B2][stmt-b2]).

``f`` is deterministic when ``f >> copy = copy >> (f @ f)`` (Fritz 2020, Def 10.1):
copying the output is the same as running ``f`` twice on a copied input.  In
FinStoch these are exactly the 0/1 matrices, i.e. functions; they are closed
under ``>>`` and ``@`` and contain copy, discard and swap, so they form a
subcategory, equivalent to FinSet.

Isomorphisms of FinStoch are permutations (a consequence of positivity,
Fritz 2020 Remark 11.28; [B2][stmt-b2]).  In signed FinStoch they are not:
``[[2, -1], [-1, 2]]`` is an invertible non-deterministic kernel.

>>> from catkit import Kernel, Wire
>>> is_deterministic(Kernel.swap(Wire(2), Wire(3))), is_deterministic(Kernel([["1/2", "1/2"]]))
(True, False)
>>> inverse(Kernel([[2, -1], [-1, 2]], model="signed")).matrix.tolist()
[[Fraction(2, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(2, 3)]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

import numpy as np

from catkit.errors import KernelValueError
from catkit.kernel import Kernel
from catkit.structure.errors import NotInvertibleError, StructureError

if TYPE_CHECKING:
    from catkit.structure.multivalued import MultiKernel

__all__ = ["is_deterministic", "copy_equation", "to_function", "function_indices", "inverse", "is_isomorphism", "is_permutation"]


@overload
def copy_equation(f: Kernel) -> tuple[Kernel, Kernel]: ...


@overload
def copy_equation(f: MultiKernel) -> tuple[MultiKernel, MultiKernel]: ...


def copy_equation(f: Kernel | MultiKernel) -> tuple[Kernel | MultiKernel, Kernel | MultiKernel]:
    """The two sides of the definition of determinism: ``(f >> copy, copy >> (f @ f))``.

    >>> from catkit import Kernel
    >>> lhs, rhs = copy_equation(Kernel([["1/2", "1/2"]]))
    >>> lhs == rhs
    False
    """
    return f >> Kernel.copy(f.cod), Kernel.copy(f.dom) >> (f @ f)


def is_deterministic(f: Kernel, tol: float = 0.0, *, by_definition: bool = False) -> bool:
    """Whether ``f`` is deterministic.

    The default reads the entries (every row a point mass, within ``tol`` for
    floats); ``by_definition=True`` checks ``f >> copy == copy >> (f @ f)``
    instead (the two agree on FinStoch: that is B1).

    >>> from catkit import Kernel, Wire
    >>> f = Kernel.from_function(lambda x: (x + 1) % 3, Wire(3), Wire(3))
    >>> is_deterministic(f), is_deterministic(f, by_definition=True)
    (True, True)
    """
    if not by_definition:
        return f.is_deterministic(tol)
    lhs, rhs = copy_equation(f)
    return lhs.allclose(rhs, tol) if not f.backend.exact else lhs == rhs


def to_function(f: Kernel, tol: float = 0.0) -> dict[Any, Any]:
    """The function of a deterministic kernel (a dict on elements); an error names a random row.

    >>> from catkit import Kernel, Wire
    >>> to_function(Kernel.copy(Wire(["h", "t"])))
    {'h': ('h', 'h'), 't': ('t', 't')}
    """
    return f.as_function(tol)


def function_indices(f: Kernel, what: str = "a function") -> np.ndarray:
    """The flat codomain index of each input of a deterministic kernel; a clear error names a random row.

    >>> from catkit import Kernel, Wire
    >>> function_indices(Kernel.swap(Wire(2), Wire(2))).tolist()
    [0, 2, 1, 3]
    >>> function_indices(Kernel([[1, 0], ["1/2", "1/2"]]), "a statistic")
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: a statistic must be deterministic, but row 1 (input 1) of Wire(2) → Wire(2) is random
    """
    M, ops = f.matrix, f.backend.ops
    z, o = ops.host(ops.zero_mask(M)), ops.host(ops.zero_mask(M - 1))
    ok = (z | o).all(axis=1) & (o.sum(axis=1) == 1)
    bad = np.flatnonzero(~ok)
    if bad.size:
        i = int(bad[0])
        x = f.dom.label(i)
        raise StructureError(f"{what} must be deterministic, but row {i} (input {x[0] if len(x) == 1 else x}) of {f.dom} → {f.cod} is random")
    return np.argmax(o, axis=1) if o.size else np.zeros(o.shape[0], dtype=np.int64)


def is_permutation(f: Kernel, tol: float = 0.0) -> bool:
    """Whether ``f`` is a bijection (a deterministic kernel whose function is one-to-one and onto).

    >>> from catkit import Kernel, Wire
    >>> is_permutation(Kernel.swap(Wire(2), Wire(2))), is_permutation(Kernel.copy(Wire(2)))
    (True, False)
    """
    if f.dom.size != f.cod.size or not f.is_deterministic(tol):
        return False
    return len(set(f.as_function(tol).values())) == f.dom.size


def _matrix_inverse(f: Kernel) -> Any:
    return f.backend.ops.inverse(f.matrix)


def inverse(f: Kernel) -> Kernel:
    """The inverse kernel ``g`` with ``f >> g = id`` and ``g >> f = id``, in ``f``'s model.

    Raises :class:`~catkit.structure.errors.NotInvertibleError` when ``f`` is not
    square, is singular, or its matrix inverse leaves the model (in FinStoch:
    whenever ``f`` is not a permutation, B2).  Exact kernels are inverted exactly.

    >>> from catkit import Kernel, Wire
    >>> inverse(Kernel.swap(Wire(2), Wire(3))) == Kernel.swap(Wire(3), Wire(2))
    True
    >>> inverse(Kernel([["2/3", "1/3"], ["1/3", "2/3"]]))
    Traceback (most recent call last):
    ...
    catkit.structure.errors.NotInvertibleError: Wire(2) → Wire(2) is invertible as a matrix, but its inverse is not a FinStoch kernel (row 0 ...
    """
    if f.dom.size != f.cod.size:
        raise NotInvertibleError(f"{f.dom} → {f.cod} is not square ({f.dom.size} × {f.cod.size}): no inverse")
    if f.generic and is_permutation(f):
        fn = f.as_function()
        back = {v: k for k, v in fn.items()}
        return Kernel.from_function(lambda *y: back[y[0] if len(f.cod) == 1 else y], f.cod, f.dom)
    inv = _matrix_inverse(f)
    if inv is None:
        raise NotInvertibleError(f"{f.dom} → {f.cod} is singular: no inverse")
    try:
        return Kernel.from_matrix(inv, f.cod, f.dom, backend=f.backend.name, model=f.model)
    except KernelValueError as e:
        why = str(e).split(f" of a kernel {f.cod} → {f.dom} ")
        detail = f"{why[0]} {why[1].split(' (')[0]}" if len(why) == 2 else str(e)
        raise NotInvertibleError(
            f"{f.dom} → {f.cod} is invertible as a matrix, but its inverse is not a {f.model.name} kernel ({detail})"
            + (": in FinStoch only permutations are isomorphisms (B2)" if f.model.key in ("finstoch", "finset") else "")
        ) from None


def is_isomorphism(f: Kernel) -> bool:
    """Whether ``f`` has an inverse in its model (FinStoch: iff ``f`` is a permutation).

    >>> from catkit import Kernel
    >>> is_isomorphism(Kernel([[0, 1], [1, 0]])), is_isomorphism(Kernel([[2, -1], [-1, 2]], model="signed"))
    (True, True)
    """
    try:
        inverse(f)
    except NotInvertibleError:
        return False
    return True
