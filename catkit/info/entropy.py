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

from catkit.backends import native_backend
from catkit.errors import CatkitError
from catkit.info.ops import Ops, ops_for
from catkit.info.params import Order, for_ops, order
from catkit.info.reals import canonical, to_sympy
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
    "entropy_of_rows",
    "cross_entropy_of_rows",
    "kl_of_rows",
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
    return finish_scalar(r, r.ops.weighted(w, r.ops.entr(r.data)))


def finish_scalar(r: Rows, x: Any, rational: bool = False) -> Any:
    """Present one value computed from a batch (a sup or an average)."""
    if not r.ops.exact:
        return r.ops.scalar(r.ops.one(x))  # a float, or a 0-d tensor on the kernels' device
    return finish(Rows(r.data, r.ops, r.dom, r.cod, True, r.rational), r.ops.one(x), rational)


# ---------------------------------------------------------------------- arrays of rows
# For laws a caller has computed itself (a source's next-token laws, a model's softmax): arrays of any
# shape whose last axis is the distribution, trusted (not validated: a row may sum to 0, then its
# entropy is 0), kept on their array library and device.  float64 numpy arrays, torch tensors, and
# numpy object arrays of exact values (exact, sympy results) go through the same row primitives as
# the kernel functions above.  ``log_*`` arguments take logarithms the caller already has (a
# log-softmax is more accurate than the log of its exponential, and finite where that underflows).
def _array_ops(P: Any) -> Ops:
    b = native_backend(P)  # float64 numpy arrays, torch tensors (any float dtype, any device)
    if b is not None:
        return b.ops
    if isinstance(P, np.ndarray):  # exact values in an object array, or another numpy float dtype
        return ops_for("exact" if P.dtype == object else "numpy")
    raise DistributionError(f"the rows must be a numpy array or a torch tensor, got {type(P).__name__}")


def _flat(ops: Ops, P: Any, *others: Any) -> list[Any]:
    """``P`` and ``others`` (arrays of ``P``'s shape or ``None``) as ``rows × outcomes`` matrices."""
    if P.ndim < 1:
        raise DistributionError(f"the rows need at least one axis (the outcomes), got shape {tuple(P.shape)}")
    shape = (-1, P.shape[-1]) if P.shape[-1] else (int(np.prod(P.shape[:-1])), 0)
    out = [P.reshape(shape)]
    for x in others:
        if x is not None and tuple(x.shape) != tuple(P.shape):
            raise DistributionError(f"the arrays have different shapes: {tuple(P.shape)} vs {tuple(x.shape)}")
        out.append(None if x is None else x.reshape(shape))
    return out


def _shaped(ops: Ops, v: Any, P: Any) -> Any:
    """One value per row, in the shape of ``P`` without its last axis (exact values in canonical form)."""
    if ops.exact:
        out = np.empty(len(v), dtype=object)
        out[:] = [canonical(x) for x in v]
        v = out
    return v.reshape(tuple(P.shape[:-1]))


def _logs_where_positive(ops: Ops, P: Any, L: Any) -> Any:
    """``L`` where ``P > 0``, else 0 (so that ``0 · log 0`` and ``0 · (−∞)`` are 0); float arrays only."""
    if ops.exact:
        raise DistributionError("logarithms given with the rows are for float arrays (exact rows take no log_P/log_Q)")
    return ops.where(P > 0, L, 0.0)


def entropy_of_rows(P: Any, log_P: Any = None) -> Any:
    """Shannon entropy ``−Σ p log p`` (nats, ``0 log 0 = 0``) of each row: the last axis of ``P`` (see above).

    >>> entropy_of_rows(np.array([[0.5, 0.5], [0.25, 0.75]])).round(6).tolist()
    [0.693147, 0.562335]
    >>> import torch
    >>> p = torch.tensor([[[0.25, 0.75]]], dtype=torch.float64)
    >>> entropy_of_rows(p, log_P=p.log()).shape
    torch.Size([1, 1])
    >>> from fractions import Fraction
    >>> entropy_of_rows(np.array([[Fraction(1, 2), Fraction(1, 2)]], dtype=object)).tolist()
    [log(2)]
    """
    ops = _array_ops(P)
    P2, L2 = _flat(ops, P, log_P)
    h = ops.entr(P2) if L2 is None else -ops.rowsum(P2 * _logs_where_positive(ops, P2, L2))
    return _shaped(ops, h, P)


def cross_entropy_of_rows(P: Any, Q: Any = None, *, log_Q: Any = None) -> Any:
    """Cross entropy ``−Σ p log q`` of each pair of rows (``+∞`` where ``q = 0 < p``); give ``Q`` or ``log_Q``.

    >>> cross_entropy_of_rows(np.array([[0.5, 0.5]]), np.array([[0.25, 0.75]])).round(6).tolist()
    [0.836988]
    >>> cross_entropy_of_rows(np.array([1.0, 0.0]), log_Q=np.log([0.5, 0.5])).round(6)
    np.float64(0.693147)
    """
    ops = _array_ops(P)
    if (Q is None) == (log_Q is None):
        raise DistributionError("cross_entropy_of_rows takes the second law as Q or as log_Q (one of them)")
    P2, Q2, L2 = _flat(ops, P, Q, log_Q)
    h = ops.entr(P2) + ops.rel_entr(P2, Q2) if L2 is None else -ops.rowsum(P2 * _logs_where_positive(ops, P2, L2))
    return _shaped(ops, h, P)


def kl_of_rows(P: Any, Q: Any = None, *, log_P: Any = None, log_Q: Any = None) -> Any:
    """Relative entropy ``KL(p ‖ q) = Σ p log(p/q)`` of each pair of rows (``+∞`` where ``q = 0 < p``):
    from ``Q``, or from the logarithms ``log_P`` and ``log_Q``.

    >>> kl_of_rows(np.array([[1.0, 0.0]]), np.array([[0.5, 0.5]])).round(6).tolist()
    [0.693147]
    >>> import torch
    >>> q = torch.tensor([[0.5, 0.5]], dtype=torch.float64)
    >>> kl_of_rows(q, log_P=q.log(), log_Q=torch.log_softmax(torch.zeros(1, 2, dtype=torch.float64), -1)).tolist()
    [0.0]
    """
    ops = _array_ops(P)
    logs = log_P is not None and log_Q is not None
    if logs == (Q is not None) or (not logs and (log_P is not None or log_Q is not None)):
        raise DistributionError("kl_of_rows takes the second law as Q, or both laws as logarithms (log_P and log_Q)")
    P2, Q2, LP, LQ = _flat(ops, P, Q, log_P, log_Q)
    d = ops.rel_entr(P2, Q2) if not logs else ops.rowsum(P2 * _logs_where_positive(ops, P2, LP - LQ))
    return _shaped(ops, d, P)


# ---------------------------------------------------------------------- joint quantities
def wire_positions(psi: Kernel, pos: int | str | Iterable[int | str] | None, what: str) -> list[int]:
    """The positions in ``psi``'s codomain of the wires ``pos`` names (positions or wire names; ``None``: none),
    or a :class:`~catkit.info.rows.DistributionError` that says which argument (``what``) named a missing wire.

    >>> from catkit import Kernel, Wire
    >>> psi = Kernel.uniform(Wire(2, name="x") @ Wire(2, name="y"))
    >>> wire_positions(psi, "y", "right"), wire_positions(psi, [1, "x"], "left")
    ([1], [1, 0])
    """
    try:
        return [] if pos is None else psi.cod.positions(pos)
    except CatkitError as e:
        raise DistributionError(f"{what}: {e}") from None


def joint_kernel(psi: Any, who: str) -> Kernel:
    """``psi`` checked to be a probability kernel whose codomain's wires a joint quantity (``who``) can split.

    >>> joint_kernel([0.5, 0.5], "mutual_information")
    Traceback (most recent call last):
    ...
    catkit.info.rows.DistributionError: mutual_information needs a Kernel whose codomain has the wires to split ... got list
    """
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
    psi = joint_kernel(psi, "conditional_entropy")
    t, g = wire_positions(psi, target, "target"), wire_positions(psi, given, "given")
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
    psi = joint_kernel(psi, "mutual_information")
    lft = wire_positions(psi, left, "left")
    rgt = wire_positions(psi, right, "right") if right is not None else [j for j in range(len(psi.cod)) if j not in lft]
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
    psi = joint_kernel(psi, "conditional_mutual_information")
    lft, rgt = wire_positions(psi, left, "left"), wire_positions(psi, right, "right")
    g = wire_positions(psi, given, "given")
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
    psi = joint_kernel(psi, "block_entropies")
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
