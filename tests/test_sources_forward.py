"""The shared-prefix, integer forward pass (catkit.sources.forward) against a plain Fraction forward pass per
context (the previous implementation), and the batched float filter against exact laws and hmmlearn."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from catkit.sources import HMM, ContextSet, FiniteStateSource, MarkovChain, default_source, tiny_source
from catkit.sources import filtering as filtering_mod
from catkit.sources.forward import FloatSteps, IntegerForward, PrefixTree


def fraction_alpha(src, x):
    """π T[x₁] ⋯ T[xₙ] over Fractions, one context at a time (no prefix sharing, no integers)."""
    T = src.transitions
    a = src.initial
    for t in x:
        a = (a[:, None] * T[t]).sum(axis=0)
    return list(a)


def big_denominator_hmm():
    """A denominator of about 2^19 per step: level 3 crosses 2^53 (float BLAS → int64), level 4 2^63 (→ Python ints)."""
    p = 65521  # a prime near 2^16
    A = [[F(p - 5, p), F(5, p)], [F(7, p), F(p - 7, p)]]
    B = [[F(1, 3), F(1, 3), F(1, 3)], [F(1, 2), F(0), F(1, 2)]]
    return HMM(A, B, initial=[F(1, 5), F(4, 5)])


SOURCES = [default_source, tiny_source, big_denominator_hmm,
           lambda: MarkovChain([["1/2", "1/3", "1/6"], [0, "1/2", "1/2"], ["1/4", "1/4", "1/2"]], order=1)]


def test_representations_change_with_the_level():
    fw = big_denominator_hmm().machine.integer
    kinds = [fw._arrays(k)[1] for k in range(1, 5)]
    assert kinds == ["f", "f", "i", "o"]
    levels = fw.levels(PrefixTree.complete_to(3, 4))
    assert [lv.dtype.kind for lv in levels] == ["f", "f", "f", "i", "O"]


@pytest.mark.parametrize("make", SOURCES)
def test_block_laws_equal_the_fraction_forward_pass(make):
    src = make()
    for n in range(5):
        law = src.block_law(n).matrix.tolist()[0]
        want = [sum(fraction_alpha(src, x), F(0)) for x in ContextSet.of_length(src.V, n)]
        assert law == want


@pytest.mark.parametrize("make", SOURCES)
def test_laws_on_an_irregular_context_set_equal_the_fraction_forward_pass(make):
    src = make()
    rng = np.random.default_rng(0)
    ctxs = {tuple(rng.integers(0, src.V, size=int(n)).tolist()) for n in rng.integers(0, 6, size=25)}
    C = ContextSet(sorted(ctxs, key=lambda c: (-len(c), c)), src.vocab)  # longest first: positions differ from levels
    alphas = [fraction_alpha(src, x) for x in C]
    bel = src.belief_states(C)
    nxt = src.next_token_kernel(C).matrix.tolist()
    fut = src.future_kernel(C, 2).matrix.tolist()
    bk = src.belief_kernel(C).matrix.tolist()
    for i, (x, a) in enumerate(zip(C, alphas)):
        z = sum(a, F(0))
        want_b = [v / z for v in a] if z else [F(1, src.S)] * src.S
        assert list(bel[i]) == want_b and bk[i] == want_b
        T = src.transitions
        one = [sum((a[s] * T[w][s].sum() for s in range(src.S)), F(0)) for w in range(src.V)]
        assert nxt[i] == ([v / z for v in one] if z else [F(1, src.V)] * src.V)
        two = [sum(fraction_alpha(src, x + (u, w)), F(0)) for u in range(src.V) for w in range(src.V)]
        assert fut[i] == ([v / z for v in two] if z else [F(1, src.V**2)] * src.V**2)


def test_context_law_with_weights_is_exact():
    src = big_denominator_hmm()
    C = ContextSet.all(src.V, 3, 1)
    mu = src.context_law(C, length_weights={1: "1/7", 2: "2/7", 3: "4/7"}).matrix.tolist()[0]
    w = {1: F(1, 7), 2: F(2, 7), 3: F(4, 7)}
    assert mu == [w[len(x)] * sum(fraction_alpha(src, x), F(0)) for x in C]
    assert sum(mu) == 1


@pytest.mark.parametrize("make", SOURCES)
def test_prob_with_and_without_flint_agree_with_the_fraction_pass(make, monkeypatch):
    src = make()
    x = tuple(src.sample(1, 12, seed=1)[0].tolist())
    want = sum(fraction_alpha(src, x), F(0))
    fresh = IntegerForward(src.transitions, src.initial)
    monkeypatch.setattr(fresh, "use_flint", False)
    assert src.prob(x) == want == fresh.prob(x)
    assert src.prob(np.array(x)) == want  # numpy ids take the bulk-checked path


def test_prefix_tree_of_an_irregular_set_shares_prefixes():
    C = ContextSet(["abc", "abd", "ab", "b", ""], 4)
    t = PrefixTree.of(C)
    assert t.sizes == (1, 2, 1, 2)  # '', {a, b}, {ab}, {abc, abd}
    assert t.lengths.tolist() == [3, 3, 2, 1, 0]


# ---------------------------------------------------------------------------------------------- float filter
def random_hmm(S, V, seed, sparse=False):
    rng = np.random.default_rng(seed)
    A = rng.random((S, S)) ** 3
    B = rng.random((S, V)) ** 3
    if sparse:
        B[:, 0] = 0.0  # token 0 has probability 0: sequences containing it get -inf
    A /= A.sum(1, keepdims=True)
    B /= B.sum(1, keepdims=True)
    pi = rng.random(S)
    return HMM(A, B, pi / pi.sum())


def test_factored_and_grouped_steps_agree_and_match_a_gather():
    src = random_hmm(6, 5, 0)
    steps = FloatSteps(src.transitions)
    assert steps.factored
    generic = FiniteStateSource(src.initial, src.transitions)
    generic.machine.steps.factored = False  # force the per-token products
    rng = np.random.default_rng(1)
    b, tok = rng.random((40, 6)), rng.integers(0, 5, 40)
    gather = np.einsum("ns,nst->nt", b, src.transitions[tok])
    assert np.allclose(steps.step(b, tok), gather, rtol=1e-13, atol=0)
    assert np.allclose(generic.machine.steps.step(b, tok), gather, rtol=1e-13, atol=0)
    x = src.sample(30, 12, seed=2)
    assert np.allclose(generic.log_prob(x), src.log_prob(x), rtol=1e-12, atol=0)


def test_a_machine_that_is_not_state_emitting_steps_per_token():
    mc = MarkovChain([["1/2", "1/2"], ["1/3", "2/3"]]).to_float()
    assert not mc.machine.steps.factored
    x = mc.sample(7, 9, seed=0)
    exact = MarkovChain([["1/2", "1/2"], ["1/3", "2/3"]])
    assert np.allclose(mc.log_prob(x), [math.log(exact.prob(tuple(r))) for r in x.tolist()], rtol=1e-12, atol=0)


def test_chunked_filter_equals_one_pass_and_handles_impossible_sequences(monkeypatch):
    src = random_hmm(4, 3, 5, sparse=True)
    x = np.random.default_rng(0).integers(0, 3, size=(300, 7))
    whole = src.filter(x)
    monkeypatch.setattr(filtering_mod, "_FILTER_CHUNK", 64 * 4)  # chunks of 64 rows
    parts = src.filter(x)
    lp = src.log_prob(x)
    assert np.array_equal(whole.log_prob, parts.log_prob) and np.array_equal(whole.log_prob, lp)
    assert np.array_equal(whole.beliefs, parts.beliefs) and np.array_equal(whole.next_probs, parts.next_probs)
    impossible = (x == 0).any(axis=1)
    assert impossible.any() and np.isneginf(lp[impossible]).all() and np.isfinite(lp[~impossible]).all()
    first = np.argmax(x == 0, axis=1)  # right after the first impossible token the belief is uniform
    rows = np.flatnonzero(impossible)
    assert np.array_equal(whole.beliefs[rows, first[rows] + 1], np.full((len(rows), 4), 0.25))


def test_log_prob_agrees_with_the_exact_law():
    src = default_source()
    x = src.sample(20, 15, seed=4)
    want = [math.log(src.prob(tuple(r))) for r in x.tolist()]
    assert np.allclose(src.log_prob(x), want, rtol=1e-13, atol=0)
    assert np.allclose(src.to_float().log_prob(x), want, rtol=1e-13, atol=0)


def test_log_prob_agrees_with_hmmlearn():
    hmm = pytest.importorskip("hmmlearn.hmm")
    src = random_hmm(8, 5, 3)
    m = hmm.CategoricalHMM(n_components=8, implementation="scaling")
    m.startprob_, m.transmat_, m.emissionprob_, m.n_features = src.initial, src._A, src._B, 5
    x = src.sample(25, 30, seed=0)
    theirs = [m.score(r.reshape(-1, 1)) for r in x]
    assert np.allclose(src.log_prob(x), theirs, rtol=1e-10, atol=0)


def test_token_ids_are_checked():
    src = tiny_source()
    with pytest.raises(ValueError, match="token ids must lie in 0..2"):
        src.log_prob([[0, 3]])
    with pytest.raises(ValueError, match=r"a \(batch, length\) array"):
        src.log_prob(np.zeros((2, 2, 2), dtype=int))
