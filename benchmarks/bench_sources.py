"""HMM laws, likelihoods, filtering and sampling against hmmlearn (the library a user would pick).

Every answer is checked against hmmlearn's in the same run before anything is timed.  hmmlearn runs
with ``implementation="scaling"`` (faster than its default ``"log"`` on these cases, so the stronger
baseline).

* the exact law of every length-6 sequence of the default HMM (``block_law(6)``: 4096 Fractions) against
  hmmlearn's ``score`` called once per sequence (floats); ``block_law(8)`` (65,536 sequences) is reported;
* the exact ``prob()`` of 100 sampled sequences of 50 tokens against a ``score`` loop over them;
* float log-likelihoods of 10^4 sequences of 100 tokens from a 64-state, 16-token HMM (``log_prob``)
  against one ``score(X, lengths)`` call, and the growth from 10^3 to 10^4 sequences (linear: ×10);
* sampling 10^5 tokens (as 100 sequences and as one) against hmmlearn's ``sample`` (one sequence).

``python -m benchmarks sources [--quick]`` (``--quick``: 10^3 filtered sequences, fewer rounds).
"""

from __future__ import annotations

import itertools
import math
import sys
import time
from typing import Any

import numpy as np

from benchmarks.common import Row, compare, finish, paired, parser, ratio_row, reported
from catkit.sources import HMM, FiniteStateSource, default_source
from catkit.sources.probs import to_float


def hmmlearn_model(src: HMM) -> Any:
    """The same HMM in hmmlearn (its start law, transition and emission as floats)."""
    from hmmlearn.hmm import CategoricalHMM

    m = CategoricalHMM(n_components=src.S, implementation="scaling")
    m.startprob_, m.transmat_ = to_float(src.initial), to_float(src._A)
    m.emissionprob_, m.n_features = to_float(src._B), src.V
    return m


def random_hmm(S: int, V: int, seed: int) -> HMM:
    rng = np.random.default_rng(seed)
    A = rng.random((S, S)) ** 4  # uneven rows, as a trained model has
    B = rng.random((S, V)) ** 4
    pi = rng.random(S)
    return HMM(A / A.sum(1, keepdims=True), B / B.sum(1, keepdims=True), pi / pi.sum())


def check(what: str, ok: bool) -> None:
    if not ok:
        raise AssertionError(f"catkit and hmmlearn disagree on {what}: nothing timed")


def laws(rounds: int) -> list[Row]:
    src = default_source()
    m = hmmlearn_model(src)
    seqs = [np.array(s).reshape(-1, 1) for s in itertools.product(range(src.V), repeat=6)]
    law = src.block_law(6)
    check("the length-6 law", np.allclose(np.exp([m.score(s) for s in seqs]), law.to("numpy").matrix.ravel(), rtol=1e-10, atol=0))
    rows = [compare("exact law of all 4096 length-6 sequences (block_law(6))", lambda: src.block_law(6),
                    "hmmlearn score loop (floats)", lambda: [m.score(s) for s in seqs], 0.1, rounds=rounds)]
    t0 = time.perf_counter()
    src.block_law(8)
    rows.append(reported("exact block_law(8): 65,536 sequences (9.7 s before issue 16)", time.perf_counter() - t0))

    X = src.sample(100, 50, seed=0)
    ctxs = [tuple(x) for x in X.tolist()]
    cols = [x.reshape(-1, 1) for x in X]
    check("prob() of 50-token sequences", np.allclose([math.log(src.prob(c)) for c in ctxs], [m.score(c) for c in cols], rtol=1e-10, atol=0))
    rows.append(compare("exact prob() of 100 sequences x 50 tokens", lambda: [src.prob(c) for c in ctxs],
                        "hmmlearn score loop (floats)", lambda: [m.score(c) for c in cols], 1.0, rounds=rounds))
    return rows


def filtering(quick: bool, rounds: int) -> list[Row]:
    src = random_hmm(64, 16, 0)
    m = hmmlearn_model(src)
    L, big, small = 100, 10**3 if quick else 10**4, 10**2 if quick else 10**3
    X = src.sample(big, L, seed=1)
    flat, lengths = X.reshape(-1, 1), [L] * big
    check("log-likelihoods", bool(np.isclose(src.log_prob(X).sum(), m.score(flat, lengths), rtol=1e-10, atol=0)))
    check("per-sequence log-likelihoods", np.allclose(src.log_prob(X[:20]), [m.score(x.reshape(-1, 1)) for x in X[:20]], rtol=1e-10, atol=0))
    rows = [compare(f"float log-likelihood, 64 states, {big} x {L} tokens (log_prob)", lambda: src.log_prob(X),
                    "hmmlearn score(X, lengths), scaling", lambda: m.score(flat, lengths), 1.0, rounds=rounds)]
    Xs = X[:small]
    t_big, t_small = paired(lambda: src.log_prob(X), lambda: src.log_prob(Xs), rounds=rounds)
    rows.append(ratio_row(f"log_prob time, {big} vs {small} sequences (linear: 10)", t_big / t_small, "x10 batch", 10.0, 1.3, unit="x"))
    generic = FiniteStateSource(src.initial, src.transitions)
    generic.machine.steps.factored = False  # a machine that is not state-emitting: one product per distinct token
    check("the per-token steps", np.allclose(generic.log_prob(Xs), src.log_prob(Xs), rtol=1e-12, atol=0))
    rows.append(compare(f"same, a machine that is not state-emitting (per-token products), {big} x {L}",
                        lambda: generic.log_prob(X), "hmmlearn score(X, lengths), scaling", lambda: m.score(flat, lengths), 1.0,
                        rounds=rounds))
    t0 = time.perf_counter()
    src.filter(Xs)
    rows.append(reported(f"filter() with next-token laws and beliefs, {small} x {L}", time.perf_counter() - t0))
    return rows


def sampling(rounds: int) -> list[Row]:
    src = default_source()
    m = hmmlearn_model(src)
    return [compare("sample 10^5 tokens (100 x 1000, default HMM)", lambda: src.sample(100, 1000, seed=0),
                    "hmmlearn sample(10^5)", lambda: m.sample(10**5, random_state=0), 1.0, rounds=rounds),
            compare("sample 10^5 tokens as one sequence", lambda: src.sample(1, 10**5, seed=0),
                    "hmmlearn sample(10^5)", lambda: m.sample(10**5, random_state=0), 1.0, rounds=rounds)]


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__).parse_args(argv)
    try:
        import hmmlearn  # noqa: F401
    except ImportError:
        print("hmmlearn is not installed (pip install hmmlearn, or the dev extra): nothing to compare against")
        return 1
    rounds = 2 if args.quick else 3
    rows = laws(rounds) + filtering(args.quick, rounds) + sampling(rounds)
    return finish("HMM laws, likelihoods and sampling against hmmlearn (bench_sources)", rows)


if __name__ == "__main__":
    sys.exit(main())
