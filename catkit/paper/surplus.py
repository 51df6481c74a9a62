"""Claim 5, the information surplus: ``Surplus_K = I(H; W_{t:t+K−1}) − I(H; W_t) = I(H; W_{t+1:t+K−1} | W_t)``.

In exact mode every entropy is a certified interval (python-flint ``arb``) computed from the exact laws, and
every relation that can hold with equality has an exact zero test on the rational joint law: the surplus is
0 iff ``H ⊥ W_{t+1:} | W_t``, the bound ``Surplus_K ≤ H(W_{t+1:} | W_t)`` is tight iff the future is a function
of ``(H, W_t)``, ``H(W_{t+1:} | W_t) = (K − 1) log |V|`` iff it is uniform, and the surplus stops growing from K
to K + 1 iff ``H ⊥ W_{t+K} | W_{t:t+K−1}``.  In LM mode the same quantities are float64.

>>> from catkit.sources import tiny_source
>>> t = surplus_table(tiny_source(), 1, [0, 1, 2], [1, 2])
>>> [round(float(x), 6) for x in t["surplus"]]
[0.0, 0.003948]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from catkit.info.entropy import entropy_of_rows
from catkit.info.reals import Certified, to_arb
from catkit.paper.checks import Control, check
from catkit.paper.compare import Judge, Outcome

__all__ = ["surplus_table", "joint_law", "Ks"]

#: the block lengths K of the exact surplus checks (the exact future laws grow as |V|^K)
Ks = (1, 2, 3, 4)


def joint_law(source: Any, length: int, keys: Sequence[Any], K: int, exact: bool = True) -> np.ndarray:
    """``P(H, W_t, W_{t+1:t+K−1})`` as an array ``|H| × |V| × |V|^{K−1}`` (Fractions, or float64 when ``exact`` is
    False), for contexts of ``length`` tokens and the statistic ``H = keys[i]`` of context ``i``.

    >>> from catkit.sources import tiny_source
    >>> J = joint_law(tiny_source(), 1, ["same"] * 3, 2)
    >>> J.shape, sum(J.ravel()) == 1
    ((1, 3, 3), True)
    """
    from catkit.paper.setting import kernel_rows
    from catkit.sources import ContextSet

    C = ContextSet.of_length(source.vocab, length)
    src = source if exact or not source.exact else source.to_float()
    mu = kernel_rows(src.context_law(C)).reshape(-1)
    F = kernel_rows(src.future_kernel(C, K))
    groups: dict[Any, int] = {}
    idx = [groups.setdefault(k, len(groups)) for k in keys]
    V = source.vocab.size
    J = np.zeros((len(groups), V**K), dtype=object if exact else float)
    if exact:
        J[...] = Fraction(0)
    for i, h in enumerate(idx):
        J[h] = J[h] + mu[i] * F[i]
    return J.reshape(len(groups), V, V ** (K - 1))


def _H(P: np.ndarray) -> Any:
    """Shannon entropy of a law: a certified interval for exact entries (python-flint balls, the equal
    probabilities of a block law grouped), a float otherwise (:func:`~catkit.info.entropy.entropy_of_rows`)."""
    if P.dtype != object:
        return float(entropy_of_rows(P.reshape(-1)))
    counts = Counter(x for x in P.ravel() if x)

    def at(prec: int) -> Any:
        from flint import arb, fmpq

        out = arb(0)
        for x, c in counts.items():
            a = arb(fmpq(x.numerator, x.denominator))
            out -= c * a * a.log()
        return out

    return Certified(at, "an entropy", (lambda: len(counts) <= 1))


def _combo(terms: list[tuple[int, Any]], label: str, zero: Any = None) -> Any:
    """``Σ c_i x_i`` of entropies: a float, or a certified interval (with an exact zero test when given)."""
    if not any(isinstance(x, Certified) for _, x in terms):
        return sum(c * x for c, x in terms)
    return Certified(lambda prec: sum((c * x.at(prec) for c, x in terms), 0 * terms[0][1].at(prec)), label, zero)


def _const(b: bool) -> Any:
    return lambda: b


def _ci(J: np.ndarray) -> bool:
    """Exactly: is H ⊥ R | W under the law J[h, w, r]?"""
    Phw, Pwr, Pw = J.sum(axis=2), J.sum(axis=0), J.sum(axis=(0, 2))
    return all(J[h, w, r] * Pw[w] == Phw[h, w] * Pwr[w, r] for h in range(J.shape[0]) for w in range(J.shape[1])
               for r in range(J.shape[2]))


def _function_of(J: np.ndarray) -> bool:
    """Exactly: is R a function of (H, W) almost surely?"""
    return all(sum(1 for x in J[h, w] if x) <= 1 for h in range(J.shape[0]) for w in range(J.shape[1]))


def _uniform_given(J: np.ndarray) -> bool:
    """Exactly: is R uniform given W (on W's support)?"""
    Pwr, Pw = J.sum(axis=0), J.sum(axis=(0, 2))
    R = J.shape[2]
    return all(Pwr[w, r] * R == Pw[w] for w in range(J.shape[1]) for r in range(R))


def _quantities(J: np.ndarray) -> dict[str, Any]:
    """Surplus (= CMI), H(R | W), its slack terms, with exact zero tests on exact laws."""
    exact = J.dtype == object
    Hhwr, Hhw, Hwr, Hw = _H(J), _H(J.sum(axis=2)), _H(J.sum(axis=0)), _H(J.sum(axis=(0, 2)))
    Hh, Hfut = _H(J.sum(axis=(1, 2))), _H(J.sum(axis=0).reshape(-1))
    return {
        "surplus": _combo([(1, Hhw), (1, Hwr), (-1, Hhwr), (-1, Hw)], "Surplus_K", (lambda: _ci(J)) if exact else None),
        "H(rest|W_t)": _combo([(1, Hwr), (-1, Hw)], "H(rest | W_t)"),
        "H(rest|W_t,H)": _combo([(1, Hhwr), (-1, Hhw)], "H(rest | W_t, H)", (lambda: _function_of(J)) if exact else None),
        "I(H;W_t)": _combo([(1, Hh), (1, Hw), (-1, Hhw)], "I(H; W_t)"),
        "I(H;W_t:t+K-1)": _combo([(1, Hh), (1, Hfut), (-1, Hhwr)], "I(H; W_t:t+K−1)"),
    }


def surplus_table(source: Any, length: int, keys: Sequence[Any], Ks: Sequence[int], exact: bool = True) -> dict[str, list[Any]]:
    """``Surplus_K``, ``H(W_{t+1:t+K−1} | W_t)``, ``I(H; W_t)`` and ``I(H; W_{t:t+K−1})`` for each K, with H the statistic
    ``keys[i]`` of context ``i`` (contexts of one length), from the exact laws: certified intervals
    (:class:`~catkit.info.reals.Certified`, ``float()`` gives their midpoint) or, with ``exact=False``, float64.
    ``laws`` holds the joint laws (for the exact zero tests).

    >>> from catkit.sources import tiny_source
    >>> t = surplus_table(tiny_source(), 1, [0, 1, 2], [1, 2], exact=False)
    >>> abs(t["surplus"][0]) < 1e-15 and t["surplus"][1] > 0
    True
    """
    table: dict[str, list[Any]] = {"K": list(Ks), "laws": []}
    for K in Ks:
        J = joint_law(source, length, keys, K, exact)
        table["laws"].append(J)
        for k, v in _quantities(J).items():
            table.setdefault(k, []).append(v)
    return table


# ---------------------------------------------------------------------- the cases of the exact checks
def _cases(s: Any) -> dict[str, dict[str, list[Any]]]:
    """Surplus tables for the HMM (belief state, last token) and Markov-chain controls (exact mode)."""
    if "surplus" in s.cache:
        return s.cache["surplus"]
    from catkit.sources import ContextSet, MarkovChain

    source, length = s.source, s.length
    V = source.vocab.size
    C = ContextSet.of_length(source.vocab, length)
    beliefs = [tuple(Fraction(x) for x in r) for r in source.belief_states(C)]
    order1 = MarkovChain([[Fraction(1, 2) if j == i else Fraction(1, 2 * (V - 1)) for j in range(V)] for i in range(V)],
                         order=1, vocab=source.vocab, name="order-1 chain")
    rng = np.random.default_rng(7)
    w2 = rng.integers(1, 6, size=(V * V, V))
    order2 = MarkovChain([[Fraction(int(x), int(r.sum())) for x in r] for r in w2], order=2, vocab=source.vocab, name="order-2 chain")
    cases: dict[str, tuple[Any, Any]] = {
        "HMM, H = belief state": (source, beliefs),
        "HMM, H = last token": (source, [c[-1] for c in C]),
        "order-1 chain, H = last token": (order1, [c[-1] for c in C]),
        "order-2 chain, H = last token": (order2, [c[-1] for c in C]),
        "order-2 chain, H = last two tokens": (order2, [c[-2:] for c in C]),
    }
    s.cache["surplus"] = {name: surplus_table(src, length, keys, Ks) for name, (src, keys) in cases.items()}
    return s.cache["surplus"]


def _increments(t: dict[str, list[Any]]) -> list[Any]:
    """``Surplus_{K+1} − Surplus_K`` with its exact zero test (``H ⊥ W_{t+K} | W_{t:t+K−1}``)."""
    out = []
    for K, a, b, J in zip(t["K"], t["surplus"], t["surplus"][1:], t["laws"][1:]):
        nh, V = J.shape[0], J.shape[1]
        J2 = J.reshape(nh, V ** K, -1)  # (h, w_{t:t+K−1}, w_{t+K})
        out.append(_combo([(1, b), (-1, a)], f"Surplus_{K + 1} − Surplus_{K}", lambda J2=J2: _ci(J2)))
    return out


def _room(K: int, V: int, Hr: Any, J: np.ndarray) -> Certified:
    """``(K − 1) log|V| − H(rest | W_t)``, certified, 0 exactly when the future is uniform given W_t."""
    import sympy as sp

    return Certified(lambda prec: (K - 1) * to_arb(sp.log(V), prec) - Hr.at(prec), "(K − 1) log|V| − H(rest | W_t)",
                     lambda: _uniform_given(J))


def surplus_bounds(s: Any, j: Judge, reverse: bool = False) -> Outcome:
    """0 ≤ Surplus_K ≤ H(rest | W_t) ≤ (K − 1) log |V|, non-decreasing in K, for every case."""

    q = {}
    for name, t in _cases(s).items():
        if reverse:
            if name.startswith("HMM"):
                for inc in _increments(t):
                    j.leq(inc, 0, f"{name}: non-increasing")
            continue
        V = s.source.vocab.size
        for K, S, Hr, slack, J in zip(t["K"], t["surplus"], t["H(rest|W_t)"], t["H(rest|W_t,H)"], t["laws"]):
            j.leq(0, S, f"{name}, K = {K}: Surplus ≥ 0")
            j.leq(0, slack, f"{name}, K = {K}: Surplus ≤ H(rest | W_t)")
            room = _room(K, V, Hr, J)
            j.leq(0, room, f"{name}, K = {K}: H(rest | W_t) ≤ (K − 1) log|V|")
        for inc in _increments(t):
            j.leq(0, inc, f"{name}: non-decreasing")
        q[name] = [round(float(x), 6) for x in t["surplus"]]
    return j.outcome("0 ≤ Surplus_K ≤ H(W_t+1:t+K−1 | W_t) ≤ (K−1) log|V|, non-decreasing in K (K = 1..4)",
                     {"Surplus_K": q})


@check(5, "0 ≤ Surplus_K ≤ H(W_t+1: | W_t) ≤ (K−1) log|V|, non-decreasing", modes=("exact",),
       control=Control("non-increasing in K demanded of the HMM (its surplus grows)", lambda s, j: surplus_bounds(s, j, True)))
def _bounds(s: Any, j: Judge) -> Outcome:
    return surplus_bounds(s, j)


def surplus_zero(s: Any, j: Judge, case: str = "order-1 chain, H = last token") -> Outcome:
    """Surplus_K = 0 for every K (exact: the conditional independence H ⊥ W_t+1: | W_t)."""
    t = _cases(s)[case]
    for K, S in zip(t["K"], t["surplus"]):
        j.equal(S, 0, f"K = {K}")
    return j.outcome(f"Surplus_K = 0 for K = 1..{t['K'][-1]} ({case})", {"Surplus_K": [round(float(x), 6) for x in t["surplus"]]})


@check(5, "zero for an order-1 chain with H = last token", modes=("exact",),
       control=Control("the HMM with H = last token", lambda s, j: surplus_zero(s, j, "HMM, H = last token")))
def _zero(s: Any, j: Judge) -> Outcome:
    return surplus_zero(s, j)


def surplus_positive(s: Any, j: Judge, cases: Sequence[str] = ("HMM, H = belief state", "HMM, H = last token",
                                                              "order-2 chain, H = last token")) -> Outcome:
    """Surplus_K > 0 for K ≥ 2."""
    for name in cases:
        t = _cases(s)[name]
        for K, S in zip(t["K"][1:], t["surplus"][1:]):
            j.less(0, S, f"{name}, K = {K}")
    return j.outcome("Surplus_K > 0 for K ≥ 2: " + "; ".join(cases))


@check(5, "positive for the HMM and an order-2 chain", modes=("exact",),
       control=Control("the order-1 chain with H = last token", lambda s, j: surplus_positive(s, j, ("order-1 chain, H = last token",))))
def _positive(s: Any, j: Judge) -> Outcome:
    return surplus_positive(s, j)


def dpi(s: Any, j: Judge, constant: bool = False) -> Outcome:
    """I(f_enc(X); W_t:t+1) ≤ I(X; W_t:t+1) for every model's encoder, with equality for the belief state
    (exact zero test: X ⊥ future | H); the control demands equality of a constant statistic."""
    from catkit.paper.setting import kernel_rows

    exact = s.mode == "exact"
    JX = joint_law(s.source, s.length, list(range(len(s.contexts))), 2, exact)
    IX = _quantities(JX)["I(H;W_t:t+K-1)"]
    q = {}
    models = [("constant H", [0] * len(s.contexts))] if constant else [
        (m.name, [int(np.argmax([float(v) for v in r])) for r in kernel_rows(m.encoder)]) for m in s.models]
    for name, keys in models:
        JH = joint_law(s.source, s.length, keys, 2, exact)
        IH = _quantities(JH)["I(H;W_t:t+K-1)"]
        if exact:
            groups: dict[Any, list[int]] = {}
            for i, k in enumerate(keys):
                groups.setdefault(k, []).append(i)
            # X ⊥ future | H, exactly: within each fibre of H the future laws P(future | x) agree on supp μ
            Jx = JX.reshape(JX.shape[0], -1)
            suff = all(bool((Jx[a] * sum(Jx[b]) == Jx[b] * sum(Jx[a])).all()) for idx in groups.values() for a in idx for b in idx)
            gap = _combo([(1, IX), (-1, IH)], "I(X; future) − I(H; future)", _const(suff))
        else:
            gap = IX - IH
        if constant or name == "belief state":
            j.equal(gap, 0, f"{name}: equality")
        else:
            j.leq(0, gap, name)
        q[name] = round(float(IH), 6)
    return j.outcome("I(f_enc(X); W_t:t+1) ≤ I(X; W_t:t+1), equality for the belief state", {"I(H; W_t:t+1)": q,
                                                                                             "I(X; W_t:t+1)": round(float(IX), 6)})


@check(5, "DPI: I(f_enc(X); future) ≤ I(X; future), equality for the belief state",
       control=Control("equality demanded of a constant statistic", lambda s, j: dpi(s, j, True)))
def _dpi(s: Any, j: Judge) -> Outcome:
    return dpi(s, j)
