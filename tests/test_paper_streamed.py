"""The large preset's streamed checks, at reduced size on CPU: the source, the presets, the checks end to end,
their agreement with direct (N × d) computations on the same contexts, and that nothing N × N is created."""

from __future__ import annotations

import math
from dataclasses import replace

import mpmath
import numpy as np
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from catkit.info.bounds import fannes_bound
from catkit.lm import TinyGPT
from catkit.lm.adapters import as_adapter
from catkit.lm.defaults import DEFAULT_MODEL, DEFAULT_TRAIN
from catkit.lm.trainer import train
from catkit.paper.geometry import alignment
from catkit.paper.result import VERDICTS
from catkit.paper.setting import LMSetting, decomposition
from catkit.paper.streamed import PRESETS, ScalePreset, large_source, reduced, streamed_checks
from catkit.paper.training import DEFAULT_SNAPSHOTS
from catkit.sources import HMM

N = 3000  # sampled contexts of the reduced runs
BATCH = 1000


# ---------------------------------------------------------------------- the source and the presets
def test_large_source_is_a_valid_deterministic_hmm() -> None:
    src = large_source()
    assert isinstance(src, HMM) and src.V >= 256 and src.S == 8 and not src.exact
    T = src.transitions
    assert np.allclose(T.sum(axis=(0, 2)), 1.0) and (T >= 0).all()
    B = src.emission_kernel().matrix
    assert (B > 0).all() and np.allclose(B.sum(1), 1.0)
    # each state emits mostly from its own block of 32 tokens, and stays put most of the time
    assert all(B[s, 32 * s : 32 * (s + 1)].sum() > 0.9 for s in range(8))
    A = src.transition_kernel().matrix
    assert (np.diag(A) >= 0.85).all()
    assert src.spec() == large_source().spec() and src.spec() != large_source(seed=1).spec()
    assert np.array_equal(src.sample(5, 10, seed=3), large_source().sample(5, 10, seed=3))
    small = large_source(vocab=10, states=3, seed=2)
    assert (small.V, small.S) == (10, 3) and (small.emission_kernel().matrix > 0).all()
    with pytest.raises(ValueError):
        large_source(vocab=4, states=8)


def test_presets() -> None:
    small, large = PRESETS["small"], PRESETS["large"]
    assert (small.model_config, small.train_config, small.length) == (DEFAULT_MODEL, DEFAULT_TRAIN, 3)
    assert small.snapshots == tuple(DEFAULT_SNAPSHOTS) and small.make_source().name == "default" and small.n_contexts is None
    assert large.vocab >= 256 and large.make_source().V == large.vocab
    assert large.n_contexts is not None and large.n_contexts >= 10**6
    assert large.model_config.n_positions >= large.length + 1 and large.train_config.steps >= 1000
    assert large.snapshots[0] == 0 and large.snapshots[-1] == large.train_config.steps
    assert 10**5 <= TinyGPT(large.model_config).num_parameters() < 10**6
    p = reduced(large, vocab=16, d_model=16, steps=30, n_contexts=N)
    assert (p.vocab, p.make_source().V, p.model_config.d_model, p.train_config.steps, p.n_contexts) == (16, 16, 16, 30, N)
    assert p.snapshots[0] == 0 and p.snapshots[-1] == 30 and p.train_config.warmup <= 3 and p.length == large.length
    assert reduced(p, length=2).length == 2 and replace(p, n_contexts=5).n_contexts == 5
    with pytest.raises(ValueError):
        ScalePreset("bad", "large", {}, large.model_config, large.train_config, 100, 10)  # contexts longer than the model


# ---------------------------------------------------------------------- the reduced large preset end to end
@pytest.fixture(scope="module")
def setup() -> dict:
    p = reduced(PRESETS["large"], vocab=16, d_model=16, steps=30, n_contexts=N)
    src = p.make_source()
    model = TinyGPT(p.model_config, seed=p.train_config.seed)
    untrained = TinyGPT(p.model_config, seed=p.train_config.seed)  # the step-0 snapshot
    train(model, src, p.train_config, progress=False)
    res, data = streamed_checks(model, untrained, src, p.length, p.n_contexts, batch_size=BATCH)
    return {"preset": p, "source": src, "model": model, "untrained": untrained, "res": res, "data": data}


def _find(res: list, claim: int, prefix: str) -> list:
    out = [r for r in res if r.claim == claim and r.check.startswith(prefix)]
    assert out, (claim, prefix)
    return out


def test_streamed_checks_end_to_end(setup: dict) -> None:
    res, data = setup["res"], setup["data"]
    assert {r.claim for r in res} == {3, 4, 11, 12} and all(r.mode == "lm" and r.verdict in VERDICTS for r in res)
    assert data["count"] == N and data["V"] == 16 and data["d"] == 16 and data["length"] == setup["preset"].length
    # the identities hold on the sums
    (c3,) = _find(res, 3, "CE = E KL")
    assert c3.verdict == "holds" and c3.control_verdict == "fails" and set(c3.quantities) == {"trained", "untrained"}
    assert abs(data["CE"] - data["KL"] - data["H"]) < 1e-9 and data["KL"] > 0
    assert 0 < data["CE_se"] < 0.05 and 0 < data["KL_se"] < 0.05
    assert all(r.verdict == "holds" for r in _find(res, 11, ""))  # NLL identity, Ky Fan, Var log Z > 0
    assert not any(r.control_defect for r in res) and all(r.decided_by.startswith(("float64", "sampled", "—")) for r in res)
    assert abs(data["NLL"] - (data["-E<g,h>"] + data["logz_mean"])) < 1e-9
    # Fannes–Audenaert with δ = TV holds on every context, for both models
    (tv,) = _find(res, 4, "Fannes–Audenaert bound (δ = TV) on every context")
    assert tv.verdict == "holds" and all(q["violations"] == 0 for q in tv.quantities.values())
    assert _find(res, 4, "the corrected substitution δ := min(√(KL/2), 1 − 1/|V|) on every context")[0].verdict == "holds"
    assert data["violations_tv"] == 0 and data["untrained"]["violations_tv"] == 0
    assert data["bound_tv"] >= data["E_gap"] >= data["gap_of_means"] - 1e-12
    # δ = √(KL/2) ≥ TV (Pinsker), so the substituted bound's δ is never smaller than the TV one's
    assert data["E_delta_sub"] >= data["E_tv"] - 1e-12
    # 30 steps of training already lower the KL term and raise the alignment
    assert data["KL"] < data["KL_untrained"]
    assert data["trained"]["J"] <= data["trained"]["kyfan"] * (1 + 1e-9)
    assert isinstance(data["summary"], str) and f"{N:,}" in data["summary"]


def test_fannes_tv_on_every_sampled_context_directly(setup: dict) -> None:
    """Recompute, outside the streamed code, the bound on the same sampled contexts (mpmath's fannes_bound)."""
    src, model = setup["source"], setup["model"]
    a = as_adapter(model)
    W = a.W.double()
    worst = math.inf
    for b in src.sample_context_batches(N, setup["preset"].length, BATCH, seed=0):
        h, _ = a.last(torch.as_tensor(b.ids))
        p = torch.softmax(h.double() @ W.T, -1).numpy()
        q = b.next_probs
        hp, hq = -(p * np.log(p)).sum(1), -(q * np.log(q)).sum(1)
        tv = 0.5 * np.abs(p - q).sum(1)
        with mpmath.workdps(30):  # an independent evaluation of δ log(|V|−1) + h_b(δ)
            bound = np.array([float(d * mpmath.log(src.V - 1) - mpmath.fsum([x * mpmath.log(x) for x in (mpmath.mpf(float(d)),
                              1 - mpmath.mpf(float(d))) if x > 0])) for d in tv])
        assert np.allclose(bound, fannes_bound(tv, src.V), atol=1e-12)
        worst = min(worst, float((bound - np.abs(hp - hq)).min()))
    assert worst >= 0


def test_streamed_moments_match_a_direct_computation_on_all_contexts(setup: dict) -> None:
    """Over all V^2 = 256 contexts of length 2 (exact law) the streamed d × d moments give exactly what
    the LM setting computes from the N × d table of hidden states."""
    src, model, untrained = setup["source"], setup["model"], setup["untrained"]
    res, data = streamed_checks(model, untrained, src, 2, None, batch_size=100)
    assert data["count"] == 256 and not data["sampled"]
    s = LMSetting(src, model, 2)
    W = s.lk.W.double().cpu().numpy()
    G = s.data.matrix.cpu().numpy() @ W
    w = s.weights.cpu().numpy()
    for key, m in (("trained", model), ("untrained_alignment", untrained)):
        direct = alignment(LMSetting(src, m, 2).lk.hidden_states.double().cpu().numpy(), G, w)
        for k in ("J", "kyfan", "kta"):
            assert data[key][k] == pytest.approx(direct[k], rel=1e-9, abs=1e-14), (key, k)
        assert np.allclose(data[key]["cca"], direct["cca"], atol=1e-8)
        assert np.allclose(data[key]["eigs"], direct["eigs"], rtol=1e-8, atol=1e-14)
    dec = decomposition(s.mu, s.data, s.lk.generation)  # the float64 head on the N contexts with their exact law
    for k, key in (("CE", "CE"), ("KL", "KL"), ("H", "H"), ("H_model", "H_model"), ("bound_tv", "bound_tv"), ("bound_sub", "bound_sub"),
                   ("bound_cap", "bound_capped")):
        assert data[k] == pytest.approx(dec[key], rel=1e-10, abs=1e-12), k
    nll, gh, logz = s.nll_terms()
    assert data["-E<g,h>"] == pytest.approx(gh, rel=1e-10) and data["logz_mean"] == pytest.approx(logz, rel=1e-10)
    # over the exact law there is no sampling error, and the flags count contexts
    c3 = [r for r in res if r.claim == 3]
    assert len(c3) == 1 and c3[0].verdict == "holds" and data["CE_se"] == 0.0 and data["violations_tv"] == 0


def test_streamed_moments_match_a_direct_computation_on_sampled_contexts(setup: dict) -> None:
    """The same sampled contexts (same seed and batches) through the N × d route give the same alignment."""
    src, model, data = setup["source"], setup["model"], setup["data"]
    a = as_adapter(model)
    W = a.W.double().numpy()
    hs, gs, ce = [], [], []
    for b in src.sample_context_batches(N, setup["preset"].length, BATCH, seed=0):
        h, z = a.last(torch.as_tensor(b.ids))
        hs.append(h.double().numpy())
        gs.append(b.next_probs @ W)
        ce.append(-(b.next_probs * torch.log_softmax(h.double() @ a.W.double().T, -1).numpy()).sum(1))
    direct = alignment(np.concatenate(hs), np.concatenate(gs), np.full(N, 1 / N))
    for k in ("J", "kyfan", "kta"):
        assert data["trained"][k] == pytest.approx(direct[k], rel=1e-9), k
    ce_all = np.concatenate(ce)
    assert data["CE"] == pytest.approx(ce_all.mean(), rel=1e-12)
    assert data["CE_se"] == pytest.approx(ce_all.std(ddof=1) / math.sqrt(N), rel=1e-6)


class _Shapes(TorchDispatchMode):
    """Records the shape of every tensor an aten op returns."""

    def __init__(self) -> None:
        super().__init__()
        self.shapes: set[tuple[int, ...]] = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor):
                self.shapes.add(tuple(t.shape))
        return out


def test_nothing_of_size_n_is_created(setup: dict) -> None:
    """Many more contexts than a batch and a small memory budget: every torch tensor created has all its
    dimensions at most the batch size (so nothing N × N, nor N × d), and the model runs in small chunks."""
    p, src = setup["preset"], setup["source"]
    n, batch = 2000, 250
    rec = _Shapes()
    with rec:
        _, data = streamed_checks(setup["model"], setup["untrained"], src, p.length, n, batch_size=batch, memory_budget=2**18)
    assert data["count"] == n and data["violations_tv"] == 0
    assert rec.shapes and max(max(s, default=0) for s in rec.shapes) <= batch
    assert not any(sum(x >= n for x in s) >= 2 for s in rec.shapes)
    # hidden activations (chunk, positions, d) come in chunks of the memory budget, far below the batch
    acts = [s for s in rec.shapes if len(s) == 3 and s[1:] == (p.length + 1, p.model_config.d_model)]
    assert acts and max(s[0] for s in acts) < batch


def test_the_shuffled_noise_floor_of_claim_12_matches_real_shuffles():
    """Claim 12's floor is a first-order formula for h and ḡ paired independently; check it against
    the average over real shuffles of samples with unequal covariances (and d < k, as for h and ḡ)."""
    from catkit.paper.streamed import _null

    rng = np.random.default_rng(5)
    n, d, k = 2000, 4, 6
    A, B = rng.normal(size=(d, d)), rng.normal(size=(k, k)) * np.linspace(0.3, 2, k)
    h, g = rng.normal(size=(n, d)) @ A, rng.normal(size=(n, k)) @ B
    w = np.full(n, 1 / n)
    shuffles = [alignment(h, g[rng.permutation(n)], w) for _ in range(60)]
    kta = np.mean([s["kta"] for s in shuffles])
    jfrac = np.mean([s["J"] / s["kyfan"] for s in shuffles])
    hc, gc = h - h.mean(0), g - g.mean(0)
    floor = _null(hc.T @ hc / n, gc.T @ gc / n, n, d)
    assert floor["kta"] == pytest.approx(kta, rel=0.15) and floor["J/kyfan"] == pytest.approx(jfrac, rel=0.15)
    # and the floor is a floor: a real dependence lifts both far above it
    dep = alignment(h, np.hstack([h, g[:, : k - d]]), w)
    assert dep["kta"] > 20 * floor["kta"] and dep["J"] / dep["kyfan"] > 20 * floor["J/kyfan"]
