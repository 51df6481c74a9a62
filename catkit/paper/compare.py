"""How a verdict is decided: one comparator per mode, and the judge that collects a check's relations.

A check states relations (``a = b``, ``a ≤ b``, "this matrix is PSD") on a :class:`Judge`; the mode's
comparator decides each one and the judge concludes: *fails* if any relation is refuted, *holds* if all
are established, else *inconclusive*.

* :class:`ExactComparator` (exact mode) decides with :mod:`catkit.info.reals`: rationals exactly, other
  reals by certified interval arithmetic at rising precision with exact zero tests, matrices by exact
  rational elimination or certified (arb) pivots.  A relation it cannot certify is *inconclusive*, never
  guessed; no float tolerance is involved.  ``decided_by`` is ``exact`` or ``interval (N bits)``.
* :class:`FloatComparator` (LM mode) compares float64 values within a stated relative tolerance
  (``decided_by = "float64 (tolerance …)"``); sampled quantities are decided against their error bar
  (``sampled ± 2 s.e.``).

>>> import sympy as sp
>>> j = Judge(ExactComparator())
>>> j.equal(sp.log(8), 3 * sp.log(2)), j.leq(sp.log(3), sp.Rational(11, 10))
(True, True)
>>> o = j.outcome("log 8 = 3 log 2; log 3 ≤ 11/10")
>>> o.verdict, o.decided_by
('holds', 'interval (64 bits)')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from catkit.info import reals
from catkit.info.reals import Certified, IncomparableError
from catkit.paper.result import Mode, Verdict, verdict_from_margin

__all__ = ["Outcome", "Comparator", "ExactComparator", "FloatComparator", "Judge", "comparator_for"]


@dataclass
class Outcome:
    """What one run of a check (or of its control) concluded; the registry turns it into a ClaimResult.

    ``finding`` overrides the registry's default (a check expected to fail that fails is a finding).

    >>> Outcome("holds", "a = b").verdict
    'holds'
    """

    verdict: Verdict
    relation: str
    quantities: dict[str, Any] = field(default_factory=dict)
    margin: float | None = None
    error: float | None = None
    decided_by: str = ""
    note: str = ""
    finding: bool | None = None


class Comparator:
    """Decides relations between values for one mode (see the module docstring).

    Each method returns ``(verdict, margin, how)``: the relation's verdict, a signed float margin for display,
    and how it was decided.
    """

    mode: Mode = "exact"

    def relation(self, a: Any, b: Any, op: str, tol: float | None = None) -> tuple[Verdict, float | None, str]:
        """``a op b`` for ``op`` in ``=``, ``≤``, ``<`` (``tol``: a float comparator's tolerance for this relation; the
        exact comparator has none and ignores it)."""
        raise NotImplementedError

    def kernels_equal(self, f: Any, g: Any) -> tuple[Verdict, str]:
        """Whether two kernels are equal."""
        raise NotImplementedError

    def psd(self, G: Any) -> tuple[Verdict, float | None, str]:
        """Whether a symmetric matrix is positive semi-definite (margin: its smallest eigenvalue, as a float)."""
        raise NotImplementedError

    def spectrum(self, K: Any, mu: Any) -> tuple[Verdict, float | None, str]:
        """Whether ``M = K diag(μ)`` (K symmetric, μ ≥ 0) has a real, non-negative spectrum (margin: its smallest
        real part)."""
        raise NotImplementedError


def _min_eig(K: Any, mu: Any) -> float:
    F = np.array([[_float(x) for x in r] for r in np.asarray(K, dtype=object)], dtype=float)
    m = np.array([_float(x) for x in np.asarray(mu, dtype=object).reshape(-1)], dtype=float)
    return float(np.min(np.linalg.eigvals(F * m[None, :]).real)) if len(F) else 0.0


def _float(x: Any) -> float:
    if isinstance(x, Certified):
        return float(x)
    if hasattr(x, "detach"):
        x = x.detach().cpu()
    if hasattr(x, "item"):
        return float(x.item())
    if type(x).__name__ == "arb":
        return float(x.mid())
    return reals.to_float(x)


def _margin(a: Any, b: Any, op: str) -> float | None:
    try:
        fa, fb = _float(a), _float(b)
    except (TypeError, ValueError, IncomparableError):
        return None
    if math.isinf(fa) and math.isinf(fb) and fa == fb:
        return 0.0
    return -abs(fa - fb) if op == "=" else fb - fa


class ExactComparator(Comparator):
    """Exact mode: exact or certified decisions only (see the module docstring).

    >>> import sympy as sp
    >>> c = ExactComparator()
    >>> c.relation(sp.log(3), sp.log(2) * sp.Rational(1584, 1000), "≤")[::2]
    ('fails', 'interval (64 bits)')
    >>> c.psd(np.array([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1)]], dtype=object))[::2]
    ('holds', 'exact')
    """

    mode: Mode = "exact"

    def relation(self, a: Any, b: Any, op: str, tol: float | None = None) -> tuple[Verdict, float | None, str]:
        with reals.decisions() as how:
            try:
                c = reals.compare(a, b)
            except IncomparableError as e:
                return "inconclusive", _margin(a, b, op), f"undecided ({e})"
        ok = c == 0 if op == "=" else c <= 0 if op == "≤" else c < 0
        return ("holds" if ok else "fails"), _margin(a, b, op), how.decided_by

    def kernels_equal(self, f: Any, g: Any) -> tuple[Verdict, str]:
        return ("holds" if f == g else "fails"), "exact"

    def psd(self, G: Any) -> tuple[Verdict, float | None, str]:
        A = np.asarray(G, dtype=object)
        lam = float(np.linalg.eigvalsh(np.array([[_float(x) for x in r] for r in A], dtype=float))[0]) if len(A) else 0.0
        if all(isinstance(x, (Fraction, int)) or isinstance(x, sp.Rational) for x in A.ravel()):
            return ("holds" if _rational_psd([[Fraction(str(x)) for x in r] for r in A]) else "fails"), lam, "exact"
        return _certified_psd(A, lam)

    def spectrum(self, K: Any, mu: Any) -> tuple[Verdict, float | None, str]:
        A, m = np.asarray(K, dtype=object), np.asarray(mu, dtype=object).reshape(-1)
        lam = _min_eig(A, m)
        if all(isinstance(x, (Fraction, int, sp.Rational)) for x in list(A.ravel()) + list(m)):
            return ("holds" if _exact_spectrum(A, m) else "fails"), lam, "exact (Sturm sequences of the characteristic polynomial)"
        # K diag(μ) with μ > 0 is similar to D^½ K D^½, congruent to K: its spectrum is real, ≥ 0 iff K is PSD
        keep = [i for i, x in enumerate(m) if x != 0]
        v, _, how = self.psd(A[np.ix_(keep, keep)])
        return v, lam, f"{how}, via similarity to D^½ K D^½"


def _exact_spectrum(K: np.ndarray, mu: np.ndarray) -> bool:
    """Exactly: all roots of the characteristic polynomial of ``K diag(μ)`` (rational) are real and ≥ 0 (Sturm)."""
    x = sp.Symbol("x")
    M = sp.Matrix([[sp.Rational(str(K[i, j])) * sp.Rational(str(mu[j])) for j in range(K.shape[1])] for i in range(K.shape[0])])
    for f, _ in sp.sqf_list(M.charpoly(x).as_expr(), x)[1]:
        P = sp.Poly(f, x)
        if P.count_roots() != P.degree():
            return False  # a pair of complex roots
        if P.count_roots(-sp.oo, 0) - (1 if P.eval(0) == 0 else 0) > 0:
            return False  # a negative root
    return True


def _rational_psd(A: list[list[Fraction]]) -> bool:
    """Exact PSD test of a symmetric rational matrix: symmetric elimination with positive diagonal pivots."""
    A = [r[:] for r in A]
    n = len(A)
    alive = list(range(n))
    while alive:
        if any(A[i][i] < 0 for i in alive):
            return False
        piv = next((i for i in alive if A[i][i] > 0), None)
        if piv is None:  # zero diagonal: PSD only if the remaining block is 0
            return all(A[i][j] == 0 for i in alive for j in alive)
        alive.remove(piv)
        for i in alive:
            f = A[i][piv] / A[piv][piv]
            if f:
                for j in alive:
                    A[i][j] -= f * A[piv][j]
    return True


def _certified_psd(A: np.ndarray, lam: float) -> tuple[Verdict, float | None, str]:
    """PD by certified Cholesky pivots (all > 0); not PSD by a certified negative pivot (a negative leading minor)
    or a rational vector v with vᵀAv < 0; otherwise undecided (a singular PSD matrix cannot be certified by intervals)."""
    from flint import arb, ctx

    n = len(A)
    prec = reals.START_PREC
    while prec <= 1024:
        old = ctx.prec
        ctx.prec = prec
        try:
            M = [[reals.to_arb(A[i][j], prec) for j in range(n)] for i in range(n)]
            verdict: Verdict | None = "holds"
            for k in range(n):
                p = M[k][k]
                if p < 0:
                    verdict = "fails"
                    break
                if not p > 0:
                    verdict = None
                    break
                for i in range(k + 1, n):
                    f = M[i][k] / p
                    for j in range(k + 1, n):
                        M[i][j] -= f * M[k][j]
        finally:
            ctx.prec = old
        if verdict is not None:
            return verdict, lam, f"interval ({prec} bits)"
        prec *= 2
    # a certificate of a negative eigenvalue: the float eigenvector, rounded to rationals
    F = np.array([[_float(x) for x in r] for r in A], dtype=float)
    v = np.linalg.eigh(F)[1][:, 0]
    vq = [sp.Rational(Fraction(float(x)).limit_denominator(10**12)) for x in v]
    quad = Certified(lambda prec: sum((arb(0) + reals.to_arb(vq[i] * vq[j], prec) * reals.to_arb(A[i][j], prec)
                                       for i in range(n) for j in range(n)), arb(0)), "vᵀAv")
    try:
        if reals.sign(quad) < 0:
            return "fails", lam, "interval (certificate vᵀAv < 0)"
    except IncomparableError:
        pass
    return "inconclusive", lam, "undecided (singular to 1024 bits: PSD cannot be certified by intervals)"


class FloatComparator(Comparator):
    """LM mode: float64 values compared within a relative tolerance (stated in ``decided_by``).

    >>> c = FloatComparator()
    >>> c.relation(1.0, 1.0 + 1e-12, "="), c.relation(2.0, 1.0, "≤")[0]
    (('holds', -1.000088900582341e-12, 'float64 (tolerance 1e-09)'), 'fails')
    """

    mode: Mode = "lm"

    def __init__(self, tol: float = reals.FLOAT_TOL) -> None:
        self.tol = tol
        self.how = f"float64 (tolerance {tol:g})"

    def relation(self, a: Any, b: Any, op: str, tol: float | None = None) -> tuple[Verdict, float | None, str]:
        fa, fb = _float(a), _float(b)
        if math.isnan(fa) or math.isnan(fb):
            return "inconclusive", None, "NaN"
        t = self.tol if tol is None else tol
        c = reals.compare(fa, fb, t)
        ok = c == 0 if op == "=" else c <= 0 if op == "≤" else c < 0
        return ("holds" if ok else "fails"), _margin(fa, fb, op), f"float64 (tolerance {t:g})"

    def kernels_equal(self, f: Any, g: Any) -> tuple[Verdict, str]:
        same = f.dom == g.dom and f.cod == g.cod and f.allclose(g.to(f.backend) if f.backend != g.backend else g, tol=self.tol)
        return ("holds" if same else "fails"), self.how

    def psd(self, G: Any) -> tuple[Verdict, float | None, str]:
        F = np.array([[_float(x) for x in r] for r in np.asarray(G, dtype=object)], dtype=float) if np.asarray(G).dtype == object \
            else np.asarray(G, dtype=float)
        lam = float(np.linalg.eigvalsh((F + F.T) / 2)[0]) if len(F) else 0.0
        slack = self.tol * max(1.0, float(np.abs(F).max()) if F.size else 1.0) * max(1, len(F))
        return ("holds" if lam >= -slack else "fails"), lam, f"float64 (eigenvalues, tolerance {slack:.1e})"

    def spectrum(self, K: Any, mu: Any) -> tuple[Verdict, float | None, str]:
        F = np.asarray(K, dtype=float)
        m = np.asarray(mu, dtype=float).reshape(-1)
        ev = np.linalg.eigvals(F * m[None, :])
        scale = max(1.0, float(np.abs(ev).max()) if ev.size else 1.0)
        real = float(np.abs(ev.imag).max()) <= self.tol * scale if ev.size else True
        lo = float(ev.real.min()) if ev.size else 0.0
        ok = real and lo >= -self.tol * scale * max(1, len(F))
        return ("holds" if ok else "fails"), lo, f"float64 (eigenvalues, tolerance {self.tol * scale:.1e})"


def comparator_for(mode: Mode) -> Comparator:
    """The comparator of a mode.

    >>> comparator_for("exact").mode, comparator_for("lm").mode
    ('exact', 'lm')
    """
    return ExactComparator() if mode == "exact" else FloatComparator()


def summarise(hows: list[str]) -> str:
    """One description of how a verdict was decided from those of its relations: exact decisions are subsumed
    by interval ones (the highest precision is kept); LM decisions are listed.

    >>> summarise(["exact", "interval (64 bits)", "interval (256 bits)"]), summarise(["exact"])
    ('interval (256 bits)', 'exact')
    """
    bits = [int(h.split("(")[1].split()[0]) for h in hows if h.startswith("interval (") and h.split("(")[1].split()[0].isdigit()]
    rest = [h for h in hows if h != "exact" and not (h.startswith("interval (") and h.split("(")[1].split()[0].isdigit())]
    out = ([f"interval ({max(bits)} bits)"] if bits else []) + rest
    return "; ".join(out) if out else ("exact" if hows else "")



class Judge:
    """Collects the relations one check asserts, decides each with the comparator, and concludes.

    >>> j = Judge(FloatComparator())
    >>> j.leq(1.0, 2.0), j.sampled(0.3, 0.1), j.outcome("x ≤ y").decided_by
    (True, True, 'float64 (tolerance 1e-09); sampled ± 2 s.e.')
    """

    def __init__(self, cmp: Comparator) -> None:
        self.cmp = cmp
        self.verdicts: list[Verdict] = []
        self.margins: list[float] = []
        self.hows: list[str] = []
        self.failed: list[str] = []
        self.error: float | None = None

    def _add(self, verdict: Verdict, margin: float | None, how: str, what: str) -> bool:
        self.verdicts.append(verdict)
        if margin is not None and not math.isnan(margin):
            self.margins.append(margin)
        if how and how not in self.hows:
            self.hows.append(how)
        if verdict != "holds" and what:
            self.failed.append(f"{what}: {verdict}")
        return verdict == "holds"

    def equal(self, a: Any, b: Any, what: str = "", tol: float | None = None) -> bool:
        """Record ``a = b``; True when it holds (``tol``: a float comparator's tolerance for this relation)."""
        return self._add(*self.cmp.relation(a, b, "=", tol), what)

    def leq(self, a: Any, b: Any, what: str = "", tol: float | None = None) -> bool:
        """Record ``a ≤ b``."""
        return self._add(*self.cmp.relation(a, b, "≤", tol), what)

    def less(self, a: Any, b: Any, what: str = "") -> bool:
        """Record ``a < b``."""
        return self._add(*self.cmp.relation(a, b, "<"), what)

    def kernels_equal(self, f: Any, g: Any, what: str = "") -> bool:
        """Record that two kernels are equal."""
        v, how = self.cmp.kernels_equal(f, g)
        return self._add(v, None, how, what)

    def psd(self, G: Any, what: str = "") -> bool:
        """Record that a symmetric matrix is PSD."""
        return self._add(*self.cmp.psd(G), what)

    def not_psd(self, G: Any, what: str = "") -> bool:
        """Record that a symmetric matrix is *not* PSD."""
        v, lam, how = self.cmp.psd(G)
        flipped: Verdict = "holds" if v == "fails" else "fails" if v == "holds" else "inconclusive"
        return self._add(flipped, None if lam is None else -lam, how, what)

    def spectrum(self, K: Any, mu: Any, what: str = "") -> bool:
        """Record that ``K diag(μ)`` has a real, non-negative spectrum."""
        return self._add(*self.cmp.spectrum(K, mu), what)

    def fact(self, holds: bool, how: str = "exact", what: str = "") -> bool:
        """Record a fact decided outside the comparator (an exact combinatorial test, say how)."""
        return self._add("holds" if holds else "fails", None, how, what)

    def verdict(self, v: Verdict, how: str, margin: float | None = None, what: str = "") -> bool:
        """Record a verdict decided elsewhere (e.g. a sampled estimate), with how it was decided."""
        return self._add(v, margin, how, what)

    def sampled(self, margin: float, error: float, what: str = "") -> bool:
        """Record ``margin > 0`` for a sampled quantity with error bar ``error`` (two standard errors)."""
        self.error = error if self.error is None else max(self.error, error)
        return self._add(verdict_from_margin(margin, error), margin, "sampled ± 2 s.e.", what)

    @property
    def current(self) -> Verdict:
        """The conclusion so far: fails if any relation fails, holds if all hold, else inconclusive."""
        if "fails" in self.verdicts:
            return "fails"
        return "holds" if all(v == "holds" for v in self.verdicts) else "inconclusive"

    def outcome(self, relation: str, quantities: dict[str, Any] | None = None, note: str = "",
                finding: bool | None = None) -> Outcome:
        """The check's conclusion (``margin`` is the smallest margin recorded)."""
        extra = "; ".join(self.failed[:3])
        return Outcome(self.current, relation, quantities or {}, min(self.margins) if self.margins else None, self.error,
                       summarise(self.hows), note if not extra or self.current == "holds" else (f"{note} [{extra}]" if note else extra),
                       finding)
