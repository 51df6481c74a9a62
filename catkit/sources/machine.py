"""Finite-state sources: the one machine behind Markov chains, HMMs and their compositions.

A :class:`FiniteStateSource` is an *edge-emitting* hidden-state machine (a
generalised HMM): an initial law ``π`` on states ``S`` and, for each token
``w``, a sub-stochastic matrix ``T[w]`` with ``T[w][s, s'] = P(emit w, move to s' | s)``.
The probability of a word is ``P(x₁…xₙ) = π T[x₁] ⋯ T[xₙ] 1``.  Every law the
toolkit needs is a product of these matrices, so it is computed exactly over
the rationals when the parameters are exact:

* the next-token kernel ``P(·|x)`` and the law of the next ``K`` tokens,
* the law of contexts (of one length, or on any :class:`ContextSet`),
* belief states ``P(S | x)`` and the minimal sufficient statistic of a context
  (contexts with the same law of the whole future),
* block entropies, conditional entropies and the entropy rate (with certified bounds),
* exact filtering along sampled sequences (float), streamed batches of contexts.

Contexts of probability 0 get the uniform next-token law and the uniform belief
(the kernels are only determined almost surely there).

The class is a facade: the checked parameters are a :class:`~catkit.sources.core.Machine`
(:attr:`FiniteStateSource.machine`) and each method calls the module of its concern —
:mod:`~catkit.sources.spec` (JSON specs), :mod:`~catkit.sources.laws` (exact laws),
:mod:`~catkit.sources.beliefs` (beliefs, sufficient statistic), :mod:`~catkit.sources.rates`
(entropies), :mod:`~catkit.sources.sampling`, :mod:`~catkit.sources.filtering`,
:mod:`~catkit.sources.batching` (streamed contexts) and :mod:`~catkit.sources.channels`.

>>> from catkit.sources import HMM
>>> src = HMM([["1/2", "1/2"], ["1/2", "1/2"]], [[1, 0], [0, 1]], initial=["1/2", "1/2"])
>>> src.prob("ab"), src.exact
(Fraction(1, 4), True)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, overload

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Wire
from catkit.sources import beliefs, channels, filtering, laws, rates, sampling
from catkit.sources.batching import ContextBatch, iter_context_batches, sample_context_batches
from catkit.sources.contexts import ContextSet, parse_context
from catkit.sources.core import Machine, make_machine
from catkit.sources.filtering import Filtered
from catkit.sources.spec import machine_spec, source_arguments

__all__ = ["FiniteStateSource", "ContextBatch", "Filtered"]


class FiniteStateSource:
    """A language source given by an edge-emitting finite-state machine (see the module docstring).

    Args:
        initial: law of the first state (length ``S``).
        transitions: array ``(V, S, S)``, ``transitions[w][s, s'] = P(w, s' | s)``; for each ``s``
            the entries over ``(w, s')`` sum to 1.
        vocab: the vocabulary (a :class:`~catkit.Wire`, a size, or labels); default ``a, b, ...``.
        states: the state wire (default ``s0, s1, ...``).
        exact: force exact (refuse floats) or float; ``None`` infers it from the entries.
        name: shown in reprs.

    >>> T = [[[1, 0], [0, 0]], [[0, 0], [0, 1]]]       # state 0 emits a, state 1 emits b; no switching
    >>> src = FiniteStateSource(["1/3", "2/3"], T)
    >>> src.prob("bbb"), src.prob("ab")
    (Fraction(2, 3), Fraction(0, 1))
    >>> FiniteStateSource([1, 0], [[[1, 0], [0, 0]]])
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: transitions of state 's1' (over (token, next state)) sum to 0, not 1
    """

    def __init__(
        self,
        initial: Any,
        transitions: Any,
        *,
        vocab: Wire | int | list[Any] | None = None,
        states: Wire | int | list[Any] | None = None,
        exact: bool | None = None,
        name: str = "source",
    ) -> None:
        self._m = make_machine(initial, transitions, vocab=vocab, states=states, exact=exact)
        self.name = name

    # ------------------------------------------------------------------ description
    @property
    def machine(self) -> Machine:
        """The checked parameters in the forms the computations use (exact and float arrays, wires, caches).

        >>> from catkit.sources import default_source
        >>> default_source().machine.Tf.shape
        (4, 3, 3)
        """
        return self._m

    @property
    def vocab(self) -> Wire:
        """The vocabulary wire.

        >>> from catkit.sources import default_source
        >>> default_source().vocab
        Wire(['a', 'b', 'c', 'd'], name='vocab')
        """
        return self._m.vocab

    @property
    def states(self) -> Wire:
        """The hidden-state wire.

        >>> from catkit.sources import default_source
        >>> default_source().states.size
        3
        """
        return self._m.states

    @property
    def V(self) -> int:
        """Vocabulary size.

        >>> from catkit.sources import default_source
        >>> default_source().V
        4
        """
        return self._m.V

    @property
    def S(self) -> int:
        """Number of hidden states.

        >>> from catkit.sources import default_source
        >>> default_source().S
        3
        """
        return self._m.S

    @property
    def exact(self) -> bool:
        """Whether the parameters (and so every law) are exact rationals.

        >>> from catkit.sources import default_source
        >>> default_source().exact, default_source().to_float().exact
        (True, False)
        """
        return self._m.exact

    @property
    def initial(self) -> np.ndarray:
        """The initial state law (object array of Fractions when exact, else float64); a copy.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().initial.tolist()
        [Fraction(1, 2), Fraction(1, 2)]
        """
        return self._m.pi.copy()

    @property
    def transitions(self) -> np.ndarray:
        """The ``(V, S, S)`` emission-transition array (a copy).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().transitions.shape
        (3, 2, 2)
        """
        return self._m.T.copy()

    def __repr__(self) -> str:
        kind = "exact" if self.exact else "float"
        els = list(self.vocab.elements()[:9])
        vocab = f"{els}" if self.V <= 8 else f"[{', '.join(map(repr, els[:8]))}, … ({self.V} tokens)]"  # large vocabularies stay one line
        return f"<{type(self).__name__} {self.name!r}: {self.S} states, vocab {vocab}, {kind}>"

    def spec(self) -> dict[str, Any]:
        """A JSON-able description from which :meth:`from_spec` rebuilds the same law (exact as strings).

        >>> from catkit.sources import tiny_source
        >>> s = tiny_source()
        >>> FiniteStateSource.from_spec(s.spec()).prob("abc") == s.prob("abc")
        True
        """
        return machine_spec(self._m, self.name)

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> FiniteStateSource:
        """Rebuild a source from :meth:`spec` (as a plain :class:`FiniteStateSource`); the spec is untrusted
        data, checked by :func:`catkit.sources.spec.check_spec` (read a file with :func:`~catkit.sources.spec.read_spec`).

        >>> from catkit.sources import default_source
        >>> FiniteStateSource.from_spec(default_source().spec()).S
        3
        """
        return cls(**source_arguments(spec))

    def to_float(self) -> FiniteStateSource:
        """The same source with float64 parameters.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().to_float().prob("ab") == float(tiny_source().prob("ab"))
        True
        """
        m = self._m
        return FiniteStateSource(m.pif, m.Tf, vocab=m.vocab, states=m.states, name=self.name)

    def with_initial(self, initial: Any) -> FiniteStateSource:
        """The same machine started from another state law.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().with_initial([1, 0]).prob("b")
        Fraction(0, 1)
        """
        m = self._m
        return FiniteStateSource(initial, m.arrays(m.exact)[0], vocab=m.vocab, states=m.states, name=self.name)

    def stationary(self) -> np.ndarray:
        """The stationary law of the hidden-state chain ``Σ_w T[w]`` (exact when the source is).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().stationary().tolist()
        [Fraction(1, 2), Fraction(1, 2)]
        """
        return self._m.stationary.copy()

    def is_stationary(self) -> bool:
        """Whether the initial law is the stationary one (then the token process is stationary).

        >>> from catkit.sources import default_source
        >>> default_source().is_stationary()
        True
        """
        m = self._m
        return bool(np.all(m.stationary == m.pi)) if m.exact else bool(np.allclose(m.stationary, m.pif, atol=1e-12))

    # ------------------------------------------------------------------ exact laws
    def prob(self, context: Any) -> Any:
        """``P(X₁…Xₙ = context)`` (a Fraction when exact).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().prob("")
        Fraction(1, 1)
        """
        return laws.prob(self._m, parse_context(context, self.vocab))

    def block_law(self, length: int, *, backend: str | None = None, device: Any = None, dtype: Any = None) -> Kernel:
        """The law of ``(X₁, …, X_length)`` as a state ``I → vocab^⊗length`` (one wire per position).

        >>> from catkit.sources import tiny_source
        >>> law = tiny_source().block_law(2)
        >>> law.cod.sizes, law.marginal(0) == tiny_source().block_law(1)
        ((3, 3), True)
        """
        return laws.block_law(self._m, length, backend, device, dtype)

    def context_law(
        self, contexts: ContextSet | int, *, length_weights: Any = None, backend: str | None = None, device: Any = None,
        dtype: Any = None,
    ) -> Kernel:
        """The law of the context on a context set, as a state ``I → contexts.wire``.

        For contexts of one length ``n`` this is ``P(X₁…Xₙ = x)`` (it must sum to 1: the set must hold
        every context of positive probability).  For several lengths it is the law of the context
        ``X_{<t}`` at a random position, ``μ(x) = w(|x|) P(x)``, with ``length_weights`` a dict
        ``length → weight`` (default: uniform over the lengths present, the law behind a training loss
        averaged over positions).  An int means :meth:`ContextSet.all` up to that length.

        >>> from catkit.sources import tiny_source
        >>> mu = tiny_source().context_law(1)
        >>> mu[""], mu["a"]
        (Fraction(1, 2), Fraction(1, 8))
        """
        return laws.context_law(self._m, contexts, length_weights, backend, device, dtype)

    def next_token_kernel(
        self, contexts: ContextSet | int, *, backend: str | None = None, device: Any = None, dtype: Any = None
    ) -> Kernel:
        """The data kernel ``k_data(x) = P(X_{n+1} = · | X₁…Xₙ = x)``: ``contexts.wire → vocab``.

        ``backend`` defaults to ``"exact"`` for exact sources (``"numpy"`` otherwise); ``"torch"``
        takes ``device`` and ``dtype`` (default float64).  An int means all contexts up to that length.

        >>> from catkit import Obj
        >>> from catkit.sources import tiny_source
        >>> k = tiny_source().next_token_kernel(2)
        >>> k.dom.size, k.cod == Obj(tiny_source().vocab), k["ab", "c"]
        (13, True, Fraction(1, 2))
        """
        return laws.future_kernel(self._m, contexts, 1, backend, device, dtype)

    def future_kernel(
        self, contexts: ContextSet | int, K: int, *, backend: str | None = None, device: Any = None, dtype: Any = None
    ) -> Kernel:
        """The law of the next ``K`` tokens given the context: ``contexts.wire → vocab^⊗K``.

        >>> from catkit.sources import tiny_source
        >>> src = tiny_source()
        >>> f2 = src.future_kernel(1, 2)
        >>> f2.marginal(0) == src.next_token_kernel(1)
        True
        """
        return laws.future_kernel(self._m, contexts, K, backend, device, dtype)

    def belief_states(self, contexts: ContextSet | int) -> np.ndarray:
        """``P(hidden state after the context | context)`` for each context: an ``(N, S)`` array (Fractions when exact).

        >>> from catkit.sources import default_source
        >>> b = default_source().belief_states(ContextSet(["", "aaaa"], 4))
        >>> b[0].tolist() == default_source().initial.tolist(), bool(b[1, 0] > b[0, 0])
        (True, True)
        """
        return beliefs.belief_states(self._m, contexts)

    def belief_kernel(
        self, contexts: ContextSet | int, *, backend: str | None = None, device: Any = None, dtype: Any = None
    ) -> Kernel:
        """The belief states as a kernel ``contexts.wire → states``.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().belief_kernel(1)("a").matrix.tolist()   # after an 'a' the state was s0, so it is now A(·|s0)
        [[Fraction(3, 4), Fraction(1, 4)]]
        """
        return beliefs.belief_kernel(self._m, contexts, backend, device, dtype)

    def observable_basis(self) -> np.ndarray:
        """A basis (rows) of the span of ``{T[w₁] ⋯ T[w_K] 1 : K ≥ 1}``: beliefs ``b, b'`` give the same
        law of the whole future iff ``(b - b')`` is orthogonal to it (exact RREF when exact).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().observable_basis().shape
        (2, 2)
        """
        return beliefs.observable_basis(self._m)

    def sufficient_statistic(
        self, contexts: ContextSet | int, *, backend: str | None = None, decimals: int = 9
    ) -> Kernel:
        """The minimal sufficient statistic of the context for the future: a deterministic kernel
        ``contexts.wire → Wire(k, name="belief class")`` sending two contexts to the same class iff
        they give the same law of all future tokens (exactly, or up to ``decimals`` for float sources).

        The belief state is sufficient; this is the coarsest sufficient statistic (the belief state
        modulo directions the future cannot see).  Classes are numbered by first appearance.

        >>> from catkit.sources import MarkovChain
        >>> mc = MarkovChain([["1/2", "1/2"], ["1/3", "2/3"]], order=1)
        >>> mc.sufficient_statistic(2).as_function()   # the last token is sufficient
        {'': 0, 'a': 1, 'b': 2, 'aa': 1, 'ab': 2, 'ba': 1, 'bb': 2}
        """
        return beliefs.sufficient_statistic(self._m, contexts, backend, decimals)

    # ------------------------------------------------------------------ entropies (nats, float64)
    def conditional_entropy(self, n: int) -> float:
        """``H(X_n | X₁…X_{n-1})`` in nats (exactly enumerated; float64 arithmetic).

        >>> from catkit.sources import tiny_source
        >>> src = tiny_source()
        >>> abs(src.conditional_entropy(1) + src.conditional_entropy(2) - src.block_entropy(2)) < 1e-12
        True
        """
        return rates.conditional_entropy(self._m, n)

    def block_entropy(self, n: int) -> float:
        """``H(X₁…X_n)`` in nats (the chain rule over exactly enumerated conditional entropies).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().block_entropy(0)
        0.0
        """
        return rates.block_entropy(self._m, n)

    def entropy_rate_bounds(self, n: int) -> tuple[float, float]:
        """Certified bounds ``H(X_n | X_{<n}, S₁) ≤ h ≤ H(X_n | X_{<n})`` on the entropy rate, for the
        stationary version of the source (Cover & Thomas, Thm 4.5.1); they tighten as ``n`` grows.

        >>> from catkit.sources import default_source
        >>> lo, hi = default_source().entropy_rate_bounds(6)
        >>> 0 < lo <= hi
        True
        """
        return rates.entropy_rate_bounds(self._m, n)

    def entropy_rate(self, tol: float = 1e-4, max_n: int = 64) -> float:
        """The entropy rate ``h = lim H(X_n | X_{<n})`` in nats, within ``tol`` (the midpoint of
        :meth:`entropy_rate_bounds` once they are ``tol`` apart; an error reports the bracket
        reached when enumeration would exceed the memory cap).

        >>> from catkit.sources import default_source
        >>> round(default_source().entropy_rate(tol=1e-4), 3)
        1.136
        """
        return rates.entropy_rate(self._m, tol, max_n)

    # ------------------------------------------------------------------ sampling, filtering, streaming
    @overload
    def sample(
        self, n: int, length: int, *, seed: sampling.Seed = None, rng: np.random.Generator | None = None,
        return_states: Literal[False] = False,
    ) -> np.ndarray: ...

    @overload
    def sample(
        self, n: int, length: int, *, seed: sampling.Seed = None, rng: np.random.Generator | None = None,
        return_states: Literal[True],
    ) -> tuple[np.ndarray, np.ndarray]: ...

    @overload
    def sample(
        self, n: int, length: int, *, seed: sampling.Seed = None, rng: np.random.Generator | None = None,
        return_states: bool = False,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]: ...

    def sample(
        self, n: int, length: int, *, seed: sampling.Seed = None, rng: np.random.Generator | None = None,
        return_states: bool = False,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """``n`` independent sequences of ``length`` tokens (int64 ids, shape ``(n, length)``), seeded.

        Give ``seed`` (an int or any ``numpy`` seed sequence) or an ``rng``; the same seed gives
        the same sample.  ``return_states`` also returns the hidden states ``(n, length + 1)``.

        >>> from catkit.sources import default_source
        >>> x = default_source().sample(2, 6, seed=0)
        >>> x.shape, bool((x == default_source().sample(2, 6, seed=0)).all())
        ((2, 6), True)
        """
        return sampling.sample(self._m, n, length, seed, rng, return_states)

    def filter(self, tokens: Any) -> Filtered:
        """Exact forward filtering (float64) along sequences ``(B, T)`` of token ids: the true next-token
        laws at every position, the belief states and the log-probability of each sequence.

        >>> from catkit.sources import tiny_source
        >>> src = tiny_source()
        >>> f = src.filter([[0, 2]])
        >>> bool(abs(f.log_prob[0] - np.log(float(src.prob("ac")))) < 1e-12)
        True
        """
        return filtering.filter_tokens(self._m, tokens)

    def log_prob(self, tokens: Any) -> np.ndarray:
        """``log P(x)`` (nats, float64) of each sequence of a batch ``(B, T)`` of token ids: the forward pass
        of :meth:`filter` keeping only the current belief states (memory ``O(B·S)``, no next-token laws).

        >>> from catkit.sources import tiny_source
        >>> src = tiny_source()
        >>> lp = src.log_prob([[0, 2], [1, 1]])
        >>> bool(abs(lp[0] - np.log(float(src.prob("ac")))) < 1e-12), bool(np.allclose(lp, src.filter([[0, 2], [1, 1]]).log_prob))
        (True, True)
        """
        return filtering.log_prob(self._m, tokens)

    def iter_context_batches(
        self, length: int, batch_size: int = 65536, *, shard: tuple[int, int] = (0, 1)
    ) -> Iterator[ContextBatch]:
        """Every context of ``length`` tokens, in lexicographic order and chunks of ``batch_size``, with its
        exact probability and next-token law (float64), never materialising all ``V^length`` at once.

        ``shard=(rank, world)`` keeps only the chunks ``rank, rank + world, ...`` (for several processes).

        >>> from catkit.sources import tiny_source
        >>> bs = list(tiny_source().iter_context_batches(2, batch_size=4))
        >>> [b.ids.shape[0] for b in bs], round(sum(float(b.weights.sum()) for b in bs), 12)
        ([4, 4, 1], 1.0)
        """
        return iter_context_batches(self._m, length, batch_size, shard)

    def sample_context_batches(
        self, n: int, length: int, batch_size: int = 65536, *, seed: int = 0, shard: tuple[int, int] = (0, 1)
    ) -> Iterator[ContextBatch]:
        """``n`` sampled contexts of ``length`` tokens (weight ``1/n`` each) with their exact next-token laws,
        in chunks; chunk ``k`` is drawn from the seed ``(seed, k)`` so shards and reruns agree.

        >>> from catkit.sources import tiny_source
        >>> b = next(tiny_source().sample_context_batches(10, 3, batch_size=10))
        >>> b.ids.shape, float(b.weights.sum())
        ((10, 3), 1.0)
        """
        return sample_context_batches(self._m, n, length, batch_size, seed, shard)

    # ------------------------------------------------------------------ composition
    def map(self, channel: Any, *, name: str | None = None) -> FiniteStateSource:
        """Pass every token through a memoryless channel ``C: vocab → vocab'`` (a catkit Kernel or a matrix):
        the composite source emits ``y_t ~ C(·|x_t)``.  ``MarkovChain(A) >> B`` is the HMM ``(A, B)``.

        >>> from catkit import Kernel, Wire
        >>> from catkit.sources import tiny_source
        >>> merge = Kernel.from_function(lambda t: "x" if t == "c" else "y", tiny_source().vocab, Wire(["x", "y"]))
        >>> (tiny_source() >> merge).prob("x") == tiny_source().prob("c")
        True
        """
        pi, T, vocab = channels.through_channel(self._m, channel)
        return FiniteStateSource(pi, T, vocab=vocab, states=self.states, name=name or f"{self.name} >> channel")

    def __rshift__(self, channel: Any) -> FiniteStateSource:
        return self.map(channel)
