"""The axiom checker: required outcomes, shrunk counterexamples, symbolic proofs, and a checker that can fail."""

import pytest

from catkit import Kernel, Wire
from catkit.axioms import MODELS, REGISTRY, Statement, check, load_all, prove_symbolic
from catkit.cli import check_table, main

load_all()
A = [f"A{i}" for i in range(1, 8)]


@pytest.mark.parametrize("code", A)
@pytest.mark.parametrize("model", ["finstoch", "finstoch-float", "finset", "signed"])
def test_markov_axioms_hold_on_markov_models(code, model):
    r = check(REGISTRY[code], model, max_examples=25)
    assert r.status == "holds", r.describe()
    assert r.tried > 0


@pytest.mark.parametrize("code", A[:6])
def test_cd_axioms_hold_on_substochastic(code):
    assert check(REGISTRY[code], "substoch", max_examples=25).status == "holds"


def test_markov_axiom_fails_on_substochastic_with_a_minimal_counterexample():
    r = check(REGISTRY["A7"], "substoch", max_examples=50)
    assert r.status == "fails" and r.as_expected
    f = r.counterexample["f"]
    assert f.dom.size == 1 and f.cod.size == 1  # shrunk to a 1×1 matrix
    assert r.lhs != r.rhs and r.rhs == Kernel.discard(f.dom)


def test_copy_is_natural_exactly_on_finset():
    assert check(REGISTRY["copy-natural"], "finset", max_examples=30).status == "holds"
    for m in ["finstoch", "finstoch-float", "signed", "substoch"]:
        r = check(REGISTRY["copy-natural"], m, max_examples=50)
        assert r.status == "fails", m
        f = r.counterexample["f"]
        assert not f.is_deterministic()


@pytest.mark.parametrize("code", A)
@pytest.mark.parametrize("sizes", [(2,), (2, 3)])
def test_axioms_are_proved_symbolically_for_small_sizes(code, sizes):
    assert prove_symbolic(REGISTRY[code], sizes).status == "holds"


def test_symbolic_proof_refutes_a_false_statement():
    r = prove_symbolic(REGISTRY["copy-natural"], (2,))
    assert r.status == "fails"


def test_a_wrong_axiom_is_caught_everywhere():
    """A checker that never fails checks nothing: a false 'axiom' (every kernel is idempotent) must fail."""

    def build(g):
        X = g.obj("X")
        f = g.kernel(X, X, "f")
        return [("f >> f = f", f >> f, f)]

    bogus = Statement("bogus", "kernels are idempotent", "f >> f = f", "nowhere", build)
    for m in MODELS:
        r = check(bogus, m, max_examples=100)
        assert r.status == "fails", m
    assert prove_symbolic(bogus, (2,)).status == "fails"


def test_errors_inside_a_statement_are_reported_not_raised():
    def build(g):
        X = g.obj("X")
        f = g.kernel(X, Wire(7), "f")
        return [("mismatch", f >> f, f)]

    r = check(Statement("broken", "broken", "", "", build), "finstoch", max_examples=5)
    assert r.status == "error" and "cannot compose" in r.message and not r.as_expected


def test_cli_check_table_has_required_outcomes(capsys):
    text, results, ok = check_table(["A7", "copy-natural"], examples=30, symbolic=True)
    assert ok
    by = {(r.statement.code, r.model): r.status for r in results}
    assert by[("A7", "substoch")] == "fails" and by[("A7", "finstoch")] == "holds"
    assert by[("copy-natural", "finstoch")] == "fails" and by[("copy-natural", "finset")] == "holds"
    assert "fails (as expected)" in text and "proved (2×2, 2×3)" in text
    assert main(["check", "--only", "A1", "--model", "finstoch", "--examples", "5"]) == 0
    out = capsys.readouterr().out
    assert "A1" in out and "holds (5)" in out


def test_cli_flags_unexpected_outcomes(capsys):
    def build(g):
        f = g.kernel(Wire(2), Wire(2), "f")
        return [("f >> f = f", f >> f, f)]

    REGISTRY["zz-wrong"] = Statement("zz-wrong", "wrongly expected", "", "", build, expected={"finstoch": True})
    try:
        assert main(["check", "--only", "zz-wrong", "--model", "finstoch", "--examples", "20", "--no-symbolic"]) == 1
        assert "UNEXPECTED" in capsys.readouterr().out
    finally:
        del REGISTRY["zz-wrong"]


def test_cli_delegated_commands_accept_leading_options(capsys):
    # argparse's REMAINDER would swallow "--help" into catkit's own parser; delegation must pass it on
    with pytest.raises(SystemExit) as e:
        main(["lm", "--help"])
    assert e.value.code == 0
    assert "catkit lm" in capsys.readouterr().out
