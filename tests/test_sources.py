"""Sources: exact laws cross-checked against brute-force enumeration over hidden paths."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.errors import CatkitError
from catkit.sources import HMM, ContextSet, FiniteStateSource, MarkovChain, SourceError, default_source, tiny_source


# ---------------------------------------------------------------------------------------------- brute force
def brute_hmm_prob(A, B, pi, x):
    """P(x) = Σ over hidden paths s_1..s_n of π(s_1) Π B(x_t|s_t) A(s_{t+1}|s_t)."""
    S = len(pi)
    if not x:
        return F(1)
    tot = F(0)
    for path in itertools.product(range(S), repeat=len(x)):
        p = F(pi[path[0]])
        for t, s in enumerate(path):
            p *= F(B[s][x[t]])
            if t + 1 < len(x):
                p *= F(A[s][path[t + 1]])
        tot += p
    return tot


def brute_hmm_belief(A, B, pi, x):
    """P(s_{n+1} | x) by summing paths of length n + 1."""
    S = len(pi)
    joint = [F(0)] * S
    for path in itertools.product(range(S), repeat=len(x) + 1):
        p = F(pi[path[0]])
        for t in range(len(x)):
            p *= F(B[path[t]][x[t]]) * F(A[path[t]][path[t + 1]])
        joint[path[-1]] += p
    z = sum(joint)
    return [j / z for j in joint]


def brute_markov_prob(P, k, init, V, x):
    """P(x) for an order-k chain: the initial window law, then the transition table."""
    if len(x) < k:
        return sum((brute_markov_prob(P, k, init, V, x + (w,)) for w in range(V)), F(0))
    win = int(np.ravel_multi_index(x[:k], (V,) * k)) if k else 0
    p = F(init[win])
    for t in range(k, len(x)):
        u = int(np.ravel_multi_index(x[t - k : t], (V,) * k)) if k else 0
        p *= F(P[u][x[t]])
    return p


def words(V, n):
    return list(itertools.product(range(V), repeat=n))


def kernel_rows(k):
    return [list(r) for r in k.matrix.tolist()]


@st.composite
def stochastic(draw, rows, cols, zeros=True):
    out = []
    for _ in range(rows):
        w = draw(st.lists(st.integers(0 if zeros else 1, 4), min_size=cols, max_size=cols).filter(lambda r: sum(r) > 0))
        out.append([F(a, sum(w)) for a in w])
    return out


@st.composite
def exact_hmms(draw):
    S, V = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    A = draw(stochastic(S, S))
    B = draw(stochastic(S, V))
    pi = draw(stochastic(1, S))[0]
    return A, B, pi


# ---------------------------------------------------------------------------------------------- laws
@given(exact_hmms())
def test_hmm_block_law_and_next_token_match_brute_force(params):
    A, B, pi = params
    src = HMM(A, B, initial=pi)
    V = len(B[0])
    for n in range(4):
        law = src.block_law(n).matrix.tolist()[0]
        assert law == [brute_hmm_prob(A, B, pi, x) for x in words(V, n)]
    k = src.next_token_kernel(2)
    for i, x in enumerate(ContextSet.all(V, 2)):
        px = brute_hmm_prob(A, B, pi, x)
        want = [brute_hmm_prob(A, B, pi, x + (w,)) / px for w in range(V)] if px else [F(1, V)] * V
        assert kernel_rows(k)[i] == want


@given(exact_hmms())
def test_belief_states_match_brute_force(params):
    A, B, pi = params
    src = HMM(A, B, initial=pi)
    C = ContextSet.all(len(B[0]), 2)
    bel = src.belief_states(C)
    for i, x in enumerate(C):
        if brute_hmm_prob(A, B, pi, x):
            assert list(bel[i]) == brute_hmm_belief(A, B, pi, x)
        else:
            assert list(bel[i]) == [F(1, len(pi))] * len(pi)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_markov_chain_of_order_k_matches_brute_force(k):
    V = 3
    rng = np.random.default_rng(k)
    P = [[F(int(a), int(r.sum())) for a in r] for r in rng.integers(1, 5, size=(V**k, V))]
    init = None
    if k:
        w = rng.integers(0, 4, size=V**k)
        w[0] = 1
        init = [F(int(a), int(w.sum())) for a in w]
    mc = MarkovChain(P, order=k, initial=init)
    window = mc.window_law()
    for n in range(5):
        assert mc.block_law(n).matrix.tolist()[0] == [brute_markov_prob(P, k, window, V, x) for x in words(V, n)]
    # the transition kernel is the next-token kernel on full windows
    C = ContextSet.of_length(V, k + 2)
    nt = mc.next_token_kernel(C)
    for i, x in enumerate(C):
        u = int(np.ravel_multi_index(x[-k:], (V,) * k)) if k else 0
        if mc.prob(x):
            assert kernel_rows(nt)[i] == P[u]


def test_stationary_markov_window_law_is_stationary_and_process_is_shift_invariant():
    P = [["1/2", "1/2", 0], [0, "1/3", "2/3"], ["1/4", 0, "3/4"]]
    mc = MarkovChain(P, order=1)
    for n in range(1, 4):  # stationarity: the law of X_2..X_{n+1} equals that of X_1..X_n
        shifted = mc.block_law(n + 1).marginal(list(range(1, n + 1)))
        assert shifted == mc.block_law(n)


def test_hmm_is_markov_chain_composed_with_emission():
    src = default_source()
    chain = MarkovChain(src.transition_kernel(), order=1, initial=src.initial, vocab=src.states)
    composite = chain >> src.emission_kernel()
    for n in range(4):
        assert composite.block_law(n) == src.block_law(n)
    assert composite.vocab == src.vocab


def test_channel_composition_is_token_wise_pushforward():
    src = tiny_source()
    C = Kernel([["1/2", "1/2"], [0, 1], ["1/3", "2/3"]], src.vocab, Wire(["u", "v"]))
    out = src >> C
    for n in range(3):  # P(y) = Σ_x P(x) Π C(y_t|x_t)
        want = src.block_law(n)
        if n:
            chan = C
            for _ in range(n - 1):
                chan = chan @ C
            want = want >> chan
        assert out.block_law(n).matrix.tolist() == want.matrix.tolist()


def test_future_kernel_matches_ratio_of_block_probabilities():
    src = default_source()
    C = ContextSet.all(src.V, 2)
    fut = src.future_kernel(C, 2)
    rows = kernel_rows(fut)
    for i, x in enumerate(C):
        px = src.prob(x)
        assert rows[i] == [src.prob(x + y) / px for y in words(src.V, 2)]
    assert fut.marginal(0) == src.next_token_kernel(C)


def test_context_law_mixes_lengths_and_checks_completeness():
    src = tiny_source()
    mu = src.context_law(2)
    assert sum(mu.matrix.tolist()[0]) == 1
    assert mu["ab"] == src.prob("ab") / 3
    weighted = src.context_law(2, length_weights={0: 0, 1: "1/4", 2: "3/4"})
    assert weighted["ab"] == src.prob("ab") * F(3, 4) and weighted[""] == 0
    with pytest.raises(SourceError, match="contexts of length 1 carry probability"):
        src.context_law(ContextSet(["a", "b"], 3))
    # the joint law of (context, next token) built from catkit pieces has the block law as its marginal
    C = ContextSet.of_length(src.V, 2)
    joint = src.context_law(C) >> Kernel.copy(C.wire) >> (Kernel.id(C.wire) @ src.next_token_kernel(C))
    assert joint.marginal(1) == src.block_law(3).marginal(2)


def test_zero_probability_contexts_get_the_uniform_law():
    src = tiny_source().with_initial([1, 0])  # starts in s0, which never emits b
    k = src.next_token_kernel(ContextSet(["b", "a"], 3))
    assert src.prob("b") == 0
    assert kernel_rows(k)[0] == [F(1, 3)] * 3
    assert kernel_rows(k)[1] != [F(1, 3)] * 3


def test_torch_and_numpy_kernels_agree_with_exact():
    torch = pytest.importorskip("torch")
    src = default_source()
    ex = src.next_token_kernel(2)
    t = src.next_token_kernel(2, backend="torch", dtype=torch.float32)
    assert t.backend.name == "torch" and t.storage.dtype == torch.float32
    assert t.to("numpy").allclose(ex.to("numpy"), tol=1e-6)
    assert src.to_float().next_token_kernel(2).allclose(ex.to("numpy"), tol=1e-14)


# ---------------------------------------------------------------------------------------------- sufficient statistic
def test_sufficient_statistic_groups_exactly_the_contexts_with_equal_futures():
    src = default_source()
    C = ContextSet.all(src.V, 3)
    cls = src.sufficient_statistic(C).as_function()
    fut = kernel_rows(src.future_kernel(C, src.S))
    for i, x in enumerate(C.labels):
        for j, y in enumerate(C.labels):
            assert (cls[x] == cls[y]) == (fut[i] == fut[j])


def test_sufficient_statistic_is_coarser_than_belief_for_a_non_minimal_hmm():
    # states s1 and s2 are copies of one state: beliefs differ but the future cannot tell them apart
    A = [["1/2", "1/4", "1/4"], ["1/2", "1/4", "1/4"], ["1/2", "1/4", "1/4"]]
    B = [["1/3", "2/3"], ["3/4", "1/4"], ["3/4", "1/4"]]
    src = HMM([["1/2", "1/2", 0], ["1/2", 0, "1/2"], ["1/2", "1/2", 0]], B)
    src2 = HMM(A, B)
    C = ContextSet.all(2, 2)
    bel = src.belief_kernel(C)
    suff = src.sufficient_statistic(C)
    assert suff.is_deterministic()
    n_beliefs = len({tuple(r) for r in kernel_rows(bel)})
    assert suff.cod.size < n_beliefs
    # an i.i.d. source (all transition rows equal) has a one-class statistic
    assert src2.sufficient_statistic(C).cod.size == 1


def test_markov_chain_statistic_is_the_last_token():
    mc = MarkovChain([["1/2", "1/2", 0], [0, "1/3", "2/3"], ["1/4", 0, "3/4"]])
    f = {x: c for x, c in mc.sufficient_statistic(3).as_function().items() if x and mc.prob(x) > 0}
    assert len(f) > 20
    for ctx, c in f.items():  # on contexts of positive probability (the statistic is defined almost surely)
        assert all((f[o] == c) == (o[-1] == ctx[-1]) for o in f)


# ---------------------------------------------------------------------------------------------- entropies
def brute_block_entropy(src, n):
    return -sum(float(p) * math.log(float(p)) for p in src.block_law(n).matrix.tolist()[0] if p)


@pytest.mark.parametrize("make", [default_source, tiny_source])
def test_block_and_conditional_entropies_match_brute_force(make):
    src = make()
    for n in range(5):
        assert abs(src.block_entropy(n) - brute_block_entropy(src, n)) < 1e-12
    assert abs(src.conditional_entropy(3) - (brute_block_entropy(src, 3) - brute_block_entropy(src, 2))) < 1e-12


def test_entropy_rate_bounds_are_monotone_and_bracket():
    src = default_source()
    bounds = [src.entropy_rate_bounds(n) for n in range(1, 9)]
    lows, highs = [b[0] for b in bounds], [b[1] for b in bounds]
    assert all(a <= b + 1e-15 for a, b in zip(lows, lows[1:]))
    assert all(a >= b - 1e-15 for a, b in zip(highs, highs[1:]))
    h = src.entropy_rate()
    assert lows[-1] - 1e-4 <= h <= highs[-1] + 1e-4
    assert highs[-1] - lows[-1] < highs[0] - lows[0]


def test_markov_entropy_rate_closed_form_agrees_with_bounds():
    mc = MarkovChain([["1/2", "1/2", 0], [0, "1/3", "2/3"], ["1/4", 0, "3/4"]])
    lo, hi = FiniteStateSource.entropy_rate_bounds(mc, 2)  # for order 1, H(X_2|X_1) is already the rate
    assert abs(hi - mc.entropy_rate()) < 1e-14 and abs(lo - mc.entropy_rate()) < 1e-14
    iid = HMM([["1/2", "1/2"], ["1/2", "1/2"]], [["1/2", "1/2"], ["1/2", "1/2"]])
    assert abs(iid.entropy_rate() - math.log(2)) < 1e-12


def test_hmm_entropy_rate_is_between_conditional_entropy_and_its_lower_bound():
    src = tiny_source()
    h = src.entropy_rate(tol=1e-8)
    assert src.conditional_entropy(12) >= h - 1e-8
    assert h < src.conditional_entropy(2)  # memory helps: not a Markov chain of order 1


# ---------------------------------------------------------------------------------------------- sampling
@pytest.mark.parametrize("n_seqs", [8, 4000])  # the Python loop and the vectorised path
def test_sample_frequencies_match_the_exact_block_law(n_seqs):
    src = default_source()
    L = 3
    x = src.sample(n_seqs, 3000 // n_seqs * L if n_seqs < 32 else L, seed=1)
    blocks = x[:, :L] if n_seqs >= 32 else x.reshape(-1, L)
    if n_seqs < 32:  # consecutive blocks of one long stationary sequence: use the block law as well
        blocks = x[:, : (x.shape[1] // L) * L].reshape(-1, L)
    counts = np.zeros(src.V**L)
    np.add.at(counts, np.ravel_multi_index(blocks.T, (src.V,) * L), 1)
    freq = counts / counts.sum()
    p = np.array([float(v) for v in src.block_law(L).matrix.tolist()[0]])
    sd = np.sqrt(p * (1 - p) / counts.sum())
    assert np.all(np.abs(freq - p) <= 6 * sd + 1e-12)


def test_sampling_is_seeded_and_states_are_consistent():
    src = default_source()
    a, s = src.sample(50, 20, seed=7, return_states=True)
    b = src.sample(50, 20, seed=7)
    c = src.sample(50, 20, seed=8)
    assert (a == b).all() and not (a == c).all()
    T = src.transitions
    for i in range(50):
        for t in range(20):
            assert T[a[i, t], s[i, t], s[i, t + 1]] > 0


def test_filter_matches_exact_kernels():
    src = default_source()
    x = src.sample(5, 4, seed=3)
    f = src.filter(x)
    C = ContextSet.all(src.V, 3)
    k = src.next_token_kernel(C).to("numpy").matrix
    bel = src.belief_states(C)
    for b in range(5):
        for t in range(4):
            i = C.index(tuple(x[b, :t]))
            assert np.allclose(f.next_probs[b, t], k[i], atol=1e-14)
            assert np.allclose(f.beliefs[b, t], bel[i].astype(float), atol=1e-14)
        assert abs(f.log_prob[b] - math.log(float(src.prob(tuple(x[b]))))) < 1e-12


def test_context_batches_stream_the_exact_law_and_shard_disjointly():
    src = default_source()
    law = [float(p) for p in src.block_law(3).matrix.tolist()[0]]
    nt = src.next_token_kernel(ContextSet.of_length(src.V, 3)).to("numpy").matrix
    seen = []
    for rank in range(2):
        for b in src.iter_context_batches(3, batch_size=10, shard=(rank, 2)):
            idx = np.ravel_multi_index(b.ids.T, (src.V,) * 3)
            assert np.allclose(b.weights, np.array(law)[idx], atol=1e-15)
            assert np.allclose(b.next_probs, nt[idx], atol=1e-14)
            seen.extend(idx.tolist())
    assert sorted(seen) == list(range(src.V**3))
    sampled = list(src.sample_context_batches(30, 4, batch_size=8, seed=2))
    assert sum(len(b.ids) for b in sampled) == 30 and abs(sum(b.weights.sum() for b in sampled) - 1) < 1e-12


# ---------------------------------------------------------------------------------------------- contexts and errors
def test_context_sets():
    C = ContextSet.all(3, 2)
    assert len(C) == 13 and C.labels[:4] == ("", "a", "b", "c") and C.complete == (0, 2)
    assert C.index("cb") == C.labels.index("cb") and C[C.index("cb")] == (2, 1)
    assert "cb" in C and "zz" not in C
    big = ContextSet.all(30, 1)
    assert big.labels[-1] == "29" and big.index(["29"]) == 30


def test_bad_parameters_are_named():
    with pytest.raises(SourceError, match="row 's1' sums to 1/2"):
        HMM([[1, 0], ["1/2", 0]], [[1], [1]])
    with pytest.raises(SourceError, match="emission: row 's0' has a negative"):
        HMM([[1]], [[-1, 2]])
    with pytest.raises(SourceError, match="transition: row 'b' sums to"):
        MarkovChain([[1, 0], ["1/2", "1/3"]])
    with pytest.raises(SourceError, match="not unique"):
        HMM([[1, 0], [0, 1]], [[1], [1]])
    with pytest.raises(SourceError, match="token 'z' is not in the vocabulary"):
        tiny_source().prob("az")
    with pytest.raises(SourceError, match="contexts are over"):
        tiny_source().next_token_kernel(ContextSet.all(4, 1))
    with pytest.raises(SourceError, match="float parameters"):
        tiny_source().to_float().next_token_kernel(1, backend="exact")
    with pytest.raises(SourceError, match="refuses the float"):
        FiniteStateSource([0.5, 0.5], [[[1, 0], [0, 1]]], exact=True)
    with pytest.raises(SourceError, match="channel from this source's 3 tokens"):
        tiny_source() >> Kernel([[1, 0], [0, 1]])
    with pytest.raises(SourceError, match="exceeds the cap"):
        default_source().conditional_entropy(40)
    assert issubclass(SourceError, CatkitError) and issubclass(SourceError, ValueError)


def test_mixed_float_parameters_make_a_float_source():
    src = HMM([[0.5, 0.5], ["1/2", "1/2"]], [[1, 0], [0, 1]])
    assert not src.exact and isinstance(src.prob("a"), float)


def test_batched_sampling_draws_what_the_per_sequence_loop_draws(monkeypatch):
    """The lock-step samplers (gathered rows, or one search per state) and the bisect loop read the same
    uniforms the same way."""
    from catkit.sources import sampling

    rng = np.random.default_rng(2)
    V, S = 5, 4
    T = rng.random((V, S, S)) * (rng.random((V, S, S)) < 0.6)
    T[0, :, 0] += 0.1  # every row has mass
    T /= T.sum(axis=(0, 2), keepdims=True)
    init = np.full(S, 1 / S)
    gathered = sampling.sample_tokens(init, T, 300, 12, np.random.default_rng(7), return_states=True)
    monkeypatch.setattr(sampling, "_GATHER_MAX", 0)
    searched = sampling.sample_tokens(init, T, 300, 12, np.random.default_rng(7), return_states=True)
    monkeypatch.setattr(sampling, "_LOOP_BELOW", 10**9)
    looped = sampling.sample_tokens(init, T, 300, 12, np.random.default_rng(7), return_states=True)
    for a, b in ((gathered, looped), (searched, looped)):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert len(np.unique(looped[1])) == S  # every state was visited, so every per-state search ran


# ---------------------------------------------------------------------------------------------- the facade
def test_pickles_keep_the_law_and_drop_the_derived_state():
    import pickle

    mc = MarkovChain([["9/10", "1/10"], ["1/2", "1/2"], ["1/4", "3/4"], [1, 0]], order=2)
    for src in (default_source(), mc, tiny_source().to_float(), tiny_source() >> Kernel([[1, 0], [0, 1], [0, 1]])):
        src.prob("abab"), src.filter([[0, 1]]), src.next_token_kernel(2)  # builds the integer form and the float steps
        assert {"integer", "steps"} & set(src.machine.__dict__) == ({"integer", "steps"} if src.exact else {"steps"})
        back = pickle.loads(pickle.dumps(src))
        assert {"integer", "steps"}.isdisjoint(back.machine.__dict__)  # rebuilt on first use, never pickled
        assert type(back) is type(src) and back.spec() == src.spec()
        assert back.prob("abab") == src.prob("abab") and back.next_token_kernel(2) == src.next_token_kernel(2)
        assert np.array_equal(back.filter([[0, 1]]).log_prob, src.filter([[0, 1]]).log_prob)
    assert pickle.loads(pickle.dumps(mc)).order == 2
    other = pickle.loads(pickle.dumps(tiny_source().with_initial([1, 0])))  # the control: another law stays another
    assert other.prob("b") == 0 != tiny_source().prob("b")


def test_specs_round_trip_through_json_for_every_kind_of_source():
    import json

    for src in (default_source(), MarkovChain([["1/2", "1/2"], [1, 0]]), tiny_source().to_float(),
                tiny_source() >> Kernel([["1/2", "1/2"], [0, 1], [1, 0]])):
        back = FiniteStateSource.from_spec(json.loads(json.dumps(src.spec())))
        assert back.spec() == src.spec() and back.exact == src.exact
        assert back.block_law(3) == src.block_law(3) if src.exact else back.block_law(3).allclose(src.block_law(3), tol=0)
    changed = default_source().spec()
    changed["initial"] = ["1", "0", "0"]  # the control: the spec carries the law
    assert FiniteStateSource.from_spec(changed).prob("a") != default_source().prob("a")


def test_the_facade_hands_out_copies_and_the_machine_is_read_only():
    src = HMM([["1/2", "1/2"], ["1/3", "2/3"]], [[1, 0], [0, 1]])
    st = src.stationary()
    st[0] = F(1)
    assert src.stationary()[0] == F(2, 5) and src.is_stationary()
    with pytest.raises(ValueError):
        src.machine.stationary[0] = F(1)
    T = src.transitions
    T[0, 0, 0] = F(1)
    assert src.transitions[0, 0, 0] == F(1, 2)
    with pytest.raises(AttributeError):
        src.machine.exact = False  # type: ignore[misc]


def test_named_sources_and_spec_files_load(tmp_path):
    import json

    from catkit.sources import SOURCES, load_source, named_source

    assert {n: load_source(n) for n in SOURCES} == {"default": default_source(), "tiny": tiny_source()}
    p = tmp_path / "mc.json"
    mc = MarkovChain([["1/3", "2/3"], [1, 0]], name="mc")
    p.write_text(json.dumps(mc.spec()))
    assert load_source(p).block_law(3) == mc.block_law(3) and load_source(str(p)).name == "mc"
    for bad in ("huge", str(tmp_path / "missing.json")):
        with pytest.raises(SourceError, match="--source must be 'default', 'tiny' or a JSON spec file"):
            load_source(bad)
    with pytest.raises(SourceError, match="no embedded source"):
        named_source(str(p))  # a path is not a name
