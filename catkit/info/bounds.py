"""Pinsker-type bounds ``d(p, q)^k ≤ C · KL(p‖q)``: the sharp constants, and a search for violations.

Claims of the form "``d^k ≤ C·KL``, hence ``E d^k ≤ C·L``" depend on the normalisation of
``d``.  :func:`kl_bound` gives the smallest valid ``C`` for each divergence and power that has
one (``None`` where no constant exists); :func:`find_kl_bound_violation` searches two-point
distributions for a pair with ``d^k > C·KL`` and confirms it exactly.  Two-point distributions
suffice for f-divergences: the joint range of two f-divergences is the convex hull of their
range on two-point distributions (Harremoës & Vajda 2011), so ratios are extremal there.

==============================  ===  ========  ===============================================
d                               k    sharp C   why
==============================  ===  ========  ===============================================
total variation                 2    1/2       Pinsker; sharp as q → p
Hellinger² ``s(1 − BC)``        1    s/2       ``KL ≥ −2 log BC ≥ 2(1 − BC)``; sharp: p = (1, 0), q → p
Hellinger distance ``√(s(1−BC))`` 2  s/2       the same inequality
Bhattacharyya ``−log BC``       1    1/2       ``D_½ ≤ KL``; attained at p = (1, 0)
Rényi-α, α ≤ 1                  1    1         α ↦ D_α is non-decreasing; attained at p = (1, 0)
Jensen–Shannon                  1    log(2)/2  numerical sup over two-point pairs (p = (0, 1), q → p)
KL                              1    1         —
==============================  ===  ========  ===============================================

No constant exists for TV with k = 1, Rényi-α with α > 1, Jeffreys or χ².  With the
seed paper's ``d_H² = 2(1 − BC)`` the constant is 1, not ½:

>>> from catkit.info.divergences import Hellinger
>>> kl_bound(Hellinger(scale=2, squared=False), 2).constant
Fraction(1, 1)
>>> v = find_kl_bound_violation(Hellinger(scale=2, squared=False), 2, Fraction(1, 2))
>>> v.holds, min(v.p.matrix[0])  # the witness has p = (1, 0) or (0, 1)
(False, Fraction(0, 1))
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from catkit.info.divergences import (
    KL,
    Bhattacharyya,
    Divergence,
    Hellinger,
    JensenShannon,
    Renyi,
    TotalVariation,
)
from catkit.info.reals import compare, fmt
from catkit.info.rows import ParameterError
from catkit.kernel import Kernel

__all__ = ["KLBound", "kl_bound", "KLBoundCheck", "find_kl_bound_violation", "kl_ratio", "binary_entropy", "fannes_bound"]


@dataclass(frozen=True)
class KLBound:
    """``d^power ≤ constant · KL`` for the divergence ``d``; ``proof`` says how the constant is known.

    >>> from catkit.info.divergences import TotalVariation
    >>> print(kl_bound(TotalVariation(), 2))
    TV(p, q)^2 <= 1/2 · KL(p‖q)  [Pinsker's inequality; sharp as q → p]
    """

    divergence: str
    power: int
    constant: Any
    proof: str

    def __str__(self) -> str:
        return f"{self.divergence}(p, q)^{self.power} <= {self.constant} · KL(p‖q)  [{self.proof}]"


def kl_bound(d: Divergence, power: int) -> KLBound | None:
    """The sharp constant ``C`` with ``d(p, q)^power ≤ C · KL(p‖q)`` for all p, q, or ``None`` if none exists.

    >>> from catkit.info.divergences import Hellinger, TotalVariation
    >>> kl_bound(Hellinger(scale=1), 1).constant, kl_bound(TotalVariation(), 1)
    (Fraction(1, 2), None)
    """
    if not isinstance(power, int) or power < 1:
        raise ParameterError(f"the power k must be a positive integer, got {power!r}")
    c: Any = None
    why = ""
    if isinstance(d, TotalVariation) and power == 2:
        c, why = Fraction(1, 2), "Pinsker's inequality; sharp as q → p"
    elif isinstance(d, Hellinger) and power == (1 if d.squared else 2):
        c, why = Fraction(d.scale, 2), "KL ≥ −2 log BC ≥ 2(1 − BC); sharp for p = (1, 0), q → p"
    elif isinstance(d, Bhattacharyya) and power == 1:
        c, why = Fraction(1, 2), "−2 log BC = D_½ ≤ KL; equality for p = (1, 0)"
    elif isinstance(d, Renyi) and power == 1 and d.alpha <= 1:
        c, why = Fraction(1), "D_α ≤ D_1 = KL for α ≤ 1; equality for p = (1, 0)"
    elif isinstance(d, KL) and power == 1:
        c, why = Fraction(1), "trivial"
    elif isinstance(d, JensenShannon) and power == 1:
        c, why = sp.log(2) / 2, "numerical sup over two-point pairs (Harremoës–Vajda reduction); p = (0, 1), q → p"
    if c is None:
        return None
    return KLBound(d.name, power, c, why)


def _two_point_grid(n: int) -> np.ndarray:
    e = np.concatenate([[0.0], np.geomspace(1e-6, 0.5, n)])
    return np.unique(np.concatenate([e, 1 - e]))


def kl_ratio(d: Divergence, power: int, n: int = 120) -> tuple[float, Kernel, Kernel]:
    """The largest ``d(p, q)^power / KL(p‖q)`` over a grid of two-point pairs (float64), with the pair.

    >>> from catkit.info.divergences import TotalVariation
    >>> r, p, q = kl_ratio(TotalVariation(), 2)
    >>> round(r, 2)
    0.5
    """
    g = _two_point_grid(n)
    a, b = (x.ravel() for x in np.meshgrid(g, g))
    P, Q = np.stack([a, 1 - a], 1), np.stack([b, 1 - b], 1)
    kl = KL()(P, Q)
    dv = np.asarray(d(P, Q), dtype=np.float64) ** power
    ok = (kl > 1e-12) & np.isfinite(kl)
    ratio = np.where(ok, dv / np.where(ok, kl, 1.0), 0.0)
    i = int(np.argmax(ratio))
    return float(ratio[i]), Kernel.state(P[i].tolist()), Kernel.state(Q[i].tolist())


@dataclass(frozen=True)
class KLBoundCheck:
    """A pair ``(p, q)`` with both sides of ``d(p, q)^k ≤ C · KL(p‖q)`` (exact when p, q are exact).

    >>> from catkit.info.divergences import TotalVariation
    >>> chk = _check(TotalVariation(), 2, Fraction(1, 2), Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"]))
    >>> chk.lhs, chk.holds
    (Fraction(1, 4), True)
    """

    p: Kernel
    q: Kernel
    lhs: Any
    rhs: Any

    @property
    def holds(self) -> bool:
        """Whether ``lhs <= rhs``.

        >>> KLBoundCheck(Kernel.state([1]), Kernel.state([1]), 0, 0).holds
        True
        """
        return compare(self.lhs, self.rhs) <= 0

    def __str__(self) -> str:
        op = "<=" if self.holds else ">"
        return f"p = {self.p.matrix.tolist()[0]}, q = {self.q.matrix.tolist()[0]}: d^k = {fmt(self.lhs)} {op} C·KL = {fmt(self.rhs)}"


def _check(d: Divergence, power: int, C: Any, p: Kernel, q: Kernel) -> KLBoundCheck:
    lhs = d(p, q) ** power
    return KLBoundCheck(p, q, lhs, C * KL()(p, q))


def find_kl_bound_violation(d: Divergence, power: int, C: Any, n: int = 120) -> KLBoundCheck | None:
    """A two-point pair with ``d^power > C · KL``, confirmed exactly at a rational pair, or ``None``.

    The float search (:func:`kl_ratio`) decides whether the grid has a violation; then the extremal
    family ``p = (1, 0)``, ``q = (1 − 2^−k, 2^−k)`` and rational pairs near the worst grid pair are
    checked exactly, and the first violation is returned.

    >>> from catkit.info.divergences import TotalVariation
    >>> find_kl_bound_violation(TotalVariation(), 2, Fraction(1, 2)) is None
    True
    >>> print(find_kl_bound_violation(TotalVariation(), 2, Fraction(1, 4)))
    p = ..., q = ...: d^k = ... > C·KL = ...
    """
    Cf = float(C)
    ratio, p, q = kl_ratio(d, power, n)
    if ratio <= Cf * (1 + 1e-9):
        return None
    # simple witnesses first: the extremal family p = (1, 0), q = (1 − ε, ε), then rationals near the worst grid pair
    candidates = [(Fraction(1), 1 - Fraction(1, 2**k)) for k in range(1, 12)]
    candidates += [(Fraction(0), Fraction(1, 2**k)) for k in range(1, 12)]
    a0, b0 = float(p.matrix[0, 0]), float(q.matrix[0, 0])
    for den in (2, 4, 8, 16, 64, 256, 1024, 10**6):
        a, b = Fraction(round(a0 * den), den), Fraction(round(b0 * den), den)
        if a != b and 0 <= a <= 1 and 0 < b < 1:
            candidates.append((a, b))
    Ce = C if not isinstance(C, float) else Fraction(C).limit_denominator(10**6)
    for a, b in candidates:
        chk = _check(d, power, Ce, Kernel.state([a, 1 - a]), Kernel.state([b, 1 - b]))
        if not chk.holds and not math.isinf(float(chk.rhs)):
            return chk
    return None


def binary_entropy(d: Any) -> Any:
    """``h_b(δ) = −δ log δ − (1 − δ) log(1 − δ)`` in nats (0 at 0 and 1): exact (sympy) for exact δ, float or
    elementwise for floats, numpy arrays and torch tensors (δ outside [0, 1] is refused).

    >>> binary_entropy(Fraction(1, 2)), round(float(binary_entropy(np.array([0.0, 0.5]))[1]), 6)
    (log(2), 0.693147)
    """
    if hasattr(d, "detach"):
        import torch

        return -(torch.special.xlogy(d, d) + torch.special.xlogy(1 - d, 1 - d))
    if isinstance(d, np.ndarray) and d.dtype != object:
        with np.errstate(divide="ignore", invalid="ignore"):
            return -(np.where(d > 0, d * np.log(np.where(d > 0, d, 1)), 0.0)
                     + np.where(d < 1, (1 - d) * np.log(np.where(d < 1, 1 - d, 1)), 0.0))
    if isinstance(d, float):
        return 0.0 if d in (0.0, 1.0) else -d * math.log(d) - (1 - d) * math.log(1 - d)
    if type(d).__name__ == "arb":  # a python-flint ball (certified arithmetic)
        return 0 * d if d.is_exact() and (d == 0 or d == 1) else -(d * d.log()) - (1 - d) * (1 - d).log()
    e = d if isinstance(d, sp.Basic) else sp.Rational(d.numerator, d.denominator) if isinstance(d, Fraction) else sp.sympify(d)
    if e == 0 or e == 1:
        return sp.Integer(0)
    return -e * sp.log(e) - (1 - e) * sp.log(1 - e)


def fannes_bound(delta: Any, V: int) -> Any:
    """``δ log(|V| − 1) + h_b(δ)``: the Fannes–Audenaert bound on ``|H(p) − H(q)|`` for two laws on ``|V|`` outcomes at
    total variation ``δ`` (valid for ``δ ≤ 1``; it increases in δ only up to ``1 − 1/|V|``, where it equals ``log |V|``).
    Exact for exact δ, elementwise for arrays and tensors, a certified ball for an ``arb`` ball.

    >>> fannes_bound(Fraction(3, 4), 4)
    2*log(2)
    >>> float(fannes_bound(0.5, 2)) == math.log(2)
    True
    """
    log_v1: Any = math.log(V - 1) if V > 1 else 0.0
    if type(delta).__name__ == "arb":
        from flint import arb

        log_v1 = arb(V - 1).log() if V > 1 else arb(0)
    elif isinstance(delta, (sp.Basic, Fraction, int)) and not isinstance(delta, bool):
        log_v1 = sp.log(V - 1) if V > 1 else sp.Integer(0)
        e = delta if isinstance(delta, sp.Basic) else sp.Rational(delta.numerator, delta.denominator) if isinstance(delta, Fraction) \
            else sp.Integer(delta)
        return sp.expand(e * log_v1 + binary_entropy(e))
    return delta * log_v1 + binary_entropy(delta)
