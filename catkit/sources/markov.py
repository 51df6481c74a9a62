"""Markov chains of order k over a vocabulary, as finite-state sources.

An order-``k`` chain is given by its transition table ``P(x_t | x_{t-k} … x_{t-1})``
(a ``V^k × V`` matrix, windows in row-major order, or a catkit kernel
``vocab^⊗k → vocab``) and the law of its first ``k`` tokens (default: the
stationary law of windows, which makes the process stationary).  As a machine
its states are the prefixes of length ``0 … k`` (the start-up) and then the
last ``k`` tokens; its belief state is therefore a point mass.

>>> mc = MarkovChain([["9/10", "1/10"], ["1/2", "1/2"]])
>>> mc.window_law().tolist(), mc.prob("aab")
([Fraction(5, 6), Fraction(1, 6)], Fraction(3, 40))
>>> round(mc.entropy_rate(), 6)
0.386427
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import numpy as np

from catkit.info.entropy import entropy_of_rows
from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.sources.contexts import context_label, vocab_wire
from catkit.sources.kernels import law_kernel
from catkit.sources.machine import FiniteStateSource
from catkit.sources.probs import SourceError, as_prob_array, check_rows, stationary, to_float

__all__ = ["MarkovChain"]


class MarkovChain(FiniteStateSource):
    """A Markov chain of order ``k`` (``k = 0``: i.i.d. tokens).

    Args:
        transition: ``V^k × V`` table (or a kernel ``vocab^⊗k → vocab``, or an array of shape ``(V,)*k + (V,)``).
        order: ``k >= 0``.
        initial: law of the first ``k`` tokens (``V^k`` entries); ``None``: the stationary window law.
        vocab: vocabulary (default ``a, b, ...``).

    >>> MarkovChain([["1/2", "1/2"]], order=0).prob("ab")
    Fraction(1, 4)
    >>> MarkovChain([["1/2", "1/2"]], order=1)
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: an order-1 chain over 2 tokens needs a 2 × 2 transition table, got shape (1, 2)
    """

    def __init__(
        self, transition: Any, order: int = 1, initial: Any = None, *, vocab: Any = None, name: str = "markov chain"
    ) -> None:
        if not (isinstance(order, int) and order >= 0):
            raise SourceError(f"the order of a Markov chain must be an int >= 0, got {order!r}")
        P, exact = as_prob_array(transition, "transition")
        V = P.shape[-1]
        P = P.reshape(-1, V) if P.ndim != 1 else P.reshape(1, V)
        if P.shape != (V**order, V):
            raise SourceError(
                f"an order-{order} chain over {V} tokens needs a {V**order} × {V} transition table, got shape {P.shape}"
            )
        vw = vocab_wire(vocab if vocab is not None else V)
        check_rows(P, exact, "transition", [context_label(u, vw) for u in itertools.product(range(V), repeat=order)])
        if initial is None:
            init = self._stationary_windows(P, order, V) if order else np.array([Fraction(1) if exact else 1.0], dtype=P.dtype)
        else:
            init, ex_i = as_prob_array(initial, "initial")
            init = init.reshape(-1)
            if init.shape != (V**order,):
                raise SourceError(
                    f"the initial law of an order-{order} chain needs {V**order} entries (one per window), got {init.shape}"
                )
            if not ex_i:
                exact, P = False, to_float(P)
            check_rows(init.reshape(1, -1), exact, "initial window law", ["initial"])
            init = init if exact else to_float(init)
        self._P, self._order, self._window = P, order, init
        pi, T, labels = self._machine(P, init, order, V, exact)
        super().__init__(pi, T, vocab=vw, states=Wire(labels, name="state"), exact=exact, name=name)

    @staticmethod
    def _stationary_windows(P: np.ndarray, k: int, V: int) -> np.ndarray:
        Q = np.zeros((V**k, V**k), dtype=P.dtype) if P.dtype != object else np.full((V**k, V**k), Fraction(0), dtype=object)
        for u in range(V**k):
            for w in range(V):
                Q[u, (u * V + w) % V**k] += P[u, w]
        return stationary(Q)

    @staticmethod
    def _machine(P: np.ndarray, init: np.ndarray, k: int, V: int, exact: bool) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """States: every prefix of length 0..k; from a full window emit by P, before that by the
        conditionals of the initial window law."""
        prefixes = [u for j in range(k + 1) for u in itertools.product(range(V), repeat=j)]
        sid = {u: i for i, u in enumerate(prefixes)}
        S = len(prefixes)
        zero, one = (Fraction(0), Fraction(1)) if exact else (0.0, 1.0)
        T = np.full((V, S, S), zero, dtype=object if exact else np.float64)
        # marginal of the initial law on the first j tokens: m[j][u]
        m = {k: {u: init[i] for i, u in enumerate(itertools.product(range(V), repeat=k))}}
        for j in range(k - 1, -1, -1):
            m[j] = {u: sum((m[j + 1][u + (w,)] for w in range(V)), zero) for u in itertools.product(range(V), repeat=j)}
        for u in prefixes:
            s = sid[u]
            for w in range(V):
                if len(u) == k:
                    p, nxt = P[int(np.ravel_multi_index(u, (V,) * k)) if k else 0, w], (u + (w,))[1:]
                else:
                    p = m[len(u) + 1][u + (w,)] / m[len(u)][u] if m[len(u)][u] != 0 else one / V
                    nxt = u + (w,)
                T[w, s, sid[nxt]] = p
        pi = np.full(S, zero, dtype=object if exact else np.float64)
        pi[0] = one
        vw = vocab_wire(V)
        return pi, T, [context_label(u, vw) for u in prefixes]

    @property
    def order(self) -> int:
        """The order ``k``.

        >>> MarkovChain([["1/2", "1/2"], [1, 0]]).order
        1
        """
        return self._order

    @property
    def transition_matrix(self) -> np.ndarray:
        """The ``V^k × V`` transition table (a copy).

        >>> MarkovChain([["1/2", "1/2"], [1, 0]]).transition_matrix[1].tolist()
        [Fraction(1, 1), Fraction(0, 1)]
        """
        return self._P.copy()

    def transition_kernel(self, *, backend: str | None = None) -> Kernel:
        """The transition as a kernel ``vocab^⊗k → vocab``.

        >>> MarkovChain([["1/2", "1/2"], [1, 0]]).transition_kernel().dom
        Obj(Wire(['a', 'b'], name='vocab'))
        """
        return law_kernel(self._P, Obj(*([self.vocab] * self._order)), self.vocab, backend)

    def window_law(self) -> np.ndarray:
        """The law of the first ``k`` tokens (``V^k`` entries).

        >>> MarkovChain([["1/2", "1/2"], [1, 0]]).window_law().tolist()
        [Fraction(2, 3), Fraction(1, 3)]
        """
        return self._window.copy()

    def entropy_rate(self, tol: float = 1e-4, max_n: int = 64) -> float:
        """The entropy rate in closed form, ``Σ_u π(u) H(P(·|u))`` over stationary windows ``u`` (nats).

        >>> bool(abs(MarkovChain([["1/2", "1/2"]], order=0).entropy_rate() - np.log(2)) < 1e-15)
        True
        """
        w = to_float(self._stationary_windows(self._P, self._order, self.V)) if self._order else np.ones(1)
        return float(np.dot(w, entropy_of_rows(to_float(self._P))))
