"""Supports, absolute continuity and almost-sure equality ([B7][stmt-b7], [B8][stmt-b8]).

``f =_p g`` (Fritz 2020, Def 13.1) means ``p >> ⟨id, f⟩ = p >> ⟨id, g⟩``.  In
FinStoch this says that the rows of ``f`` and ``g`` agree on the support of
``p`` (Fritz 2020, Def 13.20 and the example after it): the support is the
set of elements of non-zero probability, with its inclusion a deterministic
kernel ``S → X``, and ``f =_p g`` iff ``incl >> f = incl >> g``.

The pitfall: ``p >> f = p >> g`` does **not** imply ``f =_p g``.

>>> from catkit import Kernel, Wire
>>> p = Kernel.state(["1/2", "1/2"])
>>> f, g = Kernel.id(Wire(2)), Kernel([[0, 1], [1, 0]])
>>> (p >> f) == (p >> g), almost_surely_equal(f, g, p)
(True, False)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.structure.errors import StructureError
from catkit.structure.pairing import joint

__all__ = ["Support", "support", "absolutely_continuous", "almost_surely_equal", "as_equation", "FLOAT_TOL"]

#: default tolerance for float comparisons in this module (row agreement of float kernels)
FLOAT_TOL = 1e-9


@dataclass(frozen=True)
class Support:
    """The support of a state ``p: I → X`` (or the union of the row supports of ``p: A → X``).

    ``indices`` are flat indices into ``obj``; ``inclusion`` is the deterministic
    kernel ``S → X`` from a one-wire object ``S`` whose labels are the support's elements.

    >>> from catkit import Kernel, Wire
    >>> s = support(Kernel.state(["1/2", 0, "1/2"], Wire(["a", "b", "c"])))
    >>> s.elements(), "b" in s, len(s)
    (['a', 'c'], False, 2)
    >>> s.inclusion.as_function()
    {'a': 'a', 'c': 'c'}
    """

    obj: Obj
    indices: tuple[int, ...]

    def _label(self, i: int) -> Hashable:
        x = self.obj.label(i)
        return x[0] if len(self.obj) == 1 else x

    def elements(self) -> list[Hashable]:
        """The elements of non-zero mass (bare for one-wire objects, tuples otherwise).

        >>> from catkit import Kernel, Wire
        >>> support(Kernel.state([0, 1, 0, 0], Wire(2) @ Wire(2))).elements()
        [(0, 1)]
        """
        return [self._label(i) for i in self.indices]

    def __contains__(self, x: Any) -> bool:
        return self.obj.flat_index(x) in self.indices

    def __len__(self) -> int:
        return len(self.indices)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.elements())

    def __le__(self, other: Support) -> bool:
        return self.obj == other.obj and set(self.indices) <= set(other.indices)

    @property
    def wire(self) -> Wire:
        """The support as a wire of its own (labelled by the elements).

        >>> from catkit import Kernel
        >>> support(Kernel.state(["1/4", "3/4"])).wire
        Wire([0, 1], name='supp')
        """
        return Wire(self.elements(), name="supp")

    @property
    def inclusion(self) -> Kernel:
        """The deterministic inclusion ``S → X`` (FinStoch's support object, Fritz 2020 Def 13.20).

        >>> from catkit import Kernel
        >>> support(Kernel.state([0, 1])).inclusion.cod
        Obj(Wire(2))
        """
        return Kernel.from_function(lambda e: e, Obj(self.wire), self.obj)

    def __repr__(self) -> str:
        return f"Support({self.elements()!r} of {self.obj})"


def support(p: Kernel, tol: float = 0.0) -> Support:
    """The elements ``x`` with ``p(x|a) != 0`` for some input ``a`` (``|p(x|a)| > tol`` for floats).

    >>> from catkit import Kernel
    >>> support(Kernel([["1/2", "1/2", 0], [0, 1, 0]]))
    Support([0, 1] of Wire(3))
    """
    ops = p.backend.ops
    z = ops.host(ops.zero_mask(p.matrix, tol))
    idx = np.flatnonzero(~z.all(axis=0))
    return Support(p.cod, tuple(int(i) for i in idx))


def absolutely_continuous(p: Kernel, q: Kernel, tol: float = 0.0) -> bool:
    """``p ≪ q``: every element of positive ``p``-mass has positive ``q``-mass (support inclusion).

    >>> from catkit import Kernel
    >>> p, q = Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])
    >>> absolutely_continuous(p, q), absolutely_continuous(q, p)
    (True, False)
    """
    if p.cod != q.cod:
        raise StructureError(f"absolute continuity compares laws on one object; got {p.cod} and {q.cod}")
    return support(p, tol) <= support(q, tol)


def _check_as(f: Kernel, g: Kernel, p: Kernel) -> None:
    if f.dom != g.dom or f.cod != g.cod:
        raise StructureError(f"almost-sure equality compares parallel kernels; got {f.dom} → {f.cod} and {g.dom} → {g.cod}")
    if p.cod != f.dom:
        raise StructureError(f"the law p lives on {p.cod}, but the kernels' domain is {f.dom}")


def as_equation(f: Kernel, g: Kernel, p: Kernel) -> tuple[Kernel, Kernel]:
    """The two sides of the defining equation of ``f =_p g``: ``(p >> ⟨id, f⟩, p >> ⟨id, g⟩)``.

    >>> from catkit import Kernel, Wire
    >>> lhs, rhs = as_equation(Kernel.id(Wire(2)), Kernel.uniform(Wire(2), Wire(2)), Kernel.state([1, 0]))
    >>> lhs == rhs
    False
    """
    _check_as(f, g, p)
    return joint(p, f), joint(p, g)


def almost_surely_equal(f: Kernel, g: Kernel, p: Kernel, tol: float | None = None) -> bool:
    """Whether ``f =_p g``: the rows of ``f`` and ``g`` agree on the support of ``p``.

    Exact kernels are compared exactly; float kernels within ``tol`` (default
    :data:`FLOAT_TOL`), which also bounds what counts as zero mass in ``p``.

    >>> from catkit import Kernel, Wire
    >>> f, g = Kernel([[1, 0], [1, 0]]), Kernel([[1, 0], [0, 1]])
    >>> almost_surely_equal(f, g, Kernel.state([1, 0])), almost_surely_equal(f, g, Kernel.state(["1/2", "1/2"]))
    (True, False)
    """
    _check_as(f, g, p)
    floating = not (f.backend.exact and g.backend.exact and p.backend.exact)
    t = (FLOAT_TOL if tol is None else tol) if floating else 0.0
    incl = support(p, t).inclusion
    a, b = incl >> f, incl >> g
    return a.allclose(b, t) if floating else a == b
