"""Inputs of :mod:`catkit.info`: kernels and arrays as batches of distributions.

A kernel ``A → X`` is a batch of ``|A|`` distributions on ``X`` (its rows); a
state ``I → X`` is one distribution.  Plain arrays are accepted too: a 1-D array
is one distribution, a 2-D array one distribution per row.  Float64 numpy arrays
are validated in place (no copy); anything else goes through :class:`~catkit.Kernel`
(exact values stay exact).  Results are one value per row, or a scalar for a single
distribution.

>>> from catkit import Kernel, Wire
>>> r = as_rows(Kernel([["1/2", "1/2"], [1, 0]]))
>>> r.single, r.data.shape, r.ops.name
(False, (2, 2), 'object')
>>> as_rows([0.5, -0.5], "p")
Traceback (most recent call last):
...
catkit.info.rows.DistributionError: p is not a batch of probability distributions: row 0 of a kernel I → Wire(2) has a negative entry ...
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from catkit.backends import BACKENDS, get_backend
from catkit.backends.numpy_float import FLOAT64_TOL
from catkit.backends.ops import Ops
from catkit.errors import BackendMismatchError, CatkitError, KernelValueError, ObjectMismatchError
from catkit.info.reals import canonical
from catkit.kernel import Kernel
from catkit.objects import Obj

__all__ = ["DistributionError", "ParameterError", "Rows", "as_rows", "as_pair", "as_kernel", "finish", "state_weights"]

_FLOAT = get_backend("numpy")  # plain float arrays are read as numpy kernels


class DistributionError(CatkitError, ValueError):
    """An input is not a (batch of) probability distribution(s): negative, NaN, rows not summing to 1,
    or a kernel of a model without probabilities (signed, sub-stochastic).

    >>> issubclass(DistributionError, ValueError)
    True
    """


class ParameterError(CatkitError, ValueError):
    """A parameter is out of range: an order α, a Hellinger scale, a non-convex f, a weight.

    >>> issubclass(ParameterError, ValueError)
    True
    """


@dataclass(frozen=True)
class Rows:
    """A batch of distributions: ``data`` (2-D compute array), the family of primitives, and where it came from.

    ``rational`` is True when every entry is a ``Fraction`` (an exact, non-symbolic kernel):
    rational results are then returned as ``Fraction``.

    >>> as_rows(Kernel.uniform(3)).rational
    True
    """

    data: Any
    ops: Ops
    dom: Obj | None
    cod: Obj | None
    single: bool
    rational: bool
    kernel: Kernel | None = None

    @property
    def n(self) -> int:
        """Number of distributions (rows).

        >>> as_rows(np.ones((4, 2)) / 2).n
        4
        """
        return int(self.data.shape[0])


def _from_kernel(k: Kernel, name: str) -> Rows:
    if k.model.key not in ("finstoch", "finset"):
        raise DistributionError(
            f"{name} is a {k.model.name} kernel: divergences and entropies need probability distributions "
            "(FinStoch or FinSet kernels)"
        )
    b = k.backend
    return Rows(k.matrix, b.ops, k.dom, k.cod, len(k.dom) == 0, b.exact and not b.symbolic, k)


def as_kernel(x: Any, name: str = "p") -> Kernel:
    """A kernel from a kernel, a nested list or an array (1-D: a state), with a named error.

    >>> as_kernel(["1/3", "2/3"]).backend.name
    'exact'
    """
    if isinstance(x, Kernel):
        return x
    try:
        return Kernel(x)
    except KernelValueError as e:
        raise DistributionError(f"{name} is not a batch of probability distributions: {e}") from None


def as_rows(x: Any, name: str = "p") -> Rows:
    """Rows from a kernel, a float64 numpy array (validated, not copied) or anything :class:`~catkit.Kernel` accepts.

    >>> as_rows(np.array([0.25, 0.75])).single
    True
    """
    if isinstance(x, Kernel):
        return _from_kernel(x, name)
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        if x.ndim not in (1, 2):
            raise DistributionError(f"{name} must be 1-D (a distribution) or 2-D (one per row), got shape {x.shape}")
        M = np.ascontiguousarray(x.reshape(1, -1) if x.ndim == 1 else x, dtype=np.float64)
        tol = FLOAT64_TOL * max(1, M.shape[1])
        # two passes without temporaries: NaN and inf show in the row sums, negatives in the minimum
        ok = M.size == 0 or (bool(M.min() >= 0) and bool(np.all(np.abs(M.sum(axis=1) - 1) <= tol)))
        v = None if ok else _FLOAT.violation(M, nonneg=True, rowsum="eq", zero_one=False, tol=tol)
        if v is not None:
            shown = ", ".join(f"{e:.6g}" for e in M[v.row, :12]) + (", …" if M.shape[1] > 12 else "")
            raise DistributionError(f"{name} is not a batch of probability distributions: row {v.row} {v.reason}: entries [{shown}]")
        return Rows(M, _FLOAT.ops, None, None, x.ndim == 1, False)
    return _from_kernel(as_kernel(x, name), name)


def _describe(r: Rows) -> str:
    if r.kernel is not None:
        return r.kernel.backend.describe(r.kernel.storage)
    return "a float64 array"


def as_pair(p: Any, q: Any, who: str, same_inputs: bool = True) -> tuple[Rows, Rows]:
    """Two batches on the same outcomes, shapes and backend (structural kernels adapt to the other side);
    ``same_inputs=False`` allows different inputs (numbers of rows).

    >>> from catkit import Wire
    >>> as_pair(Kernel.point(Wire(2), 0), np.array([0.5, 0.5]), "kl")[0].ops.name
    'numpy'
    >>> as_pair(Kernel.uniform(Wire(2)), Kernel.uniform(Wire(["a", "b"])), "kl")
    Traceback (most recent call last):
    ...
    catkit.errors.ObjectMismatchError: kl: p is a distribution on Wire(2) but q on Wire(['a', 'b'])
    """
    rp, rq = as_rows(p, "p"), as_rows(q, "q")
    rp, rq = _adapt(rp, rq), _adapt(rq, rp)
    if rp.kernel is not None and rq.kernel is not None:
        if rp.cod != rq.cod:
            raise ObjectMismatchError(f"{who}: p is a distribution on {rp.cod} but q on {rq.cod}")
        if same_inputs and rp.dom != rq.dom:
            raise ObjectMismatchError(f"{who}: p is a batch indexed by {rp.dom} but q by {rq.dom}")
    if not rp.ops.combines(rq.ops):
        raise BackendMismatchError(
            f"{who}: p is {_describe(rp)} but q is {_describe(rq)}: convert one with .to(backend) "
            "(floats are never made exact, nor exact values float, silently)"
        )
    if not same_inputs:
        if rp.data.shape[1] != rq.data.shape[1]:
            raise ObjectMismatchError(f"{who}: p has {rp.data.shape[1]} outcomes but q has {rq.data.shape[1]}")
    elif tuple(rp.data.shape) != tuple(rq.data.shape) or rp.single != rq.single:
        raise ObjectMismatchError(
            f"{who}: p and q have different shapes: {tuple(rp.data.shape)} vs {tuple(rq.data.shape)}"
            + (" (one is a single distribution, the other a batch)" if rp.single != rq.single else "")
        )
    if rp.ops.compatible(rp.data, rq.data) is not None:
        raise BackendMismatchError(f"{who}: p is {_describe(rp)} but q is {_describe(rq)}")
    return rp, rq


def _adapt(r: Rows, other: Rows) -> Rows:
    """A structural kernel (index map, no backend of its own) takes the other side's backend."""
    k = r.kernel
    if k is None or not k.generic or r.ops.combines(other.ops):
        return r
    if other.kernel is not None:
        ob = other.kernel.backend
        return _from_kernel(k.to(ob, **ob.placement(other.kernel.storage)), "p")
    kf = k.to(_FLOAT)
    return Rows(kf.matrix, _FLOAT.ops, k.dom, k.cod, r.single, False, kf)


def state_weights(prior: Any, dom: Obj | None, n: int, ops: Ops, who: str, like: Any = None) -> Any:
    """The weights of a prior (a state on the inputs) as a vector of this family.

    >>> state_weights(Kernel.uniform(2), None, 2, get_backend("exact").ops, "D").tolist()
    [Fraction(1, 2), Fraction(1, 2)]
    """
    r = as_rows(prior, "prior")
    if not r.single:
        raise DistributionError(f"{who}: the prior must be a single distribution (a state), not a batch of {r.n}")
    if dom is not None and r.cod is not None and r.cod != dom:
        raise ObjectMismatchError(f"{who}: the prior is a distribution on {r.cod} but the kernels' inputs are {dom}")
    if r.data.shape[1] != n:
        raise ObjectMismatchError(f"{who}: the prior has {r.data.shape[1]} outcomes but there are {n} inputs")
    if not r.ops.combines(ops):
        home = next((b for b in BACKENDS.values() if b.ops is ops), None)  # the backend computing with ops
        if r.kernel is not None and r.kernel.generic and home is not None:  # a structural prior adapts
            return state_weights(r.kernel.to(home, **(home.placement(like) if like is not None else {})), dom, n, ops, who, like)
        raise BackendMismatchError(f"{who}: the prior is {_describe(r)} but the kernels are {ops.name}")
    if like is not None and ops.compatible(r.data, like) is not None:
        raise BackendMismatchError(f"{who}: the prior is {_describe(r)} but the kernels are on {like.device}, {like.dtype}")
    return r.data[0]


def finish(r: Rows, v: Any, rational: bool = False) -> Any:
    """Present row values: Fractions for rational quantities of exact kernels, canonical sympy
    logarithms otherwise; a scalar for a single distribution.

    >>> finish(as_rows(Kernel.uniform(2)), np.array([sp.Rational(1, 2)], dtype=object), rational=True)
    Fraction(1, 2)
    """
    if r.ops.exact:
        vals = []
        for x in v:
            if rational and r.rational and isinstance(x, sp.Rational):
                vals.append(Fraction(int(x.p), int(x.q)))
            elif rational and isinstance(x, Fraction):
                vals.append(x if r.rational else sp.Rational(x.numerator, x.denominator))
            else:
                vals.append(canonical(sp.sympify(x)))
        out = np.empty(len(vals), dtype=object)
        out[:] = vals
        v = out
    return r.ops.scalar(v) if r.single else v

