"""Entropies: Shannon, Rényi, Gini–Simpson, cross, conditional, mutual information, block entropies.

Everything is row-wise: a state gives a number, a kernel ``A → X`` one value per
input (a batch of distributions).  Logarithms are natural (:func:`in_bits`
converts).  On exact kernels logarithmic quantities are sympy expressions in
canonical form, rational ones (Gini–Simpson) are ``Fraction``; on float kernels
they are floats / float arrays; on torch kernels tensors on the kernel's device.

Joint quantities take a kernel whose codomain has several wires and name the wires
by position: ``mutual_information(psi, [0], [1])`` is ``I(X; Y)`` for
``psi: I → X @ Y``.

>>> from catkit import Kernel, Wire
>>> shannon_entropy(Kernel.state(["1/2", "1/4", "1/4"]))
3*log(2)/2
>>> gini_simpson(Kernel.state(["1/2", "1/4", "1/4"]))
Fraction(5, 8)
>>> psi = Kernel.state([["1/2", 0], [0, "1/2"]], Wire(2) @ Wire(2))
>>> mutual_information(psi, [0], [1])
log(2)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from catkit.errors import CatkitError
from catkit.info.ops import Ops
from catkit.info.params import Order, for_ops, order
from catkit.info.reals import to_sympy
from catkit.info.rows import DistributionError, Rows, as_pair, as_rows, finish, state_weights
from catkit.kernel import Kernel

__all__ = [
    "shannon_entropy",
    "renyi_entropy",
    "gini_simpson",
    "cross_entropy",
    "expected_entropy",
    "conditional_entropy",
    "mutual_information",
    "conditional_mutual_information",
    "block_entropies",
    "in_bits",
    "renyi_entropy_rows",
]


def renyi_entropy_rows(ops: Ops, P: Any, beta: Order) -> Any:
    """Row-wise Rényi entropy of order ``beta`` in ``[−∞, ∞]`` (primitive used by the public functions).

    ``H_β(p) = log(Σ_{p>0} p^β) / (1 − β)``; ``β = 1`` Shannon, ``0`` log of the support size,
    ``∞`` min-entropy ``−log max p``, ``−∞`` ``−log min_{p>0} p``.

    >>> from catkit.info.ops import NUMPY
    >>> renyi_entropy_rows(NUMPY, np.array([[0.5, 0.5, 0.0]]), 2).round(6).tolist()
    [0.693147]
    """
    if beta == 1:
        return ops.entr(P)
    if beta == math.inf:
        return -ops.log(ops.max_ratio(P, None))
    if beta == -math.inf:
        return -ops.log(ops.min_support(P))
    if beta == 0:
        return ops.log(ops.support_mass(P, None))
    b = for_ops(beta, ops, "the order")
    return ops.log_power_sum(P, None, b) / (1 - b)


def shannon_entropy(p: Any) -> Any:
    """Shannon entropy ``H(p) = −Σ p log p`` (nats, ``0 log 0 = 0``), row-wise.

    >>> from catkit import Kernel
    >>> shannon_entropy(Kernel([["1/2", "1/2"], [1, 0]])).tolist()
    [log(2), 0]
    >>> round(shannon_entropy(np.array([0.25, 0.75])), 6)
    0.562335
    """
    r = as_rows(p, "p")
    return finish(r, r.ops.entr(r.data))


def renyi_entropy(p: Any, alpha: Any) -> Any:
    """Rényi entropy of order ``alpha`` in ``[−∞, ∞]``: ``log(Σ_{p>0} p^α) / (1 − α)``, limits included
    (``1``: Shannon, ``0``: Hartley ``log |supp p|``, ``∞``: min-entropy ``−log max p``,
    ``−∞``: ``−log min_{p>0} p``).  Orders ≤ 0 sum over the support.

    >>> from catkit import Kernel
    >>> p = Kernel.state(["1/2", "1/4", "1/4"])
    >>> renyi_entropy(p, 2), renyi_entropy(p, "inf"), renyi_entropy(p, 0)
    (-log(3) + 3*log(2), log(2), log(3))
    """
    beta = order(alpha, "alpha")
    r = as_rows(p, "p")
    return finish(r, renyi_entropy_rows(r.ops, r.data, beta))


def gini_simpson(p: Any) -> Any:
    """Gini–Simpson index ``1 − Σ p²`` (rational: a ``Fraction`` on exact kernels), row-wise.

    It is the categorical entropy of total variation (:func:`catkit.info.categorical_entropy`).

    >>> from catkit import Kernel
    >>> gini_simpson(Kernel.uniform(3))
    Fraction(2, 3)
    """
    r = as_rows(p, "p")
    P = r.data
    return finish(r, 1 - r.ops.rowsum(P * P), rational=True)


def cross_entropy(p: Any, q: Any) -> Any:
    """Cross entropy ``−Σ p log q = H(p) + KL(p‖q)`` (``+∞`` when ``q = 0 < p``), row-wise.

    >>> from catkit import Kernel
    >>> cross_entropy(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]))
    -log(3)/2 + 2*log(2)
    """
    rp, rq = as_pair(p, q, "cross_entropy")
    return finish(rp, rp.ops.entr(rp.data) + rp.ops.rel_entr(rp.data, rq.data))


def expected_entropy(f: Any, prior: Any) -> Any:
    """``Σ_x prior(x) H(f(·|x))``: the conditional entropy ``H(Y | X)`` of ``X ~ prior``, ``Y ~ f(·|X)``.

    >>> from catkit import Kernel
    >>> expected_entropy(Kernel([["1/2", "1/2"], [1, 0]]), Kernel.state(["1/2", "1/2"]))
    log(2)/2
    """
    r = as_rows(f, "f")
    w = state_weights(prior, r.dom, r.n, r.ops, "expected_entropy", like=r.data)
    return _finish_scalar(r, r.ops.weighted(w, r.ops.entr(r.data)))


def _finish_scalar(r: Rows, x: Any, rational: bool = False) -> Any:
    """Present one value computed from a batch (a sup or an average)."""
    if not r.ops.exact:
        return r.ops.scalar(r.ops.one(x))  # a float, or a 0-d tensor on the kernels' device
    return finish(Rows(r.data, r.ops, r.dom, r.cod, True, r.rational), r.ops.one(x), rational)


# ---------------------------------------------------------------------- joint quantities
def _positions(psi: Kernel, pos: int | str | Iterable[int | str] | None, what: str) -> list[int]:
    if pos is None:
        return []
    ps = [pos] if isinstance(pos, (int, np.integer, str)) else list(pos)
    out = []
    for j in ps:
        try:
            out.append(psi.cod.position(j))
        except CatkitError as e:
            raise DistributionError(f"{what}: {e}") from None
    return out


def _joint(psi: Any, who: str) -> Kernel:
    if not isinstance(psi, Kernel):
        raise DistributionError(
            f"{who} needs a Kernel whose codomain has the wires to split (e.g. Kernel.state(table, Wire(2) @ Wire(3))), "
            f"got {type(psi).__name__}"
        )
    as_rows(psi, "psi")  # the model check
    return psi


def _H(psi: Kernel, pos: Sequence[int]) -> Any:
    # entropy does not depend on the order of the wires: sorted positions make the whole codomain no marginal at all
    r = as_rows(psi.marginal(sorted(pos)), "psi")
    return r.ops.entr(r.data)


def _disjoint(*groups: Sequence[int]) -> None:
    seen: set[int] = set()
    for g in groups:
        if seen & set(g):
            raise DistributionError(f"the wire groups {[list(x) for x in groups]} overlap")
        seen |= set(g)


def conditional_entropy(psi: Kernel, target: int | str | Iterable[int | str], given: int | str | Iterable[int | str] | None = None) -> Any:
    """``H(T | G) = H(T, G) − H(G)`` for the output wires at positions ``target`` and ``given``, row-wise.

    >>> from catkit import Kernel, Wire
    >>> psi = Kernel.state([["1/2", 0], ["1/4", "1/4"]], Wire(2) @ Wire(2))
    >>> conditional_entropy(psi, 1, given=0)
    log(2)/2
    """
    psi = _joint(psi, "conditional_entropy")
    t, g = _positions(psi, target, "target"), _positions(psi, given, "given")
    _disjoint(t, g)
    r = as_rows(psi, "psi")
    return finish(r, _H(psi, g + t) - _H(psi, g))


def mutual_information(psi: Kernel, left: int | str | Iterable[int | str] = 0, right: int | str | Iterable[int | str] | None = None) -> Any:
    """Shannon mutual information ``I(L; R) = H(L) + H(R) − H(L, R)`` between two groups of output
    wires, by position or wire name (``right`` defaults to all wires not in ``left``), row-wise.

    >>> from catkit import Kernel, Wire
    >>> mutual_information(Kernel.uniform(Wire(2) @ Wire(2)))
    0
    >>> psi = Kernel.state([["1/2", 0], [0, "1/2"]], Wire(2, name="x") @ Wire(2, name="y"))
    >>> mutual_information(psi, "x", "y")
    log(2)
    """
    psi = _joint(psi, "mutual_information")
    lft = _positions(psi, left, "left")
    rgt = _positions(psi, right, "right") if right is not None else [j for j in range(len(psi.cod)) if j not in lft]
    _disjoint(lft, rgt)
    both = sorted(lft + rgt)
    joint = psi.marginal(both)  # psi itself when L and R cover its wires; H(L) and H(R) read this smaller law
    at = {j: i for i, j in enumerate(both)}
    r = as_rows(psi, "psi")
    return finish(r, _H(joint, [at[j] for j in lft]) + _H(joint, [at[j] for j in rgt]) - _H(joint, range(len(both))))


def conditional_mutual_information(
    psi: Kernel, left: int | str | Iterable[int | str], right: int | str | Iterable[int | str], given: int | str | Iterable[int | str]
) -> Any:
    """``I(L; R | G) = H(L, G) + H(R, G) − H(L, R, G) − H(G)``, row-wise.

    >>> from catkit import Kernel, Wire
    >>> bit = Wire(2)
    >>> xor = Kernel.from_function(lambda a, b: (a, b, a ^ b), bit @ bit, bit @ bit @ bit)
    >>> psi = Kernel.uniform(bit @ bit) >> xor
    >>> mutual_information(psi, 0, 1), conditional_mutual_information(psi, 0, 1, given=2)
    (0, log(2))
    """
    psi = _joint(psi, "conditional_mutual_information")
    lft, rgt = _positions(psi, left, "left"), _positions(psi, right, "right")
    g = _positions(psi, given, "given")
    _disjoint(lft, rgt, g)
    r = as_rows(psi, "psi")
    return finish(r, _H(psi, lft + g) + _H(psi, rgt + g) - _H(psi, lft + rgt + g) - _H(psi, g))


def block_entropies(psi: Kernel) -> list[Any]:
    """Block entropies ``[H(W_0), H(W_0, W_1), …, H(W_0, …, W_{n−1})]`` of a law on ``n`` output wires
    (e.g. a sequence).  Successive differences are ``H(W_k | W_<k)``; for a stationary source
    they decrease to the entropy rate.

    >>> from catkit import Kernel, Wire
    >>> bit = Wire(2)
    >>> repeat = Kernel.uniform(bit) >> Kernel.copy(bit, 3)
    >>> block_entropies(repeat)
    [log(2), log(2), log(2)]
    """
    psi = _joint(psi, "block_entropies")
    r = as_rows(psi, "psi")
    return [finish(r, _H(psi, list(range(k)))) for k in range(1, len(psi.cod) + 1)]


def in_bits(value: Any) -> Any:
    """Convert nats to bits (divide by ``log 2``; exact values stay exact).

    >>> from catkit import Kernel
    >>> in_bits(shannon_entropy(Kernel.uniform(8)))
    3
    >>> in_bits(0.6931471805599453)
    1.0
    """
    if isinstance(value, sp.Basic):
        return sp.simplify(value / sp.log(2))
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([in_bits(v) for v in value], dtype=object)
    if isinstance(value, (int, np.integer)) or type(value).__name__ == "Fraction":
        return sp.simplify(to_sympy(value) / sp.log(2))
    return value / math.log(2)
