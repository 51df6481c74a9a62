"""The B-statements of the registry: every expected outcome on every model, shrunk counterexamples of the
right shape (the catalogue's signed counterexamples), and the catkit check table."""

from __future__ import annotations

import os
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import Phase, settings

from catkit import Kernel
from catkit.axioms import MODELS, REGISTRY, check, load_all, prove_symbolic
from catkit.cli import check_table
from catkit.structure import MultiKernel, is_deterministic

load_all()
B = {code: s for code, s in REGISTRY.items() if code.startswith("B")}
CELLS = [(code, m) for code, s in B.items() for m in s.expected]


@pytest.fixture(autouse=True, scope="module")
def _no_explain_phase():
    """Hypothesis' explain phase re-runs a failing example many times; the outcomes do not depend on it."""
    base = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    settings.register_profile(f"{base}-structure", parent=settings.get_profile(base), phases=[p for p in Phase if p is not Phase.explain])
    settings.load_profile(f"{base}-structure")
    yield
    settings.load_profile(base)


def test_every_section_b_item_is_registered_with_a_source():
    for prefix in ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11", "B12", "B13", "B14", "B15", "B16"]:
        assert any(c == prefix or c.startswith(prefix + "-") for c in B), prefix
    for s in B.values():
        assert s.source and s.text and s.expected, s.code
        assert s.kind in ("axiom", "theorem", "non-theorem")
    assert REGISTRY["B3"].kind == REGISTRY["B4"].kind == "axiom"


def test_every_statement_can_fail_somewhere_or_says_why_not():
    """A checker that passes everywhere checks nothing: each statement expects a failure on some model, or a note explains."""
    for s in B.values():
        assert False in s.expected.values() or s.note, s.code


@cache
def _result(code: str, model: str):  # type: ignore[no-untyped-def]
    """Expected failures get the budget they need to be found (30 examples); expected successes 15."""
    return check(REGISTRY[code], model, max_examples=30 if REGISTRY[code].expected.get(model) is False else 15)


@pytest.mark.parametrize(("code", "model"), CELLS, ids=[f"{c}-{m}" for c, m in CELLS])
def test_expected_outcome(code, model):
    r = _result(code, model)
    exp = REGISTRY[code].expected[model]
    assert r.status in ("holds", "fails"), r.describe()
    assert r.holds == exp, r.describe()
    if r.status == "holds":
        assert r.tried > 0


def test_positivity_counterexample_on_signed_is_the_math_md_shape():
    r = _result("B3", "signed")
    f, g = next(v for k, v in r.counterexample.items() if k.startswith("f, g"))
    assert (f >> g).is_deterministic()  # the hypothesis really held
    assert any(x < 0 for row in f.matrix.tolist() for x in row)  # and a negative entry is what breaks it
    assert r.lhs != r.rhs


def test_causality_counterexample_on_signed_cancels_a_mass():
    r = _result("B4", "signed")
    f, g, h1, h2 = next(v for k, v in r.counterexample.items() if k.startswith("f, g"))
    fg = (f >> g).matrix.tolist()
    joint_mass = [[x * y for y in gr] for fr in f.matrix.tolist() for x, gr in zip(fr, g.matrix.tolist())]
    # some y has (f >> g)(y) = 0 although f(x) g(y|x) != 0 for some x: the signed cancellation
    assert any(fg[0][y] == 0 and any(row[y] != 0 for row in joint_mass) for y in range(len(fg[0])))
    assert h1 != h2


def test_isomorphism_counterexample_on_signed_is_invertible_and_random():
    r = _result("B2", "signed")
    f = r.counterexample["f"]
    assert not is_deterministic(f) and f.model.key == "signed"


def test_conditionals_and_bayes_are_proved_symbolically():
    for code in ["B5", "B6", "B9"]:
        for sizes in REGISTRY[code].symbolic_sizes:
            assert prove_symbolic(REGISTRY[code], sizes).status == "holds", (code, sizes)


def test_finsetmulti_is_a_markov_category_that_is_not_cartesian():
    for code in ["A1", "A5", "A7"]:
        assert check(REGISTRY[code], "finsetmulti", max_examples=10).status == "holds"
    r = _result("copy-natural", "finsetmulti")
    assert r.status == "fails" and isinstance(r.counterexample["f"], MultiKernel)
    assert not r.counterexample["f"].is_deterministic()


def test_statements_without_relations_are_not_applicable_on_finsetmulti():
    r = check(REGISTRY["B6"], "finsetmulti", max_examples=5)
    assert r.status == "skipped" and "relations" in r.message


def test_check_table_shows_the_failures_where_expected():
    text, results, ok = check_table(["B7-pitfall"], ["finstoch", "finset"], examples=30, symbolic=False)
    assert ok
    by = {(r.statement.code, r.model): r.status for r in results}
    assert by[("B7-pitfall", "finstoch")] == "fails" and by[("B7-pitfall", "finset")] == "holds"
    assert "fails (as expected)" in text


def test_models_registry_includes_finsetmulti_with_relational_equality():
    m = MODELS["finsetmulti"]
    f = MultiKernel([[1, 1], [0, 1]])
    assert m.equal(f, f) and not m.equal(f, MultiKernel([[1, 0], [0, 1]]))
    assert not m.equal(MultiKernel([[1, 1]]), Kernel([[Fraction(1, 2), Fraction(1, 2)]]))  # a distribution is not a relation
