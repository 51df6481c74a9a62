"""Hidden Markov models (state-emitting) as finite-state sources.

An HMM has hidden states ``S`` with a transition ``A: S → S``, an emission
``B: S → vocab`` and a law of the first state: ``s₁ ~ π``, ``x_t ~ B(·|s_t)``,
``s_{t+1} ~ A(·|s_t)``.  As an edge-emitting machine ``T[w][s, s'] = B[s, w] A[s, s']``,
and it is the composite ``MarkovChain(A) >> B``.  The belief state after a
context is the law of the next hidden state ``P(s_{n+1} | x₁…xₙ)``.

>>> hmm = HMM([["9/10", "1/10"], ["1/10", "9/10"]], [["3/4", "1/4"], ["1/4", "3/4"]])
>>> hmm.initial.tolist(), hmm.prob("a")
([Fraction(1, 2), Fraction(1, 2)], Fraction(1, 2))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Wire
from catkit.sources.kernels import law_kernel
from catkit.sources.machine import FiniteStateSource
from catkit.sources.probs import SourceError, as_prob_array, check_rows, stationary, to_float

__all__ = ["HMM"]


class HMM(FiniteStateSource):
    """A state-emitting hidden Markov model.

    Args:
        transition: ``S × S`` matrix ``A[s, s']`` (or a kernel ``S → S``).
        emission: ``S × V`` matrix ``B[s, w]`` (or a kernel ``S → vocab``).
        initial: law of the first state; ``None``: the stationary law of ``A``.
        vocab: a wire or label list (default ``a, b, ...``).
        states: a wire or label list (default ``s0, s1, ...``).

    >>> HMM([[1, 0], [0, 1]], [[1, 0]])
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: the emission has 1 rows but the transition has 2 states
    """

    def __init__(
        self, transition: Any, emission: Any, initial: Any = None, *, vocab: Any = None, states: Any = None,
        name: str = "hmm",
    ) -> None:
        A, ex_a = as_prob_array(transition, "transition")
        B, ex_b = as_prob_array(emission, "emission")
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise SourceError(f"the transition must be a square S × S matrix, got shape {A.shape}")
        if B.ndim != 2 or B.shape[0] != A.shape[0]:
            raise SourceError(f"the emission has {B.shape[0]} rows but the transition has {A.shape[0]} states")
        exact = ex_a and ex_b
        if initial is not None:
            pi, ex_p = as_prob_array(initial, "initial")
            exact = exact and ex_p
        A, B = (A, B) if exact else (to_float(A), to_float(B))
        if isinstance(states, Wire):
            st_labels = list(states.elements())
        else:
            st_labels = list(states) if states is not None else [f"s{i}" for i in range(A.shape[0])]
        check_rows(A, exact, "transition", st_labels)
        check_rows(B, exact, "emission", st_labels)
        if initial is None:
            pi = stationary(A)
        pi = pi if exact else to_float(pi)
        self._A, self._B = A, B
        T = np.stack([B[:, w][:, None] * A for w in range(B.shape[1])])
        super().__init__(
            pi, T, vocab=vocab if vocab is not None else B.shape[1], states=Wire(st_labels, name="state"), exact=exact,
            name=name,
        )

    def transition_kernel(self, *, backend: str | None = None) -> Kernel:
        """The hidden-state transition ``A`` as a kernel ``states → states``.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().transition_kernel()("s0").matrix.tolist()
        [[Fraction(3, 4), Fraction(1, 4)]]
        """
        return law_kernel(self._A, self.states, self.states, backend)

    def emission_kernel(self, *, backend: str | None = None) -> Kernel:
        """The emission ``B`` as a kernel ``states → vocab``.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().emission_kernel().cod
        Obj(Wire(['a', 'b', 'c'], name='vocab'))
        """
        return law_kernel(self._B, self.states, self.vocab, backend)
