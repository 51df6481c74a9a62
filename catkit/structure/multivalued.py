"""FinSetMulti: finite sets and non-empty multivalued maps (Fritz 2020, Example 2.6), a representable Markov category.

A :class:`MultiKernel` ``f: X → Y`` assigns to each ``x`` a *non-empty* set
``f(x) ⊆ Y`` (a total relation, stored as a boolean matrix).  Composition is
relational (``y ∈ (f >> g)(x)`` iff ``y ∈ g(x')`` for some ``x' ∈ f(x)``: a boolean
matrix product), ``@`` is the product of relations, and copy/discard/swap are
the functions.  Taking supports, ``FinStoch → FinSetMulti``, preserves all of it.

FinSetMulti is *representable* (Fritz, Gonda, Perrone & Rischel 2020, arXiv
2010.07416): with ``P X`` the set of non-empty subsets of ``X`` and
``samp: P X → X, S ↦ S``, every ``f: A → X`` is ``f♯ >> samp`` for exactly one
deterministic ``f♯: A → P X`` (``a ↦ f(a)``).  FinStoch is not representable by a
finite object: ``P X`` would have to be the infinite set of distributions on ``X``.

A MultiKernel composes with a :class:`~catkit.Kernel` on either side (the kernel
is first replaced by its support), so string diagrams built from
``Kernel.copy``/``discard``/``swap`` run unchanged on FinSetMulti.

>>> from catkit import Kernel, Wire
>>> f = MultiKernel([[1, 1, 0], [0, 0, 1]])
>>> f.image(0)
{0, 1}
>>> (f >> Kernel.discard(Wire(3))) == MultiKernel.discard(Wire(2))
True
>>> sharp(f) >> sampling(f.cod) == f, sharp(f).is_deterministic()
(True, True)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, ClassVar

import numpy as np

from catkit.category import Morphism
from catkit.errors import KernelValueError, NotAKernelError, ObjectMismatchError
from catkit.kernel import Kernel
from catkit.models import NotInModelError
from catkit.objects import I, Obj, ObjLike, Wire, as_obj

__all__ = ["MultiKernel", "NotARelationError", "as_multi", "powerset", "sampling", "sharp"]


class NotARelationError(NotInModelError, TypeError, AttributeError):
    """A probability-only operation was asked of a FinSetMulti map (``.matrix``, ``.backend``, ...), or a
    kernel with entries other than 0/1 was mixed into relational composition implicitly (use
    :meth:`MultiKernel.from_kernel` to take its support on purpose).

    It is a :class:`~catkit.models.NotInModelError`, so a statement that does not apply to relations
    reads "n/a" on FinSetMulti.

    >>> try:
    ...     MultiKernel([[1, 1], [0, 1]]).matrix
    ... except NotARelationError as e:
    ...     print(e)
    FinSetMulti maps are relations and have no 'matrix' (a probability notion); the relation is .rel
    """


class MultiKernel(Morphism):
    """A morphism of FinSetMulti: a boolean matrix ``|dom| × |cod|`` whose rows are all non-empty.

    >>> MultiKernel([[0, 0]])
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: row 0 of a multivalued map Wire(1) → Wire(2) is empty (FinSetMulti maps are non-empty)
    """

    __slots__ = ("dom", "cod", "rel")
    #: the monoidal unit (the class is its own category, see :mod:`catkit.category`)
    unit: ClassVar[Obj] = I

    def __init__(self, rel: Any, dom: ObjLike | None = None, cod: ObjLike | None = None) -> None:
        arr = np.asarray(rel, dtype=object)
        if arr.ndim == 1:
            arr = arr[None, :]
            dom = I if dom is None else dom
        R = np.array([[bool(x) for x in row] for row in arr.reshape(arr.shape[0], -1)], dtype=bool).reshape(arr.shape[0], -1)
        D = as_obj(dom) if dom is not None else Obj(Wire(R.shape[0]))
        C = as_obj(cod) if cod is not None else Obj(Wire(R.shape[1]))
        if R.shape != (D.size, C.size):
            raise KernelValueError(f"a {R.shape} relation does not fit a multivalued map {D} → {C}")
        empty = np.flatnonzero(~R.any(axis=1)) if C.size else np.arange(D.size)
        if empty.size:
            raise KernelValueError(f"row {int(empty[0])} of a multivalued map {D} → {C} is empty (FinSetMulti maps are non-empty)")
        R.flags.writeable = False
        self.dom, self.cod, self.rel = D, C, R

    @classmethod
    def _raw(cls, R: np.ndarray, dom: Obj, cod: Obj) -> MultiKernel:
        k = object.__new__(cls)
        R.flags.writeable = False
        k.dom, k.cod, k.rel = dom, cod, R
        return k

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self)._raw, (self.rel, self.dom, self.cod))  # unpickled arrays come back writeable: _raw locks it

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_kernel(cls, k: Kernel, tol: float = 0.0) -> MultiKernel:
        """The support relation of a kernel: ``y ∈ f(x)`` iff ``k(y|x) != 0`` (the functor FinStoch → FinSetMulti).

        >>> from catkit import Kernel
        >>> MultiKernel.from_kernel(Kernel([["1/2", "1/2", 0]])).image(0)
        {0, 1}
        """
        ops = k.backend.ops
        z = ops.host(ops.zero_mask(k.matrix, tol))
        return cls._raw(np.array(~z, dtype=bool), k.dom, k.cod)

    @classmethod
    def from_sets(cls, fn: Callable[..., Iterable[Hashable]], dom: ObjLike, cod: ObjLike) -> MultiKernel:
        """From a function returning, for each input element, the (non-empty) set of outputs.

        >>> from catkit import Wire
        >>> MultiKernel.from_sets(lambda x: {x, (x + 1) % 3}, Wire(3), Wire(3)).image(2)
        {0, 2}
        """
        D, C = as_obj(dom), as_obj(cod)
        R = np.zeros((D.size, C.size), dtype=bool)
        for i, x in enumerate(D.elements()):
            for y in fn(*x):
                R[i, C.flat_index(y)] = True
        return cls(R, D, C)

    @classmethod
    def id(cls, X: ObjLike) -> MultiKernel:
        """Identity.

        >>> from catkit import Wire
        >>> MultiKernel.id(Wire(2)).is_deterministic()
        True
        """
        return cls.from_kernel(Kernel.id(X))

    @classmethod
    def copy(cls, X: ObjLike, n: int = 2) -> MultiKernel:
        """Copy ``X → X^{⊗n}``.

        >>> from catkit import Wire
        >>> MultiKernel.copy(Wire(2)).image(1)
        {(1, 1)}
        """
        return cls.from_kernel(Kernel.copy(X, n))

    @classmethod
    def discard(cls, X: ObjLike) -> MultiKernel:
        """Discard ``X → I``.

        >>> from catkit import Wire
        >>> MultiKernel.discard(Wire(3)).cod
        I
        """
        return cls.from_kernel(Kernel.discard(X))

    @classmethod
    def swap(cls, X: ObjLike, Y: ObjLike) -> MultiKernel:
        """Symmetry ``X @ Y → Y @ X``.

        >>> from catkit import Wire
        >>> MultiKernel.swap(Wire(2), Wire(3)).cod
        Wire(3) @ Wire(2)
        """
        return cls.from_kernel(Kernel.swap(X, Y))

    @classmethod
    def projection(cls, X: ObjLike, keep: Sequence[int]) -> MultiKernel:
        """The wire projection (see :meth:`catkit.Kernel.projection`).

        >>> from catkit import Wire
        >>> MultiKernel.projection(Wire(2) @ Wire(3), [1]).cod
        Obj(Wire(3))
        """
        return cls.from_kernel(Kernel.projection(X, keep))

    # ------------------------------------------------------------------ structure
    def image(self, x: Hashable) -> set[Hashable]:
        """The set ``f(x)`` (bare elements for one-wire codomains, tuples otherwise).

        >>> MultiKernel([[1, 0, 1]]).image(0)
        {0, 2}
        """
        row = self.rel[self.dom.flat_index(x)]
        return {self._lab(j) for j in np.flatnonzero(row)}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotARelationError(f"FinSetMulti maps are relations and have no {name!r} (a probability notion); the relation is .rel")

    def _lab(self, j: int | np.integer) -> Hashable:
        y = self.cod.label(int(j))
        return y[0] if len(self.cod) == 1 else y

    def is_deterministic(self) -> bool:
        """Whether every ``f(x)`` is a single element (a function).

        >>> MultiKernel([[1, 1]]).is_deterministic()
        False
        """
        return bool((self.rel.sum(axis=1) == 1).all())

    def then(self, other: MultiKernel | Kernel) -> MultiKernel:
        """Relational composition, ``self >> other`` (a kernel is taken as its 0/1 relation).

        >>> (MultiKernel([[1, 1]]) >> MultiKernel([[1, 0], [0, 1]])).image(0)
        {0, 1}
        """
        o = as_multi(other)
        if self.cod != o.dom:
            raise ObjectMismatchError(f"cannot compose: the codomain of the first map, {self.cod}, is not the domain of the second, {o.dom}")
        R = (self.rel.astype(np.int64) @ o.rel.astype(np.int64)) > 0
        return MultiKernel._raw(R, self.dom, o.cod)

    def __rrshift__(self, other: Kernel) -> MultiKernel:
        return as_multi(other) >> self

    def tensor(self, other: MultiKernel | Kernel) -> MultiKernel:
        """The product of relations, ``self @ other``.

        >>> (MultiKernel([1, 1]) @ MultiKernel([0, 1])).image(())
        {(0, 1), (1, 1)}
        """
        o = as_multi(other)
        return MultiKernel._raw(np.kron(self.rel, o.rel).astype(bool), self.dom @ o.dom, self.cod @ o.cod)

    def __rmatmul__(self, other: Kernel) -> MultiKernel:
        return as_multi(other) @ self

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Kernel):
            if not _zero_one(other):
                return False  # a probability kernel is not a relation (its support is, explicitly)
            other = MultiKernel.from_kernel(other)
        if not isinstance(other, MultiKernel):
            return NotImplemented
        return self.dom == other.dom and self.cod == other.cod and bool(np.array_equal(self.rel, other.rel))

    __hash__ = None  # type: ignore[assignment]

    def marginal(self, *keep: int | Sequence[int]) -> MultiKernel:
        """Keep some output wires (positions, or lists of positions; the others are discarded).

        >>> from catkit import Wire
        >>> MultiKernel.copy(Wire(2)).marginal(0) == MultiKernel.id(Wire(2)) == MultiKernel.copy(Wire(2)).marginal([1])
        True
        """
        pos: list[int] = []
        for k in keep:
            pos.extend(k if isinstance(k, Iterable) else [k])
        return self >> MultiKernel.projection(self.cod, pos)

    def permute(self, perm: Sequence[int]) -> MultiKernel:
        """Reorder the output wires (as :meth:`catkit.Kernel.permute`).

        >>> from catkit import Wire
        >>> MultiKernel.copy(Wire(2)).permute([1, 0]) == MultiKernel.copy(Wire(2))
        True
        """
        return self >> MultiKernel.from_kernel(Kernel.permutation(self.cod, perm))

    def table(self) -> str:
        """One line per input: its set of outputs.

        >>> print(MultiKernel([[1, 1], [0, 1]]).table())
        MultiKernel Wire(2) → Wire(2)  [FinSetMulti]
          0 ↦ {0, 1}
          1 ↦ {1}
        """
        lines = [f"MultiKernel {self.dom} → {self.cod}  [FinSetMulti]"]
        for i in range(self.dom.size):
            x = self.dom.label(i)
            shown = "·" if not self.dom else (x[0] if len(x) == 1 else x)
            items = ", ".join(map(str, (self._lab(j) for j in np.flatnonzero(self.rel[i]))))
            lines.append(f"  {shown} ↦ {{{items}}}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        rows = self.rel.astype(int).tolist()
        data = rows[0] if not self.dom else rows
        return f"MultiKernel({data!r}, dom={self.dom}, cod={self.cod})" if self.dom else f"MultiKernel({data!r}, cod={self.cod})"

    __str__ = table


MultiKernel._then_with = MultiKernel._tensor_with = (MultiKernel, Kernel)


def as_multi(k: MultiKernel | Kernel) -> MultiKernel:
    """A MultiKernel as it is, a Kernel as its support relation.

    >>> from catkit import Kernel, Wire
    >>> as_multi(Kernel.copy(Wire(2))).is_deterministic()
    True
    """
    if isinstance(k, MultiKernel):
        return k
    if isinstance(k, Kernel):
        if not _zero_one(k):
            raise NotARelationError(
                f"the kernel {k.dom} → {k.cod} has entries other than 0 and 1; FinSetMulti composes relations: "
                "take its support explicitly with MultiKernel.from_kernel"
            )
        return MultiKernel.from_kernel(k)
    raise NotAKernelError(f"expected a MultiKernel or a Kernel, got {type(k).__name__}")


def _zero_one(k: Kernel) -> bool:
    if k.generic:
        return True
    ops = k.backend.ops
    z, o = ops.zero_mask(k.matrix), ops.zero_mask(k.matrix - 1)
    both = z | o
    return bool(both.all())


def powerset(X: ObjLike) -> Wire:
    """``P X``: the non-empty subsets of ``X`` as one wire (labels: tuples of elements, by size then order).

    >>> powerset(Wire(2)).labels
    ((0,), (1,), (0, 1))
    """
    Xo = as_obj(X)
    els = [e[0] if len(Xo) == 1 else e for e in Xo.elements()]
    subsets = [c for r in range(1, len(els) + 1) for c in itertools.combinations(els, r)]
    return Wire(subsets, name=f"P({Xo})")


def sampling(X: ObjLike) -> MultiKernel:
    """``samp: P X → X``, ``S ↦ S``: the map that represents FinSetMulti.

    >>> sampling(Wire(2)).image(((0, 1)))
    {0, 1}
    """
    Xo = as_obj(X)
    PX = powerset(Xo)
    return MultiKernel.from_sets(lambda S: S, PX, Xo)


def sharp(f: MultiKernel | Kernel) -> MultiKernel:
    """The unique deterministic ``f♯: A → P X`` with ``f♯ >> samp = f`` (``a ↦ f(a)``).

    >>> f = MultiKernel([[1, 1], [0, 1]])
    >>> sharp(f).image(0)
    {(0, 1)}
    """
    g = as_multi(f)
    PX = powerset(g.cod)
    index = {S: i for i, S in enumerate(PX.elements())}
    R = np.zeros((g.dom.size, PX.size), dtype=bool)
    els = [e[0] if len(g.cod) == 1 else e for e in g.cod.elements()]
    for i in range(g.dom.size):
        S = tuple(els[j] for j in np.flatnonzero(g.rel[i]))
        R[i, index[S]] = True
    return MultiKernel(R, g.dom, Obj(PX))
