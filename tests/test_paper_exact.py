"""Exact-mode paper checks (``catkit.paper.exact_info``, ``exact_geometry``, ``toy``) on cases known by hand.

Every expected value is derived here, independently of the checks: laws of the tiny HMM by hand
(``tiny_source``: states persist with probability 3/4, ``s0`` emits a/c, ``s1`` emits b/c, 1/2 each),
entropies as exact sympy log-expressions from ``source.prob``, bounds and eigenvalues from their
formulas in math / mpmath / numpy.  The counterexamples (claims 4, 7, 9, 10) are recomputed, and
verdicts, ``finding`` flags and margin signs are checked, including the cases where a claim fails.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

from catkit.info import KL, Hellinger, Renyi, TotalVariation, categorical_entropy, renyi_entropy, shannon_entropy
from catkit.info.bounds import find_kl_bound_violation, kl_bound
from catkit.kernel import Kernel
from catkit.paper.exact_geometry import (
    LogLinearToy,
    claim6_exact,
    claim7_exact,
    claim8_exact,
    claim9_exact,
    claim10_exact,
    claim11_exact,
    fisher_metric,
    jeffreys_counterexample,
    softmax,
)
from catkit.paper.exact_info import (
    claim1_exact,
    claim2_exact,
    claim3_exact,
    claim4_exact,
    claim5_exact,
    fannes_bound,
    h_b,
    surplus_table,
)
from catkit.paper.result import VERDICTS, ClaimResult, verdict_from_margin
from catkit.paper.toy import ExactSetting, belief_model, encoder_from_keys, last_token_model, mixture, optimal_head
from catkit.sources import HMM, MarkovChain, default_source, tiny_source

F = Fraction
T = tiny_source()

# ---------------------------------------------------------------------- hand-derived laws of the tiny HMM
# stationary state law (1/2, 1/2) ⟹ P(a) = P(b) = 1/4, P(c) = 1/2; after one token the next-state belief is
# a: (3/4, 1/4), b: (1/4, 3/4), c: (1/2, 1/2), and the next token is  belief · emission.
MU1 = [F(1, 4), F(1, 4), F(1, 2)]
NEXT_A, NEXT_B, NEXT_C = [F(3, 8), F(1, 8), F(1, 2)], [F(1, 8), F(3, 8), F(1, 2)], [F(1, 4), F(1, 4), F(1, 2)]
# beliefs after two tokens ('xc' updates nothing on the emission, 'xa' / 'xb' pin the state)
BELIEF2 = {
    (F(3, 4), F(1, 4)): {"aa", "ba", "ca"},
    (F(1, 4), F(3, 4)): {"ab", "bb", "cb"},
    (F(5, 8), F(3, 8)): {"ac"},
    (F(3, 8), F(5, 8)): {"bc"},
    (F(1, 2), F(1, 2)): {"cc"},
}


def _prime_logs(e):
    """``log(r)`` for rational r rewritten over logs of primes (linearly independent over Q), then expanded."""

    def split(x):
        r = sp.Rational(x.args[0])
        return sum((k * sp.log(p) for p, k in sp.factorint(r.p).items()), sp.Integer(0)) - sum(
            (k * sp.log(p) for p, k in sp.factorint(r.q).items()), sp.Integer(0))

    e = sp.sympify(e)
    return sp.expand(e.replace(lambda x: isinstance(x, sp.log) and x.args[0].is_Rational and x.args[0] > 0, split))


def same(a, b) -> bool:
    """Exact equality of rationals / log-expressions / surds (no floating point)."""
    return sp.expand(_prime_logs(a) - _prime_logs(b)) == 0


def H_exact(p) -> sp.Expr:
    return sum((-sp.Rational(x) * sp.log(sp.Rational(x)) for x in p if x), sp.Integer(0))


def words(n: int, vocab: str = "abc") -> list[str]:
    return ["".join(w) for w in itertools.product(vocab, repeat=n)]


def cond_entropy_hand(src, n: int, vocab: str = "abc") -> sp.Expr:
    """H(W_{n+1} | W_1..W_n) from the string probabilities, exactly."""
    out = sp.Integer(0)
    for x in words(n, vocab):
        px = sp.Rational(src.prob(x)) if n else sp.Integer(1)
        for w in vocab:
            pxw = sp.Rational(src.prob(x + w))
            if pxw:
                out += pxw * (sp.log(px) - sp.log(pxw))
    return out


def cmi_hand(joint: dict) -> float:
    """I(A; C | B) in nats from a dict {(a, b, c): p}."""
    pab, pbc, pb = {}, {}, {}
    for (a, b, c), p in joint.items():
        pab[a, b] = pab.get((a, b), 0) + p
        pbc[b, c] = pbc.get((b, c), 0) + p
        pb[b] = pb.get(b, 0) + p
    return math.fsum(p * math.log(p * pb[b] / (pab[a, b] * pbc[b, c])) for (a, b, c), p in joint.items() if p > 0)


def one(results: list[ClaimResult], prefix: str) -> ClaimResult:
    found = [r for r in results if r.check.startswith(prefix)]
    assert len(found) == 1, (prefix, [r.check for r in results])
    return found[0]


def softmax_np(W, h) -> np.ndarray:
    z = np.array([[float(x) for x in r] for r in W]) @ np.array([float(x) for x in h])
    e = np.exp(z - z.max())
    return e / e.sum()


# ---------------------------------------------------------------------- fixtures (each computed once)
@pytest.fixture(scope="module")
def s1():
    return ExactSetting(T, 1)


@pytest.fixture(scope="module")
def s2():
    return ExactSetting(T, 2)


@pytest.fixture(scope="module")
def r1(s2):
    return claim1_exact(s2)


@pytest.fixture(scope="module")
def r2(s1):
    return claim2_exact(s1)


@pytest.fixture(scope="module")
def r3(s2):
    return claim3_exact(s2)


# claim 4 on vocabularies of 2, 3, 4 and 10 tokens (contexts of length 1)
C4_SOURCES = {
    2: lambda: MarkovChain([["1/2", "1/2"], ["1/4", "3/4"]], name="two-token chain"),
    3: tiny_source,
    4: default_source,
    10: lambda: MarkovChain([["1/10"] * 10], order=0, name="uniform i.i.d."),
}


@pytest.fixture(scope="module")
def r4():
    return {V: claim4_exact(ExactSetting(make(), 1)) for V, make in C4_SOURCES.items()}


@pytest.fixture(scope="module")
def r5():
    return claim5_exact(T, 2)


@pytest.fixture(scope="module")
def toy1(s1):
    return LogLinearToy.from_setting(s1)


@pytest.fixture(scope="module")
def toy2(s2):
    return LogLinearToy.from_setting(s2)


@pytest.fixture(scope="module")
def geo(toy1):
    return {6: claim6_exact(toy1), 7: claim7_exact(toy1), 8: claim8_exact(toy1), 9: claim9_exact(toy1), 10: claim10_exact(toy1),
            11: claim11_exact(toy1)}


BINARY_HMM = HMM([["3/4", "1/4"], ["1/4", "3/4"]], [["3/4", "1/4"], ["1/4", "3/4"]], name="binary")


@pytest.fixture(scope="module")
def r8_binary():
    return claim8_exact(LogLinearToy.from_setting(ExactSetting(BINARY_HMM, 2)))


@pytest.fixture(scope="module")
def all_results(r1, r2, r3, r4, r5, geo, r8_binary):
    out = [*r1, *r2, *r3, *r5[0], *r8_binary]
    for rs in r4.values():
        out += rs
    for rs in geo.values():
        out += rs
    return out


# ---------------------------------------------------------------------- result.py
def test_verdict_from_margin_by_hand():
    assert verdict_from_margin(0.0) == "holds"  # an identity met exactly
    assert verdict_from_margin(-1e-300) == "fails"
    assert verdict_from_margin(0.05, 0.1) == "inconclusive"
    assert verdict_from_margin(-0.05, 0.1) == "inconclusive"
    assert verdict_from_margin(0.2, 0.1) == "holds" and verdict_from_margin(-0.2, 0.1) == "fails"
    with pytest.raises(ValueError):
        ClaimResult(1, "exact", "c", "true", "r")
    with pytest.raises(ValueError):
        ClaimResult(1, "approx", "c", "holds", "r")


def test_every_result_is_exact_mode_with_a_valid_verdict(all_results):
    assert all(r.mode == "exact" and r.verdict in VERDICTS for r in all_results)
    # exact checks never need an error bar, so none of them is inconclusive
    assert all(r.error is None and r.verdict != "inconclusive" for r in all_results)


def test_margins_have_the_sign_of_the_verdict(all_results):
    """margin > 0: holds with room, margin < 0: violated (ClaimResult's convention); 1e-20 is claim 8's quadrature tolerance."""
    checked = 0
    for r in all_results:
        if r.margin is None or r.check == "exp(−β Jeffreys) is not PSD in general":
            continue  # checked on its own below
        checked += 1
        if r.verdict == "holds":
            assert r.margin >= -1e-20, (r.claim, r.check, r.margin)
        else:
            assert r.margin < 0, (r.claim, r.check, r.margin)
    assert checked >= 20


def test_claim9_jeffreys_margin_follows_the_convention(geo):
    r = one(geo[9], "exp(−β Jeffreys)")
    assert r.verdict == "holds" and r.margin >= 0


def test_findings_are_exactly_the_known_ones(all_results):
    found = {(r.claim, r.check) for r in all_results if r.finding}
    assert {c for c, _ in found} == {2, 4, 7, 10}
    assert all(r.verdict == "fails" for r in all_results if r.finding and r.claim != 2)


# ---------------------------------------------------------------------- toy.py
def test_exact_setting_laws_by_hand(s1, s2):
    assert s1.contexts.labels == ("a", "b", "c")
    assert s1.mu.matrix.reshape(-1).tolist() == MU1
    assert s1.data.matrix.tolist() == [NEXT_A, NEXT_B, NEXT_C]
    assert len(s2.contexts) == 9
    assert s2.mu.matrix.reshape(-1).tolist() == [T.prob(c) for c in words(2)]
    assert sum(s2.mu.matrix.reshape(-1), F(0)) == 1


def test_belief_model_keys_by_hand(s1, s2):
    m1 = belief_model(s1)
    assert m1.keys == ((F(3, 4), F(1, 4)), (F(1, 4), F(3, 4)), (F(1, 2), F(1, 2)))
    m2 = belief_model(s2)
    assert m2.hidden.size == 5
    fn = m2.encoder.as_function()
    for key, ctxs in BELIEF2.items():
        h = {fn[c] for c in ctxs}
        assert len(h) == 1 and m2.keys[int(h.pop()[1:])] == key
    # the ideal model is exact; the encoder is deterministic
    assert m2.generation == s2.data and m2.encoder.is_deterministic()


def test_last_token_model_by_hand(s1, s2):
    # at length 1 the last token is the context: the model is exact
    assert last_token_model(s1).generation == s1.data
    m = last_token_model(s2)
    assert m.keys == (0, 1, 2)
    # by stationarity P(W_3 | W_2) = P(W_2 | W_1)
    assert m.head.matrix.tolist() == [NEXT_A, NEXT_B, NEXT_C]
    assert m.generation != s2.data  # lossy: 'ac' and 'bc' predict differently
    assert (s2.mu >> m.encoder).matrix.reshape(-1).tolist() == MU1


def test_optimal_head_uniform_on_a_null_hidden_state():
    # a → a/b with 1/2 each, b → a surely: the context 'bb' has probability 0
    s = ExactSetting(MarkovChain([["1/2", "1/2"], [1, 0]]), 2)
    assert s.mu.matrix.reshape(-1).tolist() == [F(1, 3), F(1, 3), F(1, 3), F(0)]
    enc, table = encoder_from_keys(s, list(s.contexts.labels), "ctx")
    assert table == ("aa", "ab", "ba", "bb")
    head = optimal_head(s, enc).matrix.tolist()
    assert head == [[F(1, 2), F(1, 2)], [F(1), F(0)], [F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]]
    # the marginal head: the law of the next token
    assert optimal_head(s, Kernel.discard(s.data.dom)).matrix.tolist() == [[F(2, 3), F(1, 3)]]


def test_encoder_from_keys_numbers_keys_by_first_appearance(s1):
    enc, table = encoder_from_keys(s1, ["y", "x", "y"], "H")
    assert table == ("y", "x")
    assert enc.as_function() == {"a": "h0", "b": "h1", "c": "h0"}


def test_mixture_by_hand():
    a, b = Kernel.state([F(1), F(0), F(0)]), Kernel.uniform(Kernel.state([1, 0, 0]).cod)
    assert mixture(a, b, F(0)) == a and mixture(a, b, F(1)) == b
    assert mixture(a, b, F(3, 4)).matrix.tolist() == [[F(1, 2), F(1, 4), F(1, 4)]]


# ---------------------------------------------------------------------- claim 1
def test_claim1_verdicts_and_sizes(r1):
    assert [r.verdict for r in r1] == ["holds"] * 4
    b, lt = one(r1, "k_gen is a kernel and f_enc a pushforward (belief"), one(r1, "k_gen is a kernel and f_enc a pushforward (last")
    assert b.quantities == {"contexts": 9, "hidden states": len(BELIEF2)}
    assert lt.quantities == {"contexts": 9, "hidden states": 3}
    assert one(r1, "control: a stochastic encoder").verdict == "holds"  # the equation breaks without determinism
    assert not any(r.finding for r in r1)


# ---------------------------------------------------------------------- claim 2
def test_categorical_entropies_of_a_head_by_hand():
    p = Kernel.state([F(1, 2), F(1, 4), F(1, 4)])
    assert same(shannon_entropy(p), sp.Rational(3, 2) * sp.log(2))
    assert same(categorical_entropy(p, KL()), sp.Rational(3, 2) * sp.log(2))
    tv = categorical_entropy(p, TotalVariation())
    assert isinstance(tv, Fraction) and tv == 1 - F(1, 4) - F(1, 16) - F(1, 16)
    # Rényi-α ↦ order 2 − α: α = 2 gives H_0 = log |supp|, α = 3 gives H_{−1} = ½ log Σ 1/p = ½ log 10
    assert same(categorical_entropy(p, Renyi(2)), sp.log(3))
    assert same(categorical_entropy(p, Renyi(3)), sp.log(10) / 2)
    assert same(renyi_entropy(p, -1), sp.log(10) / 2)
    # and it is not the Shannon entropy for a non-uniform p (so the comparisons above can fail)
    assert not same(categorical_entropy(p, Renyi(2)), shannon_entropy(p))


def test_claim2_values_by_hand(r2):
    assert all(r.verdict == "holds" for r in r2) and len(r2) == 7
    # E_H H(p_H) at length 1: ½ H(3/8, 1/8, 1/2) + ½ H(1/4, 1/4, 1/2) = 7/4 log 2 − 3/16 log 3
    expected = sp.Rational(1, 2) * H_exact(NEXT_A) + sp.Rational(1, 2) * H_exact(NEXT_C)
    assert same(expected, sp.Rational(7, 4) * sp.log(2) - sp.Rational(3, 16) * sp.log(3))
    for name in ("belief state", "last token"):
        r = one(r2, f"H_KL(k_head)(h) = H(p_h), averaged = H(W_t|H_t) ({name})")
        assert same(r.quantities["E H(p_H)"], expected) and same(r.quantities["H(W_t|H_t)"], expected)
        assert r.quantities["rows"] == 3
        # TV: 1 − Σ p² of the first hidden state's row (context 'a'): 1 − (9 + 1 + 16)/64
        ex = one(r2, f"TV gives Gini–Simpson exactly ({name})").quantities["example"]
        assert isinstance(ex, Fraction) and ex == F(19, 32)


def test_claim2_related_but_distinct_is_a_finding(r2):
    f = [r for r in r2 if r.finding]
    assert len(f) == 1
    assert f[0].check == "symbolic proof for |V| = 2 and 3" and f[0].verdict == "holds"
    assert "related but distinct" in f[0].note


# ---------------------------------------------------------------------- claim 3
def test_claim3_decomposition_by_hand(r3):
    assert [r.verdict for r in r3] == ["holds"] * 3
    H12 = cond_entropy_hand(T, 2)  # H(W_3 | W_1 W_2)
    H1 = cond_entropy_hand(T, 1)  # H(W_2 | W_1) = H(W_3 | W_2) by stationarity
    b = one(r3, "CE = E KL + H(W_t|W_<t) (belief state)")
    assert same(b.quantities["H(W_t|W_<t)"], H12) and same(b.quantities["CE"], H12)
    assert same(b.quantities["E KL"], 0) and b.margin == 0
    # the last-token model predicts with P(W_3 | W_2): its KL term is H(W_3 | W_2) − H(W_3 | W_1 W_2) > 0
    lt = one(r3, "CE = E KL + H(W_t|W_<t) (last token)")
    assert same(lt.quantities["CE"], H1)
    assert same(lt.quantities["E KL"], H1 - H12)
    assert lt.margin == pytest.approx(float(H1 - H12), rel=1e-12) and lt.margin > 0


def test_claim3_almost_surely_by_hand(r3):
    r = one(r3, "KL term is zero iff")
    assert r.verdict == "holds"
    assert same(r.quantities["KL (differs off support)"], 0)
    # on the support (contexts ending in 'a', next token law (3/8, 1/8, 1/2)) the model is uniform:
    # KL = log 3 − H(3/8, 1/8, 1/2) = 11/8 log 3 − 2 log 2
    on = r.quantities["KL (differs on support)"]
    assert same(on, sp.log(3) - H_exact(NEXT_A)) and same(on, sp.Rational(11, 8) * sp.log(3) - 2 * sp.log(2))


# ---------------------------------------------------------------------- claim 4
def test_binary_entropy_and_fannes_bound_by_hand():
    with mpmath.workdps(50):
        assert h_b(mpmath.mpf(0)) == 0 and h_b(mpmath.mpf(1)) == 0
        assert abs(h_b(mpmath.mpf(1) / 2) - mpmath.log(2)) < mpmath.mpf(10) ** -45
        q = mpmath.mpf(1) / 4  # h_b(1/4) = h_b(3/4) = log 4 − ¾ log 3
        assert abs(h_b(q) - (mpmath.log(4) - 3 * mpmath.log(3) / 4)) < mpmath.mpf(10) ** -45
        assert abs(h_b(1 - q) - h_b(q)) < mpmath.mpf(10) ** -45
        for V in range(2, 7):
            top = 1 - mpmath.mpf(1) / V  # the maximum of the bound: log V, at δ = 1 − 1/|V|
            assert abs(fannes_bound(top, V) - mpmath.log(V)) < mpmath.mpf(10) ** -45
            assert fannes_bound(top + mpmath.mpf(1) / 20, V) < mpmath.log(V)  # decreasing past it
            assert fannes_bound(top - mpmath.mpf(1) / 20, V) < mpmath.log(V)


def substitution_margin(V: int) -> float:
    """The paper's bound with δ = √(KL/2) for p = point mass, q = uniform on V tokens, minus |H(p) − H(q)| = log V."""
    d = math.sqrt(math.log(V) / 2)  # KL(δ_0 ‖ uniform) = log V
    hb = -d * math.log(d) - (1 - d) * math.log(1 - d) if d < 1 else 0.0
    return d * math.log(V - 1) + hb - math.log(V)


def test_substitution_margins_by_hand():
    assert substitution_margin(4) == pytest.approx(-0.0198, abs=5e-5)
    assert all(substitution_margin(V) < 0 for V in range(2, 10))
    assert substitution_margin(10) > 0  # δ > 1 there, and δ log 9 alone exceeds log 10


@pytest.mark.parametrize("V,verdict", [(2, "fails"), (3, "fails"), (4, "fails"), (10, "holds")])
def test_claim4_substitution_counterexample(r4, V, verdict):
    r = one(r4[V], "the bound with δ := √(KL/2): counterexample")
    expected = substitution_margin(V)
    assert r.verdict == verdict and r.finding == (verdict == "fails")
    assert r.margin == pytest.approx(expected, abs=1e-12)
    assert r.quantities["|V|"] == V
    assert r.quantities["|ΔH|"] == pytest.approx(math.log(V), abs=1e-14)
    assert r.quantities["δ = √(KL/2)"] == pytest.approx(math.sqrt(math.log(V) / 2), abs=1e-14)


@pytest.mark.parametrize("V", [2, 3, 4, 10])
def test_claim4_fannes_bound_holds(r4, V):
    r = one(r4[V], "entropy gap shrinks")
    assert r.verdict == "holds" and r.margin >= 0
    assert one(r4[V], "the bound with δ := √(KL/2) along").verdict == "holds"


def test_claim4_path_of_models_by_hand(r4):
    """Length 1: the last token is the context, so the path is p_t = (1 − t/2) p_data + (t/2) uniform."""
    r = one(r4[3], "entropy gap shrinks")
    data = np.array([[float(x) for x in row] for row in (NEXT_A, NEXT_B, NEXT_C)])
    mu = np.array([float(x) for x in MU1])

    def H(p):
        return -float(np.sum(p * np.log(p)))

    kls, gaps = [], []
    for t in (1, 1 / 2, 1 / 4, 1 / 8, 1 / 16):
        model = (1 - t / 2) * data + t / 6
        kls.append(float(sum(m * np.sum(p * np.log(p / q)) for m, p, q in zip(mu, data, model))))
        gaps.append(abs(sum(m * (H(q) - H(p)) for m, p, q in zip(mu, data, model))))
    assert r.quantities["E KL along t = 1..1/16"] == pytest.approx(kls, abs=1e-13)
    assert r.quantities["entropy gaps"] == pytest.approx(gaps, abs=1e-13)
    assert all(a > b > 0 for a, b in zip(kls, kls[1:])) and all(a > b > 0 for a, b in zip(gaps, gaps[1:]))
    # for V = 10 the data is uniform i.i.d.: every model on the path equals it
    r10 = one(r4[10], "entropy gap shrinks")
    assert r10.quantities["entropy gaps"] == [0.0] * 5 and r10.margin == 0


# ---------------------------------------------------------------------- claim 5
def test_surplus_zero_for_an_order1_chain():
    mc = MarkovChain([["1/2", "1/4", "1/4"], ["1/3", "1/3", "1/3"], ["1/10", "3/10", "3/5"]])
    C = words(2)
    t = surplus_table(mc, 2, [c[-1] for c in C], [1, 2, 3, 4])
    assert max(abs(x) for x in t["surplus"]) < 1e-12
    assert max(abs(x) for x in t["cmi"]) < 1e-12
    # H = last token is sufficient for an order-1 chain: I(H; future) = I(X; future)
    assert t["I(H;W_t:t+K-1)"] == pytest.approx(t["I(X;future)"], abs=1e-12)
    assert min(t["I(H;W_t)"]) > 0


def test_surplus_of_a_deterministic_cycle():
    # a → b → c → a: the last token determines the whole future; uniform stationary law
    t = surplus_table(MarkovChain([[0, 1, 0], [0, 0, 1], [1, 0, 0]]), 1, [0, 1, 2], [1, 2, 3])
    assert t["K"] == [1, 2, 3]
    for key in ("I(H;W_t:t+K-1)", "I(H;W_t)", "I(X;future)"):
        assert t[key] == pytest.approx([math.log(3)] * 3, abs=1e-14)
    assert t["surplus"] == pytest.approx([0, 0, 0], abs=1e-14) and t["H(rest|W_t)"] == pytest.approx([0, 0, 0], abs=1e-14)


def test_surplus_of_an_iid_source_and_a_constant_statistic():
    t = surplus_table(MarkovChain([["1/5", "4/5"]], order=0), 2, [0, 1, 2, 3], [1, 2, 3])
    assert max(abs(x) for x in t["I(H;W_t:t+K-1)"] + t["surplus"] + t["I(X;future)"]) < 1e-14
    hb = -(0.2 * math.log(0.2) + 0.8 * math.log(0.8))
    assert t["H(rest|W_t)"] == pytest.approx([0, hb, 2 * hb], abs=1e-13)  # H(W_{t+1:t+K−1} | W_t) = (K − 1) h(1/5)
    # the HMM with a statistic that forgets everything: no information, no surplus
    c = surplus_table(T, 1, ["same"] * 3, [1, 2, 3])
    assert max(abs(x) for x in c["I(H;W_t:t+K-1)"] + c["surplus"]) < 1e-14


def test_surplus_positive_for_the_hmm_by_hand():
    # length 1, H = the token: Surplus_2 = I(W_1; W_3 | W_2), from the string probabilities
    hand = cmi_hand({(w[0], w[1], w[2]): float(T.prob(w)) for w in words(3)})
    t = surplus_table(T, 1, [0, 1, 2], [1, 2, 3, 4])
    assert hand > 1e-3
    assert t["surplus"][0] == pytest.approx(0, abs=1e-15)
    assert t["surplus"][1] == pytest.approx(hand, abs=1e-13)
    assert t["cmi"] == pytest.approx(t["surplus"], abs=1e-12)
    s = t["surplus"]
    assert all(a < b for a, b in zip(s, s[1:]))  # strictly increasing for the HMM
    assert all(x <= h + 1e-12 <= (k - 1) * math.log(3) + 1e-12 for x, h, k in zip(s, t["H(rest|W_t)"], t["K"]))


def test_claim5_verdicts_and_surpluses_by_hand(r5):
    res, tables = r5
    assert [r.verdict for r in res] == ["holds"] * 7 and not any(r.finding for r in res)
    assert one(res, "surplus: order-1 chain, H = last token").quantities["surplus_K"] == [0.0] * 6
    for name in ("HMM, H = belief state", "HMM, H = last token", "order-2 chain, H = last token"):
        s = one(res, f"surplus: {name}").quantities["surplus_K"]
        assert s[0] == 0 and all(x > 0 for x in s[1:])
    # an order-2 chain: given W_t the future depends on the past only through the last token, so H = last token and
    # H = last two tokens have the same surplus, constant in K ≥ 2
    s1, s2 = tables["order-2 chain, H = last token"]["surplus"], tables["order-2 chain, H = last two tokens"]["surplus"]
    assert s1 == pytest.approx(s2, abs=1e-12) and s1[1:] == pytest.approx([s1[1]] * 5, abs=1e-12)
    # last token at length 2: Surplus_2 = I(W_2; W_4 | W_3) = I(W_1; W_3 | W_2) by stationarity
    hand = cmi_hand({(w[0], w[1], w[2]): float(T.prob(w)) for w in words(3)})
    assert tables["HMM, H = last token"]["surplus"][1] == pytest.approx(hand, abs=1e-13)
    # belief state at length 2: Surplus_2 = I(B; W_4 | W_3), B grouped by the hand-derived beliefs
    group = {c: k for k, cs in BELIEF2.items() for c in cs}
    joint: dict = {}
    for x in words(2):
        for w3, w4 in itertools.product("abc", repeat=2):
            key = (group[x], w3, w4)
            joint[key] = joint.get(key, 0.0) + float(T.prob(x + w3 + w4))
    hand_b = cmi_hand(joint)
    assert tables["HMM, H = belief state"]["surplus"][1] == pytest.approx(hand_b, abs=1e-13)
    assert one(res, "chain rule, exactly").quantities["Surplus_2"] == pytest.approx(hand_b, abs=1e-13)
    # DPI: the belief state keeps all the information about the future, the last token strictly less
    tb, tl = tables["HMM, H = belief state"], tables["HMM, H = last token"]
    assert tb["I(H;W_t:t+K-1)"] == pytest.approx(tb["I(X;future)"], abs=1e-12)
    assert all(a < b for a, b in zip(tl["I(H;W_t:t+K-1)"], tl["I(X;future)"]))


def test_claim5_length1_last_token_is_lossless():
    # at length 1 the context *is* its last token: I(last token; future) = I(X; future) exactly (DPI with equality)
    t = surplus_table(T, 1, [0, 1, 2], [1, 2, 3])
    assert t["I(H;W_t:t+K-1)"] == pytest.approx(t["I(X;future)"], abs=1e-14)


def test_claim5_dpi_not_reported_failing_at_length1():
    res, _ = claim5_exact(T, 1, (1, 2, 3))
    assert one(res, "DPI").verdict != "fails"


# ---------------------------------------------------------------------- the log-linear toy
def test_log_linear_toy_by_hand(toy1):
    # h = 2(b_0 − b_1, b_1 − b_1) for the beliefs (3/4, 1/4), (1/4, 3/4), (1/2, 1/2)
    assert toy1.hidden == [(F(1), F(0)), (F(-1), F(0)), (F(0), F(0))]
    assert toy1.mu_h == MU1
    # W[w][j] = ((3w + 2j) mod 5 − 2) / (1 + j)
    assert toy1.W == [[F(-2), F(0)], [F(1), F(-1)], [F(-1), F(1, 2)]]
    assert (toy1.d, toy1.V) == (2, 3)
    assert toy1.data_given_h() == [NEXT_A, NEXT_B, NEXT_C]
    with mpmath.workdps(50):
        p = toy1.head_probs()
        assert all(abs(p[2][i] - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -45 for i in range(3))  # h = 0: uniform
        z = [-2, 1, -1]  # W (1, 0)
        Z = sum(mpmath.exp(x) for x in z)
        assert all(abs(p[0][i] - mpmath.exp(z[i]) / Z) < mpmath.mpf(10) ** -45 for i in range(3))


# ---------------------------------------------------------------------- claim 6
def test_fisher_metric_at_uniform_by_hand(toy1):
    # at h = 0, p is uniform: g* = Wᵀ (I/3 − 11ᵀ/9) W, a rational matrix
    W = toy1.W
    C = [[(F(1, 3) if i == j else 0) - F(1, 9) for j in range(3)] for i in range(3)]
    g = [[sum(W[i][a] * C[i][j] * W[j][b] for i in range(3) for j in range(3)) for b in range(2)] for a in range(2)]
    v = (1, -2)
    assert sum(v[a] * g[a][b] * v[b] for a in range(2) for b in range(2)) == F(50, 9)  # Var_uniform(W v) = Var(−2, 3, −2)
    with mpmath.workdps(50):
        G = fisher_metric(toy1.Wm(), mpmath.matrix([0, 0]))
        assert all(abs(G[a, b] - mpmath.mpf(g[a][b].numerator) / g[a][b].denominator) < mpmath.mpf(10) ** -45
                   for a in range(2) for b in range(2))
        s = softmax(toy1.Wm(), mpmath.matrix([0, 0]))
        assert all(abs(s[i] - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -45 for i in range(3))


def test_claim6_by_hand(geo, toy1):
    r6 = geo[6]
    assert [r.verdict for r in r6] == ["holds"] * 3
    # KL(p_{εv} ‖ p_0) = ½ε² Var(u) + ε³ κ₃(u)/3 + O(ε⁴) with u = W v = (−2, 3, −2) under the uniform law:
    # centred u = (−5, 10, −5)/3, κ₃ = (1/3)(−125 + 1000 − 125)/27 = 250/27, so the cubic coefficient is 250/81
    i0 = toy1.hidden.index((F(0), F(0)))
    assert r6[0].quantities["cubic coefficients"][i0] == pytest.approx(250 / 81, rel=1e-4)
    assert 0 < r6[0].margin <= 1e-3
    ranks = one(r6, "rank g*(h)").quantities["(d, rank)"]
    assert [d for d, _ in ranks] == [2, toy1.V + 1]
    # diag p − ppᵀ kills the constant vector: rank ≤ |V| − 1 = 2 even when d = 4
    assert all(r <= min(d, toy1.V - 1) for d, r in ranks) and dict(ranks)[toy1.V + 1] == toy1.V - 1


# ---------------------------------------------------------------------- claim 7
def test_hellinger_constant_by_hand():
    p, q = Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])
    d2 = Hellinger(scale=2)(p, q)  # 2(1 − BC) with BC = 1/√2
    assert same(d2, 2 - sp.sqrt(2))
    assert same(KL()(p, q), sp.log(2))
    assert 2 - math.sqrt(2) > math.log(2) / 2  # C = 1/2 fails
    assert 2 - math.sqrt(2) <= math.log(2)  # C = 1 holds here
    # along p = (1, 0), q = (1 − ε, ε): d_H² / KL = 2(1 − √(1 − ε)) / (−log(1 − ε)) → 1
    with mpmath.workdps(30):
        eps = mpmath.mpf(1) / 1000
        ratio = 2 * (1 - mpmath.sqrt(1 - eps)) / -mpmath.log(1 - eps)
        assert mpmath.mpf("0.999") < ratio < 1
    assert kl_bound(Hellinger(scale=2, squared=False), 2).constant == 1
    assert kl_bound(Hellinger(scale=1, squared=False), 2).constant == F(1, 2)
    assert find_kl_bound_violation(Hellinger(scale=2, squared=False), 2, F(1)) is None
    v = find_kl_bound_violation(Hellinger(scale=2, squared=False), 2, F(1, 2))
    assert v is not None and not v.holds


def test_claim7_by_hand(geo, toy1):
    r7 = geo[7]
    assert [r.verdict for r in r7] == ["holds"] * 7 + ["fails"]
    # L = E_h KL(P_data(·|h) ‖ softmax(W h)), recomputed in float64
    L = sum(float(m) * sum(float(a) * math.log(float(a) / b) for a, b in zip(row, softmax_np(toy1.W, h)))
            for m, row, h in zip(toy1.mu_h, toy1.data_given_h(), toy1.hidden))
    for label, C in [("TV, k = 2, C = 1/2", 0.5), ("Hellinger √(1−BC), k = 2, C = 1/2", 0.5), ("Hellinger √(2(1−BC)), k = 2, C = 1", 1.0)]:
        r = one(r7, f"E d^k ≤ C·L with the sharp C ({label})")
        assert r.quantities["C·L"] == pytest.approx(C * L, rel=1e-12)
        assert r.margin == pytest.approx(r.quantities["C·L"] - r.quantities["E d^k"], abs=1e-12) and r.margin > 0
    # d_H² = 2(1 − BC) is twice 1 − BC, so E d^2 doubles between the two Hellinger normalisations
    e1 = one(r7, "E d^k ≤ C·L with the sharp C (Hellinger √(1−BC)").quantities["E d^k"]
    e2 = one(r7, "E d^k ≤ C·L with the sharp C (Hellinger √(2(1−BC))").quantities["E d^k"]
    assert e2 == pytest.approx(2 * e1, rel=1e-12)
    last = one(r7, "the paper's constant")
    assert last.finding and last.verdict == "fails"
    p = [float(F(x)) for x in last.quantities["p"]]
    q = [float(F(x)) for x in last.quantities["q"]]
    d2 = 2 * (1 - sum(math.sqrt(a * b) for a, b in zip(p, q)))
    half_kl = 0.5 * sum(a * math.log(a / b) for a, b in zip(p, q) if a > 0)
    assert last.quantities["d_H²"] == pytest.approx(d2, abs=1e-14) and last.quantities["½ KL"] == pytest.approx(half_kl, abs=1e-14)
    assert last.margin == pytest.approx(half_kl - d2, abs=1e-14) and last.margin < 0
    assert d2 <= 2 * half_kl  # the same pair satisfies the sharp constant C = 1


# ---------------------------------------------------------------------- claim 8
def test_claim8_by_hand(geo, toy1):
    (r,) = geo[8]
    assert r.verdict == "holds" and r.margin > 0
    # recompute (d_FR, length) for the first pair (h_0, h_{n−1}) with Gauss–Legendre in float64
    Wn = np.array([[float(x) for x in row] for row in toy1.W])
    h, h2 = (np.array([float(x) for x in toy1.hidden[i]]) for i in (0, len(toy1.hidden) - 1))
    p, q = softmax_np(toy1.W, h), softmax_np(toy1.W, h2)
    dfr = 2 * math.acos(min(1.0, float(np.sum(np.sqrt(p * q)))))
    x, w = np.polynomial.legendre.leggauss(60)
    D = h2 - h

    def speed(t):
        pt = softmax_np(toy1.W, h + t * D)
        g = Wn.T @ (np.diag(pt) - np.outer(pt, pt)) @ Wn
        return math.sqrt(D @ g @ D)

    length = 0.5 * sum(wi * speed((xi + 1) / 2) for xi, wi in zip(x, w))
    assert r.quantities["(d_FR, length)"][0] == pytest.approx((dfr, length), rel=1e-10)
    assert length > dfr


def test_claim8_is_tight_for_two_tokens(r8_binary):
    """|V| = 2: the segment's image is a monotone path in the 1-simplex, whose Fisher–Rao length is the distance."""
    (r,) = r8_binary
    assert r.verdict == "holds"
    assert abs(r.margin) < 1e-20
    for dfr, length in r.quantities["(d_FR, length)"]:
        assert dfr > 0 and length == pytest.approx(dfr, rel=1e-14)


# ---------------------------------------------------------------------- claims 9 and 10
def jeffreys_gram(rows, beta) -> np.ndarray:
    P = np.array(rows, dtype=float)
    J = np.array([[float(np.sum((p - q) * np.log(p / q))) for q in P] for p in P])
    return np.exp(-beta * J)


def test_jeffreys_counterexample_by_hand():
    rows, beta, lam = jeffreys_counterexample()
    assert rows == [[F(1, 5), F(4, 5)], [F(1, 40), F(39, 40)], [F(1, 1000), F(999, 1000)]] and beta == F(1, 2)
    G = jeffreys_gram(rows, 0.5)
    ev = np.linalg.eigvalsh(G)
    assert ev[0] == pytest.approx(-0.01761, abs=1e-5)
    assert float(lam) == pytest.approx(ev[0], abs=1e-12)
    # by hand: unit diagonal, off-diagonal a, b, c in (0, 1) and det = 1 + 2abc − a² − b² − c² < 0 ⟹ one negative eigenvalue
    with mpmath.workdps(40):
        P = [[mpmath.mpf(x.numerator) / x.denominator for x in r] for r in rows]

        def k(i, j):
            return mpmath.exp(-mpmath.mpf(1) / 2 * mpmath.fsum((P[i][t] - P[j][t]) * mpmath.log(P[i][t] / P[j][t]) for t in range(2)))

        a, b, c = k(0, 1), k(0, 2), k(1, 2)
        det = 1 + 2 * a * b * c - a**2 - b**2 - c**2
        assert det < 0 and abs(det - mpmath.mpf(float(np.prod(ev)))) < 1e-12


def test_claim9_by_hand(geo, toy1):
    r9 = geo[9]
    assert [r.verdict for r in r9] == ["holds"] * 6 and not any(r.finding for r in r9)
    P = np.array([softmax_np(toy1.W, h) for h in toy1.hidden])
    S = np.sqrt(P)
    grams = {"K_BC": S @ S.T, "K_Lin": P @ P.T}
    for name, G in grams.items():
        r = one(r9, f"{name} is PSD")
        assert r.quantities["λ_min"] == pytest.approx(float(np.linalg.eigvalsh(G)[0]), abs=1e-9)
        assert r.quantities["points"] == 3
    j = one(r9, "exp(−β Jeffreys)")
    assert j.quantities["λ_min"] == pytest.approx(float(np.linalg.eigvalsh(jeffreys_gram(
        [[F(x) for x in r] for r in j.quantities["distributions"]], float(F(j.quantities["β"]))))[0]), abs=1e-12)
    assert j.quantities["λ_min"] < 0
    assert one(r9, "d_H² = 2(1 − K_BC)").verdict == "holds"


def test_claim10_by_hand(geo, toy1):
    r10 = geo[10]
    assert [r.verdict for r in r10] == ["holds"] * 4 + ["fails"]
    P = np.array([softmax_np(toy1.W, h) for h in toy1.hidden])
    mu = np.array([float(m) for m in toy1.mu_h])
    # the head rows are rounded to 6 digits inside the check: compare to 1e-5
    assert one(r10, "trace identity").quantities["trace"] == pytest.approx(float(np.sum(mu * np.sum(P * P, 1))), abs=1e-5)
    H = np.array([[float(x) for x in h] for h in toy1.hidden])
    K = P @ P.T
    tower = float(np.sum(np.outer(mu, mu) * K * (H @ H.T)))
    assert one(r10, "tower identity").quantities["value"] == pytest.approx(tower, abs=1e-5)
    f = H[:, 0]
    dirichlet = 0.5 * float(np.sum(np.outer(mu, mu) * K * (f[:, None] - f[None, :]) ** 2))
    assert one(r10, "Dirichlet identity").quantities["value"] == pytest.approx(dirichlet, abs=1e-5)
    lo = one(r10, "M = K̃ diag(μ) has a real").quantities["min eigenvalue"]
    assert lo == pytest.approx(float(min(np.linalg.eigvals(K @ np.diag(mu)).real)), abs=1e-5) and lo > 0
    # the non-PSD counterexample: M = G diag(1/3) has the eigenvalues of G divided by 3
    last = one(r10, "non-negative spectrum from boundedness")
    rows, _, _ = jeffreys_counterexample()
    expected = float(np.linalg.eigvalsh(jeffreys_gram(rows, 0.5))[0]) / 3
    assert expected == pytest.approx(-0.00587, abs=1e-5)
    assert last.quantities["smallest eigenvalue of M"] == pytest.approx(expected, abs=1e-12)
    assert last.margin == pytest.approx(expected, abs=1e-12) and last.finding


def test_claim10_rank_deficient_operator(toy2):
    """5 hidden states but |V| = 3: M = P Pᵀ diag(μ) has rank ≤ 3, so its smallest eigenvalue is 0."""
    assert len(toy2.hidden) == 5
    r = one(claim10_exact(toy2), "M = K̃ diag(μ) has a real")
    assert r.verdict == "holds" and abs(r.quantities["min eigenvalue"]) < 1e-15
    assert r.quantities["size"] == 5 and r.quantities["V × V form"] == 3


# ---------------------------------------------------------------------- claim 11
def test_claim11_by_hand(geo, toy1):
    r11 = geo[11]
    assert [r.verdict for r in r11] == ["holds"] * 5
    W, hs, mu = toy1.W, toy1.hidden, toy1.mu_h
    data = [NEXT_A, NEXT_B, NEXT_C]
    # NLL of the log-linear head against the data, float64
    nll = -sum(float(m) * sum(float(a) * math.log(b) for a, b in zip(row, softmax_np(W, h))) for m, row, h in zip(mu, data, hs))
    r = one(r11, "NLL = ")
    assert r.quantities["NLL"] == pytest.approx(nll, rel=1e-13) and r.quantities["residual"] < 1e-40
    # ḡ_h = Wᵀ P_data(·|h): (−9/8, 1/8), (−3/8, −1/8), (−3/4, 0); E[h ḡᵀ] = ((−3/16, 1/16), (0, 0)) ⟹ J = 10/256
    gbar = [[sum(W[w][j] * row[w] for w in range(3)) for j in range(2)] for row in data]
    assert gbar == [[F(-9, 8), F(1, 8)], [F(-3, 8), F(-1, 8)], [F(-3, 4), F(0)]]
    cross = [[sum(m * h[a] * g[b] for m, h, g in zip(mu, hs, gbar)) for b in range(2)] for a in range(2)]
    J = sum(x * x for row in cross for x in row)
    assert J == F(5, 128)
    assert one(r11, "J = ").quantities["J"] == float(J)
    # centred ḡ: (−3/8, 1/8), (3/8, −1/8), (0, 0); its covariance has trace 5/64 = the sum of the top-d (all d = 2) eigenvalues
    ky = one(r11, "Ky Fan")
    assert ky.quantities["Σ top-d λ"] == pytest.approx(5 / 64, abs=1e-15)
    # h = 2(b_0 − b_1, 0) is affine in the belief like ḡ: it attains the bound (margin 0); the nonlinear features
    # (h_0², 0) are symmetric in h_0 ↦ −h_0 while centred ḡ is odd: zero cross-covariance, J = 0
    assert ky.quantities["J(h)"] == pytest.approx(5 / 64, abs=1e-15) and abs(ky.margin) < 1e-15
    assert ky.quantities["J(nonlinear h)"] == pytest.approx(0, abs=1e-15)
    eq = one(r11, "equality iff")
    assert eq.quantities["J(ḡ)"] == pytest.approx(5 / 64, abs=1e-15) and "attains the bound" in eq.note
    # log Z at h = (1, 0), (−1, 0), 0: logits (−2, 1, −1), (2, −1, 1), 0
    logZ = [math.log(math.exp(-2) + math.e + math.exp(-1)), math.log(math.exp(2) + math.exp(-1) + math.e), math.log(3)]
    lz = one(r11, "log Z is bounded")
    assert lz.quantities["range of log Z"] == pytest.approx([math.log(3), logZ[1]], abs=1e-14)
    mean = sum(float(m) * z for m, z in zip(mu, logZ))
    assert lz.quantities["Var log Z"] == pytest.approx(sum(float(m) * (z - mean) ** 2 for m, z in zip(mu, logZ)), rel=1e-12)
    # |log Z(h) − log |V|| ≤ ‖W h‖_∞
    assert all(abs(z - math.log(3)) <= max(abs(x) for x in zs) for z, zs in zip(logZ, [(-2, 1, -1), (2, -1, 1), (0, 0, 0)]))
