"""The registry of paper checks: every check able to fail, every exact verdict certified, and the check-mutation
test — breaking what a check depends on (KL's definition, relative entropy, the Fisher metric, …) must change
the verdicts of the checks that depend on it, for every claim."""

from __future__ import annotations

import inspect
from contextlib import contextmanager

import numpy as np
import pytest

import catkit.paper as paper
from catkit.info import KL, Hellinger, TotalVariation
from catkit.info.ops import NUMPY, OBJECT, TORCH
from catkit.kernel import Kernel
from catkit.paper.checks import REGISTRY, check, checks_for, run_checks
from catkit.paper.result import ClaimResult, PaperError
from catkit.paper.toy import ExactSetting
from catkit.sources import tiny_source


@pytest.fixture(scope="module")
def setting():
    return ExactSetting(tiny_source(), 2, 1)


@pytest.fixture(scope="module")
def baseline(setting):
    return {(r.claim, r.check): r for r in run_checks(setting)}


# ---------------------------------------------------------------------- the registry
def test_every_claim_is_in_the_registry_once_per_check():
    checks_for("exact")  # loads the claim modules
    assert {c.claim for c in REGISTRY} == set(range(1, 13))
    names = [(c.claim, c.name) for c in REGISTRY]
    assert len(names) == len(set(names))
    for c in REGISTRY:
        assert c.evidence == (c.control is not None), c  # evidence has a control; identities have none
        assert set(c.modes) <= {"exact", "lm"} and set(c.settings) <= {"kernels", "streamed"}


def test_a_check_without_control_is_refused_unless_it_is_an_identity():
    with pytest.raises(PaperError, match="no control"):
        check(1, "unfalsifiable")(lambda s, j: j.outcome(""))
    n = len(REGISTRY)
    check(1, "an identity", evidence=False, modes=())(lambda s, j: j.outcome(""))
    assert len(REGISTRY) == n + 1
    REGISTRY.pop()


def test_the_report_has_no_per_claim_dispatch_or_hand_list():
    from catkit.paper import report

    src = inspect.getsource(report)
    assert 'f"claim{' not in src and "getattr(g" not in src and "claim12_lm" not in src
    assert not hasattr(paper, "exact_info")


def test_every_exact_verdict_is_certified_and_every_control_fails(baseline):
    for r in baseline.values():
        assert r.mode == "exact" and r.error is None
        assert r.decided_by.startswith(("exact", "interval")), (r.check, r.decided_by)
        assert "float64" not in r.decided_by and "sampled" not in r.decided_by
        if r.evidence:
            assert r.control and r.control_as_expected, (r.claim, r.check, r.control, r.control_verdict)
        assert r.as_expected, (r.claim, r.check, r.verdict, r.note)
    assert {r.claim for r in baseline.values() if r.finding} == {2, 4, 7, 10}


def test_results_round_trip_to_json(baseline):
    r = next(iter(baseline.values()))
    js = r.to_json()
    assert {"expected", "decided_by", "control", "control_verdict", "control_defect"} <= set(js)
    with pytest.raises(PaperError):
        ClaimResult(1, "approx", "c", "holds", "")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- the check-mutation test
@contextmanager
def patched(obj, name, value):
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def _kl_broken():
    rows = KL.rows
    return patched(KL, "rows", lambda self, ops, P, Q: 2 * rows(self, ops, P, Q) + 1)


@contextmanager
def _rel_entr_doubled():
    with patched(type(OBJECT), "rel_entr", _double(type(OBJECT).rel_entr)), \
            patched(type(NUMPY), "rel_entr", _double(type(NUMPY).rel_entr)), patched(type(TORCH), "rel_entr", _double(type(TORCH).rel_entr)):
        yield


def _double(f):
    return lambda self, P, Q: 2 * f(self, P, Q)


def _fisher_halved():
    import catkit.paper.geometry_claims as G

    f = G.fisher_metric
    return patched(G, "fisher_metric", lambda W, p: f(W, p) / 2)


def _copy_broken():
    copy = Kernel.copy.__func__

    def shifted(cls, X, n=2, *, backend=None):
        k = copy(cls, X, n, backend=backend)
        if n != 2 or k.dom.size < 2:
            return k
        return k >> (Kernel.id(k.cod[0]) @ _cycle(k.cod[1]))

    return patched(Kernel, "copy", classmethod(shifted))


def _cycle(w):
    els = w.elements()
    return Kernel.from_function(lambda x: els[(els.index(x) + 1) % len(els)], w, w)


def _tv_zero():
    rows = TotalVariation.rows
    return patched(TotalVariation, "rows", lambda self, ops, P, Q: 0 * rows(self, ops, P, Q))


def _kl_zero():
    rows = KL.rows
    return patched(KL, "rows", lambda self, ops, P, Q: 0 * rows(self, ops, P, Q))


def _kl_quartered():
    rows = KL.rows
    return patched(KL, "rows", lambda self, ops, P, Q: rows(self, ops, P, Q) / 4)


def _hellinger_doubled():
    rows = Hellinger.rows
    return patched(Hellinger, "rows", lambda self, ops, P, Q: 2 * rows(self, ops, P, Q))


def _hidden_law_uniform():
    import catkit.paper.geometry_claims as G

    law = G._hidden_law
    return patched(G, "_hidden_law", lambda g: np.full_like(law(g), law(g).sum() / len(law(g))))


def _log_partition_shifted():
    import catkit.paper.geometry as G

    lp = G.log_partition
    return patched(G, "log_partition", lambda W, h, b=None: lp(W, h, b) + 1)


def _surplus_shuffled():
    import catkit.paper.surplus as S

    ci = S._ci
    return patched(S, "_ci", lambda J: not ci(J))  # the exact conditional-independence test inverted


# (mutation, the claims whose checks must change, the checks that must change)
MUTATIONS = [
    ("KL's definition broken to 2·KL + 1", _kl_broken, {2: "H_KL(k_head)(h) = H(p_h)", 3: "CE = E KL + H"}),
    ("relative entropy doubled", _rel_entr_doubled, {2: "H_KL(k_head)(h) = H(p_h)", 3: "CE = E KL + H", 5: "chain rule"}),
    ("Fisher metric halved", _fisher_halved, {6: "g*(h) = Wᵀ(diag p − ppᵀ)W is the Hessian", 8: "Fisher–Rao distance"}),
    ("copy broken (the second copy shifted)", _copy_broken, {1: "draft and verify heads"}),
    ("total variation set to 0", _tv_zero, {4: "Fannes–Audenaert bound with δ = TV"}),
    ("KL set to 0 (so δ = √(KL/2) = 0)", _kl_zero, {4: "the corrected substitution", 3: "CE = E KL + H"}),
    ("KL quartered", _kl_quartered, {7: "E d² ≤ C·L"}),
    ("Hellinger doubled", _hellinger_doubled, {9: "d_H² = 2(1 − K_BC)"}),
    ("the law of H_t taken uniform", _hidden_law_uniform, {10: "tower identity"}),
    ("log Z shifted by 1", _log_partition_shifted, {11: "NLL = −E⟨ḡ_x, h_x⟩ + E log Z(h_x)"}),
    ("the exact conditional-independence test inverted", _surplus_shuffled, {5: "zero for an order-1 chain"}),
]


def test_every_claim_of_exact_mode_has_a_mutation():
    assert set().union(*[set(m[2]) for m in MUTATIONS]) == set(range(1, 12))  # claim 12 (LM only): test_paper_report


@pytest.mark.parametrize("name,mutation,dependent", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_mutation_changes_the_verdicts_that_depend_on_it(baseline, name, mutation, dependent):
    with mutation():
        mutated = {(r.claim, r.check): r for r in run_checks(ExactSetting(tiny_source(), 2, 1), claims=sorted(dependent))}
    for claim, prefix in dependent.items():
        keys = [k for k in mutated if k[0] == claim and k[1].startswith(prefix)]
        assert keys, (claim, prefix)
        for k in keys:
            assert baseline[k].verdict == "holds", k
            assert mutated[k].verdict != "holds", (name, k, mutated[k].verdict)
