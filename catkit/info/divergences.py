"""Divergences between distributions and between kernels.

A :class:`Divergence` ``D`` compares two distributions on the same finite set.
Called on two kernels ``f, g: A → X`` it works row by row (a kernel is a batch of
``|A|`` distributions) and returns one value per input; on two states, one value.
The kernel forms of [C1][stmt-c1] are methods:

* ``D.sup(f, g)`` — the worst case ``max_a D(f(a), g(a))``;
* ``D.averaged(f, g, prior)`` — ``D_p(f, g) = D(p >> ⟨id, f⟩, p >> ⟨id, g⟩)``, the divergence of
  the two joint laws of input and output, computed from the rows without building the joints
  (an expectation for f-divergences, ``log E exp`` for Rényi and Bhattacharyya);
* ``D.pairwise(f, g)`` — the matrix ``[D(f(a), g(b))]`` between all rows.

==================  ============================================  =========  ======  ========
divergence          value                                         symmetric  metric  rational
==================  ============================================  =========  ======  ========
:class:`KL`          ``Σ p log(p/q)``                              no         no      no
:class:`TotalVariation` ``½ Σ |p − q|``                            yes        yes     yes
:class:`Hellinger`   ``s·(1 − BC)``, ``BC = Σ √(pq)``, s ∈ {1, 2}  yes        √ only  no
:class:`Bhattacharyya` ``−log BC``                                 yes        no      no
:class:`Renyi`       ``log(Σ p^α q^(1−α)) / (α − 1)``, α ∈ [0, ∞]   α = ½      no      no
:class:`JensenShannon` ``½ KL(p‖m) + ½ KL(q‖m)``, ``m = (p+q)/2``  yes        √ only  no
:class:`Jeffreys`    ``KL(p‖q) + KL(q‖p)``                         yes        no      no
:class:`FDivergence` ``Σ q f(p/q)`` for a convex ``f`` with f(1)=0  —          —       if f is
==================  ============================================  =========  ======  ========

Conventions: ``0 log 0 = 0``, ``0 log(0/q) = 0``, ``p log(p/0) = +∞`` for ``p > 0``;
infinite divergences are returned as ``inf`` (floats) or ``sympy.oo`` (exact), never
raised.  Exact kernels give exact values: ``Fraction`` for rational divergences,
sympy expressions otherwise (``log(2)/2``, not 0.3466).

>>> from catkit import Kernel
>>> p, q = Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"])
>>> kl_divergence(p, q), total_variation(p, q)
(-log(3)/2 + log(2), Fraction(1, 4))
>>> kl_divergence(q, Kernel.state([1, 0]))
oo
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from catkit.info.entropy import finish_scalar, renyi_entropy_rows
from catkit.info.ops import Ops
from catkit.info.params import Order, for_ops, order
from catkit.info.reals import to_sympy
from catkit.info.rows import ParameterError, Rows, as_pair, finish, state_weights

__all__ = [
    "Divergence",
    "KL",
    "TotalVariation",
    "Hellinger",
    "Bhattacharyya",
    "Renyi",
    "JensenShannon",
    "Jeffreys",
    "FDivergence",
    "ChiSquared",
    "kl_divergence",
    "total_variation",
    "hellinger",
    "bhattacharyya_coefficient",
    "bhattacharyya_distance",
    "renyi_divergence",
    "jensen_shannon",
    "jeffreys",
    "chi_squared",
    "f_divergence",
]


def _log2(ops: Ops) -> Any:
    return sp.log(2) if ops.exact else math.log(2)


class Divergence:
    """A divergence on distributions, applied row-wise to kernels (see the module docstring).

    Subclasses implement :meth:`rows` (``rows(ops, P, Q)``, one value per row); they may override
    :meth:`combine` (how row values average into the value of the joint law) and
    :meth:`categorical_rows` (the closed form of ``D(δ_p, p ⊗ p)`` used by categorical entropy).
    These three are public: :mod:`catkit.info.categorical` calls them, and so may user code.

    >>> D = KL()
    >>> D.name, D.symmetric, D.f_divergence
    ('KL', False, True)
    """

    name = "D"
    #: ``D(p, q) = D(q, p)``
    symmetric = False
    #: an f-divergence ``Σ q f(p/q)`` (jointly convex, satisfies data processing, averages linearly)
    f_divergence = False
    #: a metric (triangle inequality)
    metric = False
    #: exact kernels give ``Fraction`` values
    rational = False

    #: the names the three hooks had before they were public, still honoured (with a DeprecationWarning)
    _RENAMED: ClassVar[dict[str, str]] = {"_rows": "rows", "_combine": "combine", "_categorical": "categorical_rows"}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for old, new in Divergence._RENAMED.items():
            if old in cls.__dict__ and new not in cls.__dict__:
                warnings.warn(f"{cls.__name__}.{old} is now called {new}: rename it (the old name will stop working)",
                              DeprecationWarning, stacklevel=2)
                setattr(cls, new, cls.__dict__[old])

    def __repr__(self) -> str:
        return f"<divergence {self.name}>"

    def __call__(self, p: Any, q: Any) -> Any:
        """``D(p, q)`` row-wise (a number for two states).

        >>> from catkit import Kernel
        >>> TotalVariation()(Kernel([[1, 0], [0, 1]]), Kernel([["1/2", "1/2"], ["1/2", "1/2"]])).tolist()
        [Fraction(1, 2), Fraction(1, 2)]
        """
        rp, rq = as_pair(p, q, self.name)
        return finish(rp, self.rows(rp.ops, rp.data, rq.data), self.rational)

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        """``D(P[a], Q[a])`` for each row ``a`` of two compute arrays of the same shape (``rows × outcomes``, one
        distribution per row, as the backend's ``ops`` take them): a vector, one value per row, not yet
        simplified or converted (``__call__`` does that).  What a subclass implements, with the primitives of
        ``ops`` (:mod:`catkit.info.ops`); the other methods, and :mod:`catkit.info.categorical`, call it.

        >>> import numpy as np
        >>> from catkit.backends.ops import fraction_array
        >>> from catkit.info.ops import NUMPY, OBJECT
        >>> TotalVariation().rows(NUMPY, np.array([[1.0, 0.0], [0.5, 0.5]]), np.array([[0.5, 0.5], [0.5, 0.5]])).tolist()
        [0.5, 0.0]
        >>> KL().rows(OBJECT, fraction_array([[1, 0]]), fraction_array([["1/2", "1/2"]])).tolist()
        [log(2)]
        """
        raise NotImplementedError(f"{type(self).__name__} must implement rows(ops, P, Q): one value per row of P and Q")

    def combine(self, ops: Ops, w: Any, v: Any) -> Any:
        """The value on the joint laws from the row values ``v`` (:meth:`rows`) and the prior's weights ``w``:
        the expectation ``Σ_a w_a v_a`` for f-divergences (the default), ``log E exp`` for Rényi and
        Bhattacharyya.  Used by :meth:`averaged` and by the ``prior=`` forms of :mod:`catkit.info.categorical`.

        >>> import numpy as np
        >>> from catkit.info.ops import NUMPY
        >>> float(KL().combine(NUMPY, np.array([0.25, 0.75]), np.array([2.0, 0.0])))
        0.5
        """
        return ops.weighted(w, v)

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        """``D(δ_p, p ⊗ p)`` for each row ``p`` of ``P`` (``δ_p``: ``p`` on the diagonal), the categorical entropy
        of :mod:`catkit.info.categorical`.  By default from the two ``|X|²``-sized laws; the built-in
        divergences override it with a closed form in ``O(|X|)`` (KL: Shannon entropy).

        >>> from catkit.backends.ops import fraction_array
        >>> from catkit.info.ops import OBJECT
        >>> KL().categorical_rows(OBJECT, fraction_array([["1/2", "1/2"], [1, 0]])).tolist()
        [log(2), 0]
        >>> Divergence.categorical_rows(TotalVariation(), OBJECT, fraction_array([["1/2", "1/2"]])).tolist()
        [Fraction(1, 2)]
        """
        m = P.shape[1]
        PP = (P[:, :, None] * P[:, None, :]).reshape(P.shape[0], m * m)
        Dg = PP * 0
        Dg[:, :: m + 1] = P
        return self.rows(ops, Dg, PP)

    def sup(self, f: Any, g: Any) -> Any:
        """The worst case over inputs, ``max_a D(f(a), g(a))`` (0 for no inputs).

        >>> from catkit import Kernel
        >>> KL().sup(Kernel([["1/2", "1/2"], [1, 0]]), Kernel([["1/2", "1/2"], ["1/2", "1/2"]]))
        log(2)
        """
        rp, rq = as_pair(f, g, self.name)
        return finish_scalar(rp, rp.ops.max(self.rows(rp.ops, rp.data, rq.data)), self.rational)

    def pairwise(self, f: Any, g: Any = None) -> Any:
        """The matrix ``[D(f(a), g(b))]_{a, b}`` between every row of ``f`` and every row of ``g``
        (``g = f`` by default): e.g. the Gram matrices of predictive similarity kernels
        ``exp(−β D)`` or ``K_BC = 1 − Hellinger(scale=1).pairwise(f)``.  Memory ``|A|·|B|·|X|``.

        >>> from catkit import Kernel
        >>> TotalVariation().pairwise(Kernel([[1, 0], ["1/2", "1/2"]])).tolist()
        [[Fraction(0, 1), Fraction(1, 2)], [Fraction(1, 2), Fraction(0, 1)]]
        """
        rp, rq = as_pair(f, f if g is None else g, self.name, same_inputs=False)
        P, Q = rp.data, rq.data
        n, m = P.shape[0], Q.shape[0]
        PP, QQ = rp.ops.take_rows(P, np.repeat(np.arange(n), m)), rp.ops.take_rows(Q, np.tile(np.arange(m), n))
        v = finish(Rows(PP, rp.ops, None, rp.cod, False, rp.rational), self.rows(rp.ops, PP, QQ), self.rational)
        return v.reshape(n, m)

    def averaged(self, f: Any, g: Any, prior: Any) -> Any:
        """``D_p(f, g) = D(p >> ⟨id, f⟩, p >> ⟨id, g⟩)`` for a prior ``p`` on the inputs ([C1][stmt-c1]).

        >>> from catkit import Kernel
        >>> f, g = Kernel([["1/2", "1/2"], [1, 0]]), Kernel([["1/2", "1/2"], ["1/2", "1/2"]])
        >>> KL().averaged(f, g, Kernel.state(["1/2", "1/2"]))
        log(2)/2
        """
        rp, rq = as_pair(f, g, self.name)
        w = state_weights(prior, rp.dom, rp.n, rp.ops, self.name, like=rp.data)
        return finish_scalar(rp, self.combine(rp.ops, w, self.rows(rp.ops, rp.data, rq.data)), self.rational)


class KL(Divergence):
    """Kullback–Leibler divergence ``KL(p‖q) = Σ p log(p/q)`` (``+∞`` unless ``supp p ⊆ supp q``).

    >>> from catkit import Kernel
    >>> KL()(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]))
    -log(3)/2 + log(2)
    """

    name = "KL"
    f_divergence = True

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        return ops.rel_entr(P, Q)

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        return ops.entr(P)


class TotalVariation(Divergence):
    """Total variation ``½ Σ |p − q|`` (rational: exact kernels give a ``Fraction``).

    >>> from catkit import Kernel
    >>> TotalVariation()(Kernel.state(["1/3", "2/3"]), Kernel.state([1, 0]))
    Fraction(2, 3)
    """

    name = "TV"
    symmetric = f_divergence = metric = rational = True

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        return ops.rowsum(abs(P - Q)) / 2

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        return 1 - ops.rowsum(P * P)


class Hellinger(Divergence):
    """Hellinger divergence with an explicit normalisation: ``d_H² = scale · (1 − BC)``,
    ``BC = Σ √(p q)`` the Bhattacharyya coefficient.

    ``scale=1`` gives ``d_H² = 1 − BC = ½ Σ (√p − √q)²`` ∈ [0, 1] (this is the normalisation for
    which ``d_H² ≤ TV ≤ √2 d_H`` and ``d_H² ≤ ½ KL``); ``scale=2`` gives ``d_H² = 2(1 − BC) =
    Σ (√p − √q)²`` ∈ [0, 2] (the seed paper's; then ``d_H² ≤ KL``, and ½ is *not* a valid constant).
    ``squared=False`` returns the distance ``d_H`` (a metric) instead of ``d_H²`` (an f-divergence).

    >>> from catkit import Kernel
    >>> p, q = Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])
    >>> Hellinger()(p, q), Hellinger(scale=2)(p, q), Hellinger(squared=False)(p, q)
    (1 - sqrt(2)/2, 2 - sqrt(2), sqrt(1 - sqrt(2)/2))
    """

    symmetric = True

    def __init__(self, scale: int = 1, squared: bool = True) -> None:
        if isinstance(scale, bool) or scale not in (1, 2):
            raise ParameterError(f"the Hellinger scale must be 1 (d_H² = 1 − BC) or 2 (d_H² = 2(1 − BC)), got {scale!r}")
        self.scale, self.squared = int(scale), bool(squared)
        self.f_divergence, self.metric = self.squared, not self.squared
        body = "1−BC" if scale == 1 else "2(1−BC)"
        self.name = f"H²[{body}]" if squared else f"H[√({body})]"

    def _from_gap(self, ops: Ops, gap: Any) -> Any:
        """From ``Σ (√p − √q)² = 2(1 − BC)``."""
        h2 = ops.nonneg(gap if self.scale == 2 else gap / 2)
        return h2 if self.squared else ops.sqrt(h2)

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        return self._from_gap(ops, ops.root_gap(P, Q))

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        # diagonal cells (√p − p)², off-diagonal cells p_i p_j: Σ = Σ (√p − p)² + 1 − Σ p²
        if ops.exact:
            return self._from_gap(ops, 2 - 2 * ops.power_sum(P, None, for_ops(Fraction(3, 2), ops, "3/2")))
        R = ops.sqrt(P) - P
        return self._from_gap(ops, ops.rowsum(R * R) + 1 - ops.rowsum(P * P))

    def combine(self, ops: Ops, w: Any, v: Any) -> Any:
        if self.squared:
            return ops.weighted(w, v)
        return ops.sqrt(ops.one(ops.weighted(w, v * v)))[0]


class Bhattacharyya(Divergence):
    """Bhattacharyya distance ``−log BC = −log Σ √(p q)`` (half the Rényi divergence of order ½).

    >>> from catkit import Kernel
    >>> Bhattacharyya()(Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"]))
    log(2)/2
    """

    name = "Bhattacharyya"
    symmetric = True

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        return -ops.log_power_sum(P, Q, for_ops(Fraction(1, 2), ops, "1/2"))

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        return -ops.log_power_sum(P, None, for_ops(Fraction(3, 2), ops, "3/2"))

    def combine(self, ops: Ops, w: Any, v: Any) -> Any:
        return -ops.log(ops.one(ops.weighted(w, ops.exp(-v))))[0]


class Renyi(Divergence):
    """Rényi divergence of order ``alpha`` in ``[0, ∞]``:
    ``D_α(p‖q) = log(Σ_{p>0} p^α q^(1−α)) / (α − 1)``, with the limits
    ``D_0 = −log q(supp p)``, ``D_1 = KL``, ``D_∞ = log max_{p>0} p/q``.

    Its categorical entropy is the Rényi entropy of order ``2 − α``.

    >>> from catkit import Kernel
    >>> p, q = Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"])
    >>> Renyi(2)(p, q), Renyi("inf")(p, q), Renyi(0)(p, q)
    (-log(3) + 2*log(2), log(2), 0)
    >>> Renyi(-1)
    Traceback (most recent call last):
    ...
    catkit.info.rows.ParameterError: alpha = -1 is outside its range [0, ∞]
    """

    def __init__(self, alpha: Any) -> None:
        self.alpha: Order = order(alpha, "alpha", lo=0)
        self.symmetric = self.alpha == Fraction(1, 2)
        self.f_divergence = self.alpha == 1
        a = "∞" if self.alpha == math.inf else str(self.alpha)
        self.name = f"Rényi-{a}"

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        a = self.alpha
        if a == 1:
            return ops.rel_entr(P, Q)
        if a == math.inf:
            return ops.log(ops.max_ratio(P, Q))
        if a == 0:
            return -ops.log(ops.support_mass(P, Q))
        av = for_ops(a, ops, "alpha")
        return ops.log_power_sum(P, Q, av) / (av - 1)

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        a = self.alpha
        return renyi_entropy_rows(ops, P, -math.inf if a == math.inf else 2 - a)

    def combine(self, ops: Ops, w: Any, v: Any) -> Any:
        a = self.alpha
        if a == 1:
            return ops.weighted(w, v)
        if a == math.inf:
            return ops.masked_max(w, v)
        av = for_ops(a, ops, "alpha")
        # row value v = log(S)/(α−1), so S = exp((α−1) v) and the joint's S is Σ w S
        return (ops.log(ops.one(ops.weighted(w, ops.exp((av - 1) * v)))) / (av - 1))[0]


class JensenShannon(Divergence):
    """Jensen–Shannon divergence ``½ KL(p‖m) + ½ KL(q‖m)``, ``m = (p + q)/2`` (always ≤ log 2;
    its square root is a metric).

    >>> from catkit import Kernel
    >>> JensenShannon()(Kernel.state([1, 0]), Kernel.state([0, 1]))
    log(2)
    """

    name = "JS"
    symmetric = f_divergence = True

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        M = (P + Q) / 2
        return (ops.rel_entr(P, M) + ops.rel_entr(Q, M)) / 2

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        # diagonal: δ = p_i, p⊗p = p_i², m = (p_i + p_i²)/2; off the diagonal δ = 0 and m = p_i p_j / 2
        P2 = P * P
        M = (P + P2) / 2
        return (ops.rel_entr(P, M) + ops.rel_entr(P2, M) + (1 - ops.rowsum(P2)) * _log2(ops)) / 2


class Jeffreys(Divergence):
    """Jeffreys divergence ``KL(p‖q) + KL(q‖p)`` (symmetrised KL).

    >>> from catkit import Kernel
    >>> Jeffreys()(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]))
    log(3)/4
    """

    name = "Jeffreys"
    symmetric = f_divergence = True

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        return ops.rel_entr(P, Q) + ops.rel_entr(Q, P)

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        # KL(p⊗p ‖ δ_p) is infinite unless p is a point mass (off-diagonal mass where δ_p is 0)
        return ops.where(ops.is_one(ops.rowsum(P * P)), ops.entr(P), ops.inf)


# ---------------------------------------------------------------------- f-divergences
_T = sp.Symbol("t", positive=True)
_GRID = np.unique(np.concatenate([np.geomspace(1e-4, 1e4, 161), np.linspace(0.05, 3, 60)]))


class FDivergence(Divergence):
    """The f-divergence ``D_f(p‖q) = Σ q f(p/q)`` of a convex ``f`` on ``[0, ∞)`` with ``f(1) = 0``.

    ``f`` is a function of one argument.  Written with sympy functions (``sympy.log``,
    ``sympy.sqrt``) it is evaluated exactly on exact kernels and compiled for numpy and
    torch; written with numpy functions it serves float kernels only.  Conventions:
    ``q f(0/q) = q f(0)`` (``f(0)`` as a limit, given as ``f0`` if ``f`` has no value at 0)
    and ``0 f(p/0) = p · slope`` with ``slope = lim f(t)/t`` at ∞.  Convexity and ``f(1) = 0``
    are checked on a grid of ``t`` in ``[1e-4, 1e4]``.

    >>> import sympy as sp
    >>> from catkit import Kernel
    >>> D = FDivergence(lambda t: (t - 1) ** 2, name="χ²")
    >>> D(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]))
    Fraction(1, 3)
    >>> FDivergence(lambda t: sp.sqrt(t))
    Traceback (most recent call last):
    ...
    catkit.info.rows.ParameterError: f must satisfy f(1) = 0 (so that D(p, p) = 0), but f(1) = 1
    >>> FDivergence(lambda t: -(t - 1) ** 2)
    Traceback (most recent call last):
    ...
    catkit.info.rows.ParameterError: f is not convex: its slope drops from 1.99979 on [0.0001, 0.000112202] to 1.99976 on [0.000112202, 0.000125893]
    """

    def __init__(
        self,
        f: Callable[[Any], Any],
        name: str = "D_f",
        *,
        f0: Any = None,
        slope: Any = None,
        symmetric: bool = False,
    ) -> None:
        self.f, self.name, self.symmetric = f, name, symmetric
        self.f_divergence = True
        try:
            expr = sp.sympify(f(_T))
        except Exception:  # f is numeric-only (numpy functions)
            expr = None
        self.expr: sp.Expr | None = expr
        self.rational = expr is not None and bool(expr.is_rational_function(_T))
        if expr is not None:
            num: Callable[[Any], Any] = sp.lambdify(_T, expr, "numpy")
        else:
            num = f
        self._numeric = num
        vals = self._floats(_GRID)
        f1 = float(np.asarray(self._floats(np.array([1.0])))[0])
        if not abs(f1) <= 1e-12:
            shown = int(f1) if f1.is_integer() else f1
            raise ParameterError(f"f must satisfy f(1) = 0 (so that D(p, p) = 0), but f(1) = {shown}")
        _check_convex(_GRID, vals)
        self._f0, self._slope = f0, slope

    def _floats(self, t: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            try:
                out = np.asarray(self._numeric(t), dtype=np.float64)
                if out.shape != t.shape:
                    out = np.broadcast_to(out, t.shape).astype(np.float64)
            except Exception:
                out = np.array([float(self._numeric(float(x))) for x in t])
        return out

    def _limit(self, which: str) -> Any:
        if self.expr is None:
            return None
        try:
            if which == "f0":
                v = sp.limit(self.expr, _T, 0, "+")
            else:
                v = sp.limit(self.expr / _T, _T, sp.oo)
        except Exception:
            return None
        return v if v.is_extended_real else None

    def _param(self, ops: Ops, which: str) -> Any:
        v = self._f0 if which == "f0" else self._slope
        if v is None:
            v = self._limit(which)
            if v is None and which == "f0":
                v = float(self._floats(np.array([0.0]))[0])
                v = None if math.isnan(v) else v
            if v is None:
                what = "f(0) (pass f0=...)" if which == "f0" else "the slope lim f(t)/t at ∞ (pass slope=...)"
                raise ParameterError(f"{self.name}: cannot determine {what}")
            if which == "f0":
                self._f0 = v
            else:
                self._slope = v
        if ops.exact:
            if isinstance(v, float) and not math.isinf(v):
                raise ParameterError(f"{self.name}: {which} = {v} is a float; give it exactly for exact kernels")
            return sp.oo if v == math.inf else v
        return float(v)

    def _exact_f(self, x: Any) -> Any:
        assert self.expr is not None
        if self.rational and isinstance(x, Fraction):
            return _fraction_eval(self.expr, x)  # plain Fraction arithmetic, much faster than sympy
        v = self.expr.xreplace({_T: to_sympy(x)})
        return Fraction(int(v.p), int(v.q)) if isinstance(v, sp.Rational) and isinstance(x, Fraction) else v

    def _fn(self, ops: Ops) -> Callable[[Any], Any]:
        if ops.exact:
            if self.expr is None:
                raise ParameterError(
                    f"{self.name}: f is written with numeric functions; for exact kernels write it with sympy "
                    "functions (sympy.log, sympy.sqrt) so that it can be evaluated exactly"
                )
            return self._exact_f
        fast = ops.numeric_function(self.expr, _T) if self.expr is not None else None
        return fast if fast is not None else self._numeric

    def rows(self, ops: Ops, P: Any, Q: Any) -> Any:
        fn = self._fn(ops)
        return ops.f_sum(P, Q, fn, self._param(ops, "f0"), _LazySlope(self, ops))

    def categorical_rows(self, ops: Ops, P: Any) -> Any:
        # diagonal cells: Σ_{p>0} p² f(1/p); off-diagonal cells (δ = 0): (1 − Σ p²) f(0)
        P2 = P * P
        fn = self._fn(ops)
        f0 = self._param(ops, "f0")
        off = 1 - ops.rowsum(P2)
        zero_off = ops.is_one(1 - off)
        if f0 == ops.inf:
            return ops.where(zero_off, ops.f_sum(P, P2, fn, f0, 0), ops.inf)
        return ops.f_sum(P, P2, fn, f0, 0) + off * f0


def _fraction_eval(e: sp.Expr, x: Fraction) -> Fraction:
    """Evaluate a rational function of ``t`` at a Fraction with Fraction arithmetic."""
    if e is _T:
        return x
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    args = [_fraction_eval(a, x) for a in e.args]
    if e.is_Add:
        return sum(args, Fraction(0))
    if e.is_Mul:
        out = Fraction(1)
        for a in args:
            out *= a
        return out
    if e.is_Pow and e.exp.is_Integer:
        return args[0] ** int(e.exp)
    if isinstance(e, sp.Abs):
        return abs(args[0])
    v = e.xreplace({_T: to_sympy(x)})
    return Fraction(int(v.p), int(v.q))


class _LazySlope:
    """The slope at ∞, computed only when some q = 0 < p needs it."""

    def __init__(self, d: FDivergence, ops: Ops) -> None:
        self.d, self.ops = d, ops

    def _v(self) -> Any:
        return self.d._param(self.ops, "slope")

    def __float__(self) -> float:
        return float(self._v())

    def __mul__(self, other: Any) -> Any:
        return self._v() * other

    __rmul__ = __mul__


def _check_convex(t: np.ndarray, v: np.ndarray) -> None:
    ok = np.isfinite(v)
    t, v = t[ok], v[ok]
    slopes = np.diff(v) / np.diff(t)
    drop = slopes[:-1] - slopes[1:]
    tol = 1e-9 * (1 + np.abs(slopes[:-1]) + np.abs(slopes[1:]))
    bad = np.flatnonzero(drop > tol)
    if bad.size:
        i = int(bad[0])
        raise ParameterError(
            f"f is not convex: its slope drops from {slopes[i]:.6g} on [{t[i]:.6g}, {t[i + 1]:.6g}] "
            f"to {slopes[i + 1]:.6g} on [{t[i + 1]:.6g}, {t[i + 2]:.6g}]"
        )


class ChiSquared(FDivergence):
    """Pearson χ² divergence ``Σ (p − q)²/q`` (f(t) = (t − 1)², rational).

    >>> from catkit import Kernel
    >>> ChiSquared()(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]))
    Fraction(1, 3)
    """

    def __init__(self) -> None:
        super().__init__(lambda t: (t - 1) ** 2, name="χ²", f0=1, slope=math.inf)


# ---------------------------------------------------------------------- functions
def kl_divergence(p: Any, q: Any) -> Any:
    """``KL(p‖q) = Σ p log(p/q)`` row-wise (see :class:`KL`).

    >>> import numpy as np
    >>> round(kl_divergence(np.array([0.5, 0.5]), np.array([0.25, 0.75])), 6)
    0.143841
    """
    return KL()(p, q)


def total_variation(p: Any, q: Any) -> Any:
    """``½ Σ |p − q|`` row-wise (see :class:`TotalVariation`).

    >>> from catkit import Kernel
    >>> total_variation(Kernel.state([1, 0]), Kernel.state([0, 1]))
    Fraction(1, 1)
    """
    return TotalVariation()(p, q)


def hellinger(p: Any, q: Any, scale: int = 1, squared: bool = True) -> Any:
    """``d_H² = scale · (1 − BC)`` (or ``d_H`` with ``squared=False``), row-wise (see :class:`Hellinger`).

    >>> from catkit import Kernel
    >>> hellinger(Kernel.state([1, 0]), Kernel.state([0, 1]), scale=2)
    2
    """
    return Hellinger(scale, squared)(p, q)


def bhattacharyya_coefficient(p: Any, q: Any) -> Any:
    """``BC = Σ √(p q)`` row-wise (1 iff p = q, 0 iff disjoint supports).

    >>> from catkit import Kernel
    >>> bhattacharyya_coefficient(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/8", "7/8"]))
    1/4 + sqrt(7)/4
    """
    rp, rq = as_pair(p, q, "BC")
    return finish(rp, rp.ops.power_sum(rp.data, rq.data, for_ops(Fraction(1, 2), rp.ops, "1/2")))


def bhattacharyya_distance(p: Any, q: Any) -> Any:
    """``−log BC`` row-wise (see :class:`Bhattacharyya`).

    >>> from catkit import Kernel
    >>> bhattacharyya_distance(Kernel.state([1, 0]), Kernel.state([0, 1]))
    oo
    """
    return Bhattacharyya()(p, q)


def renyi_divergence(p: Any, q: Any, alpha: Any) -> Any:
    """Rényi divergence of order ``alpha`` in ``[0, ∞]`` row-wise (see :class:`Renyi`).

    >>> from catkit import Kernel
    >>> renyi_divergence(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]), "1/2")
    -2*log(sqrt(2)/4 + sqrt(6)/4)
    """
    return Renyi(alpha)(p, q)


def jensen_shannon(p: Any, q: Any) -> Any:
    """Jensen–Shannon divergence row-wise (see :class:`JensenShannon`).

    >>> from catkit import Kernel
    >>> jensen_shannon(Kernel.state(["1/2", "1/2"]), Kernel.state([1, 0]))
    -3*log(3)/4 + 3*log(2)/2
    """
    return JensenShannon()(p, q)


def jeffreys(p: Any, q: Any) -> Any:
    """Jeffreys divergence ``KL(p‖q) + KL(q‖p)`` row-wise (see :class:`Jeffreys`).

    >>> from catkit import Kernel
    >>> jeffreys(Kernel.state(["1/2", "1/2"]), Kernel.state([1, 0]))
    oo
    """
    return Jeffreys()(p, q)


def chi_squared(p: Any, q: Any) -> Any:
    """Pearson ``χ²(p‖q) = Σ (p − q)²/q`` row-wise (see :class:`ChiSquared`).

    >>> from catkit import Kernel
    >>> chi_squared(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]))
    Fraction(1, 3)
    """
    return ChiSquared()(p, q)


def f_divergence(p: Any, q: Any, f: Callable[[Any], Any], **options: Any) -> Any:
    """``Σ q f(p/q)`` for a convex ``f`` with ``f(1) = 0``, row-wise (see :class:`FDivergence`).

    >>> import sympy as sp
    >>> from catkit import Kernel
    >>> f_divergence(Kernel.state(["1/2", "1/2"]), Kernel.state(["1/4", "3/4"]), lambda t: t * sp.log(t))
    -log(3)/2 + log(2)
    """
    return FDivergence(f, **options)(p, q)
