"""Finite de Finetti checks ([B15][stmt-b15]; Fritz, Gonda & Perrone 2021, arXiv 2105.02639, for the categorical theorem).

An *iid mixture* draws a parameter ``θ ~ prior`` and then ``n`` independent
samples from ``k(·|θ)``: the state ``prior >> copy_n >> k^{⊗n}``.  It is
exchangeable (invariant under permuting its ``n`` wires) and its samples are
conditionally independent given ``θ``.  The *finite* converse fails: drawing
without replacement from an urn with one red and one blue ball gives
``P(RB) = P(BR) = 1/2``, exchangeable but not a mixture of iid laws
(de Finetti's theorem needs infinitely many exchangeable draws).

Deciding "is a mixture of iid" for ``n`` binary draws is the truncated
Hausdorff moment problem on ``[0, 1]``: the moments ``m_j = P(X_1 = … = X_j = 1)``
must make two Hankel matrices positive semidefinite (Karlin & Studden 1966,
Ch. II; Krein & Nudelman 1977).  Checked exactly here (principal minors over
the rationals).

>>> from catkit import Kernel, Wire
>>> coin = Wire(["H", "T"])
>>> mix = iid_mixture(Kernel.state(["1/2", "1/2"]), Kernel([["1/3", "2/3"], ["3/4", "1/4"]], cod=coin), 3)
>>> is_exchangeable(mix), is_iid_mixture(mix)
(True, True)
>>> u = urn(1, 1, 2)
>>> is_exchangeable(u), is_iid_mixture(u)
(True, False)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.structure._arrays import build, compute, result_model
from catkit.structure.errors import StructureError
from catkit.structure.exact_linalg import is_psd
from catkit.structure.support import FLOAT_TOL

__all__ = ["iid_power", "iid_mixture", "is_exchangeable", "symmetrize", "urn", "moments", "is_iid_mixture"]


def iid_power(k: Kernel, n: int) -> Kernel:
    """``n`` independent draws from ``k: Θ → X``: ``copy_Θ^n >> k^{⊗n}: Θ → X^n``.

    >>> from catkit import Kernel
    >>> iid_power(Kernel.state(["1/2", "1/2"]), 2).matrix.tolist()[0]
    [Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), Fraction(1, 4)]
    """
    if n < 0:
        raise StructureError(f"the number of draws must be >= 0, got {n}")
    out = Kernel.copy(k.dom, n)
    tensor = Kernel.id(Obj())
    for _ in range(n):
        tensor = tensor @ k
    return out >> tensor


def iid_mixture(prior: Kernel, k: Kernel, n: int, *, keep_parameter: bool = False) -> Kernel:
    """The mixture of iid laws ``prior >> copy_n >> k^{⊗n}`` (with ``keep_parameter``: ``Θ ⊗ X^n``, ``θ`` first).

    >>> from catkit import Kernel
    >>> m = iid_mixture(Kernel.state([1, 0]), Kernel([["1/2", "1/2"], [1, 0]]), 2, keep_parameter=True)
    >>> m.cod.sizes
    (2, 2, 2)
    """
    if prior.dom or prior.cod != k.dom:
        raise StructureError(f"the prior must be a state on the parameter space {k.dom}, got {prior.dom} → {prior.cod}")
    if keep_parameter:
        return prior >> Kernel.copy(k.dom) >> (Kernel.id(k.dom) @ iid_power(k, n))
    return prior >> iid_power(k, n)


def _same_wires(psi: Kernel) -> None:
    if len(set(psi.cod)) > 1:
        raise StructureError(f"exchangeability permutes the output wires, so they must all be the same wire; got {psi.cod}")


def is_exchangeable(psi: Kernel, tol: float | None = None) -> bool:
    """Whether ``psi: A → X^n`` is invariant under every permutation of its ``n`` output wires.

    Adjacent transpositions generate the symmetric group, so ``n - 1`` checks suffice.

    >>> from catkit import Kernel, Wire
    >>> is_exchangeable(Kernel.state([["1/2", "1/2"], [0, 0]], Wire(2) @ Wire(2)))
    False
    """
    _same_wires(psi)
    n = len(psi.cod)
    for i in range(n - 1):
        perm = list(range(n))
        perm[i], perm[i + 1] = perm[i + 1], perm[i]
        moved = psi.permute(perm)
        same = moved == psi if psi.backend.exact else moved.allclose(psi, FLOAT_TOL if tol is None else tol)
        if not same:
            return False
    return True


def symmetrize(psi: Kernel) -> Kernel:
    """The average of ``psi`` over all permutations of its output wires (an exchangeable kernel).

    >>> from catkit import Kernel, Wire
    >>> symmetrize(Kernel.point(Wire(2) @ Wire(2), (0, 1))).matrix.tolist()[0]
    [Fraction(0, 1), Fraction(1, 2), Fraction(1, 2), Fraction(0, 1)]
    """
    _same_wires(psi)
    b = psi.backend
    nA, n = len(psi.dom), len(psi.cod)
    ops = b.ops
    T = compute(psi, b)
    perms = list(itertools.permutations(range(n)))
    total = None
    for p in perms:
        moved = ops.transpose(T, [*range(nA), *(nA + j for j in p)])
        total = moved if total is None else total + moved
    return build(total / ops.number(len(perms)), psi.dom, psi.cod, b, result_model(psi))


def urn(red: int, blue: int, draws: int) -> Kernel:
    """Drawing ``draws`` balls without replacement from an urn of ``red`` red and ``blue`` blue balls:
    an exchangeable state on ``{R, B}^draws`` (exact).

    >>> print(urn(1, 1, 2))
    Kernel I → Wire(['R', 'B'], name='ball') @ Wire(['R', 'B'], name='ball')  [exact, FinStoch]
         R,R  R,B  B,R  B,B
    ·      0  1/2  1/2    0
    """
    if min(red, blue) < 0 or draws < 0 or draws > red + blue:
        raise StructureError(f"cannot draw {draws} balls from an urn of {red} red and {blue} blue balls")
    ball = Wire(["R", "B"], name="ball")
    X = Obj(*([ball] * draws))
    probs = []
    for seq in X.elements():
        r, b_, p = red, blue, Fraction(1)
        for c in seq:
            left = r + b_
            p *= Fraction(r if c == "R" else b_, left)
            r, b_ = (r - 1, b_) if c == "R" else (r, b_ - 1)
            if p == 0:
                break
        probs.append(p)
    return Kernel.state(probs, X)


def moments(psi: Kernel) -> list[Any]:
    """``m_j = P(X_1 = … = X_j = 1)`` for ``j = 0..n`` of an exchangeable binary state (``1`` = the second element).

    >>> moments(urn(1, 1, 2))
    [Fraction(1, 1), Fraction(1, 2), Fraction(0, 1)]
    """
    if psi.dom:
        raise StructureError(f"moments are taken of a state I → X^n, got a kernel {psi.dom} → {psi.cod}")
    _same_wires(psi)
    if psi.cod and psi.cod[0].size != 2:
        raise StructureError(f"the moment check decides binary draws only; the wire {psi.cod[0]} has {psi.cod[0].size} elements")
    if not is_exchangeable(psi):
        raise StructureError("moments of a non-exchangeable state are not defined (check is_exchangeable first)")
    n = len(psi.cod)
    flat = psi.matrix.reshape(-1)
    # p_k = P(a particular sequence with k ones): the sequence 1^k 0^(n-k)
    p = [flat[int("1" * k + "0" * (n - k), 2) if n else 0] for k in range(n + 1)]
    zero = Fraction(0) if psi.backend.exact else 0.0
    return [sum((math.comb(n - j, k - j) * p[k] for k in range(j, n + 1)), zero) for j in range(n + 1)]


def is_iid_mixture(psi: Kernel, tol: float | None = None) -> bool:
    """Whether a binary state ``psi: I → 2^n`` is a mixture of iid laws (finite de Finetti check).

    Exchangeable and its moments satisfy the Hausdorff conditions on ``[0, 1]``:
    ``n = 2t``: ``(m_{i+j})_{0..t} ⪰ 0`` and ``(m_{i+j+1} - m_{i+j+2})_{0..t-1} ⪰ 0``;
    ``n = 2t+1``: ``(m_{i+j+1})_{0..t} ⪰ 0`` and ``(m_{i+j} - m_{i+j+1})_{0..t} ⪰ 0``.
    Exact states are decided exactly; float states with eigenvalues ``>= -tol``.

    >>> from catkit import Kernel, Wire
    >>> is_iid_mixture(Kernel.state(["1/2", 0, 0, "1/2"], Wire(2) @ Wire(2)))  # theta = 0 or 1, each w.p. 1/2
    True
    """
    if psi.dom:
        raise StructureError(f"is_iid_mixture takes a state I → X^n, got a kernel {psi.dom} → {psi.cod}")
    _same_wires(psi)
    if not psi.cod or psi.cod[0].size == 1:
        return True
    if not is_exchangeable(psi, tol):
        return False
    m = moments(psi)
    n = len(psi.cod)
    t = n // 2
    if n % 2 == 0:
        H1 = [[m[i + j] for j in range(t + 1)] for i in range(t + 1)]
        H2 = [[m[i + j + 1] - m[i + j + 2] for j in range(t)] for i in range(t)]
    else:
        H1 = [[m[i + j + 1] for j in range(t + 1)] for i in range(t + 1)]
        H2 = [[m[i + j] - m[i + j + 1] for j in range(t + 1)] for i in range(t + 1)]
    if psi.backend.exact:
        return is_psd([[Fraction(x) for x in r] for r in H1]) and is_psd([[Fraction(x) for x in r] for r in H2])
    eps = FLOAT_TOL if tol is None else tol
    return all(not H or float(np.linalg.eigvalsh(np.array(H, dtype=float)).min()) >= -eps for H in (H1, H2))
