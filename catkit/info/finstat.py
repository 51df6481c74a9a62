"""Baez–Fritz: the category FinStat and the relative-entropy functor RE (arXiv 1402.3067).

An object of FinStat is a finite probability space ``(X, p)`` (a state ``p: I → X``).  A
morphism ``(f, s): (X, p) → (Y, q)`` is a measure-preserving function ``f: X → Y``
(``p >> f = q``) with a *hypothesis* ``s: Y → X``, a stochastic section of ``f``
(``s >> f = id_Y``: ``s`` guesses a point in the fibre of each ``y``).  Composition is
``(f, s) >> (g, t) = (f >> g, t >> s)``.

The relative-entropy functor ``RE(f, s) = KL(p ‖ q >> s)`` measures how badly the
hypothesis reconstructs ``p`` from ``q``.  Baez and Fritz show it is

* **functorial**: ``RE((f, s) >> (g, t)) = RE(f, s) + RE(g, t)`` (with ``∞ + c = ∞``);
* **zero on optimal hypotheses** (FP: ``q >> s = p``, e.g. the Bayesian inverse of ``f``);
* **convex linear**: ``RE(λ m ⊕ (1 − λ) m') = λ RE(m) + (1 − λ) RE(m')``;
* **infinite exactly when support is lost** (``supp p ⊄ supp (q >> s)``);

and lower semicontinuous; up to a constant it is the only such functor.

>>> from catkit import Kernel, Wire
>>> p = Kernel.state(["1/2", "1/4", "1/4"])
>>> f = Kernel.from_function(lambda x: min(x, 1), Wire(3), Wire(2))
>>> m = FinStatMorphism(p, f, Kernel([[1, 0, 0], [0, "1/3", "2/3"]]))
>>> m.relative_entropy()
-3*log(2)/4 + log(3)/2
>>> FinStatMorphism.optimal(p, f).relative_entropy()
0
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from catkit.backends import Backend, get_backend
from catkit.errors import BackendMismatchError, CatkitError, ObjectMismatchError
from catkit.info.divergences import kl_divergence
from catkit.info.rows import ParameterError
from catkit.kernel import Kernel
from catkit.objects import I, Obj, Wire

__all__ = ["FinStatError", "FinStatMorphism", "relative_entropy", "direct_sum", "convex_combination", "onto_image"]

_TOL = 1e-9


class FinStatError(CatkitError, ValueError):
    """Data that is not a FinStat morphism (f not a function, s not a section, p not a state).

    >>> issubclass(FinStatError, ValueError)
    True
    """


def _backend(*ks: Kernel) -> Backend:
    """The common backend of the kernels that have one (structural kernels adapt); mixing is refused."""
    found = {k.backend.name: k.backend for k in ks if not k.generic}
    if len(found) > 1:
        raise BackendMismatchError(f"FinStat data on different backends: {sorted(found)}; convert with .to(backend)")
    return found.popitem()[1] if found else get_backend("exact")


def _same(a: Kernel, b: Kernel) -> bool:
    return a == b if a.backend.exact else a.allclose(b, _TOL)


def _image(f: Kernel) -> np.ndarray:
    """The column of each row of a deterministic kernel."""
    M = f.matrix
    return np.array([next(j for j, x in enumerate(row) if x != 0) for row in M], dtype=np.int64)


class FinStatMorphism:
    """A morphism ``(f, s): (X, source) → (Y, source >> f)`` of FinStat (see the module docstring).

    >>> from catkit import Kernel, Wire
    >>> p = Kernel.state(["1/2", "1/2"])
    >>> f = Kernel.discard(Wire(2))
    >>> FinStatMorphism(p, f, Kernel([["1/2", "1/2"]], I, Wire(2))).relative_entropy()
    0
    >>> FinStatMorphism(p, f, Kernel([["1/2", "1/4"]], I, Wire(2), model="substoch"))
    Traceback (most recent call last):
    ...
    catkit.info.finstat.FinStatError: s is not a section of f: s >> f must be the identity on I, but row () of s >> f is [3/4]
    """

    __slots__ = ("source", "f", "s", "target")

    def __init__(self, source: Kernel, f: Kernel, s: Kernel) -> None:
        if not isinstance(source, Kernel) or source.dom != I:
            raise FinStatError(f"the source of a FinStat morphism is a state I → X, got {source!r}")
        if f.dom != source.cod:
            raise ObjectMismatchError(f"f: {f.dom} → {f.cod} does not start at the source space {source.cod}")
        if s.dom != f.cod or s.cod != f.dom:
            raise ObjectMismatchError(f"the hypothesis s must go {f.cod} → {f.dom}, got {s.dom} → {s.cod}")
        if not f.is_deterministic(_TOL if not f.backend.exact else 0.0):
            raise FinStatError("f must be a function (a deterministic kernel)")
        sf = s >> f
        if not _same(sf, Kernel.id(f.cod)):
            rows = sf.matrix.tolist()
            bad = next(i for i, row in enumerate(rows) if any((x != (1 if i == j else 0)) for j, x in enumerate(row)))
            shown = "[" + ", ".join(str(x) for x in rows[bad]) + "]"
            raise FinStatError(
                f"s is not a section of f: s >> f must be the identity on {f.cod}, but row {f.cod.label(bad)} of s >> f is {shown}"
            )
        self.source, self.f, self.s = source, f, s
        self.target = source >> f

    def __repr__(self) -> str:
        return f"<FinStat morphism ({self.f.dom}, p) → ({self.f.cod}, q)>"

    @classmethod
    def identity(cls, p: Kernel) -> FinStatMorphism:
        """The identity ``(id, id)`` on ``(X, p)``.

        >>> from catkit import Kernel
        >>> FinStatMorphism.identity(Kernel.state(["1/3", "2/3"])).relative_entropy()
        0
        """
        return cls(p, Kernel.id(p.cod), Kernel.id(p.cod))

    @classmethod
    def optimal(cls, p: Kernel, f: Kernel) -> FinStatMorphism:
        """``(f, f†)`` with the optimal hypothesis: the Bayesian inverse ``f†(x|y) = p(x)/q(y)`` on the
        fibre of ``y`` (uniform on the fibre where ``q(y) = 0``).  Its relative entropy is 0.

        >>> from catkit import Kernel, Wire
        >>> m = FinStatMorphism.optimal(Kernel.state(["1/2", "1/6", "1/3"]), Kernel.discard(Wire(3)))
        >>> m.s.matrix.tolist(), m.is_optimal()
        ([[Fraction(1, 2), Fraction(1, 6), Fraction(1, 3)]], True)
        """
        img = _image(f)
        pm, q = p.matrix[0], (p >> f).matrix[0]
        return cls(p, f, _section(f, img, lambda y, x: pm[x] / q[y] if q[y] != 0 else None, _backend(p, f)))

    @classmethod
    def from_weights(cls, p: Kernel, f: Kernel, weights: Kernel) -> FinStatMorphism:
        """``(f, s)`` with ``s(·|y)`` the row ``weights(·|y)`` restricted to the fibre of ``y`` and
        renormalised (uniform on the fibre where the row gives it no mass).

        >>> from catkit import Kernel, Wire
        >>> m = FinStatMorphism.from_weights(Kernel.state(["1/2", "1/2"]), Kernel.discard(Wire(2)), Kernel([[1, 0]]))
        >>> m.relative_entropy()
        oo
        """
        img = _image(f)
        backend = _backend(p, weights, f)
        W = weights.to(backend).matrix if weights.generic else weights.matrix
        mass = [sum((W[y, x] for x in range(len(img)) if img[x] == y), backend.ops.number(0)) for y in range(f.cod.size)]
        return cls(p, f, _section(f, img, lambda y, x: W[y, x] / mass[y] if mass[y] != 0 else None, backend))

    def relative_entropy(self) -> Any:
        """``RE(f, s) = KL(p ‖ q >> s)`` (exact on exact kernels, ``oo`` when support is lost).

        >>> from catkit import Kernel
        >>> FinStatMorphism.identity(Kernel.state([1, 0])).relative_entropy()
        0
        """
        return kl_divergence(self.source, self.target >> self.s)

    def is_optimal(self) -> bool:
        """Whether the hypothesis is optimal: ``q >> s = p`` (exactly, or within 1e-9 for floats).

        >>> from catkit import Kernel, Wire
        >>> FinStatMorphism.identity(Kernel.state(["1/3", "2/3"])).is_optimal()
        True
        """
        return _same(self.target >> self.s, self.source)

    def loses_support(self) -> bool:
        """Whether some ``x`` with ``p(x) > 0`` gets no mass from ``q >> s`` (then RE is infinite).

        >>> from catkit import Kernel, Wire
        >>> FinStatMorphism.from_weights(Kernel.state(["1/2", "1/2"]), Kernel.discard(Wire(2)), Kernel([[1, 0]])).loses_support()
        True
        """
        back = (self.target >> self.s).matrix[0]
        return any(px != 0 and bx == 0 for px, bx in zip(self.source.matrix[0], back))

    def then(self, other: FinStatMorphism) -> FinStatMorphism:
        """Composition ``(f, s) >> (g, t) = (f >> g, t >> s)``; ``other`` must start at this target.

        >>> from catkit import Kernel, Wire
        >>> p = Kernel.state(["1/2", "1/4", "1/4"])
        >>> m = FinStatMorphism.optimal(p, Kernel.from_function(lambda x: min(x, 1), Wire(3), Wire(2)))
        >>> (m >> FinStatMorphism.optimal(m.target, Kernel.discard(Wire(2)))).relative_entropy()
        0
        """
        if other.source.cod != self.target.cod or not _same(other.source, self.target):
            raise ObjectMismatchError("cannot compose FinStat morphisms: the second does not start at the first's target (X, q)")
        return FinStatMorphism(self.source, self.f >> other.f, other.s >> self.s)

    __rshift__ = then


def _section(f: Kernel, img: np.ndarray, weight: Any, backend: Backend) -> Kernel:
    """A section of f from ``weight(y, x)`` for x in the fibre of y (None: uniform on that fibre)."""
    z = backend.ops.number(0)
    nX, nY = f.dom.size, f.cod.size
    M = np.empty((nY, nX), dtype=object)
    M[...] = z
    for y in range(nY):
        fib = [x for x in range(nX) if img[x] == y]
        if not fib:
            raise FinStatError(f"f is not surjective: {f.cod.label(y)} has an empty fibre, so f has no section")
        ws = [weight(y, x) for x in fib]
        if any(w is None for w in ws):
            ws = [(z + 1) / len(fib)] * len(fib)
        for x, w in zip(fib, ws):
            M[y, x] = w
    return Kernel.from_matrix(M, f.cod, f.dom, backend=backend)


def onto_image(f: Kernel) -> Kernel:
    """A function ``X → Y`` as a surjection onto its image (a wire labelled by the elements hit).

    >>> from catkit import Kernel, Wire
    >>> g = onto_image(Kernel.from_function(lambda x: 2 * x, Wire(2), Wire(4)))
    >>> g.cod, g.as_function()
    (Obj(Wire([(0,), (2,)])), {0: (0,), 1: (2,)})
    """
    if not f.is_deterministic(0.0 if f.backend.exact else _TOL):
        raise FinStatError("onto_image needs a function (a deterministic kernel)")
    img = _image(f)
    hit = sorted(set(img.tolist()))
    cod = Wire([f.cod.label(j) for j in hit])
    pos = {j: i for i, j in enumerate(hit)}
    rows = [[int(pos[int(j)] == i) for i in range(len(hit))] for j in img]
    return Kernel(rows, f.dom, cod, backend=f.backend, model=f.model)  # a structural f's backend is exact


def relative_entropy(m: FinStatMorphism) -> Any:
    """The relative-entropy functor ``RE: FinStat → [0, ∞]`` on a morphism (see the module docstring).

    >>> from catkit import Kernel, Wire
    >>> relative_entropy(FinStatMorphism.optimal(Kernel.state(["1/3", "2/3"]), Kernel.discard(Wire(2))))
    0
    """
    return m.relative_entropy()


def _sum_obj(X: Obj, Y: Obj) -> Wire:
    return Wire([(0, x) for x in X.elements()] + [(1, y) for y in Y.elements()])


def direct_sum(f: Kernel, g: Kernel, backend: str | Backend | None = None) -> Kernel:
    """The block-diagonal kernel ``f ⊕ g: X ⊔ X' → Y ⊔ Y'`` (elements tagged ``(0, x)`` and ``(1, x')``).

    >>> from catkit import Kernel, Wire
    >>> direct_sum(Kernel.id(Wire(1)), Kernel([["1/2", "1/2"]])).matrix.tolist()
    [[Fraction(1, 1), Fraction(0, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 2), Fraction(1, 2)]]
    """
    backend = get_backend(backend) if backend is not None else _backend(f, g)
    z = backend.ops.number(0)
    A, B = f.to(backend).matrix, g.to(backend).matrix
    M = np.empty((A.shape[0] + B.shape[0], A.shape[1] + B.shape[1]), dtype=object)
    M[...] = z
    M[: A.shape[0], : A.shape[1]] = A
    M[A.shape[0] :, A.shape[1] :] = B
    return Kernel.from_matrix(M, _sum_obj(f.dom, g.dom), _sum_obj(f.cod, g.cod), backend=backend, model=f.model.join(g.model))


def convex_combination(lam: Any, m: FinStatMorphism, m2: FinStatMorphism) -> FinStatMorphism:
    """``λ m ⊕ (1 − λ) m2``: the morphism between the mixtures ``λ p ⊕ (1 − λ) p'`` on disjoint unions.

    >>> from catkit import Kernel, Wire
    >>> m = FinStatMorphism.from_weights(Kernel.state(["1/2", "1/2"]), Kernel.discard(Wire(2)), Kernel([["1/4", "3/4"]]))
    >>> n = FinStatMorphism.identity(Kernel.state([1]))
    >>> convex_combination(Fraction(1, 3), m, n).relative_entropy() == m.relative_entropy() / 3
    True
    """
    backend = _backend(m.source, m2.source, m.s, m2.s)
    exact = backend.exact
    if exact and isinstance(lam, float):
        raise ParameterError(f"λ = {lam} is a float but the morphisms are exact: give it exactly, e.g. Fraction(1, 3)")
    lamv = Fraction(lam) if exact else float(lam)
    if not 0 <= lamv <= 1:
        raise ParameterError(f"λ = {lam} must be in [0, 1]")
    P, P2 = m.source.matrix[0], m2.source.matrix[0]
    row = [lamv * x for x in P] + [(1 - lamv) * x for x in P2]
    src = Kernel.from_matrix(backend.ops.array([row], like=m.source.storage), I, _sum_obj(m.source.cod, m2.source.cod), backend=backend)
    return FinStatMorphism(src, direct_sum(m.f, m2.f, backend), direct_sum(m.s, m2.s, backend))
