"""The proof library and the checker: every shipped proof checks, reports what it rests on, holds on
random exact models (and the counter-models that show its hypotheses are needed are genuine), links
to the registry both ways, and a checker that can fail: broken steps, false axioms and wrong
theories are caught."""

import functools
import random
from pathlib import Path

import pytest

from catkit import Kernel
from catkit.axioms import REGISTRY
from catkit.diagrams import mutate
from catkit.proof import (
    BUILTIN,
    EXAMPLE,
    ProofSyntaxError,
    check_paths,
    check_text,
    construct_model,
    load_proofs,
    main,
    parse,
    semantic_check,
)

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
THEOREMS = load_proofs(PROOFS)
RESULTS = {r.theorem.name: r for r in check_paths([PROOFS])}


# ---------------------------------------------------------------------- the library
def test_every_shipped_proof_checks_and_there_are_forty_non_trivial_ones():
    assert [n for n, r in RESULTS.items() if not r.ok] == []
    plain = [r for r in RESULTS.values() if not r.assuming and not r.trivial]
    assert len(plain) >= 40
    assert all(r.theorem.source for r in RESULTS.values())  # each names its source
    assert all("arXiv" in r.theorem.source for r in RESULTS.values())


def test_trivial_means_an_identity_or_fewer_than_two_moves():
    assert RESULTS["counit"].trivial and RESULTS["counit"].decided  # one 'by cd'
    assert RESULTS["as_symmetric"].trivial and not RESULTS["as_symmetric"].decided  # one step
    assert not RESULTS["bayes_compose"].trivial
    padded = EXAMPLE.replace("    f >> g >> copy(Z)\n", "    f >> g >> copy(Z)\n  = f >> g >> copy(Z)   by markov\n")
    r = check_text(padded)[0]
    assert r.ok and r.n_steps == 4 and r.moves == 3  # a step to the same diagram is not a move


def test_cli_prints_status_what_it_rests_on_and_counts_axioms_apart(capsys):
    assert main([str(PROOFS)]) == 0
    out = capsys.readouterr().out
    for name, r in RESULTS.items():
        assert f"{r.label}  {name}:" in out
    assert "proved assuming positivity  iso_det:" in out
    assert "rests on: hypotheses inv_fg, inv_gf; lemmas det_fg; axioms positivity; decided in markov" in out
    n = len(RESULTS)
    n_ax = sum(bool(r.assuming) for r in RESULTS.values())
    assert f"{n} theorems: {n - n_ax} proved, {n_ax} proved assuming an axiom (causality 3, positivity 4), 0 broken" in out


def test_uses_follow_lemmas_and_flag_unused_hypotheses():
    r = RESULTS["bayes_involution_as"]
    assert r.uses.hypotheses == ("bi", "bi2") and r.uses.lemmas == ("prior",) and r.uses.axioms == ()
    extra = EXAMPLE.replace("assume det_g: deterministic(g)\n", "assume det_g: deterministic(g)\nassume spare: f = f\n")
    spare = EXAMPLE.replace("show:", "have unused: deterministic(g)\n    g >> copy(Z)\n  = copy(Y) >> (g @ g)  by det_g\nshow:")
    assert check_text(extra)[0].uses.unused == ("spare",)
    assert check_text(spare)[0].uses.unused == ("unused",)


def test_theorem_names_are_unique_across_files(tmp_path):
    (tmp_path / "a.proof").write_text(EXAMPLE)
    (tmp_path / "b.proof").write_text(EXAMPLE)
    with pytest.raises(ProofSyntaxError, match="also defined at"):
        load_proofs(tmp_path)


# ---------------------------------------------------------------------- what the checker rejects
def test_a_broken_step_is_reported_with_both_normal_forms(tmp_path, capsys):
    p = tmp_path / "bad.proof"
    p.write_text(EXAMPLE.replace("by det_f in _ >> (g @ g)", "by markov"))
    assert main([str(p)]) == 1
    out = capsys.readouterr().out
    assert "broken  det_compose" in out and f"{p}:11: BROKEN" in out
    assert "not equal in the free markov category" in out
    assert out.count("normal form of the") == 2 and "= f(x0) : Y" in out


def test_wrong_hypothesis_use_is_reported_not_crashed():
    wrong_fact = EXAMPLE.replace("by det_f in _ >> (g @ g)", "by det_g in f >> _")
    r = check_text(wrong_fact, "x.proof")[0]
    assert not r.ok and r.problems[0].line == 11 and "next diagram is not det_g applied" in r.problems[0].message
    cut = "  = copy(X) >> (f @ f) >> (g @ g)       by det_f in _ >> (g @ g)\n  = copy(X) >> ((f >> g) @ (f >> g))    by markov\n"
    r = check_text(EXAMPLE.replace(cut, ""), "x.proof")[0]
    assert "ends at" in r.problems[0].message


def test_a_broken_lemma_cannot_be_used():
    text = (PROOFS / "bayes.proof").read_text()
    start = text.index("theorem bayes_predictive")
    bad = text[start:].replace("by bi in _ >> (X @ discard(Y))", "by markov")
    r = check_text(bad, "b.proof")[0]
    assert [p.message for p in r.problems][-1] == "the lemma prior is not proved (its own chain is broken)"


def test_an_axiom_premise_must_be_established():
    text = (PROOFS / "positivity.proof").read_text()
    one = text[text.index("theorem iso_det"):text.index("theorem fisher_neyman")]
    r = check_text(one.replace("have det_fg: deterministic(f >> g)", "have det_fg: deterministic(f >> g >> f >> g)")
                   .replace("  = copy(X)                                                    by inv_fg in _ >> copy(X)\n", "")
                   , "p.proof")
    assert not r[0].ok and any("premise deterministic(f >> g) of positivity" in p.message for p in r[0].problems)


def test_theory_governs_endpoints_steps_and_hypotheses():
    cd_markov_claim = ("theorem t: x\ntheory: cd\ntypes: X, Y\nboxes: f: X -> Y\nshow: f >> discard(Y) = discard(X)\n"
                       "    f >> discard(Y)\n  = f >> discard(Y)   by cd\nqed\n")
    r = check_text(cd_markov_claim)[0]
    assert not r.ok and "not the right side" in r.problems[0].message and "free cd category" in r.problems[0].message
    with pytest.raises(ProofSyntaxError, match="'by markov' in theorem t, whose theory is cd"):
        parse(cd_markov_claim.replace("by cd", "by markov"))
    # the same statement is a theorem of the Markov theory
    assert check_text(cd_markov_claim.replace("theory: cd\n", "").replace("= f >> discard(Y)   by cd",
                                                                          "= discard(X)   by markov"))[0].ok
    # a hypothesis is matched in the theorem's theory: f >> discard = discard(X) @ ... is no cd fact
    hyp = ("theorem h: x\ntheory: cd\ntypes: X, Y\nboxes: f: X -> Y, g: X -> Y\nassume e: f >> discard(Y) = g >> discard(Y)\n"
           "show: discard(X) = g >> discard(Y)\n    discard(X)\n  = g >> discard(Y)   by e\nqed\n")
    r = check_text(hyp)[0]
    assert not r.ok and "does not match either side of e" in r.problems[0].message
    assert check_text(hyp.replace("theory: cd\n", ""))[0].ok


def test_a_file_local_axiom_is_reported_and_refused_by_strict(tmp_path, capsys):
    p = tmp_path / "alldet.proof"
    p.write_text(ALLDET)
    assert main([str(p)]) == 0
    out = capsys.readouterr().out
    assert "proved assuming alldet  everything_det" in out and "1 proved assuming an axiom (alldet 1)" in out
    assert main(["--strict", str(p)]) == 2
    assert f"{p}:1: --strict refuses the file-local axiom 'alldet'" in capsys.readouterr().err


ALLDET = """\
axiom alldet(f: A -> B):
    then deterministic(f)
theorem everything_det: every morphism is deterministic (false in FinStoch)
source: a silent axiom (arXiv none)
types: X, Y
boxes: f: X -> Y
show: deterministic(f)
    f >> copy(Y)
  = copy(X) >> (f @ f)     by alldet(f)
qed
"""


def test_semantic_check_refutes_a_theorem_proved_from_a_false_axiom(tmp_path, capsys):
    """The control: --semantic fails when the proof rests on something FinStoch does not satisfy."""
    p = tmp_path / "alldet.proof"
    p.write_text(ALLDET)
    assert main(["--semantic", "--samples", "3", str(p)]) == 1
    out = capsys.readouterr().out
    assert "FAILS on a model of its hypotheses: FinStoch" in out and "1 fail" in out


# ---------------------------------------------------------------------- the Python API
def test_statement_evaluate_and_draw():
    t = THEOREMS["bayes_unique"]
    s = str(t.statement)
    assert s.splitlines()[0] == "bayes_unique [markov]: for all p: I → X, f: X → Y, d1: Y → X, d2: Y → X,"
    assert "then as_equal(d1, d2, p >> f)" in s
    p, f = Kernel.state(["1/2", "1/2", "0"]), Kernel([["1/2", "1/2"], [0, 1], [1, 0]])
    from catkit.structure import bayes_invert

    d1 = bayes_invert(f, p)
    d2 = Kernel([[0, 1, 0], ["1/3", "2/3", "0"]])  # not an inverse: bi2 fails, so the implication holds vacuously
    e = t.evaluate({"p": p, "f": f, "d1": d1, "d2": d1})
    assert e.hypotheses == {"bi1": True, "bi2": True} and e.conclusion
    e2 = t.evaluate({"p": p, "f": f, "d1": d1, "d2": d2})
    assert e2.hypotheses == {"bi1": True, "bi2": False} and not e2.conclusion and e2.holds
    fig = t.draw()
    assert [ax.get_title(loc="left") for ax in fig.axes][-1] == "show: as_equal(d1, d2, p >> f)"


def test_draw_option_writes_one_picture_per_theorem(tmp_path, capsys):
    out = tmp_path / "pics"
    assert main(["--draw", str(out), "--only", "iso_det", "--only", "det_compose", str(PROOFS)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["det_compose.png", "iso_det.png"]
    assert (out / "iso_det.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    capsys.readouterr()
    assert main(["--draw", str(blocker / "sub"), str(PROOFS / "markov.proof")]) == 2
    assert "--draw" in capsys.readouterr().err


def test_registry_statements_and_proofs_name_each_other():
    linked = {code: s for code, s in REGISTRY.items() if s.proof}
    assert len(linked) >= 12
    for code, s in linked.items():
        for name in s.proof:
            assert THEOREMS[name].registry == code, (code, name)
            assert RESULTS[name].ok
    for name, t in THEOREMS.items():
        if t.registry:
            assert name in REGISTRY[t.registry].proof, (name, t.registry)
    for name, schema in BUILTIN.items():  # the built-in axioms are registry axioms, checked on models there
        assert REGISTRY[schema.registry].kind == "axiom" and name in REGISTRY[schema.registry].name


# ---------------------------------------------------------------------- models and counter-models
@functools.cache
def _semantic(name):
    return semantic_check(THEOREMS[name], samples=2, tries=12, seed=1)


@pytest.mark.parametrize("name", sorted(THEOREMS))
def test_every_theorem_holds_on_exact_models_and_its_counter_models_are_genuine(name):
    t, rep = THEOREMS[name], _semantic(name)
    assert rep.ok, rep.lines()
    assert rep.checked["finstoch"] == 2
    if not t.axioms:
        assert rep.checked["signed"] >= 1  # a Markov category: axiom-free theorems hold there too
    for need in rep.needs:
        if not need.needed:
            continue
        m = need.counter_model
        ev = t.evaluate(m.functor)
        assert not ev.conclusion
        if need.kind == "hypothesis":
            assert m.model == "finstoch" and not ev.hypotheses[need.hypothesis]
            assert all(v for k, v in ev.hypotheses.items() if k != need.hypothesis)
        else:
            assert m.model == ("signed" if need.kind == "axiom" else "substoch") and all(ev.hypotheses.values())


def test_counter_models_show_most_hypotheses_needed_and_never_a_redundant_one():
    needs = [n for name in THEOREMS for n in _semantic(name).needs if n.kind == "hypothesis"]
    assert sum(n.needed for n in needs) >= 0.85 * len(needs)
    # redundant in FinStoch (positivity makes them so): no counter-model can exist, none is claimed
    redundant = {("det_unique_pairing", "det_k"), ("det_unique_pairing", "det_h"), ("det_inverse", "det_f"),
                 ("bayes_left_inverse", "det_f")}
    for name, hyp in redundant:
        assert not next(n for n in _semantic(name).needs if n.hypothesis == hyp).needed
    for name in ("iso_det", "positivity_product", "fisher_neyman", "positivity_retraction", "causality_positivity"):
        (need,) = semantic_check(THEOREMS[name], samples=1, tries=40, hypotheses=()).needs[:1]
        assert need.kind == "axiom" and need.needed, name


def test_models_respect_the_hypotheses_they_are_built_for():
    t = THEOREMS["bayes_compose"]
    rng = random.Random(5)
    for kind in ("finstoch", "signed"):
        models = [m for m in (construct_model(t, t.hypotheses, kind, rng) for _ in range(20)) if m is not None]
        assert len(models) >= 5
        for m in models:
            ev = t.evaluate(m.functor)
            assert all(ev.hypotheses.values()) and ev.conclusion
        # not degenerate: some inverse is not a function
        assert any(not m.kernels["fd"].is_deterministic() for m in models)


# ---------------------------------------------------------------------- mutation test
def _mutants(text: str, seed: int):
    """Proof texts with one statement side or one chain diagram replaced by a mutant diagram."""
    rng = random.Random(seed)
    pf = parse(text)
    for t in pf.theorems:
        for c in t.claims:
            eq = c.equation
            if not eq.predicate:
                m = mutate(eq.rhs, rng.randrange(10**6), t.theory)
                if m is not None:
                    yield t, "statement", c.line, _replace_on(text, c.line, eq.text, f"{eq.text.split('=')[0].strip()} = {m}")
            st = rng.choice(c.chain)
            m = mutate(st.diagram, rng.randrange(10**6), t.theory)
            if m is not None:
                yield t, "step", st.line, _replace_on(text, st.line, st.text, str(m))


def _replace_on(text: str, line: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def test_mutated_proofs_are_rejected():
    """A mutant diagram (not equal to the original in the theory) in a statement or a chain breaks the proof."""
    accepted = []
    n = 0
    for seed, path in enumerate(sorted(PROOFS.glob("*.proof"))):
        for t, where, line, text in _mutants(path.read_text(), seed):
            n += 1
            try:
                res = {r.theorem.name: r for r in check_text(text, path.name)}
            except ProofSyntaxError:
                continue  # ill-typed after mutation: rejected at parse time
            if res[t.name].ok:
                accepted.append((path.name, t.name, where, line))
    assert n >= 80 and accepted == []
