"""The parameters of a finite-state source, checked once and held in the forms its computations use.

A :class:`Machine` is what every module of :mod:`catkit.sources` computes on: the ``(V, S, S)``
emission-transition array ``T`` and the initial law ``π`` (exact object arrays of Fractions, or
float64), their float64 copies, the per-state next-token law ``R[s, w] = Σ_s' T[w][s, s']``, the
vocabulary and state wires, and (built on first use, never pickled) the integer forward pass of
an exact machine and the batched float steps.  :func:`make_machine` checks raw parameters and builds
one; :class:`~catkit.sources.FiniteStateSource` is a facade over it whose methods call the modules
of one concern each (:mod:`~catkit.sources.laws`, :mod:`~catkit.sources.beliefs`,
:mod:`~catkit.sources.filtering`, :mod:`~catkit.sources.rates`, :mod:`~catkit.sources.sampling`,
:mod:`~catkit.sources.batching`, :mod:`~catkit.sources.channels`, :mod:`~catkit.sources.spec`).

>>> m = make_machine(["1/2", "1/2"], [[[1, 0], [0, 0]], [[0, 0], [0, 1]]])
>>> m.V, m.S, m.exact, m.Rf.tolist()
(2, 2, True, [[1.0, 0.0], [0.0, 1.0]])
>>> make_machine([1], [[[0.5]], [[0.6]]])
Traceback (most recent call last):
...
catkit.sources.probs.SourceError: transitions of state 's0' (over (token, next state)) sum to 1.1, not 1
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from catkit.objects import Wire
from catkit.sources.contexts import ContextSet, vocab_wire
from catkit.sources.forward import FloatSteps, IntegerForward, PrefixTree, float_forward
from catkit.sources.probs import SourceError, as_prob_array, check_rows, stationary, to_float

__all__ = ["Machine", "make_machine", "as_contexts", "check_vocab", "forward_vectors"]

_DERIVED = ("integer", "steps")  # rebuilt on first use after unpickling (a python-flint matrix does not pickle)


@dataclass(frozen=True, eq=False)
class Machine:
    """A checked edge-emitting machine (see the module docstring); build it with :func:`make_machine`.

    >>> m = make_machine([1], [[["1/3"]], [["2/3"]]], vocab=["x", "y"])
    >>> m.vocab, m.T.dtype, m.Tf[1, 0, 0]
    (Wire(['x', 'y'], name='vocab'), dtype('O'), np.float64(0.6666666666666666))
    """

    T: np.ndarray
    pi: np.ndarray
    exact: bool
    vocab: Wire
    states: Wire
    Tf: np.ndarray = field(init=False, repr=False)
    pif: np.ndarray = field(init=False, repr=False)
    Rf: np.ndarray = field(init=False, repr=False)
    rates: dict[tuple[float, int], float] = field(init=False, repr=False)  # entropy rates already computed

    def __post_init__(self) -> None:
        Tf = to_float(self.T)
        object.__setattr__(self, "Tf", Tf)
        object.__setattr__(self, "pif", to_float(self.pi))
        object.__setattr__(self, "Rf", Tf.sum(axis=2).T)  # (S, V): P(next token | state)
        object.__setattr__(self, "rates", {})

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in _DERIVED}

    @property
    def V(self) -> int:
        """The number of tokens.

        >>> make_machine([1], [[[1]]]).V
        1
        """
        return int(self.T.shape[0])

    @property
    def S(self) -> int:
        """The number of states.

        >>> make_machine([1, 0], [[[1, 0], [0, 1]]]).S
        2
        """
        return int(self.T.shape[1])

    @cached_property
    def integer(self) -> IntegerForward:
        """The exact machine in integer form (exact machines only; built on first use).

        >>> make_machine([1], [[["1/3"]], [["2/3"]]]).integer.D
        3
        """
        return IntegerForward(self.T, self.pi)

    @cached_property
    def steps(self) -> FloatSteps:
        """Batched float forward steps (one BLAS product per step for state-emitting machines).

        >>> make_machine([1], [[["1/3"]], [["2/3"]]]).steps.factored
        True
        """
        return FloatSteps(self.Tf)

    @cached_property
    def stationary(self) -> np.ndarray:
        """The stationary law of the hidden-state chain ``Σ_w T[w]`` (exact when the machine is); read-only.

        >>> make_machine([1, 0], [[["1/2", "1/2"], [1, 0]]]).stationary.tolist()
        [Fraction(2, 3), Fraction(1, 3)]
        """
        M = sum((self.T[w] for w in range(self.V)), np.zeros((self.S, self.S), dtype=self.T.dtype))
        st = stationary(np.asarray(M, dtype=self.T.dtype))
        st.setflags(write=False)
        return st

    def arrays(self, exact: bool) -> tuple[np.ndarray, np.ndarray]:
        """``(T, π)``: the exact arrays, or their float64 copies.

        >>> make_machine([1], [[["1/3"]], [["2/3"]]]).arrays(False)[1].tolist()
        [1.0]
        """
        return (self.T, self.pi) if exact else (self.Tf, self.pif)


def _state_wire(states: Wire | int | list[Any] | None, S: int) -> Wire:
    if states is None or isinstance(states, int):
        return Wire([f"s{i}" for i in range(S)], name="state")
    return states if isinstance(states, Wire) else Wire(list(states), name="state")


def _check_transitions(T: np.ndarray, exact: bool, labels: list[Any]) -> None:
    """Each state's entries over ``(token, next state)`` are a distribution."""
    V, S, _ = T.shape
    joint = T.transpose(1, 0, 2).reshape(S, V * S)
    for s in range(S):
        row = joint[s]
        tot = sum(row, Fraction(0)) if exact else math.fsum(row)  # exact float sum: the bound does not grow with V·S
        if any(x < 0 for x in row) or (not exact and not np.isfinite(row).all()):
            raise SourceError(f"transitions of state {labels[s]!r} have a negative or non-finite entry")
        if (tot != 1) if exact else abs(tot - 1) > 1e-9:
            raise SourceError(f"transitions of state {labels[s]!r} (over (token, next state)) sum to {tot}, not 1")


def make_machine(
    initial: Any, transitions: Any, *, vocab: Wire | int | list[Any] | None = None,
    states: Wire | int | list[Any] | None = None, exact: bool | None = None,
) -> Machine:
    """Check the parameters of a source (see :class:`~catkit.sources.FiniteStateSource`) and build its machine.

    >>> make_machine([1, 0], [[[1, 0], [0, 1]]], states=["up", "down"]).states
    Wire(['up', 'down'], name='state')
    >>> make_machine([1], [[[1, 0]]])
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: transitions must have shape (V, S, S), got (1, 1, 2)
    """
    T, ex_t = as_prob_array(transitions, "transitions", exact)
    pi, ex_p = as_prob_array(initial, "initial", exact)
    if ex_t != ex_p:  # one float input makes the source float
        T, pi = (to_float(T), to_float(pi))
        ex_t = False
    if T.ndim != 3 or T.shape[1] != T.shape[2]:
        raise SourceError(f"transitions must have shape (V, S, S), got {T.shape}")
    V, S, _ = T.shape
    if pi.shape != (S,):
        raise SourceError(f"the initial law must have one entry per state ({S}), got shape {pi.shape}")
    vw = vocab_wire(vocab if vocab is not None else V)
    if vw.size != V:
        raise SourceError(f"the vocabulary {vw} has {vw.size} tokens but transitions has {V}")
    sw = _state_wire(states, S)
    if sw.size != S:
        raise SourceError(f"the state wire {sw} has {sw.size} elements but transitions has {S} states")
    _check_transitions(T, ex_t, list(sw.elements()))
    check_rows(pi.reshape(1, S), ex_t, "initial law", ["initial"])
    return Machine(T, pi, ex_t, vw, sw)


def as_contexts(m: Machine, contexts: ContextSet | int) -> ContextSet:
    """A context set over the machine's vocabulary: ``contexts`` itself, or ``ContextSet.all`` up to an int.

    >>> as_contexts(make_machine([1], [[[1]]]), 2).labels
    ('', 'a', 'aa')
    """
    if isinstance(contexts, ContextSet):
        check_vocab(m, contexts)
        return contexts
    if isinstance(contexts, int) and not isinstance(contexts, bool):
        return ContextSet.all(m.vocab, contexts)
    raise SourceError(f"contexts must be a ContextSet or a maximum length (int), got {type(contexts).__name__}")


def check_vocab(m: Machine, contexts: ContextSet) -> None:
    """Raise :class:`SourceError` unless the contexts are over the machine's vocabulary.

    >>> check_vocab(make_machine([1], [[[1]]]), ContextSet.all(2, 1))
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: the contexts are over Wire(['a', 'b'], name='vocab') but the source's vocabulary is Wire(['a'], name='vocab')
    """
    if contexts.vocab.size != m.V:
        raise SourceError(f"the contexts are over {contexts.vocab} but the source's vocabulary is {m.vocab}")


def forward_vectors(m: Machine, contexts: ContextSet) -> np.ndarray:
    """Forward vectors ``π T[x₁] ⋯ T[xₙ]`` of the contexts, one pass over their prefix tree: integers over
    ``m.integer.den(len(x))`` when exact (int64 or Python ints), else float64.

    >>> forward_vectors(make_machine([1], [[["1/3"]], [["2/3"]]]), ContextSet(["ab"], 2)).tolist()
    [[2]]
    """
    check_vocab(m, contexts)
    tree = PrefixTree.of(contexts)
    return m.integer.alphas(tree) if m.exact else float_forward(m.Tf, m.pif, tree)

