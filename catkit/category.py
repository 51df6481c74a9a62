"""Markov categories as an interface: morphisms, the structure a category supplies, and equations.

catkit has three kinds of morphism: :class:`~catkit.Kernel` (FinStoch and its counter-models),
:class:`~catkit.structure.MultiKernel` (FinSetMulti) and :class:`~catkit.diagrams.Diagram` (the free
Markov category).  Each satisfies :class:`MarkovMorphism` (``dom``, ``cod``, ``then``, ``tensor``) and
derives from :class:`Morphism`, which defines the operators once: ``f >> g`` is ``f.then(g)`` and
``f @ g`` is ``f.tensor(g)``.  As in DisCoPy, the class is its own category: it supplies the
identities and the copy-discard structure as class methods (:class:`MarkovCategory`), so code written
against a category runs on kernels, relations and diagrams alike.

An :class:`Equation` is ``lhs = rhs`` between two parallel morphisms with a label: the axiom registry,
the information claims and the proof checker all state their equations with it.

>>> from catkit import Kernel, Wire
>>> from catkit.diagrams import Diagram, Ty
>>> def counit(C, X):                        # one statement, any Markov category
...     return Equation("copy >> (discard @ id) = id", C.copy(X) >> (C.discard(X) @ C.id(X)), C.id(X))
>>> counit(Kernel, Wire(2)).holds()
True
>>> eq = counit(Diagram, Ty("X"))
>>> eq.holds(), eq.holds(lambda a, b: a.equals(b, "cd"))
(False, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

__all__ = ["MarkovMorphism", "MarkovCategory", "Morphism", "Equation"]

M = TypeVar("M")
M_co = TypeVar("M_co", covariant=True)


@runtime_checkable
class MarkovMorphism(Protocol):
    """What every morphism type of catkit offers: its objects, composition and tensor, as methods and operators.

    >>> from catkit import Kernel, Wire
    >>> f: MarkovMorphism = Kernel.copy(Wire(2))
    >>> f.then(Kernel.discard(f.cod)) == f >> Kernel.discard(f.cod), isinstance(f, MarkovMorphism)
    (True, True)
    """

    @property
    def dom(self) -> Any: ...

    @property
    def cod(self) -> Any: ...

    def then(self, other: Any) -> Any: ...

    def tensor(self, other: Any) -> Any: ...

    def __rshift__(self, other: Any) -> Any: ...

    def __matmul__(self, other: Any) -> Any: ...


@runtime_checkable
class MarkovCategory(Protocol[M_co]):
    """The structure a Markov category supplies (the morphism classes are their own categories):
    identities, copy (``n`` copies), discard, swap and the monoidal unit.

    >>> from catkit import Kernel, Wire
    >>> from catkit.structure import MultiKernel
    >>> def discard_is_natural(C: MarkovCategory[Any], f: Any) -> bool:
    ...     return bool(f >> C.discard(f.cod) == C.discard(f.dom))
    >>> discard_is_natural(Kernel, Kernel([["1/2", "1/2"]])), discard_is_natural(MultiKernel, MultiKernel([[1, 1]]))
    (True, True)
    >>> Kernel.unit, MultiKernel.unit
    (I, I)
    """

    unit: Any

    def id(self, X: Any) -> M_co: ...

    def copy(self, X: Any, n: int = 2) -> M_co: ...

    def discard(self, X: Any) -> M_co: ...

    def swap(self, X: Any, Y: Any) -> M_co: ...


class Morphism:
    """The operators of every morphism type, defined once: ``>>`` is :meth:`then`, ``@`` is :meth:`tensor`.

    A subclass implements ``then`` and ``tensor`` and names the operand types the operators take
    (``_then_with``, ``_tensor_with``); any other operand gives ``NotImplemented``, so Python tries the
    other operand's reflected operator (a :class:`~catkit.structure.MultiKernel` takes a kernel on its
    left this way) and otherwise raises its usual ``TypeError``.  A subclass whose ``then`` and
    ``tensor`` answer ``NotImplemented`` themselves sets ``_methods_are_operators``: they are then bound
    as ``>>`` and ``@`` directly, without the extra call (Kernel's ``>>`` is a hot path).

    >>> from catkit import Kernel, Wire
    >>> Kernel.id(Wire(2)) >> 3
    Traceback (most recent call last):
    ...
    TypeError: unsupported operand type(s) for >>: 'Kernel' and 'int'
    """

    __slots__ = ()

    _then_with: ClassVar[tuple[type, ...]] = ()
    _tensor_with: ClassVar[tuple[type, ...]] = ()
    _methods_are_operators: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("_methods_are_operators"):
            cls.__rshift__ = cls.then  # type: ignore[method-assign]
            cls.__matmul__ = cls.tensor  # type: ignore[method-assign]

    def then(self, other: Any) -> Any:
        """Sequential composition, ``self >> other`` (each subclass defines it).

        >>> Morphism().then(Morphism())
        Traceback (most recent call last):
        ...
        NotImplementedError: Morphism.then
        """
        raise NotImplementedError(f"{type(self).__name__}.then")

    def tensor(self, other: Any) -> Any:
        """Parallel composition, ``self @ other`` (each subclass defines it).

        >>> Morphism().tensor(Morphism())
        Traceback (most recent call last):
        ...
        NotImplementedError: Morphism.tensor
        """
        raise NotImplementedError(f"{type(self).__name__}.tensor")

    def __rshift__(self, other: Any) -> Any:
        if isinstance(other, self._then_with):
            return self.then(other)
        return NotImplemented

    def __matmul__(self, other: Any) -> Any:
        if isinstance(other, self._tensor_with):
            return self.tensor(other)
        return NotImplemented


@dataclass(frozen=True)
class Equation(Generic[M]):
    """``lhs = rhs`` between parallel morphisms, with a ``label`` (the equation as text, or what it claims).

    It unpacks as ``label, lhs, rhs``.  A proof file's equation (:mod:`catkit.proof`) is labelled with
    its text as written, and also records the ``line`` and, for a predicate such as
    ``deterministic(f)``, the ``predicate`` and its ``args`` (``lhs = rhs`` is then its expansion).

    >>> from catkit import Kernel, Wire
    >>> eq = Equation("f >> discard = discard", Kernel([["1/2", "1/2"]]) >> Kernel.discard(Wire(2)), Kernel.discard(Wire(1)))
    >>> label, lhs, rhs = eq
    >>> label, eq.holds()
    ('f >> discard = discard', True)
    """

    label: str
    lhs: M
    rhs: M
    line: int = 0
    predicate: str = ""
    args: tuple[Any, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.label, self.lhs, self.rhs))

    @property
    def text(self) -> str:
        """The label, as a proof file's equation calls it (the equation as written).

        >>> from catkit.diagrams import Box
        >>> Equation("f = f", Box("f", "X", "Y"), Box("f", "X", "Y"), line=3).text
        'f = f'
        """
        return self.label

    @classmethod
    def of(cls, eq: Equation[M] | tuple[str, M, M]) -> Equation[M]:
        """An equation as it is, or one from a ``(label, lhs, rhs)`` triple.

        >>> Equation.of(("1 = 1", 1, 1)).holds()
        True
        """
        if isinstance(eq, Equation):
            return eq
        label, lhs, rhs = eq
        return cls(label, lhs, rhs)

    def holds(self, equal: Callable[[M, M], Any] | None = None) -> bool:
        """Whether the two sides are equal: by ``==``, or by ``equal`` (a model's equality, a free category's).

        >>> Equation("x = y", 1.0, 1.0 + 1e-12).holds(), Equation("x = y", 1.0, 1.0 + 1e-12).holds(lambda a, b: abs(a - b) < 1e-9)
        (False, True)
        """
        return bool(self.lhs == self.rhs if equal is None else equal(self.lhs, self.rhs))

    @property
    def expanded(self) -> str:
        """The two sides as text, ``lhs = rhs`` (a predicate's expansion).

        >>> from catkit.prover import EXAMPLE, parse
        >>> parse(EXAMPLE).theorems[0].hypotheses["det_f"].expanded
        'f >> copy(Y) = copy(X) >> f @ id(X) >> id(Y) @ f'
        """
        return f"{self.lhs} = {self.rhs}"
