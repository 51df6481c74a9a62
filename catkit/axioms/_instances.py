"""Instance generators shared by the probability statements (B1–B16), and the FinSetMulti model.

Conditional statements (positivity, causality, the semigraphoid rules, ...) are
checked on instances that satisfy their hypothesis *by construction*: the
constructions below draw rows from a model's *flavour* (exact stochastic,
float, signed, deterministic, sub-stochastic, multivalued), so that one
construction serves every model.  Signed rows are drawn from small fractions
(halves in [-4, 4]), which is what lets hypothesis find the
signed counterexamples of MATH.md within its default budget.

This module also registers the model ``finsetmulti`` (FinSetMulti: non-empty
multivalued maps, :class:`~catkit.structure.multivalued.MultiKernel`) in
:data:`~catkit.axioms.MODELS`, and records the known outcomes of the core
statements A1–A7 and ``copy-natural`` on it.

>>> from catkit.axioms import MODELS
>>> MODELS["finsetmulti"].name
'FinSetMulti'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import hypothesis.strategies as st
import numpy as np

import catkit.axioms.markov  # noqa: F401  (A1-A7 must be registered before their outcomes here are recorded)
import catkit.structure.multivalued as multivalued
from catkit.axioms.statement import MODELS, REGISTRY, CheckModel, Generator, HypothesisGenerator, UnsupportedInstance
from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.structure.multivalued import MultiKernel, NotARelationError, as_multi
from catkit.testing import strategies as S

__all__ = ["TRUTH", "truth", "Flavour", "flavour", "rows_of", "support_of", "with_rows", "model_equal", "obj", "kernel", "function_kernel"]

#: the two-element wire of indicator kernels ("does the property hold?")
TRUTH = Wire([False, True], name="holds")


def truth(b: bool) -> Kernel:
    """The point ``I → TRUTH`` at ``b``: statements that are not equations compare ``truth(...)`` with ``truth(True)``.

    >>> truth(True) == truth(True), truth(False) == truth(True)
    (True, False)
    """
    return Kernel.point(TRUTH, bool(b))


@dataclass(frozen=True)
class Flavour:
    """How a model's rows look: ``kind`` is stoch, float, signed, det, substoch or multi.

    >>> from hypothesis import find
    >>> find(Flavour("signed").weights(3, 0), lambda r: r[0] != 0)
    [Fraction(1, 2), Fraction(0, 1), Fraction(-1, 2)]
    """

    kind: str

    def weights(self, n: int, total: Any) -> st.SearchStrategy[list[Any]]:
        """Rows of length ``n`` summing to ``total`` in this flavour (deterministic and multivalued
        rows: ``total`` 0 or 1; a non-zero total needs ``n >= 1``).  Strategies are cached: hypothesis
        spends most of a check building strategies otherwise.

        >>> from hypothesis import find
        >>> find(Flavour("det").weights(3, 1), lambda r: r[2] == 1)
        [Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)]
        """
        return _weights(self.kind, n, total)

    def rows(self, m: int, n: int, total: Any = 1) -> st.SearchStrategy[list[list[Any]]]:
        """``m`` rows of :meth:`weights`.

        >>> from hypothesis import find
        >>> rows = find(Flavour("stoch").rows(2, 3), lambda rs: True)
        >>> len(rows), [sum(r) for r in rows]
        (2, [Fraction(1, 1), Fraction(1, 1)])
        """
        return _rows(self.kind, m, n, total)

    def lossy_rows(self, m: int, n: int) -> st.SearchStrategy[list[list[Any]]]:
        """Rows of the model at large: for sub-stochastic kernels each row keeps a mass of 1 or 1/2
        (the missing mass is what sub-stochastic models are about); other flavours: :meth:`rows`.

        >>> from hypothesis import find
        >>> find(Flavour("substoch").lossy_rows(1, 2), lambda rs: sum(rs[0]) < 1)[0]
        [Fraction(1, 2), Fraction(0, 1)]
        """
        if self.kind != "substoch":
            return self.rows(m, n)
        return _lossy(m, n)

    def kernel(self, rows: Sequence[Sequence[Any]], dom: Obj, cod: Obj) -> Any:
        """A kernel (or FinSetMulti map) ``dom → cod`` with these rows, in this flavour's model.

        >>> from catkit import Obj, Wire
        >>> Flavour("signed").kernel([[2, -1]], Obj(), Obj(Wire(2))).model.name
        'signed FinStoch'
        """
        k = self.kind
        if k == "multi":
            return MultiKernel([[int(bool(x)) for x in r] for r in rows], dom, cod)
        if k == "float":
            return Kernel(np.array(rows, dtype=float).reshape(dom.size, cod.size), dom, cod, backend="numpy")
        model = {"stoch": "finstoch", "signed": "signed", "det": "finset", "substoch": "substoch"}[k]
        return Kernel([list(r) for r in rows], dom, cod, backend="exact", model=model)

    def nonzero(self, x: Any) -> bool:
        """Whether a row entry counts as mass (``!= 0``; ``True`` for relations).

        >>> Flavour("stoch").nonzero(Fraction(0)), Flavour("multi").nonzero(1)
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


_FLAVOURS = {"finstoch": "stoch", "finstoch-float": "float", "finset": "det", "signed": "signed", "substoch": "substoch", "finsetmulti": "multi"}


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
    if m.key not in _FLAVOURS:
        raise UnsupportedInstance(f"no instance construction for the model {m.key!r}")
    return Flavour(_FLAVOURS[m.key])


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
    >>> with_rows(Flavour("stoch"), a, {0}, b).matrix.tolist()[1]
    [Fraction(0, 1), Fraction(1, 1)]
    """
    ra, rb = rows_of(k), rows_of(other)
    return fl.kernel([ra[i] if i in keep else rb[i] for i in range(len(ra))], k.dom, k.cod)


def function_kernel(dom: Obj, cod: Obj, idx: Sequence[int]) -> Kernel:
    """The deterministic kernel sending the ``i``-th element of ``dom`` to the ``idx[i]``-th of ``cod``,
    as a structural kernel (no backend: it adapts to exact, float, sympy and torch kernels alike).

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


# ---------------------------------------------------------------------- FinSetMulti as a check model
class _MultiUnsupported(NotARelationError, UnsupportedInstance):
    """A probability-only request on a FinSetMulti map: the statement is n/a on FinSetMulti."""


multivalued.REJECT = _MultiUnsupported


def _multi_kernels(dom: Obj, cod: Obj, kind: str) -> st.SearchStrategy[MultiKernel]:
    if dom.size and not cod.size:
        raise UnsupportedInstance(f"there is no multivalued map from the non-empty {dom} to the empty {cod}")
    fl = Flavour("det" if kind == "deterministic" else "multi")
    if kind == "full_support":
        return st.just(MultiKernel(np.ones((dom.size, cod.size), dtype=bool), dom, cod))
    if kind not in ("any", "deterministic"):
        raise UnsupportedInstance(f"no {kind!r} maps in FinSetMulti")
    rows = st.lists(fl.weights(cod.size, 1), min_size=dom.size, max_size=dom.size)
    return rows.map(lambda r: MultiKernel([[int(bool(x)) for x in row] for row in r], dom, cod))


def _multi_equal(a: Any, b: Any) -> bool:
    try:
        return bool(as_multi(a) == as_multi(b))
    except NotARelationError:
        return False


MODELS["finsetmulti"] = CheckModel(
    "finsetmulti", "FinSetMulti", _multi_kernels, _multi_equal,
    "non-empty multivalued maps (total relations) with relational composition: representable (Fritz 2020 Ex 2.6)",
)

# Known outcomes of the core statements on the model added here (the model's module is their authority):
# FinSetMulti is a Markov category (A1-A7 hold: non-empty images make discard natural) and is not cartesian.
for _code in ("A1", "A2", "A3", "A4", "A5", "A6", "A7"):
    if _code in REGISTRY:
        REGISTRY[_code].expected.setdefault("finsetmulti", True)
if "copy-natural" in REGISTRY:
    REGISTRY["copy-natural"].expected.setdefault("finsetmulti", False)
