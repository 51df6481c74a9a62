"""Sufficient statistics ([B13][stmt-b13]) and the Blackwell–Sherman–Stein theorem ([B14][stmt-b14]).

**Sufficiency** (Fritz 2020, Def 14.3): a deterministic statistic ``s: X → V`` is
sufficient for a model ``p: Θ → X`` if some ``α: V → X`` makes
``p >> ⟨id, s⟩ = (p >> s) >> ⟨α, id⟩``: given ``s(x)``, the sample can be redrawn
from ``α`` without knowing ``θ``.  **Fisher–Neyman** (Fritz 2020, Thm 14.5 and
Example 14.6): in FinStoch this is the factorisation
``p(x|θ) = h(x) g(s(x)|θ)`` with ``g = p >> s`` and ``h(x) = α(x|s(x))``, i.e.
``p = (p >> s) >> α``.

**Blackwell–Sherman–Stein** (Blackwell 1951/1953; categorical form in Fritz, Gonda,
Perrone & Rischel 2020, arXiv 2010.07416): for experiments ``f: Θ → X`` and
``g: Θ → Y``, if ``g = f >> c`` for a stochastic ``c`` (a *garbling*) then ``f`` is
worth at least as much as ``g`` in every decision problem; conversely, if no
garbling exists, some decision problem has ``g`` strictly better.  The
garbling is found by an exact LP over the rationals
(:mod:`catkit.structure.exact_lp`); when there is none, the LP's dual (Farkas)
gives the utilities of a decision problem that certifies it.

>>> from catkit import Kernel, Wire
>>> f = Kernel([[1, 0], [0, 1]])                       # a perfect test
>>> g = Kernel([["3/4", "1/4"], ["1/4", "3/4"]])       # a noisy one
>>> find_garbling(f, g) == g, find_garbling(g, f) is None
(True, True)
>>> dp = blackwell_certificate(g, f)
>>> decision_value(f, dp) > decision_value(g, dp)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, cast

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.structure._arrays import build, result_model
from catkit.structure.determinism import function_indices
from catkit.structure.errors import StructureError
from catkit.structure.exact_lp import feasible_point, feasible_point_float
from catkit.structure.pairing import pair
from catkit.structure.support import FLOAT_TOL

__all__ = [
    "sufficiency_witness",
    "is_sufficient",
    "sufficiency_equation",
    "fisher_neyman",
    "DecisionProblem",
    "decision_value",
    "optimal_rule",
    "find_garbling",
    "blackwell_certificate",
]


def _statistic(p: Kernel, s: Kernel) -> np.ndarray:
    if s.dom != p.cod:
        raise StructureError(f"the statistic's domain {s.dom} must be the model's sample space {p.cod}")
    return function_indices(s, "a statistic")


def sufficiency_witness(p: Kernel, s: Kernel, tol: float | None = None) -> Kernel | None:
    """The ``α: V → X`` that makes the statistic ``s`` sufficient for ``p: Θ → X``, or ``None``.

    ``α(x|v) = p(x|θ) / Σ_{s(x')=v} p(x'|θ)`` for any ``θ`` giving the fibre mass;
    ``s`` is sufficient iff this does not depend on ``θ``.  On fibres of mass 0 for
    every ``θ`` (a documented choice) ``α`` is uniform on the fibre (on ``X`` if the fibre is empty).

    >>> from catkit import Kernel, Wire
    >>> # two coin flips with bias θ in {1/4, 3/4}; the number of heads is sufficient
    >>> p = Kernel([["9/16", "3/16", "3/16", "1/16"], ["1/16", "3/16", "3/16", "9/16"]], Wire(2), Wire(2) @ Wire(2))
    >>> heads = Kernel.from_function(lambda a, b: a + b, Wire(2) @ Wire(2), Wire(3))
    >>> sufficiency_witness(p, heads)(1).matrix.tolist()[0]
    [Fraction(0, 1), Fraction(1, 2), Fraction(1, 2), Fraction(0, 1)]
    >>> sufficiency_witness(p, Kernel.projection(Wire(2) @ Wire(2), [0])) is None  # the first flip alone is not
    True
    """
    S = _statistic(p, s)
    b = p.backend
    ops = b.ops
    P = p.matrix
    floating = not b.exact
    t = (FLOAT_TOL if tol is None else tol) if floating else 0.0
    nx, nv = p.cod.size, s.cod.size
    rows = []
    for v in range(nv):
        fib = np.flatnonzero(S == v)
        if fib.size == 0:
            rows.append(_uniform_row(nx, range(nx), b))
            continue
        sub = P[:, fib]
        mass = ops.asum(sub, (1,))
        nz = ~ops.host(ops.zero_mask(mass, t))
        if not nz.any():
            rows.append(_uniform_row(nx, fib, b))
            continue
        th = int(np.flatnonzero(nz)[0])
        cand = sub[th] / mass[th]
        if not bool(ops.zero_mask(sub - mass[:, None] * cand[None, :], t).all()):
            return None
        row = _uniform_row(nx, [], b)
        for k, x in enumerate(fib):
            row[int(x)] = cand[k]
        rows.append(row)
    arr = ops.array(rows, like=P)
    return build(arr, s.cod, p.cod, b, result_model(p, s))


def _uniform_row(n: int, where: Any, b: Any) -> list[Any]:
    where = list(where)
    zero, share = b.ops.number(0), b.ops.number(Fraction(1, len(where)) if where else 0)
    row: list[Any] = [zero] * n
    for x in where:
        row[int(x)] = share
    return row


def is_sufficient(p: Kernel, s: Kernel, tol: float | None = None) -> bool:
    """Whether the deterministic statistic ``s`` is sufficient for ``p``.

    >>> from catkit import Kernel, Wire
    >>> p = Kernel([["1/2", "1/4", "1/4"], ["1/6", "1/3", "1/2"]])
    >>> is_sufficient(p, Kernel.id(Wire(3))), is_sufficient(p, Kernel.discard(Wire(3)))
    (True, False)
    """
    return sufficiency_witness(p, s, tol) is not None


def sufficiency_equation(p: Kernel, s: Kernel, alpha: Kernel) -> tuple[Kernel, Kernel]:
    """Both sides of Fritz's Def 14.3: ``(p >> ⟨id, s⟩, (p >> s) >> ⟨α, id⟩)``, kernels ``Θ → X @ V``.

    >>> from catkit import Kernel, Wire
    >>> p = Kernel([["1/2", "1/4", "1/4"], ["1/6", "1/3", "1/2"]])
    >>> lhs, rhs = sufficiency_equation(p, Kernel.id(Wire(3)), Kernel.id(Wire(3)))
    >>> lhs == rhs
    True
    """
    return p >> pair(Kernel.id(p.cod), s), (p >> s) >> pair(alpha, Kernel.id(s.cod))


def fisher_neyman(p: Kernel, s: Kernel, tol: float | None = None) -> tuple[Kernel, Kernel] | None:
    """The Fisher–Neyman factorisation ``p = g >> α`` (``g = p >> s: Θ → V``, ``α: V → X``), or ``None``.

    Entrywise: ``p(x|θ) = h(x) g(s(x)|θ)`` with ``h(x) = α(x|s(x))`` (Fritz 2020 Example 14.6).

    >>> from catkit import Kernel, Wire
    >>> p = Kernel([["9/16", "3/16", "3/16", "1/16"], ["1/16", "3/16", "3/16", "9/16"]], Wire(2), Wire(2) @ Wire(2))
    >>> g, alpha = fisher_neyman(p, Kernel.from_function(lambda a, b: a + b, Wire(2) @ Wire(2), Wire(3)))
    >>> g >> alpha == p
    True
    """
    alpha = sufficiency_witness(p, s, tol)
    return None if alpha is None else (p >> s, alpha)


# ---------------------------------------------------------------------- decisions
@dataclass(frozen=True)
class DecisionProblem:
    """A finite decision problem: actions, a utility ``u(θ, a)`` per parameter and action, and a prior on ``Θ``.

    ``utility[i][j]`` is ``u(θ_i, a_j)``; exact (ints, Fractions) for exact kernels.

    >>> from catkit import Kernel, Wire
    >>> dp = DecisionProblem(Wire(["guess0", "guess1"]), [[1, 0], [0, 1]], Kernel.uniform(Wire(2)))
    >>> decision_value(Kernel([[1, 0], [0, 1]]), dp)
    Fraction(1, 1)
    """

    actions: Wire
    utility: Sequence[Sequence[Any]]
    prior: Kernel
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.prior.dom:
            raise StructureError(f"the prior of a decision problem is a state I → Θ, got {self.prior.dom} → {self.prior.cod}")
        rows = len(self.utility)
        if rows != self.prior.cod.size or any(len(r) != self.actions.size for r in self.utility):
            raise StructureError(
                f"the utility must be a {self.prior.cod.size} × {self.actions.size} table (parameters × actions), "
                f"got {rows} rows of lengths {[len(r) for r in self.utility]}"
            )


def _expected(f: Kernel, dp: DecisionProblem) -> Any:
    if f.dom != dp.prior.cod:
        raise StructureError(f"the experiment's parameter space {f.dom} is not the decision problem's {dp.prior.cod}")
    if f.backend.exact:
        F = np.array([[Fraction(x) for x in r] for r in f.to("exact").matrix.tolist()], dtype=object)
        pi = np.array([Fraction(x) for x in dp.prior.to("exact").matrix.tolist()[0]], dtype=object)
        U = np.array([[Fraction(x) for x in r] for r in dp.utility], dtype=object)
    else:
        F = np.asarray(f.to("numpy").matrix, dtype=float)
        pi = np.asarray(dp.prior.to("numpy").matrix, dtype=float)[0]
        U = np.asarray(dp.utility, dtype=float)
    return (F * pi[:, None]).T @ U  # E[x, a] = Σ_θ π(θ) f(x|θ) u(θ, a)


def decision_value(f: Kernel, dp: DecisionProblem) -> Any:
    """The Bayes value ``max_δ Σ_θ π(θ) Σ_x f(x|θ) u(θ, δ(x)) = Σ_x max_a Σ_θ π(θ) f(x|θ) u(θ, a)``
    of the experiment ``f: Θ → X`` (exact for exact kernels and utilities).

    >>> from catkit import Kernel, Wire
    >>> dp = DecisionProblem(Wire(2), [[1, 0], [0, 1]], Kernel.uniform(Wire(2)))
    >>> decision_value(Kernel([["3/4", "1/4"], ["1/4", "3/4"]]), dp)
    Fraction(3, 4)
    """
    E = _expected(f, dp)
    return sum((max(row) for row in E.tolist()), Fraction(0) if f.backend.exact else 0.0)


def optimal_rule(f: Kernel, dp: DecisionProblem) -> Kernel:
    """A deterministic decision rule ``X → actions`` attaining :func:`decision_value` (first best action).

    >>> from catkit import Kernel, Wire
    >>> dp = DecisionProblem(Wire(["a", "b"]), [[1, 0], [0, 1]], Kernel.uniform(Wire(2)))
    >>> optimal_rule(Kernel([["3/4", "1/4"], ["1/4", "3/4"]]), dp).as_function()
    {0: 'a', 1: 'b'}
    """
    E = _expected(f, dp).tolist()
    best = [max(enumerate(r), key=lambda jr: (jr[1], -jr[0]))[0] for r in E]
    return Kernel.from_function(lambda *x: dp.actions.label(best[f.cod.flat_index(x if len(x) != 1 else x[0])]), f.cod, Obj(dp.actions))


# ---------------------------------------------------------------------- garblings
def _exact_rows(k: Kernel) -> list[list[Fraction]]:
    return [[Fraction(x) for x in r] for r in k.to("exact").matrix.tolist()]


def _experiments(f: Kernel, g: Kernel) -> bool:
    if f.dom != g.dom:
        raise StructureError(f"experiments compared by Blackwell share a parameter space; got {f.dom} and {g.dom}")
    if not (f.model.nonneg and g.model.nonneg):
        raise StructureError("garblings and decision problems need probabilities: give FinStoch kernels (not signed)")
    exact = f.backend.exact and g.backend.exact
    if not exact and (f.backend.exact and not f.generic or g.backend.exact and not g.generic):
        raise StructureError("compare two exact experiments or two float ones (exact never turns float silently)")
    return exact


def find_garbling(f: Kernel, g: Kernel) -> Kernel | None:
    """A stochastic ``c: X → Y`` with ``f >> c == g`` (``g`` is a garbling of ``f``), or ``None``.

    Exact kernels: an exact LP over the rationals (the answer is a proof either way).
    Float kernels: ``scipy.optimize.linprog`` within ``1e-9``.

    >>> from catkit import Kernel, Wire
    >>> f = Kernel([[1, 0, 0], [0, "1/2", "1/2"]])
    >>> find_garbling(f, f >> Kernel([[1, 0], [0, 1], [0, 1]])) is not None
    True
    """
    exact = _experiments(f, g)
    nt, nx, ny = f.dom.size, f.cod.size, g.cod.size
    F = _exact_rows(f) if exact else np.asarray(f.to("numpy").matrix, dtype=float).tolist()
    G = _exact_rows(g) if exact else np.asarray(g.to("numpy").matrix, dtype=float).tolist()
    zero = Fraction(0) if exact else 0.0
    A, bvec = [], []
    for t in range(nt):
        for y in range(ny):
            row = [zero] * (nx * ny)
            for x in range(nx):
                row[x * ny + y] = F[t][x]
            A.append(row)
            bvec.append(G[t][y])
    for x in range(nx):
        A.append([zero + (1 if k // ny == x else 0) for k in range(nx * ny)])
        bvec.append(zero + 1)
    z = feasible_point(cast("list[list[Fraction]]", A), bvec) if exact else feasible_point_float(A, bvec)
    if z is None:
        return None
    rows = [z[x * ny : (x + 1) * ny] for x in range(nx)]
    if not exact:
        arr = np.clip(np.array(rows, dtype=float), 0.0, None)
        arr /= arr.sum(axis=1, keepdims=True)
        return Kernel(arr, f.cod, g.cod, backend="numpy")
    return Kernel(rows, f.cod, g.cod)


def blackwell_certificate(f: Kernel, g: Kernel) -> DecisionProblem | None:
    """When ``g`` is *not* a garbling of ``f``: a decision problem (actions = ``g``'s outcomes,
    uniform prior) in which ``g`` is strictly more valuable than ``f``; ``None`` if a garbling exists.

    From Farkas' lemma on the garbling LP: a dual solution ``(U, w)`` with
    ``Σ_θ f(x|θ) U(θ, y) + w(x) >= 0`` and ``Σ g(y|θ) U(θ, y) + Σ w(x) < 0``; the utility
    ``u = -U`` (shifted to be >= 0) gives ``value(g) > value(f)``, verified exactly before returning.

    >>> from catkit import Kernel, Wire
    >>> noisy, clear = Kernel([["2/3", "1/3"], ["1/3", "2/3"]]), Kernel([[1, 0], [0, 1]])
    >>> dp = blackwell_certificate(noisy, clear)
    >>> decision_value(clear, dp) > decision_value(noisy, dp)
    True
    """
    if find_garbling(f, g) is not None:
        return None
    exact = _experiments(f, g)
    nt, nx, ny = f.dom.size, f.cod.size, g.cod.size
    F = _exact_rows(f) if exact else np.asarray(f.to("numpy").matrix, dtype=float).tolist()
    G = _exact_rows(g) if exact else np.asarray(g.to("numpy").matrix, dtype=float).tolist()
    zero = Fraction(0) if exact else 0.0
    # variables: U+ (nt*ny), U- (nt*ny), w+ (nx), w- (nx), slack s (nx*ny)
    nu, nw, ns = nt * ny, nx, nx * ny
    width = 2 * nu + 2 * nw + ns
    A, bvec = [], []
    for x in range(nx):
        for y in range(ny):
            row = [zero] * width
            for t in range(nt):
                row[t * ny + y] += F[t][x]
                row[nu + t * ny + y] -= F[t][x]
            row[2 * nu + x] += 1
            row[2 * nu + nw + x] -= 1
            row[2 * nu + 2 * nw + x * ny + y] -= 1
            A.append(row)
            bvec.append(zero)
    row = [zero] * width
    for t in range(nt):
        for y in range(ny):
            row[t * ny + y] += G[t][y]
            row[nu + t * ny + y] -= G[t][y]
    for x in range(nx):
        row[2 * nu + x] += 1
        row[2 * nu + nw + x] -= 1
    A.append(row)
    bvec.append(zero - 1)
    z = feasible_point(cast("list[list[Fraction]]", A), cast("list[Fraction]", bvec)) if exact else feasible_point_float(A, bvec)
    if z is None:  # pragma: no cover - Farkas' lemma says one of the two LPs is feasible
        raise StructureError("neither a garbling nor a certificate was found (numerical trouble with float kernels?)")
    U = [[-(z[t * ny + y] - z[nu + t * ny + y]) for y in range(ny)] for t in range(nt)]
    low = min(min(r) for r in U)
    U = [[u - low for u in r] for r in U]
    prior = Kernel.uniform(f.dom, backend="exact" if exact else "numpy")
    dp = DecisionProblem(Wire(g.cod.size, name="action"), U, prior, note=f"g = {g.cod} beats f = {f.cod}: no garbling f >> c = g exists")
    if not decision_value(g, dp) > decision_value(f, dp):  # pragma: no cover - a bug guard, exact arithmetic
        raise StructureError("internal: the Farkas certificate does not separate the experiments")
    return dp
