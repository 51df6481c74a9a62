"""The information statements in the registry: expected outcomes per model, shrunk counterexamples, proofs."""

import pytest

from catkit import Kernel
from catkit.axioms import MODELS, REGISTRY, Statement, check, load_all, prove_symbolic
from catkit.cli import check_table
from catkit.info import KL, categorical_entropy, gini_simpson, shannon_entropy
from catkit.info.claims import TRUTH, equality, inequality, truth
from catkit.info.reals import to_float

load_all()
CODES = sorted(c for c in REGISTRY if c[:2] in ("C1", "C2", "C3", "C4"))
EXPENSIVE = {"C1-tensor-chi2"}  # its counterexample search shrinks through exact χ² values


def test_every_statement_of_section_c_is_registered():
    assert {"C1-zero", "C1-DPI", "C1-tensor", "C1-compose", "C2-MI", "C2-DPI", "C3-KL", "C3-TV", "C3-Renyi", "C3-zero",
            "C3-pushforward", "C3-grows", "C4-functor", "C4-optimal", "C4-convex", "C4-support"} <= set(CODES)
    for c in CODES:
        s = REGISTRY[c]
        assert s.expected and s.source and s.text, c
        # a statement that never fails anywhere must say why it is a theorem; non-theorems must fail somewhere
        if s.kind == "non-theorem":
            assert False in s.expected.values(), c


@pytest.mark.parametrize("code", [c for c in CODES if c not in EXPENSIVE])
@pytest.mark.parametrize("model", ["finstoch", "finstoch-float", "finset"])
def test_outcome_is_the_expected_one(code, model):
    r = check(REGISTRY[code], model, max_examples=12)
    assert r.as_expected, r.describe()
    if r.status != "skipped":
        assert r.tried > 0
    if REGISTRY[code].expected.get(model) is False:
        assert r.status == "fails"


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("model", ["signed", "substoch"])
def test_models_without_probabilities_are_skipped(code, model):
    r = check(REGISTRY[code], model, max_examples=3)
    assert r.status == "skipped" and "probability" in r.message


def test_entropy_grows_under_a_stochastic_map_with_a_small_counterexample():
    r = check(REGISTRY["C3-grows"], "finstoch", max_examples=40)
    assert r.status == "fails"
    f, p = r.counterexample["f"], r.counterexample["p"]
    assert not f.is_deterministic()
    assert to_float(shannon_entropy(p >> f)) > to_float(shannon_entropy(p))
    assert f.dom.size * f.cod.size <= 4  # shrunk
    assert "H(p >> f) <= H(p):" in r.equation and ">" in r.equation  # both numbers are shown
    assert check(REGISTRY["C3-grows"], "finset", max_examples=30).status == "holds"
    assert check(REGISTRY["C3-pushforward"], "finstoch", max_examples=30).status == "holds"


def test_chi_squared_is_not_short_for_the_tensor_product():
    r = check(REGISTRY["C1-tensor-chi2"], "finstoch", max_examples=40)
    assert r.status == "fails" and r.as_expected
    assert check(REGISTRY["C1-tensor-chi2"], "finset", max_examples=10).status == "holds"


@pytest.mark.parametrize("size", [(2,), (3,)])
def test_kl_entropy_is_shannon_entropy_symbolically(size):
    r = prove_symbolic(REGISTRY["C3-KL"], size)
    assert r.status == "holds"


def test_a_false_identity_is_not_proved_symbolically():
    def build(g):
        X = g.obj("X")
        p = g.kernel((), X, "p")
        return [equality("H_KL = Gini–Simpson", categorical_entropy(p, KL(), method="definition"), gini_simpson(p))]

    assert prove_symbolic(Statement("bogus-C3", "", "", "", build), (2,)).status == "fails"


def test_a_false_inequality_is_caught_on_every_probability_model():
    """A checker that never fails checks nothing: 'KL is symmetric' must fail with both numbers shown."""

    def build(g):
        X = g.obj("X")
        f, k = g.kernel((), X, "f"), g.kernel((), X, "g")
        return [inequality("KL(f, g) <= KL(g, f)", KL()(f, k), KL()(k, f))]

    for m in ["finstoch", "finstoch-float"]:
        r = check(Statement("bogus-C1", "", "", "", build), m, max_examples=60)
        assert r.status == "fails", m
        assert ">" in r.equation


def test_truth_values():
    assert truth(True) != truth(False) and truth(True).cod.size == 2 and TRUTH.labels == ("holds", "fails")
    assert MODELS["finstoch"].equal(truth(True), truth(True))
    assert isinstance(truth(False), Kernel)


def test_cli_table_shows_the_information_statements():
    text, results, ok = check_table(["C3-grows", "C1-DPI"], ["finstoch", "finset", "signed"], examples=10, symbolic=False)
    assert ok
    assert "C3-grows" in text and "fails (as expected)" in text and "n/a" in text
