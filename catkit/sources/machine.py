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

>>> from catkit.sources import HMM
>>> src = HMM([["1/2", "1/2"], ["1/2", "1/2"]], [[1, 0], [0, 1]], initial=["1/2", "1/2"])
>>> src.prob("ab"), src.exact
(Fraction(1, 4), True)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal, overload

import numpy as np

from catkit.backends.exact import RatMatrix, to_fraction
from catkit.kernel import Kernel
from catkit.objects import I, Obj, Wire
from catkit.sources.contexts import ContextSet, parse_context, vocab_wire
from catkit.sources.forward import FloatSteps, IntegerForward, PrefixTree, float_forward, ratios_to_float
from catkit.sources.probs import SourceError, as_prob_array, check_rows, row_basis, stationary, to_float
from catkit.sources.sampling import sample_tokens

__all__ = ["FiniteStateSource", "ContextBatch", "Filtered"]

_MAX_ENUM = 2**22  # entries of a level of the context tree held at once (then depth-first)
_MAX_CONTEXTS = 2**26  # most contexts an exact entropy computation enumerates
_FILTER_CHUNK = 2**16  # rows x states of one chunk of a filtered batch (512 KB of float64: stays in cache)
_Seed = int | Sequence[int] | np.random.SeedSequence | None


@dataclass(frozen=True)
class ContextBatch:
    """A chunk of contexts with their weights and exact next-token laws (float64), for streaming.

    ``ids`` is ``(n, length)`` int64, ``weights`` the probability of each context
    (exact law, rounded to float) or ``1/n_total`` for sampled contexts, ``next_probs``
    the ``(n, V)`` next-token laws.

    >>> from catkit.sources import default_source
    >>> b = next(default_source().iter_context_batches(2, batch_size=5))
    >>> b.ids.shape, b.next_probs.shape, round(float(b.next_probs.sum(1)[0]), 12)
    ((5, 2), (5, 4), 1.0)
    """

    ids: np.ndarray
    weights: np.ndarray
    next_probs: np.ndarray


@dataclass(frozen=True)
class Filtered:
    """Exact (float64) forward filtering along token sequences.

    ``next_probs[b, t]`` is ``P(x_{t+1} = · | x_1..x_t)`` (``t = 0`` is the first token's law),
    ``beliefs[b, t]`` the law of the hidden state after ``t`` tokens, ``log_prob[b]`` the
    log-probability of the whole sequence (nats).

    >>> from catkit.sources import default_source
    >>> f = default_source().filter([[0, 1, 2]])
    >>> f.next_probs.shape, f.beliefs.shape, bool(f.log_prob[0] < 0)
    ((1, 3, 4), (1, 4, 3), True)
    """

    next_probs: np.ndarray
    beliefs: np.ndarray
    log_prob: np.ndarray


def _entropy_rows(P: np.ndarray) -> np.ndarray:
    """Shannon entropy (nats) of each row of a float array, with 0 log 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lg = np.where(P > 0, np.log(np.where(P > 0, P, 1.0)), 0.0)
    return -(P * lg).sum(axis=-1)


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
        T, ex_t = as_prob_array(transitions, "transitions", exact)
        pi, ex_p = as_prob_array(initial, "initial", exact)
        if ex_t != ex_p:  # one float input makes the source float
            T, pi = (to_float(T), to_float(pi))
            ex_t = ex_p = False
        if T.ndim != 3 or T.shape[1] != T.shape[2]:
            raise SourceError(f"transitions must have shape (V, S, S), got {T.shape}")
        V, S, _ = T.shape
        if pi.shape != (S,):
            raise SourceError(f"the initial law must have one entry per state ({S}), got shape {pi.shape}")
        self._vocab = vocab_wire(vocab if vocab is not None else V)
        if self._vocab.size != V:
            raise SourceError(f"the vocabulary {self._vocab} has {self._vocab.size} tokens but transitions has {V}")
        if states is None or isinstance(states, int):
            states = Wire([f"s{i}" for i in range(S)], name="state")
        elif not isinstance(states, Wire):
            states = Wire(list(states), name="state")
        self._states = states
        if self._states.size != S:
            raise SourceError(f"the state wire {self._states} has {self._states.size} elements but transitions has {S} states")
        labels = list(self._states.elements())
        joint = T.transpose(1, 0, 2).reshape(S, V * S)
        for s in range(S):
            row = joint[s]
            tot = sum(row, Fraction(0)) if ex_t else math.fsum(row)  # exact float sum: the bound does not grow with V·S
            if any(x < 0 for x in row) or (not ex_t and not np.isfinite(row).all()):
                raise SourceError(f"transitions of state {labels[s]!r} have a negative or non-finite entry")
            if (tot != 1) if ex_t else abs(tot - 1) > 1e-9:
                raise SourceError(f"transitions of state {labels[s]!r} (over (token, next state)) sum to {tot}, not 1")
        check_rows(pi.reshape(1, S), ex_t, "initial law", ["initial"])
        self._T, self._pi, self._exact, self.name = T, pi, ex_t, name
        self._Tf, self._pif = to_float(T), to_float(pi)
        self._Rf = self._Tf.sum(axis=2).T  # (S, V): P(next token | state)
        self._stationary: np.ndarray | None = None
        self._rates: dict[tuple[float, int], float] = {}  # entropy rates already computed (the source is immutable)

    # ------------------------------------------------------------------ description
    @property
    def vocab(self) -> Wire:
        """The vocabulary wire.

        >>> from catkit.sources import default_source
        >>> default_source().vocab
        Wire(['a', 'b', 'c', 'd'], name='vocab')
        """
        return self._vocab

    @property
    def states(self) -> Wire:
        """The hidden-state wire.

        >>> from catkit.sources import default_source
        >>> default_source().states.size
        3
        """
        return self._states

    @property
    def V(self) -> int:
        """Vocabulary size.

        >>> from catkit.sources import default_source
        >>> default_source().V
        4
        """
        return self._vocab.size

    @property
    def S(self) -> int:
        """Number of hidden states.

        >>> from catkit.sources import default_source
        >>> default_source().S
        3
        """
        return self._states.size

    @property
    def exact(self) -> bool:
        """Whether the parameters (and so every law) are exact rationals.

        >>> from catkit.sources import default_source
        >>> default_source().exact, default_source().to_float().exact
        (True, False)
        """
        return self._exact

    @property
    def initial(self) -> np.ndarray:
        """The initial state law (object array of Fractions when exact, else float64); a copy.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().initial.tolist()
        [Fraction(1, 2), Fraction(1, 2)]
        """
        return self._pi.copy()

    @property
    def transitions(self) -> np.ndarray:
        """The ``(V, S, S)`` emission-transition array (a copy).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().transitions.shape
        (3, 2, 2)
        """
        return self._T.copy()

    def __repr__(self) -> str:
        kind = "exact" if self._exact else "float"
        els = list(self._vocab.elements()[:9])
        vocab = f"{els}" if self.V <= 8 else f"[{', '.join(map(repr, els[:8]))}, … ({self.V} tokens)]"  # large vocabularies stay one line
        return f"<{type(self).__name__} {self.name!r}: {self.S} states, vocab {vocab}, {kind}>"

    def spec(self) -> dict[str, Any]:
        """A JSON-able description from which :meth:`from_spec` rebuilds the same law (exact as strings).

        >>> from catkit.sources import tiny_source
        >>> s = tiny_source()
        >>> FiniteStateSource.from_spec(s.spec()).prob("abc") == s.prob("abc")
        True
        """
        enc = (lambda x: str(x)) if self._exact else (lambda x: float(x))
        return {
            "kind": "finite-state",
            "name": self.name,
            "exact": self._exact,
            "vocab": [str(x) for x in self._vocab.elements()],
            "states": [str(x) for x in self._states.elements()],
            "initial": [enc(x) for x in self._pi],
            "transitions": [[[enc(x) for x in r] for r in m] for m in self._T],
        }

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> FiniteStateSource:
        """Rebuild a source from :meth:`spec` (as a plain :class:`FiniteStateSource`); the spec is untrusted
        data, checked by :func:`catkit.sources.spec.check_spec` (read a file with :func:`~catkit.sources.spec.read_spec`).

        >>> from catkit.sources import default_source
        >>> FiniteStateSource.from_spec(default_source().spec()).S
        3
        """
        from catkit.sources.spec import check_spec

        check_spec(spec)  # structure, sizes and memory checked before any array is built
        return cls(
            spec["initial"], spec["transitions"], vocab=Wire(spec["vocab"], name="vocab"),
            states=Wire(spec["states"], name="state"), exact=bool(spec["exact"]), name=spec.get("name", "source"),
        )

    def to_float(self) -> FiniteStateSource:
        """The same source with float64 parameters.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().to_float().prob("ab") == float(tiny_source().prob("ab"))
        True
        """
        return FiniteStateSource(self._pif, self._Tf, vocab=self._vocab, states=self._states, name=self.name)

    def with_initial(self, initial: Any) -> FiniteStateSource:
        """The same machine started from another state law.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().with_initial([1, 0]).prob("b")
        Fraction(0, 1)
        """
        T = self._T if self._exact else self._Tf
        return FiniteStateSource(initial, T, vocab=self._vocab, states=self._states, name=self.name)

    def stationary(self) -> np.ndarray:
        """The stationary law of the hidden-state chain ``Σ_w T[w]`` (exact when the source is).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().stationary().tolist()
        [Fraction(1, 2), Fraction(1, 2)]
        """
        if self._stationary is None:
            M = sum((self._T[w] for w in range(self.V)), np.zeros((self.S, self.S), dtype=self._T.dtype))
            self._stationary = stationary(np.asarray(M, dtype=self._T.dtype))
        return self._stationary.copy()

    def is_stationary(self) -> bool:
        """Whether the initial law is the stationary one (then the token process is stationary).

        >>> from catkit.sources import default_source
        >>> default_source().is_stationary()
        True
        """
        st = self.stationary()
        return bool(np.all(st == self._pi)) if self._exact else bool(np.allclose(st, self._pif, atol=1e-12))

    # ------------------------------------------------------------------ core linear algebra
    def _arrays(self, exact: bool) -> tuple[np.ndarray, np.ndarray]:
        return (self._T, self._pi) if exact else (self._Tf, self._pif)

    @cached_property
    def _integer(self) -> IntegerForward:
        """The exact machine in integer form (exact sources only; built on first use)."""
        return IntegerForward(self._T, self._pi)

    @cached_property
    def _steps(self) -> FloatSteps:
        """Batched float forward steps (one BLAS product per step for state-emitting machines)."""
        return FloatSteps(self._Tf)

    def _tree_alphas(self, contexts: ContextSet) -> np.ndarray:
        """Forward vectors ``π T[x₁] ⋯ T[xₙ]`` of the contexts, one pass over their prefix tree: integers
        over ``self._integer.den(len(x))`` when exact (int64 or Python ints), else float64."""
        self._check_vocab(contexts)
        tree = PrefixTree.of(contexts)
        return self._integer.alphas(tree) if self._exact else float_forward(self._Tf, self._pif, tree)

    def _ratio_kernel(
        self, num: np.ndarray, den: np.ndarray, dom: Any, cod: Any, backend: str | None, device: Any, dtype: Any
    ) -> Kernel:
        """The kernel whose row ``i`` is ``num[i] / den[i]`` (integers, exact); a row with ``den 0`` (a context of
        probability 0) is uniform."""
        zero = den == 0
        if bool(np.any(zero)):
            num, den = np.array(num), np.array(den)
            num[zero] = 1
            den[zero] = num.shape[1]
        name = backend or "exact"
        if name in ("exact", "rational", "fraction", "sympy", "symbolic"):
            k = Kernel.from_matrix(RatMatrix(num, den), dom, cod, backend="exact")
            return k if name in ("exact", "rational", "fraction") else k.to("sympy")
        return self._kernel(ratios_to_float(num, den), dom, cod, backend, device, dtype)

    def _check_vocab(self, contexts: ContextSet) -> None:
        if contexts.vocab.size != self.V:
            raise SourceError(f"the contexts are over {contexts.vocab} but the source's vocabulary is {self._vocab}")

    def _contexts(self, contexts: ContextSet | int) -> ContextSet:
        if isinstance(contexts, ContextSet):
            self._check_vocab(contexts)
            return contexts
        if isinstance(contexts, int) and not isinstance(contexts, bool):
            return ContextSet.all(self._vocab, contexts)
        raise SourceError(f"contexts must be a ContextSet or a maximum length (int), got {type(contexts).__name__}")

    @staticmethod
    def _normalise_rows(A: np.ndarray, exact: bool, fallback: int) -> np.ndarray:
        """Float rows divided by their sums; rows of sum 0 become uniform over ``fallback`` entries."""
        assert not exact  # exact laws are built as integer ratios (see _ratio_kernel)
        Z = A.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = A / Z[:, None]
        out[Z <= 0] = 1.0 / fallback
        return out

    def _kernel(self, M: np.ndarray, dom: Any, cod: Any, backend: str | None, device: Any, dtype: Any) -> Kernel:
        exact = M.dtype == object
        name = backend or ("exact" if exact else "numpy")
        if name in ("exact", "rational", "fraction", "sympy", "symbolic"):
            if not exact:
                raise SourceError(f"this source has float parameters; its laws cannot be given on the {name} backend")
            k = Kernel(M, dom, cod, backend="exact")
            return k if name in ("exact", "rational", "fraction") else k.to("sympy")
        Mf = to_float(M)
        if name == "torch":
            import torch

            t = torch.as_tensor(Mf, dtype=dtype or torch.float64, device=device)
            return Kernel.from_matrix(t, dom, cod, backend="torch")
        return Kernel.from_matrix(Mf, dom, cod, backend=name)

    # ------------------------------------------------------------------ exact laws
    def prob(self, context: Any) -> Any:
        """``P(X₁…Xₙ = context)`` (a Fraction when exact).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().prob("")
        Fraction(1, 1)
        """
        ids = parse_context(context, self._vocab)
        if self._exact:
            return self._integer.prob(ids)
        a = self._pif
        for t in ids:
            a = a @ self._Tf[t]
        return float(a.sum())

    def block_law(self, length: int, *, backend: str | None = None, device: Any = None, dtype: Any = None) -> Kernel:
        """The law of ``(X₁, …, X_length)`` as a state ``I → vocab^⊗length`` (one wire per position).

        >>> from catkit.sources import tiny_source
        >>> law = tiny_source().block_law(2)
        >>> law.cod.sizes, law.marginal(0) == tiny_source().block_law(1)
        ((3, 3), True)
        """
        if not (isinstance(length, int) and length >= 0):
            raise SourceError(f"a block law needs a length >= 0, got {length!r}")
        tree = PrefixTree.complete_to(self.V, length)
        cod = Obj(*([self._vocab] * length))
        if not self._exact:
            return self._kernel(float_forward(self._Tf, self._pif, tree).sum(axis=1).reshape(1, -1), I, cod, backend, device, dtype)
        p = self._integer.alphas(tree).sum(axis=1).reshape(1, -1)
        return self._ratio_kernel(p, np.array([self._integer.den(length)], dtype=object), I, cod, backend, device, dtype)

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
        C = self._contexts(contexts)
        p = self._tree_alphas(C).sum(axis=1)
        lengths = C.lengths
        if length_weights is None:
            w = {n: (Fraction(1, len(lengths)) if self._exact else 1.0 / len(lengths)) for n in lengths}
        else:
            conv = to_fraction if self._exact else float
            w = {int(k): conv(v) for k, v in dict(length_weights).items()}
            missing = [n for n in lengths if n not in w]
            if missing:
                raise SourceError(f"length_weights has no weight for context length(s) {missing}")
        # exact: p[i] is an integer over den(len); mu = w[n] p over one common denominator
        den = {n: Fraction(w[n]).denominator * self._integer.den(n) for n in lengths} if self._exact else {}
        common = math.lcm(*den.values()) if den else 1
        mu = np.empty(len(C), dtype=object if self._exact else np.float64)
        for n, pos, _ in C.groups():
            if self._exact:
                tot: Any = Fraction(int(p[pos].sum()), self._integer.den(n))
                mu[pos] = p[pos].astype(object) * (Fraction(w[n]).numerator * (common // den[n]))
            else:
                tot = float(p[pos].sum())
                mu[pos] = w[n] * p[pos]
            if w[n] != 0 and ((tot != 1) if self._exact else abs(tot - 1) > 1e-9):
                raise SourceError(
                    f"the contexts of length {n} carry probability {tot}, not 1: a context law needs every "
                    "context of positive probability of each length (use ContextSet.all or a length weight of 0)"
                )
        if self._exact:
            return self._ratio_kernel(mu.reshape(1, -1), np.array([common], dtype=object), I, C.wire, backend, device, dtype)
        return self._kernel(mu.reshape(1, -1), I, C.wire, backend, device, dtype)

    def next_token_kernel(
        self, contexts: ContextSet | int, *, backend: str | None = None, device: Any = None, dtype: Any = None
    ) -> Kernel:
        """The data kernel ``k_data(x) = P(X_{n+1} = · | X₁…Xₙ = x)``: ``contexts.wire → vocab``.

        ``backend`` defaults to ``"exact"`` for exact sources (``"numpy"`` otherwise); ``"torch"``
        takes ``device`` and ``dtype`` (default float64).  An int means all contexts up to that length.

        >>> from catkit.sources import tiny_source
        >>> k = tiny_source().next_token_kernel(2)
        >>> k.dom.size, k.cod == Obj(tiny_source().vocab), k["ab", "c"]
        (13, True, Fraction(1, 2))
        """
        return self.future_kernel(contexts, 1, backend=backend, device=device, dtype=dtype)

    def _future_matrix(self, K: int) -> np.ndarray:
        """``F[s, w₁…w_K] = (T[w₁] ⋯ T[w_K] 1)[s]``: the law of the next K tokens from each state, ``(S, V^K)`` (float)."""
        F = np.ones((self.S, 1))
        for _ in range(K):  # prepend one token: F_new[s, (w, rest)] = Σ_s' T[w, s, s'] F[s', rest]
            F = np.concatenate([self._Tf[w] @ F for w in range(self.V)], axis=1)
        return F

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
        if not (isinstance(K, int) and K >= 1):
            raise SourceError(f"K (the number of future tokens) must be an int >= 1, got {K!r}")
        C = self._contexts(contexts)
        A = self._tree_alphas(C)
        cod = Obj(*([self._vocab] * K))
        if not self._exact:
            return self._kernel(self._normalise_rows(A @ self._future_matrix(K), False, self.V**K), C.wire, cod, backend, device, dtype)
        F = self._integer.future(K)  # the rows of A @ F are the joint laws (x, future) over one denominator per length
        if A.dtype == object or F.dtype == object or self._integer.den(C.max_length) * self._integer.D**K >= 2**63:
            A, F = A.astype(object), F.astype(object)
        M = A @ F
        return self._ratio_kernel(M, M.sum(axis=1), C.wire, cod, backend, device, dtype)

    def belief_states(self, contexts: ContextSet | int) -> np.ndarray:
        """``P(hidden state after the context | context)`` for each context: an ``(N, S)`` array (Fractions when exact).

        >>> from catkit.sources import default_source
        >>> b = default_source().belief_states(ContextSet(["", "aaaa"], 4))
        >>> b[0].tolist() == default_source().initial.tolist(), bool(b[1, 0] > b[0, 0])
        (True, True)
        """
        C = self._contexts(contexts)
        A = self._tree_alphas(C)
        if not self._exact:
            return self._normalise_rows(A, False, self.S)
        out = np.empty(A.shape, dtype=object)
        uniform = [Fraction(1, self.S)] * self.S
        for i, (row, z) in enumerate(zip(A.tolist(), A.sum(axis=1).tolist())):
            out[i] = [Fraction(int(x), int(z)) for x in row] if z else uniform
        return out

    def belief_kernel(
        self, contexts: ContextSet | int, *, backend: str | None = None, device: Any = None, dtype: Any = None
    ) -> Kernel:
        """The belief states as a kernel ``contexts.wire → states``.

        >>> from catkit.sources import tiny_source
        >>> tiny_source().belief_kernel(1)("a").matrix.tolist()   # after an 'a' the state was s0, so it is now A(·|s0)
        [[Fraction(3, 4), Fraction(1, 4)]]
        """
        C = self._contexts(contexts)
        if not self._exact:
            return self._kernel(self.belief_states(C), C.wire, self._states, backend, device, dtype)
        A = self._tree_alphas(C)
        return self._ratio_kernel(A, A.sum(axis=1), C.wire, self._states, backend, device, dtype)

    def observable_basis(self) -> np.ndarray:
        """A basis (rows) of the span of ``{T[w₁] ⋯ T[w_K] 1 : K ≥ 1}``: beliefs ``b, b'`` give the same
        law of the whole future iff ``(b - b')`` is orthogonal to it (exact RREF when exact).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().observable_basis().shape
        (2, 2)
        """
        T, _ = self._arrays(self._exact)
        R = T.sum(axis=2).T if not self._exact else np.array(
            [[sum(T[w, s], Fraction(0)) for w in range(self.V)] for s in range(self.S)], dtype=object
        )
        basis = row_basis(R.T, self._exact)
        while True:  # close the span under v ↦ T[w] v (it stabilises within S rounds)
            grown = np.concatenate([basis] + [T[w].dot(basis.T).T for w in range(self.V)], axis=0)
            new = row_basis(grown, self._exact)
            if new.shape[0] == basis.shape[0]:
                return new
            basis = new

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
        C = self._contexts(contexts)
        B = self.observable_basis()
        sig = self.belief_states(C).dot(B.T)
        keys = [tuple(r) for r in sig] if self._exact else [tuple(np.round(r.astype(float), decimals) + 0.0) for r in sig]
        cls: dict[Any, int] = {}
        idx = [cls.setdefault(k, len(cls)) for k in keys]
        lab = dict(zip(C.labels, idx))
        return Kernel.from_function(lab.__getitem__, C.wire, Wire(len(cls), name="belief class"), backend=backend)

    # ------------------------------------------------------------------ entropies (nats, float64)
    def _conditional_entropy_from(self, alpha0: np.ndarray, n: int) -> float:
        """``H(X_n | X_{<n}, start)`` where the rows of ``alpha0`` are the start's weighted state laws."""
        if n < 1:
            raise SourceError(f"conditional entropies need a position n >= 1, got {n}")
        if alpha0.shape[0] * self.V ** (n - 1) > _MAX_CONTEXTS:
            raise SourceError(
                f"enumerating the {self.V ** (n - 1)} contexts of length {n - 1} (x {alpha0.shape[0]} starts) "
                f"exceeds the cap of {_MAX_CONTEXTS} contexts; use a smaller n"
            )
        A = alpha0
        for k in range(n - 1):
            if A.shape[0] * self.V ** (n - 1 - k) * self.S > _MAX_ENUM:  # depth-first by next token: bounded memory
                return sum(self._conditional_entropy_from(A @ self._Tf[w], n - k - 1) for w in range(self.V))
            A = np.einsum("ms,wst->mwt", A, self._Tf).reshape(-1, self.S)
        P = A @ self._Rf  # joint of (context, next token)
        Z = P.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            Q = np.where(Z[:, None] > 0, P / np.where(Z > 0, Z, 1.0)[:, None], 0.0)
        return float(np.dot(Z, _entropy_rows(Q)))

    def conditional_entropy(self, n: int) -> float:
        """``H(X_n | X₁…X_{n-1})`` in nats (exactly enumerated; float64 arithmetic).

        >>> from catkit.sources import tiny_source
        >>> src = tiny_source()
        >>> abs(src.conditional_entropy(1) + src.conditional_entropy(2) - src.block_entropy(2)) < 1e-12
        True
        """
        return self._conditional_entropy_from(self._pif.reshape(1, -1), n)

    def block_entropy(self, n: int) -> float:
        """``H(X₁…X_n)`` in nats (the chain rule over exactly enumerated conditional entropies).

        >>> from catkit.sources import tiny_source
        >>> tiny_source().block_entropy(0)
        0.0
        """
        if n < 0:
            raise SourceError(f"block entropies need a length n >= 0, got {n}")
        return float(sum(self.conditional_entropy(k) for k in range(1, n + 1)))

    def entropy_rate_bounds(self, n: int) -> tuple[float, float]:
        """Certified bounds ``H(X_n | X_{<n}, S₁) ≤ h ≤ H(X_n | X_{<n})`` on the entropy rate, for the
        stationary version of the source (Cover & Thomas, Thm 4.5.1); they tighten as ``n`` grows.

        >>> from catkit.sources import default_source
        >>> lo, hi = default_source().entropy_rate_bounds(6)
        >>> 0 < lo <= hi
        True
        """
        st = self.stationary().astype(np.float64) if not self._exact else to_float(self.stationary())
        hi = self._conditional_entropy_from(st.reshape(1, -1), n)
        lo = self._conditional_entropy_from(np.diag(st), n)
        return min(lo, hi), hi

    def entropy_rate(self, tol: float = 1e-4, max_n: int = 64) -> float:
        """The entropy rate ``h = lim H(X_n | X_{<n})`` in nats, within ``tol`` (the midpoint of
        :meth:`entropy_rate_bounds` once they are ``tol`` apart; an error reports the bracket
        reached when enumeration would exceed the memory cap).

        >>> from catkit.sources import default_source
        >>> round(default_source().entropy_rate(tol=1e-4), 3)
        1.136
        """
        key = (tol, max_n)
        if key in self._rates:
            return self._rates[key]
        lo, hi = 0.0, math.inf
        for n in range(1, max_n + 1):
            try:
                lo, hi = self.entropy_rate_bounds(n)
            except SourceError:
                break
            if hi - lo <= tol:
                self._rates[key] = (lo + hi) / 2
                return self._rates[key]
        raise SourceError(f"the entropy-rate bounds only reached [{lo:.8g}, {hi:.8g}] (n = {n}); ask for a larger tol")

    # ------------------------------------------------------------------ sampling, filtering, streaming
    @overload
    def sample(
        self, n: int, length: int, *, seed: _Seed = None, rng: np.random.Generator | None = None,
        return_states: Literal[False] = False,
    ) -> np.ndarray: ...

    @overload
    def sample(
        self, n: int, length: int, *, seed: _Seed = None, rng: np.random.Generator | None = None,
        return_states: Literal[True],
    ) -> tuple[np.ndarray, np.ndarray]: ...

    @overload
    def sample(
        self, n: int, length: int, *, seed: _Seed = None, rng: np.random.Generator | None = None,
        return_states: bool = False,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]: ...

    def sample(
        self, n: int, length: int, *, seed: _Seed = None, rng: np.random.Generator | None = None,
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
        if rng is None:
            rng = np.random.default_rng(seed)
        elif seed is not None:
            raise SourceError("give either seed or rng, not both")
        if n < 0 or length < 0:
            raise SourceError(f"sample needs n >= 0 and length >= 0, got n={n}, length={length}")
        return sample_tokens(self._pif, self._Tf, n, length, rng, return_states)

    def filter(self, tokens: Any) -> Filtered:
        """Exact forward filtering (float64) along sequences ``(B, T)`` of token ids: the true next-token
        laws at every position, the belief states and the log-probability of each sequence.

        >>> from catkit.sources import tiny_source
        >>> src = tiny_source()
        >>> f = src.filter([[0, 2]])
        >>> bool(abs(f.log_prob[0] - np.log(float(src.prob("ac")))) < 1e-12)
        True
        """
        nxt, beliefs, _, logp = self._filter_pass(self._token_ids(tokens), laws=True, beliefs=True)
        assert nxt is not None and beliefs is not None
        return Filtered(nxt, beliefs, logp)

    def log_prob(self, tokens: Any) -> np.ndarray:
        """``log P(x)`` (nats, float64) of each sequence of a batch ``(B, T)`` of token ids: the forward pass
        of :meth:`filter` keeping only the current belief states (memory ``O(B·S)``, no next-token laws).

        >>> from catkit.sources import tiny_source
        >>> src = tiny_source()
        >>> lp = src.log_prob([[0, 2], [1, 1]])
        >>> bool(abs(lp[0] - np.log(float(src.prob("ac")))) < 1e-12), bool(np.allclose(lp, src.filter([[0, 2], [1, 1]]).log_prob))
        (True, True)
        """
        return self._filter_pass(self._token_ids(tokens), laws=False, beliefs=False)[3]

    def _token_ids(self, tokens: Any) -> np.ndarray:
        x = np.asarray(tokens, dtype=np.int64)
        if x.ndim == 1:
            x = x[None, :]
        if x.ndim != 2:
            raise SourceError(f"token ids must be a (batch, length) array, got shape {x.shape}")
        if x.size and (x.min() < 0 or x.max() >= self.V):
            raise SourceError(f"token ids must lie in 0..{self.V - 1}; got values in {x.min()}..{x.max()}")
        return x

    def _filter_pass(
        self, x: np.ndarray, *, laws: bool, beliefs: bool
    ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray, np.ndarray]:
        """The forward pass of :meth:`filter`: ``(next-token laws (B, T, V) if laws, beliefs (B, T + 1, S) if beliefs,
        the last belief (B, S), log-probabilities (B,))``.  Large batches go in chunks of rows whose working
        arrays stay in cache, so the time is linear in the batch."""
        B, L = x.shape
        chunk = max(64, _FILTER_CHUNK // max(self.S, self.V))
        if B > chunk:
            parts = [self._filter_pass(x[i:i + chunk], laws=laws, beliefs=beliefs) for i in range(0, B, chunk)]
            return (
                np.concatenate([p[0] for p in parts]) if laws else None,  # type: ignore[misc]
                np.concatenate([p[1] for p in parts]) if beliefs else None,  # type: ignore[misc]
                np.concatenate([p[2] for p in parts]),
                np.concatenate([p[3] for p in parts]),
            )
        steps = self._steps
        hist = np.empty((B, L + 1, self.S)) if beliefs else None
        nxt = np.empty((B, L, self.V)) if laws else None
        logp = np.zeros(B)
        b = np.broadcast_to(self._pif, (B, self.S)).copy()
        if hist is not None:
            hist[:, 0] = b
        for t in range(L):
            if nxt is not None:
                nxt[:, t] = b @ self._Rf
            a = steps.step(b, x[:, t])
            z = a.sum(axis=1)
            if bool((z > 0).all()):
                b = a / z[:, None]
                logp += np.log(z)
            else:
                with np.errstate(divide="ignore"):
                    logp += np.log(z)
                b = np.where(z[:, None] > 0, a / np.where(z > 0, z, 1.0)[:, None], 1.0 / self.S)
            if hist is not None:
                hist[:, t + 1] = b
        return nxt, hist, b, logp

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
        rank, world = shard
        if not (0 <= rank < world):
            raise SourceError(f"shard must be (rank, world) with 0 <= rank < world, got {shard}")
        total = self.V**length
        powers = self.V ** np.arange(length - 1, -1, -1, dtype=np.int64)
        for k, start in enumerate(range(0, total, batch_size)):
            if k % world != rank:
                continue
            stop = min(start + batch_size, total)
            idx = np.arange(start, stop, dtype=np.int64)
            ids = (idx[:, None] // powers[None, :]) % self.V
            a = float_forward(self._Tf, self._pif, PrefixTree.lexicographic_range(self.V, length, start, stop))
            p = a.sum(axis=1)
            yield ContextBatch(ids, p, self._normalise_rows(a @ self._Rf, False, self.V))

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
        rank, world = shard
        for k, start in enumerate(range(0, n, batch_size)):
            if k % world != rank:
                continue
            m = min(batch_size, n - start)
            ids = self.sample(m, length + 1, seed=[seed, k])[:, :length]
            last = self._filter_pass(ids, laws=False, beliefs=False)[2]
            nxt = self._normalise_rows(last @ self._Rf, False, self.V)
            yield ContextBatch(ids, np.full(m, 1.0 / n), nxt)

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
        C, exact = as_prob_array(channel, "channel")
        if C.ndim != 2 or C.shape[0] != self.V:
            raise SourceError(f"a channel from this source's {self.V} tokens needs {self.V} rows, got shape {C.shape}")
        check_rows(C, exact, "channel", list(self._vocab.elements()))
        exact = exact and self._exact
        T = self._T if exact else self._Tf
        C = C if exact else to_float(C)
        zero = np.zeros((self.S, self.S), dtype=T.dtype)
        if exact:
            zero = np.array([[Fraction(0)] * self.S] * self.S, dtype=object)
        T2 = np.stack([sum((C[w, v] * T[w] for w in range(self.V)), zero) for v in range(C.shape[1])])
        cod = channel.cod[0] if isinstance(channel, Kernel) and len(channel.cod) == 1 else C.shape[1]
        vocab = cod if isinstance(cod, Wire) and cod.labels is not None else vocab_wire(int(C.shape[1]))
        vocab = Wire(list(vocab.elements()), name="vocab")
        return FiniteStateSource(
            self._pi if exact else self._pif, T2, vocab=vocab, states=self._states, name=name or f"{self.name} >> channel"
        )

    def __rshift__(self, channel: Any) -> FiniteStateSource:
        return self.map(channel)
