"""Instance generators shared by the probability statements (B1–B16).

Conditional statements (positivity, causality, the semigraphoid rules, ...) are
checked on instances that satisfy their hypothesis *by construction*: the
constructions below draw rows of the generator's model (its :class:`Flavour`:
exact stochastic, float, signed, deterministic, sub-stochastic, multivalued, read
off the model's flags in :data:`catkit.models.MODELS`), so that one construction
serves every model.  Signed rows are drawn from small fractions (halves in [-4, 4]),
which is what lets hypothesis find the signed counterexamples of the catalogue within its
default budget.

>>> Flavour("finsetmulti").rows_kind, Flavour("finstoch-float").rows_kind
('multi', 'float')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import hypothesis.strategies as st
import numpy as np

from catkit.axioms.statement import Generator, HypothesisGenerator, UnsupportedInstance
from catkit.info.claims import TRUTH, truth
from catkit.kernel import Kernel
from catkit.models import MODELS, CheckModel
from catkit.objects import Obj
from catkit.structure.multivalued import MultiKernel
from catkit.testing import strategies as S

__all__ = ["TRUTH", "truth", "Flavour", "flavour", "rows_of", "support_of", "with_rows", "model_equal", "obj", "kernel", "function_kernel"]


@dataclass(frozen=True)
class Flavour:
    """How the rows of a model (a key of :data:`~catkit.models.MODELS`, or a :class:`~catkit.models.CheckModel`) look.

    >>> from hypothesis import find
    >>> find(Flavour("signed").weights(3, 0), lambda r: r[0] != 0)
    [Fraction(1, 2), Fraction(0, 1), Fraction(-1, 2)]
    """

    model: CheckModel

    def __init__(self, model: CheckModel | str) -> None:
        object.__setattr__(self, "model", MODELS[model] if isinstance(model, str) else model)

    @property
    def rows_kind(self) -> str:
        """The rows drawn, from the model's flags: ``multi``, ``det``, ``float``, ``signed`` or ``stoch``
        (sub-stochastic rows are stochastic rows; :meth:`lossy_rows` lose mass).

        >>> Flavour("finset").rows_kind, Flavour("substoch").rows_kind
        ('det', 'stoch')
        """
        m = self.model
        if m.relational:
            return "multi"
        if m.deterministic_only:
            return "det"
        if not m.exact:
            return "float"
        return "signed" if m.signed else "stoch"

    def weights(self, n: int, total: Any) -> st.SearchStrategy[list[Any]]:
        """Rows of length ``n`` summing to ``total`` in this flavour (deterministic and multivalued
        rows: ``total`` 0 or 1; a non-zero total needs ``n >= 1``).  Strategies are cached: hypothesis
        spends most of a check building strategies otherwise.

        >>> from hypothesis import find
        >>> find(Flavour("finset").weights(3, 1), lambda r: r[2] == 1)
        [Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]
        """
        return _weights(self.rows_kind, n, total)

    def rows(self, m: int, n: int, total: Any = 1) -> st.SearchStrategy[list[list[Any]]]:
        """``m`` rows of :meth:`weights`.

        >>> from hypothesis import find
        >>> rows = find(Flavour("finstoch").rows(2, 3), lambda rs: True)
        >>> len(rows), [sum(r) for r in rows]
        (2, [Fraction(1, 1), Fraction(1, 1)])
        """
        return _rows(self.rows_kind, m, n, total)

    def lossy_rows(self, m: int, n: int) -> st.SearchStrategy[list[list[Any]]]:
        """Rows of the model at large: for sub-stochastic kernels each row keeps a mass of 1 or 1/2
        (the missing mass is what sub-stochastic models are about); other flavours: :meth:`rows`.

        >>> from hypothesis import find
        >>> find(Flavour("substoch").lossy_rows(1, 2), lambda rs: sum(rs[0]) < 1)[0]
        [Fraction(1, 2), Fraction(0, 1)]
        """
        if self.model.markov:
            return self.rows(m, n)
        return _lossy(m, n)

    def kernel(self, rows: Sequence[Sequence[Any]], dom: Obj, cod: Obj) -> Any:
        """A kernel (or FinSetMulti map) ``dom → cod`` with these rows, in this flavour's model.

        >>> from catkit import Obj, Wire
        >>> Flavour("signed").kernel([[2, -1]], Obj(), Obj(Wire(2))).model.name
        'signed FinStoch'
        """
        m = self.model
        if m.rule is None:
            return MultiKernel([[int(bool(x)) for x in r] for r in rows], dom, cod)
        if not m.exact:
            return Kernel(np.array(rows, dtype=float).reshape(dom.size, cod.size), dom, cod, backend=m.backend, model=m.rule)
        return Kernel([list(r) for r in rows], dom, cod, backend=m.backend, model=m.rule)

    def nonzero(self, x: Any) -> bool:
        """Whether a row entry counts as mass (``!= 0``; ``True`` for relations).

        >>> Flavour("finstoch").nonzero(Fraction(0)), Flavour("finsetmulti").nonzero(1)
        (False, True)
        """
        return bool(x)


@cache
def _weights(k: str, n: int, total: Any) -> st.SearchStrategy[list[Any]]:
    zero: Any = 0.0 if k == "float" else Fraction(0)
    if total == 0 and k != "signed":
        return st.just([zero] * n)
    if k in ("stoch", "substoch"):
        return st.lists(st.integers(0, 4), min_size=n, max_size=n).map(lambda ws: [w * total for w in _normalise(ws)])
    if k == "float":
        return st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=n, max_size=n).map(lambda ws: [w * float(total) for w in _normalise_float(ws)])
    if k == "signed":
        if n == 0:
            return st.just([])
        entry = st.integers(-8, 8).map(lambda k: Fraction(k, 2))  # one choice per entry: cheap to shrink
        return st.lists(entry, min_size=n - 1, max_size=n - 1).map(lambda fr: [*fr, Fraction(total) - sum(fr, Fraction(0))])
    if k == "det":
        return st.integers(0, n - 1).map(lambda i: [Fraction(int(j == i)) for j in range(n)])
    if k == "multi":
        return st.lists(st.booleans(), min_size=n, max_size=n).map(lambda b: [int(x) for x in (b if any(b) else [True, *b[1:]])])
    raise UnsupportedInstance(f"no rows of flavour {k!r}")


@cache
def _rows(k: str, m: int, n: int, total: Any) -> st.SearchStrategy[list[list[Any]]]:
    return st.lists(_weights(k, n, total), min_size=m, max_size=m)


@cache
def _lossy(m: int, n: int) -> st.SearchStrategy[list[list[Any]]]:
    row = st.tuples(_weights("substoch", n, 1), st.sampled_from([Fraction(1), Fraction(1, 2)]))
    return st.lists(row.map(lambda wm: [w * wm[1] for w in wm[0]]), min_size=m, max_size=m)


def _normalise(ws: list[int]) -> list[Fraction]:
    if sum(ws) == 0:
        ws = [1, *ws[1:]]
    s = sum(ws)
    return [Fraction(w, s) for w in ws]


def _normalise_float(ws: list[float]) -> list[float]:
    s = sum(ws)
    return [w / s for w in ws] if s > 0 else [1.0] + [0.0] * (len(ws) - 1)


def flavour(gen: Generator) -> Flavour:
    """The flavour of the generator's model (symbolic generators and unknown models have none).

    >>> from catkit.axioms import SymbolicGenerator
    >>> flavour(SymbolicGenerator())
    Traceback (most recent call last):
    ...
    catkit.axioms.statement.UnsupportedInstance: this construction draws rows of a model; the symbolic generator has none
    """
    m = getattr(gen, "model", None)
    if m is None:
        raise UnsupportedInstance("this construction draws rows of a model; the symbolic generator has none")
    return Flavour(m)


def rows_of(k: Any) -> list[list[Any]]:
    """The rows of a kernel (entries as Fractions/floats) or of a FinSetMulti map (0/1).

    >>> rows_of(MultiKernel([[1, 0]]))
    [[1, 0]]
    """
    if isinstance(k, MultiKernel):
        return k.rel.astype(int).tolist()
    return [list(r) for r in k.matrix.tolist()]


def support_of(k: Any) -> set[int]:
    """Flat indices of the codomain with non-zero mass in some row (the union of the row supports).

    >>> support_of(Kernel([["1/2", "1/2", 0], [1, 0, 0]]))
    {0, 1}
    """
    return {j for r in rows_of(k) for j, x in enumerate(r) if x != 0}


def with_rows(fl: Flavour, k: Any, keep: set[int], other: Any) -> Any:
    """``k`` with the rows outside ``keep`` taken from ``other`` (a kernel of the same type).

    >>> a, b = Kernel([[1, 0], [1, 0]]), Kernel([[0, 1], [0, 1]])
    >>> with_rows(Flavour("finstoch"), a, {0}, b).matrix.tolist()[1]
    [Fraction(0, 1), Fraction(1, 1)]
    """
    ra, rb = rows_of(k), rows_of(other)
    return fl.kernel([ra[i] if i in keep else rb[i] for i in range(len(ra))], k.dom, k.cod)


def function_kernel(dom: Obj, cod: Obj, idx: Sequence[int]) -> Kernel:
    """The deterministic kernel sending the ``i``-th element of ``dom`` to the ``idx[i]``-th of ``cod``,
    as a structural kernel (no backend: it adapts to exact, float, sympy and torch kernels alike).

    >>> from catkit import Wire
    >>> function_kernel(Obj(Wire(2)), Obj(Wire(2)), [1, 0]).as_function(), function_kernel(Obj(Wire(2)), Obj(Wire(2)), [1, 0]).generic
    ({0: 1, 1: 0}, True)
    """
    target = {x: cod.label(int(j)) for x, j in zip(dom.elements(), idx)}
    bare = len(cod) == 1
    return Kernel.from_function(lambda *x: target[x][0] if bare else target[x], dom, cod)


@cache
def _objects(min_wires: int, max_wires: int, min_size: int, max_size: int) -> st.SearchStrategy[Obj]:
    return S.objects(min_wires, max_wires, min_size, max(max_size, min_size))


def obj(g: Generator, name: str, min_wires: int = 1, max_wires: int = 1, min_size: int = 1, max_size: int | None = None) -> Obj:
    """Like ``g.obj`` (one wire by default), drawing from a cached strategy: building a fresh
    strategy per draw is most of the cost of a shrink step.

    >>> from catkit.axioms import SymbolicGenerator
    >>> obj(SymbolicGenerator((2,)), "X")
    Obj(Wire(2))
    """
    if isinstance(g, HypothesisGenerator):
        return g.draw(_objects(min_wires, max_wires, min_size, g.max_size if max_size is None else max_size), name)
    return g.obj(name, min_wires, max_wires)


@cache
def _kernels(model: CheckModel, dom: Obj, cod: Obj, kind: str) -> st.SearchStrategy[Any]:
    return model.kernels(dom, cod, kind)


def kernel(g: Generator, dom: Obj, cod: Obj, name: str = "f", kind: str = "any") -> Any:
    """Like ``g.kernel``, with the model's strategy cached per (model, objects, kind).

    >>> from catkit import Wire
    >>> from catkit.axioms import SymbolicGenerator
    >>> kernel(SymbolicGenerator((2,)), Obj(Wire(2)), Obj(Wire(2))).backend.name
    'sympy'
    """
    if isinstance(g, HypothesisGenerator) and g.model is not None:
        return g.draw(_kernels(g.model, dom, cod, kind), name)
    return g.kernel(dom, cod, name, kind)


def model_equal(gen: Generator, a: Any, b: Any) -> bool:
    """Equality as the generator's model compares (exact, or float within 1e-9).

    >>> from catkit.axioms import SymbolicGenerator
    >>> model_equal(SymbolicGenerator(), Kernel([[1, 0]]), Kernel([[1, 0]]))
    True
    """
    m = getattr(gen, "model", None)
    return bool(m.equal(a, b)) if m is not None else a == b
