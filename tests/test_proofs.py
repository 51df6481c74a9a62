"""Proofs: every proof in proofs/ checks, broken and malformed proofs are reported, and every
theorem holds on random FinStoch instances of its hypotheses and fails on a counter-model without them."""

import random
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.objects import Obj
from catkit.proof import EXAMPLE, ProofSyntaxError, check_paths, check_text, load, main, parse

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
THEOREMS = {t.name: t for f in sorted(PROOFS.glob("*.proof")) for t in load(f).theorems}


def test_every_proof_checks_and_there_are_enough():
    results = check_paths([PROOFS])
    assert len(results) >= 12
    assert [r.theorem.name for r in results if not r.ok] == []
    assert all(r.theorem.source for r in results)  # each names its source


def test_cli_prints_each_theorem_and_exits_zero(capsys):
    assert main([str(PROOFS)]) == 0
    out = capsys.readouterr().out
    for name in THEOREMS:
        assert f"proved  {name}:" in out
    assert f"{len(THEOREMS)} theorems: {len(THEOREMS)} proved, 0 broken" in out


def test_a_broken_step_is_reported_with_both_normal_forms(tmp_path, capsys):
    bad = EXAMPLE.replace("by det_f in _ >> (g @ g)", "by markov")
    p = tmp_path / "bad.proof"
    p.write_text(bad)
    assert main([str(p)]) == 1
    out = capsys.readouterr().out
    assert "broken  det_compose" in out and f"{p}:11: BROKEN" in out
    assert "not equal in the free markov category" in out
    assert out.count("normal form of the") == 2 and "= f(x0) : Y" in out


def test_wrong_hypothesis_use_is_reported_not_crashed():
    wrong_ctx = EXAMPLE.replace("by det_g in f >> _", "by det_g in _ >> f")
    r = check_text(wrong_ctx, "x.proof")[0]
    assert not r.ok and "does not fit the context" in r.problems[0].message
    wrong_fact = EXAMPLE.replace("by det_f in _ >> (g @ g)", "by det_g in f >> _")
    r = check_text(wrong_fact, "x.proof")[0]
    assert not r.ok and r.problems[0].line == 11 and r.problems[0].left and r.problems[0].right
    assert "next diagram is not det_g applied" in r.problems[0].message
    unknown = EXAMPLE.replace("by det_g in f >> _", "by det_h in f >> _")
    assert "unknown hypothesis" in check_text(unknown, "x.proof")[0].problems[0].message
    cut = "  = copy(X) >> (f @ f) >> (g @ g)       by det_f in _ >> (g @ g)\n  = copy(X) >> ((f >> g) @ (f >> g))    by markov\n"
    assert cut in EXAMPLE
    bad_end = EXAMPLE.replace(cut, "")
    assert "ends at" in check_text(bad_end, "x.proof")[0].problems[0].message


def test_a_schema_premise_must_be_established():
    text = (PROOFS / "positivity.proof").read_text().replace("assume det_marginal", "assume unrelated")
    text = text.replace("psi >> (X @ discard(Y)) >> copy(X) = copy(A)", "psi >> copy(X @ Y) = copy(A) >> (psi @ psi) # ", 1)
    r = check_text(text, "p.proof")[0]
    assert not r.ok and "premise" in r.problems[0].message


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("theorem t: x\ntypes: X\nboxes: f: X -> Q\n", 3, "unknown name 'Q'"),
        ("theorem t: x\ntypes: X\nboxes: f: X -> X\nshow: f = f >> \n", 4, "cannot read"),
        ("theorem t: x\ntypes: X, Y\nboxes: f: X -> Y, g: X -> Y\nshow: f >> g = f\n", 4, "ill-typed diagram 'f >> g'"),
        ("theorem t: x\ntypes: X\nshow: id(X) = id(X)\n    id(X)\n  = id(X)\nqed\n", 5, "a proof step reads"),
        ("theorem t: x\ntypes: X\nfrobnicate: yes\n", 3, "unknown keyword 'frobnicate'"),
        ("theorem t: x\ntypes: X\nshow: id(X) = id(X)\n    id(X)\n", 1, "not closed with 'qed'"),
        ("theorem t: x\ntypes: X\nshow: id(X) = id(X)\n    id(X)\n  = id(X) by fact in _ >> _\nqed\n", 5, "hole _ exactly once"),
        ("axiom s(f: A):\n  then f = f\n", 1, "an axiom parameter reads"),
    ],
)
def test_malformed_files_give_file_and_line(text, line, message):
    with pytest.raises(ProofSyntaxError) as e:
        check_text(text, "bad.proof")
    assert e.value.file == "bad.proof" and e.value.line == line and message in str(e.value)
    assert str(e.value).startswith(f"bad.proof:{line}: ")


def test_cli_exit_code_two_on_malformed_file(tmp_path, capsys):
    p = tmp_path / "m.proof"
    p.write_text("theorem t: x\ntypes: X\nboxes: f X\n")
    assert main([str(p)]) == 2
    assert f"{p}:3:" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.proof")]) == 2


def test_parse_reads_structure():
    t = parse(EXAMPLE, "e.proof").theorems[0]
    assert list(t.hypotheses) == ["det_f", "det_g"] and t.conclusion.line == 8


# ---------------------------------------------------------------------- semantic checks
def stoch(rng, rows, cols):
    out = []
    for _ in range(rows):
        w = [rng.randint(0, 3) for _ in range(cols)]
        if not any(w):
            w[rng.randrange(cols)] = 1
        out.append([F(x, sum(w)) for x in w])
    return out


def K(rows, dom, cod, **kw):
    return Kernel(rows, Obj(*map(Wire, dom)), Obj(*map(Wire, cod)), **kw)


def det(rng, dom, cod):
    n, m = _prod(dom), _prod(cod)
    return K([[1 if j == t else 0 for j in range(m)] for t in (rng.randrange(m) for _ in range(n))], dom, cod)


def _prod(xs):
    out = 1
    for x in xs:
        out *= x
    return out


def inverse(p_row, f_rows):
    """The Bayesian inverse of f w.r.t. p (uniform where the pushforward is 0)."""
    nx, ny = len(p_row), len(f_rows[0])
    q = [sum(p_row[x] * f_rows[x][y] for x in range(nx)) for y in range(ny)]
    return [[p_row[x] * f_rows[x][y] / q[y] if q[y] else F(1, nx) for x in range(nx)] for y in range(ny)]


def push(p_row, f_rows):
    return [sum(p_row[x] * f_rows[x][y] for x in range(len(p_row))) for y in range(len(f_rows[0]))]


def sizes(rng, *names):
    return {n: rng.randint(1, 3) for n in names}


def as_equal_on_support(rng, p_row, f_rows, ny):
    """A kernel agreeing with f on the support of p, random elsewhere."""
    other = stoch(rng, len(f_rows), ny)
    return [f_rows[x] if p_row[x] else other[x] for x in range(len(f_rows))]


def inst_det_compose(rng):
    s = sizes(rng, "X", "Y", "Z")
    return {"f": det(rng, [s["X"]], [s["Y"]]), "g": det(rng, [s["Y"]], [s["Z"]])}


def inst_det_tensor(rng):
    s = sizes(rng, "X", "Y", "Z", "W")
    return {"f": det(rng, [s["X"]], [s["Y"]]), "g": det(rng, [s["Z"]], [s["W"]])}


def inst_marginal_det(rng):
    s = sizes(rng, "A", "X", "Y")
    return {"f": det(rng, [s["A"]], [s["X"], s["Y"]])}


def inst_effects(rng):
    n, m = rng.randint(1, 3), rng.randint(1, 3)
    return {"f": K(stoch(rng, n, m), [n], [m]), "e": K([[1]] * n, [n], [])}


def inst_prior_kernel(rng, inverse_of=True):
    nx, ny = rng.randint(1, 3), rng.randint(1, 3)
    p = stoch(rng, 1, nx)[0]
    f = stoch(rng, nx, ny)
    ks = {"p": K(p, [], [nx]), "f": K(f, [nx], [ny])}
    return ks, p, f, nx, ny


def inst_bayes(rng):
    ks, p, f, nx, ny = inst_prior_kernel(rng)
    inv = K(inverse(p, f), [ny], [nx])
    return {**ks, "fd": inv, "c": inv}


def inst_bayes_compose(rng):
    ks, p, f, nx, ny = inst_prior_kernel(rng)
    nz = rng.randint(1, 3)
    g = stoch(rng, ny, nz)
    return {**ks, "g": K(g, [ny], [nz]), "fd": K(inverse(p, f), [ny], [nx]), "gd": K(inverse(push(p, f), g), [nz], [ny])}


def inst_as(rng):
    nx, ny = rng.randint(1, 3), rng.randint(1, 3)
    p = stoch(rng, 1, nx)[0]
    f = stoch(rng, nx, ny)
    g = as_equal_on_support(rng, p, f, ny)
    h = as_equal_on_support(rng, p, g, ny)
    nz = rng.randint(1, 3)
    return {"p": K(p, [], [nx]), "f": K(f, [nx], [ny]), "g": K(g, [nx], [ny]),
            "h": K(h, [nx], [ny]) if rng.random() < 2 else None, "_nz": nz}


def inst_as_post(rng):
    ks = inst_as(rng)
    ny = ks["f"].cod.size
    nz = ks.pop("_nz")
    ks["h"] = K(stoch(rng, ny, nz), [ny], [nz])
    return ks


def inst_as_plain(rng):
    ks = inst_as(rng)
    ks.pop("_nz")
    return ks


def inst_positivity(rng):
    na, nx, ny = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
    phi = [rng.randrange(nx) for _ in range(na)]
    q = stoch(rng, na, ny)
    rows = [[q[a][y] if x == phi[a] else 0 for x in range(nx) for y in range(ny)] for a in range(na)]
    return {"psi": K(rows, [na], [nx, ny])}


def inst_free(rng):  # theorems with no hypotheses: any sizes
    n, m = rng.randint(1, 3), rng.randint(1, 3)
    return {"_ob": {"X": n, "Y": m}}


COIN = [F(1, 3), F(2, 3)]
SWAP = [[0, 1], [1, 0]]
ID2 = [[1, 0], [0, 1]]
NOISY = [[F(1, 2), F(1, 2)], [1, 0]]

#: theorem -> (random instances of its hypotheses, a counter-model without a hypothesis, where the conclusion fails)
MODELS = {
    "det_compose": (inst_det_compose, {"f": K(NOISY, [2], [2]), "g": K(ID2, [2], [2])}),
    "det_tensor": (inst_det_tensor, {"f": K(NOISY, [2], [2]), "g": K([[1]], [1], [1])}),
    "marginal_det": (inst_marginal_det, {"f": K([[F(1, 2), 0, 0, F(1, 2)]], [1], [2, 2])}),
    "copy_det": (inst_free, None),
    "discard_det": (inst_free, None),
    "swap_det": (inst_free, None),
    # the Markov axiom is needed: in sub-stochastic kernels an effect need not be discard
    "effects_are_discard": (inst_effects, {"f": K(ID2, [2], [2]), "e": K([[F(1, 2)], [1]], [2], [], model="substoch")}),
    "bayes_identity": (lambda rng: {"p": K(stoch(rng, 1, 3)[0], [], [3])}, None),
    "bayes_recovers_prior": (inst_bayes, {"p": K(COIN, [], [2]), "f": K(ID2, [2], [2]), "fd": K(SWAP, [2], [2])}),
    "bayes_involutive": (inst_bayes, {"p": K(COIN, [], [2]), "f": K(ID2, [2], [2]), "fd": K(SWAP, [2], [2])}),
    "bayes_compose": (inst_bayes_compose, {"p": K(COIN, [], [2]), "f": K(ID2, [2], [2]), "g": K(ID2, [2], [2]),
                                           "fd": K(ID2, [2], [2]), "gd": K(SWAP, [2], [2])}),
    "conditionals_bayes": (inst_bayes, {"p": K(COIN, [], [2]), "f": K(ID2, [2], [2]), "c": K(SWAP, [2], [2])}),
    "as_symmetric": (inst_as_plain, {"p": K(COIN, [], [2]), "f": K(ID2, [2], [2]), "g": K(SWAP, [2], [2])}),
    "as_transitive": (inst_as_plain, {"p": K(COIN, [], [2]), "f": K(ID2, [2], [2]), "g": K(SWAP, [2], [2]),
                                      "h": K(SWAP, [2], [2])}),
    "as_postcompose": (inst_as_post, {"p": K(COIN, [], [2]), "f": K(ID2, [2], [2]), "g": K(SWAP, [2], [2]),
                                      "h": K(ID2, [2], [2])}),
    "positivity_product": (inst_positivity, {"psi": K([[F(1, 2), 0, 0, F(1, 2)]], [1], [2, 2])}),
}


def test_every_theorem_has_a_semantic_model():
    assert sorted(MODELS) == sorted(THEOREMS)


def _holds(thm, ks):
    ks = dict(ks)
    ob = ks.pop("_ob", None)
    return thm.holds_in({k: v for k, v in ks.items() if v is not None}, ob)


@pytest.mark.parametrize("name", sorted(MODELS))
@given(seed=st.integers(0, 2**32 - 1))
def test_theorem_holds_on_random_finstoch_instances(name, seed):
    thm = THEOREMS[name]
    hyps, concl = _holds(thm, MODELS[name][0](random.Random(seed)))
    assert all(hyps.values()), hyps
    assert concl


@pytest.mark.parametrize("name", sorted(n for n, (_, c) in MODELS.items() if c is not None))
def test_theorem_fails_on_a_counter_model_without_its_hypothesis(name):
    hyps, concl = _holds(THEOREMS[name], MODELS[name][1])
    assert not concl
    assert not all(hyps.values()) or name == "effects_are_discard"  # that one needs the Markov axiom itself


def test_positivity_is_needed_signed_counter_model():
    """In signed FinStoch (not positive) a deterministic marginal does not split off (MATH.md B3)."""
    psi = K([[1, 0, 1, -1]], [1], [2, 2], model="signed")
    hyps, concl = THEOREMS["positivity_product"].holds_in({"psi": psi})
    assert hyps == {"det_marginal": True} and not concl
